package org.groundflow.workflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant NOW = Instant.parse("2026-05-20T10:15:00Z");

    @Test
    void withoutParametersTheRangeIsTheLastThirtyDays() {
        assertThat(TimeRange.parse(null, " ", NOW)).isEqualTo(new TimeRange(NOW.minus(Duration.ofDays(30)), NOW));
    }

    @Test
    void aDateIsTheStartOfItsDayInFromAndItsEndInTo() {
        TimeRange range = TimeRange.parse("2026-05-01", "2026-05-03", NOW);

        assertThat(range).isEqualTo(new TimeRange(Instant.parse("2026-05-01T00:00:00Z"),
                Instant.parse("2026-05-04T00:00:00Z")));
        assertThat(range.bucket()).isEqualTo(Duration.ofDays(1));
        assertThat(range.bucketStarts()).hasSize(3);
    }

    @Test
    void instantsAreTakenAsTheyAreAndShortRangesDrawnByTheHour() {
        TimeRange range = TimeRange.parse("2026-05-01T08:30:00Z", "2026-05-01T11:00:00Z", NOW);

        assertThat(range.bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(range.bucketStarts()).containsExactly(Instant.parse("2026-05-01T08:00:00Z"),
                Instant.parse("2026-05-01T09:00:00Z"), Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(range.bucketOf(Instant.parse("2026-05-01T10:59:59Z"))).isEqualTo(2);
    }

    @Test
    void longRangesAreDrawnByTheWeek() {
        TimeRange range = TimeRange.parse("2025-06-01", "2026-05-01", NOW);

        assertThat(range.bucket()).isEqualTo(Duration.ofDays(7));
        assertThat(range.bucketStarts()).hasSize(48);
    }

    @Test
    void badParametersAreRefusedNamingParameterRuleAndValue() {
        assertThatThrownBy(() -> TimeRange.parse("2026-13-01", null, NOW))
                .hasMessageContaining("from must be an instant").hasMessageContaining("2026-13-01");
        assertThatThrownBy(() -> TimeRange.parse(null, "yesterday", NOW))
                .hasMessageContaining("to must be an instant").hasMessageContaining("yesterday");
        assertThatThrownBy(() -> TimeRange.parse("2026-05-02", "2026-05-01", NOW))
                .hasMessage("from must be before to, got from=2026-05-02T00:00:00Z and to=2026-05-02T00:00:00Z");
        assertThatThrownBy(() -> TimeRange.parse("2024-01-01", "2026-01-01", NOW))
                .hasMessageContaining("longer than 400 days");
    }
}
