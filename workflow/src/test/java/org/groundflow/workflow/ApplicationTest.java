package org.groundflow.workflow;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole application against a real Orthanc and a recorded FHIR endpoint. All
 * subclasses share one Spring context (same configuration), so the engine and the model load once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:groundflow-test;DB_CLOSE_DELAY=-1;MODE=LEGACY",
        "groundflow.retries=R1/PT1S",
        "camunda.bpm.job-execution.wait-time-in-millis=200",
        "camunda.bpm.job-execution.max-wait=1000"
})
public abstract class ApplicationTest {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("groundflow.pacs.url", () -> TestServers.orthanc().dicomWebUrl());
        registry.add("groundflow.fhir.base-url", TestServers::fhirBaseUrl);
        registry.add("groundflow.work-dir", () -> TestServers.workDir().toString());
    }
}
