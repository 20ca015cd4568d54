package org.groundflow.workflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.workflow.config.GroundflowProperties;
import org.junit.jupiter.api.Test;

/** The one retry policy: the cycle as the model names it, and the retries an external task keeps after a failure. */
class StepRetriesTest {

    private static StepRetries retries(String cycle) {
        return new StepRetries(new GroundflowProperties(Path.of("."), null, null, null, cycle, "test", null, null, null, null, null, Duration.ofMinutes(15)));
    }

    @Test
    void theCycleIsGivenToTheModelAsWrittenAndItsPausesToWorkers() {
        StepRetries retries = retries(" R3/PT30S ");

        assertThat(retries.getCycle()).isEqualTo("R3/PT30S");
        assertThat(retries.pauses()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(retries.pauseAfter(2)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aListOfPausesGivesOneRetryPerPauseInOrder() {
        StepRetries retries = retries("PT1S, PT2S,PT4S");
        RuntimeException outage = new DicomWebTransportException("http://pacs", false, "connection refused", null);

        assertThat(retries.getCycle()).isEqualTo("PT1S, PT2S,PT4S");
        int left = retries.retriesLeft(null, outage);
        assertThat(left).as("after the first failure").isEqualTo(3);
        assertThat(retries.pauseAfter(left)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retries.pauseAfter(retries.retriesLeft(left, outage))).isEqualTo(Duration.ofSeconds(2));
        assertThat(retries.pauseAfter(1)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void withoutACycleThePausesDoubleUpToTwoMinutesAndOutlastTheOutageTolerance() {
        StepRetries retries = new StepRetries(new GroundflowProperties(Path.of("."), null, null, null, null, "test",
                null, null, null, null, null, Duration.ofMinutes(15)));

        assertThat(retries.pauses()).startsWith(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                Duration.ofSeconds(80), Duration.ofMinutes(2)).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(
                Duration.ofMinutes(2)));
        Duration sum = retries.pauses().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(sum).isGreaterThanOrEqualTo(Duration.ofMinutes(15)).isLessThan(Duration.ofMinutes(17));
        assertThat(retries.getCycle()).startsWith("PT10S,PT20S,PT40S,PT1M20S,PT2M,");
    }

    @Test
    void anExternalTaskRunsAsOftenAsAJobWithTheSameCycle() {
        StepRetries retries = retries("R3/PT1S");
        RuntimeException outage = new DicomWebStatusException("http://pacs/dicom-web/studies", 503, "busy");

        assertThat(retries.retriesLeft(null, outage)).as("after the first of 3 runs").isEqualTo(2);
        assertThat(retries.retriesLeft(2, outage)).isEqualTo(1);
        assertThat(retries.retriesLeft(1, outage)).as("the third run failed: an incident").isZero();
        assertThat(retries.retriesLeft(0, new DicomWebTransportException("http://pacs", true, "read timed out", null)))
                .isZero();
    }

    @Test
    void aPermanentFailureKeepsNoRetries() {
        RuntimeException refused = new IllegalStateException("interpretation failed",
                new DicomWebStatusException("http://pacs/dicom-web/studies", 403, "AE not allowed"));

        assertThat(retries("R3/PT1S").retriesLeft(null, refused)).isZero();
    }

    @Test
    void aCycleTheEngineCannotReadIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> retries("3 times"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("groundflow.retries must look like R3/PT30S or PT5S,PT10S,PT20S, got: 3 times");
    }
}
