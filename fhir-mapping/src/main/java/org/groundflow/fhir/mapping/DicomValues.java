package org.groundflow.fhir.mapping;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads DICOM value representations (DA, PN, CS) as the FHIR mapping needs them; odd values give empty results. */
final class DicomValues {

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private DicomValues() {
    }

    /** A DICOM date (DA, "YYYYMMDD"), or empty when it is absent or not a real date. */
    static Optional<LocalDate> date(String da) {
        if (da == null || da.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(da.trim(), DA));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * A person name (PN) as family name and given names: the first (alphabetic) component group,
     * components family^given^middle^prefix^suffix. Empty when no family or given name is present.
     */
    static Optional<PersonName> personName(String pn) {
        if (pn == null || pn.isBlank()) {
            return Optional.empty();
        }
        String alphabetic = pn.split("=", -1)[0];
        String[] parts = Arrays.copyOf(alphabetic.split("\\^", -1), 5);
        String family = trimmed(parts[0]);
        List<String> given = Arrays.stream(new String[] {parts[1], parts[2]})
                .map(DicomValues::trimmed).filter(s -> !s.isEmpty()).toList();
        if (family.isEmpty() && given.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PersonName(family, given, trimmed(parts[3]), trimmed(parts[4])));
    }

    /** Patient's Sex (CS: M, F, O) as a FHIR administrative gender code, empty when absent or unknown. */
    static Optional<String> gender(String cs) {
        if (cs == null) {
            return Optional.empty();
        }
        return switch (cs.trim()) {
            case "M" -> Optional.of("male");
            case "F" -> Optional.of("female");
            case "O" -> Optional.of("other");
            default -> Optional.empty();
        };
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    /** The parts of a PN that FHIR's HumanName holds; empty strings for absent parts. */
    record PersonName(String family, List<String> given, String prefix, String suffix) {
    }
}
