package org.groundflow.workflow.worker;

import org.groundflow.workflow.config.GroundflowConfiguration;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.config.JsonConfiguration;
import org.groundflow.workflow.read.ReadInterpretation;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.SourceVolumes;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Groundflow as a worker process ({@code groundflow.mode=worker}, the {@code worker} profile): no engine, no web
 * server; the model and the read store, working interpretation tasks of an engine over its REST API.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "groundflow.mode", havingValue = "worker")
@EnableConfigurationProperties(GroundflowProperties.class)
@Import({GroundflowConfiguration.class, JsonConfiguration.class, ReadStore.class, SourceVolumes.class,
        ReadInterpretation.class, InterpretTopic.class})
public class WorkerAutoConfiguration {

    @Bean
    public RemoteInterpretWorker remoteInterpretWorker(InterpretTopic topic, GroundflowProperties properties) {
        return new RemoteInterpretWorker(topic, properties);
    }
}
