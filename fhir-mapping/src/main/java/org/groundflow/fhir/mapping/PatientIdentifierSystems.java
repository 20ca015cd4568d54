package org.groundflow.fhir.mapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The identifier system of DICOM Patient IDs at a site (the EHR's MRN system), chosen by the study's Issuer of
 * Patient ID (0010,0021): one system per issuer, and a default for studies that name no issuer or one not listed.
 * Build with {@link #of(String)} and add issuers with {@link #withIssuer(String, String)}.
 *
 * @param defaultSystem the system of a study whose issuer is not listed (an absolute URI)
 * @param byIssuer      the system of each Issuer of Patient ID (keys trimmed and compared exactly; absolute URIs)
 */
public record PatientIdentifierSystems(String defaultSystem, Map<String, String> byIssuer) {

    public PatientIdentifierSystems {
        defaultSystem = absoluteUri("defaultSystem", defaultSystem);
        Objects.requireNonNull(byIssuer, "byIssuer");
        Map<String, String> checked = new TreeMap<>();
        byIssuer.forEach((issuer, system) -> {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("byIssuer must not have a blank issuer, got '" + issuer + "'");
            }
            String key = issuer.trim();
            if (checked.put(key, absoluteUri("byIssuer[" + key + "]", system)) != null) {
                throw new IllegalArgumentException("byIssuer names issuer '" + key + "' twice");
            }
        });
        byIssuer = Collections.unmodifiableMap(checked);
    }

    /** One system for every study, whatever its issuer. */
    public static PatientIdentifierSystems of(String defaultSystem) {
        return new PatientIdentifierSystems(defaultSystem, Map.of());
    }

    /** The same systems with {@code system} for the studies whose Issuer of Patient ID is {@code issuer}. */
    public PatientIdentifierSystems withIssuer(String issuer, String system) {
        Map<String, String> more = new TreeMap<>(byIssuer);
        more.put(Objects.requireNonNull(issuer, "issuer").trim(), system);
        return new PatientIdentifierSystems(defaultSystem, more);
    }

    /** The system of the Patient IDs this issuer assigns; the default for a blank or unlisted issuer. */
    public String systemFor(String issuer) {
        return issuer == null ? defaultSystem : byIssuer.getOrDefault(issuer.trim(), defaultSystem);
    }

    /** Whether a study naming this issuer falls back to the default although issuers are configured. */
    boolean unlisted(String issuer) {
        return issuer != null && !issuer.isBlank() && !byIssuer.isEmpty() && !byIssuer.containsKey(issuer.trim());
    }

    static String absoluteUri(String name, String system) {
        Objects.requireNonNull(system, name);
        try {
            URI uri = new URI(system.trim());
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException(name + " must be an absolute URI, got '" + system + "'");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an absolute URI, got '" + system + "': "
                    + e.getReason());
        }
    }
}
