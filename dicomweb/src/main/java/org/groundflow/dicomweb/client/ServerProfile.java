package org.groundflow.dicomweb.client;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a DICOMweb server is known to support beyond the common core, so the client refuses a request the server would
 * silently answer wrongly (Orthanc ignores {@code includefield=all} and sequence matching and returns everything)
 * instead of sending it. Chosen in configuration by {@link #named(String)}.
 *
 * @param name             the name configuration uses
 * @param includeFieldAll  QIDO-RS {@code includefield=all}
 * @param fuzzyMatching    QIDO-RS {@code fuzzymatching=true} for person names
 * @param sequenceMatching QIDO-RS match keys inside sequences ({@code RequestAttributesSequence.AccessionNumber})
 * @param reject           rejection of studies, series and instances with a reason code (dcm4chee-arc's
 *                         {@code POST .../reject/{code}^{scheme}}, the IHE IOCM profile)
 * @param pageSize         QIDO-RS results asked for per request ({@code limit}); later pages follow by {@code offset}
 */
public record ServerProfile(String name, boolean includeFieldAll, boolean fuzzyMatching, boolean sequenceMatching,
                            boolean reject, int pageSize) {

    /** Orthanc 1.10 with its DICOMweb plugin 1.7: no includefield=all, no fuzzy or sequence matching, no reject. */
    public static final ServerProfile ORTHANC = new ServerProfile("orthanc", false, false, false, false, 100);

    /** dcm4chee-arc-light 5: the root is {@code /dcm4chee-arc/aets/{AET}/rs}; supports all of the above. */
    public static final ServerProfile DCM4CHEE_ARC = new ServerProfile("dcm4chee-arc", true, true, true, true, 100);

    /** A server that implements PS3.18 QIDO-RS in full, without vendor extensions such as reject. */
    public static final ServerProfile GENERIC = new ServerProfile("generic", true, true, true, false, 100);

    private static final List<ServerProfile> KNOWN = List.of(ORTHANC, DCM4CHEE_ARC, GENERIC);

    public ServerProfile {
        Objects.requireNonNull(name, "name");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 10000, got " + pageSize);
        }
    }

    /**
     * @param name {@code orthanc}, {@code dcm4chee-arc} (or {@code dcm4chee}) or {@code generic}, any case
     */
    public static ServerProfile named(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (key.equals("dcm4chee")) {
            return DCM4CHEE_ARC;
        }
        return KNOWN.stream().filter(profile -> profile.name.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("server profile must be one of "
                        + KNOWN.stream().map(ServerProfile::name).toList() + ", got: " + name));
    }

    /** A copy with another QIDO-RS page size. */
    public ServerProfile withPageSize(int size) {
        return new ServerProfile(name, includeFieldAll, fuzzyMatching, sequenceMatching, reject, size);
    }

    void require(boolean supported, String feature) {
        if (!supported) {
            throw new UnsupportedByServerException(name, feature);
        }
    }
}
