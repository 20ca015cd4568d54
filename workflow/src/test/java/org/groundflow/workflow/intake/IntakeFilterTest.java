package org.groundflow.workflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntakeFilterTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 2);

    @Test
    void textFromConfigurationGivesTheFilter() {
        IntakeFilter filter = IntakeFilter.parse(" ct ", "chest", " CT-ROOM-1 ", "PT2M", "P1D");

        assertThat(filter).isEqualTo(IntakeFilter.of("CT", Duration.ofMinutes(2)).withBodyPart("CHEST")
                .withStation("CT-ROOM-1").withLookBack(Period.ofDays(1)));
    }

    @Test
    void blankOptionalInputsMeanAny() {
        IntakeFilter filter = IntakeFilter.parse("CT", null, " ", "PT0S", "");

        assertThat(filter.bodyPart()).isEmpty();
        assertThat(filter.station()).isEmpty();
        assertThat(filter.lookBack()).isEmpty();
        assertThat(filter.stableFor()).isZero();
        assertThat(filter.studyMatchKeys(TODAY)).containsExactly(Map.entry("ModalitiesInStudy", "CT"));
    }

    @Test
    void matchKeysCarryEveryFilterAndTheDateRange() {
        IntakeFilter filter = IntakeFilter.of("MR", Duration.ofMinutes(5)).withBodyPart("HEAD").withStation("MR1")
                .withLookBack(Period.ofDays(2));

        assertThat(filter.studyMatchKeys(TODAY)).containsExactly(
                Map.entry("ModalitiesInStudy", "MR"),
                Map.entry("BodyPartExamined", "HEAD"),
                Map.entry("StationName", "MR1"),
                Map.entry("StudyDate", "20260228-"));
    }

    @Test
    void bodyPartAndStationAreCheckedAtTheSeriesLevel() {
        IntakeFilter filter = IntakeFilter.of("CT", Duration.ZERO).withStation("CT1");

        assertThat(filter.seriesMatchKeys()).containsExactly(Map.entry("Modality", "CT"), Map.entry("StationName", "CT1"));
        assertThat(IntakeFilter.of("CT", Duration.ZERO).seriesMatchKeys()).as("no series criteria").isEmpty();
    }

    @Test
    void modalityIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntakeFilter.parse(" ", "", "", "PT1M", ""));
        assertThat(e).hasMessage("modality is required, got: ' '");
    }

    @Test
    void modalityMustBeACodeString() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntakeFilter.of("CT\\MR", Duration.ZERO));
        assertThat(e).hasMessage("modality must be a DICOM code string (A-Z, 0-9, space, _; 1 to 16 characters), got: 'CT\\MR'");
    }

    @Test
    void stationMustNotHoldABackslash() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntakeFilter.of("CT", Duration.ZERO).withStation("A\\B"));
        assertThat(e).hasMessageStartingWith("station must be empty or at most 16 characters").hasMessageEndingWith("got: 'A\\B'");
    }

    @Test
    void stableForMustBeAnIsoDuration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntakeFilter.parse("CT", "", "", "2 minutes", ""));
        assertThat(e).hasMessage("stableFor must be an ISO 8601 duration such as PT2M, got: '2 minutes'");
    }

    @Test
    void stableForMustNotBeNegative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntakeFilter.of("CT", Duration.ofSeconds(-1)));
        assertThat(e).hasMessage("stableFor must not be negative, got: 'PT-1S'");
    }

    @Test
    void lookBackMustBeAnIsoPeriod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntakeFilter.parse("CT", "", "", "PT1M", "1 day"));
        assertThat(e).hasMessage("lookBack must be empty or an ISO 8601 period such as P1D, got: '1 day'");
    }
}
