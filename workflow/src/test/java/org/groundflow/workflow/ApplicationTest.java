package org.groundflow.workflow;

import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.security.IdentitySetup;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole application against a real Orthanc (through a proxy that counts the
 * application's requests) and a recorded FHIR endpoint. All
 * subclasses share one Spring context (same configuration), so the engine and the model load once.
 */
@AutoConfigureObservability
@SpringBootTest(classes = GroundflowApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:groundflow-test;DB_CLOSE_DELAY=-1;MODE=LEGACY",
        "groundflow.retries=R1/PT1S",
        "camunda.bpm.job-execution.wait-time-in-millis=200",
        "camunda.bpm.job-execution.max-wait=1000"
})
public abstract class ApplicationTest {

    protected static final String RADIOLOGIST = "rad1";
    protected static final String OTHER_RADIOLOGIST = "neuro1";
    protected static final String ADMIN = "admin1";
    protected static final String PASSWORD = "test-password";

    @Autowired
    protected IdentitySetup identity;
    @Autowired
    private TestRestTemplate anonymous;

    @Autowired
    private ProcessEngine applicationEngine;

    /**
     * Camunda's webapps find an engine by name in the JVM-wide {@link ProcessEngines} registry; a process-model test
     * of the same JVM that shuts its own engine down empties that registry. The application's engine is put back.
     */
    @BeforeEach
    void engineFoundByName() {
        if (ProcessEngines.getProcessEngines().get(applicationEngine.getName()) != applicationEngine) {
            ProcessEngines.registerProcessEngine(applicationEngine);
        }
    }

    @BeforeEach
    void users() {
        identity.ensureUser(RADIOLOGIST, PASSWORD, List.of("radiologists"));
        identity.ensureUser(OTHER_RADIOLOGIST, PASSWORD, List.of("neuroradiologists"));
        identity.ensureUser(ADMIN, PASSWORD, List.of("camunda-admin"));
    }

    /** The REST client signed in as {@code user}. */
    protected TestRestTemplate as(String user) {
        return anonymous.withBasicAuth(user, PASSWORD);
    }

    protected TestRestTemplate anonymous() {
        return anonymous;
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("groundflow.pacs.url", TestServers::pacsUrl);
        registry.add("groundflow.fhir.base-url", TestServers::fhirBaseUrl);
        registry.add("groundflow.work-dir", () -> TestServers.workDir().toString());
    }
}
