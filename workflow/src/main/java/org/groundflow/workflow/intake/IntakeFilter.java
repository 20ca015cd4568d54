package org.groundflow.workflow.intake;

import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which studies the intake starts reads for, and when: studies with a series of {@code modality} (and, where given,
 * of {@code bodyPart} and from {@code station}), whose StudyDate lies within {@code lookBack}, once their instance
 * count has not changed for {@code stableFor}. Made by {@link #of(String, Duration)} and the {@code with...} methods,
 * or from the text of configuration and process inputs by {@link #parse}.
 *
 * @param modality  DICOM modality (code string), upper case
 * @param bodyPart  BodyPartExamined to match, {@code ""} for any; QIDO wildcards {@code *} and {@code ?} allowed
 * @param station   StationName to match, {@code ""} for any; QIDO wildcards allowed
 * @param stableFor quiet time before a study counts as complete, zero or more
 * @param lookBack  how far back StudyDate may lie; empty for no date limit
 */
public record IntakeFilter(String modality, String bodyPart, String station, Duration stableFor,
                           Optional<Period> lookBack) {

    /** DICOM CS: upper-case letters, digits, space, underscore; 16 characters at most. */
    private static final Pattern CODE_STRING = Pattern.compile("[A-Z0-9_ ]{1,16}");
    private static final Pattern CODE_STRING_MATCH = Pattern.compile("[A-Z0-9_ *?]{1,16}");
    /** DICOM SH without backslash or control characters, 16 characters at most. */
    private static final Pattern SHORT_STRING_MATCH = Pattern.compile("[^\\\\\\p{Cntrl}]{1,16}");

    public IntakeFilter {
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(bodyPart, "bodyPart");
        Objects.requireNonNull(station, "station");
        Objects.requireNonNull(stableFor, "stableFor");
        Objects.requireNonNull(lookBack, "lookBack");
        require(CODE_STRING.matcher(modality).matches(), "modality",
                "must be a DICOM code string (A-Z, 0-9, space, _; 1 to 16 characters)", modality);
        require(bodyPart.isEmpty() || CODE_STRING_MATCH.matcher(bodyPart).matches(), "bodyPart",
                "must be empty or a DICOM code string (A-Z, 0-9, space, _, wildcards * ?; at most 16 characters)", bodyPart);
        require(station.isEmpty() || SHORT_STRING_MATCH.matcher(station).matches(), "station",
                "must be empty or at most 16 characters without backslash or control characters", station);
        require(!stableFor.isNegative(), "stableFor", "must not be negative", stableFor);
        require(lookBack.map(p -> !p.isNegative()).orElse(true), "lookBack", "must not be negative", lookBack.orElse(null));
    }

    /** Studies of a modality, started once stable for {@code stableFor}; any body part, station and date. */
    public static IntakeFilter of(String modality, Duration stableFor) {
        Objects.requireNonNull(modality, "modality");
        return new IntakeFilter(modality.strip().toUpperCase(Locale.ROOT), "", "", stableFor, Optional.empty());
    }

    public IntakeFilter withBodyPart(String value) {
        Objects.requireNonNull(value, "bodyPart");
        return new IntakeFilter(modality, value.strip().toUpperCase(Locale.ROOT), station, stableFor, lookBack);
    }

    public IntakeFilter withStation(String value) {
        Objects.requireNonNull(value, "station");
        return new IntakeFilter(modality, bodyPart, value.strip(), stableFor, lookBack);
    }

    public IntakeFilter withLookBack(Period value) {
        Objects.requireNonNull(value, "lookBack");
        return new IntakeFilter(modality, bodyPart, station, stableFor, Optional.of(value));
    }

    public IntakeFilter withoutLookBack() {
        return new IntakeFilter(modality, bodyPart, station, stableFor, Optional.empty());
    }

    /**
     * A filter from text, as configuration and the process's input parameters give it: {@code null} or blank body
     * part, station or look-back mean "any"; {@code stableFor} is an ISO 8601 duration (PT2M), {@code lookBack} an
     * ISO 8601 period (P1D).
     */
    public static IntakeFilter parse(String modality, String bodyPart, String station, String stableFor, String lookBack) {
        require(modality != null && !modality.isBlank(), "modality", "is required", modality);
        require(stableFor != null && !stableFor.isBlank(), "stableFor", "is required (ISO 8601 duration such as PT2M)", stableFor);
        Duration quiet;
        try {
            quiet = Duration.parse(stableFor.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("stableFor must be an ISO 8601 duration such as PT2M, got: '" + stableFor + "'", e);
        }
        IntakeFilter filter = of(modality, quiet).withBodyPart(blankToEmpty(bodyPart)).withStation(blankToEmpty(station));
        if (lookBack == null || lookBack.isBlank()) {
            return filter;
        }
        try {
            return filter.withLookBack(Period.parse(lookBack.strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("lookBack must be empty or an ISO 8601 period such as P1D, got: '" + lookBack + "'", e);
        }
    }

    /**
     * The QIDO-RS study-level match keys. Body part and station are series attributes: they are sent along with
     * ModalitiesInStudy, which servers with relational queries (Orthanc among them) answer with the studies that
     * have a series matching all of them; {@link #seriesMatchKeys()} checks each study at the series level before
     * its read starts, for servers that ignore them.
     */
    public Map<String, String> studyMatchKeys(LocalDate today) {
        Objects.requireNonNull(today, "today");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ModalitiesInStudy", modality);
        if (!bodyPart.isEmpty()) {
            keys.put("BodyPartExamined", bodyPart);
        }
        if (!station.isEmpty()) {
            keys.put("StationName", station);
        }
        lookBack.ifPresent(period -> keys.put("StudyDate",
                today.minus(period).format(DateTimeFormatter.BASIC_ISO_DATE) + "-"));
        return keys;
    }

    /**
     * The QIDO-RS series-level match keys that a study must have a series for: Modality, BodyPartExamined and
     * StationName; empty when neither body part nor station is given (ModalitiesInStudy already says enough).
     */
    public Map<String, String> seriesMatchKeys() {
        if (bodyPart.isEmpty() && station.isEmpty()) {
            return Map.of();
        }
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("Modality", modality);
        if (!bodyPart.isEmpty()) {
            keys.put("BodyPartExamined", bodyPart);
        }
        if (!station.isEmpty()) {
            keys.put("StationName", station);
        }
        return keys;
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    private static void require(boolean valid, String argument, String rule, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(argument + " " + rule + ", got: '" + value + "'");
        }
    }
}
