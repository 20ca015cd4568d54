package org.groundflow.hostapp;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.RepositoryService;
import org.groundflow.workflow.GroundflowAutoConfiguration;
import org.groundflow.workflow.TestServers;
import org.groundflow.workflow.api.ReadController;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.worker.InProcessInterpretWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An application that knows nothing of Groundflow but its dependency gets the steps, the API and the process. */
@SpringBootTest(classes = HostApplication.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:groundflow-host;DB_CLOSE_DELAY=-1;MODE=LEGACY",
        "camunda.bpm.process-engine-name=host",
        "groundflow.worker.in-process=false"
})
class PluginTest {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("groundflow.pacs.url", () -> TestServers.orthanc().dicomWebUrl());
        registry.add("groundflow.work-dir", () -> TestServers.workDir().resolve("host").toString());
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    RepositoryService repository;

    @Test
    void groundflowArrivesWithItsDependency() {
        assertThat(context.getBeansOfType(GroundflowAutoConfiguration.class)).hasSize(1);
        assertThat(context.getBean(ReadController.class)).isNotNull();
        for (String step : new String[] {"retrieveStudyStep", "publishDicomStep", "publishFhirStep", "escalateReviewStep",
                "stepRetries", "reviewDeadline"}) {
            assertThat(context.containsBean(step)).as(step).isTrue();
        }
        assertThat(context.getBeansOfType(InProcessInterpretWorker.class)).as("switched off by configuration").isEmpty();
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(ReadVariables.PROCESS_KEY).count())
                .isEqualTo(1);
    }
}
