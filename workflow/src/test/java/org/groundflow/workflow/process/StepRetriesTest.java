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
        return new StepRetries(new GroundflowProperties(Path.of("."), null, null, null, cycle, "test", null, null, null, null, null));
    }

    @Test
    void theCycleIsGivenToTheModelAsWrittenAndItsIntervalToWorkers() {
        StepRetries retries = retries(" R3/PT30S ");

        assertThat(retries.getCycle()).isEqualTo("R3/PT30S");
        assertThat(retries.interval()).isEqualTo(Duration.ofSeconds(30));
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
                .hasMessage("groundflow.retries must look like R3/PT30S, got: 3 times");
    }
}
