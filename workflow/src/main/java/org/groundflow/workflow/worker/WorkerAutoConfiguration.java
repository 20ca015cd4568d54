package org.groundflow.workflow.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.groundflow.workflow.config.GroundflowConfiguration;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.config.JsonConfiguration;
import org.groundflow.workflow.process.DraftVariables;
import org.groundflow.workflow.read.ReadInterpretation;
import org.groundflow.workflow.read.SeriesCache;
import org.groundflow.workflow.read.SourceVolumes;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Groundflow as a worker process ({@code groundflow.mode=worker}, the {@code worker} profile): no engine, no web
 * server, no database; the model, the PACS's DICOMweb client ({@code groundflow.pacs.*}) and a series cache in its own
 * work folder, working interpretation tasks of an engine over its REST API.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "groundflow.mode", havingValue = "worker")
@EnableConfigurationProperties(GroundflowProperties.class)
@Import({GroundflowConfiguration.class, JsonConfiguration.class, SeriesCache.class, SourceVolumes.class,
        ReadInterpretation.class, InterpretTopic.class, DraftVariables.class})
public class WorkerAutoConfiguration {

    @Bean
    public RemoteInterpretWorker remoteInterpretWorker(InterpretTopic topic, DraftVariables drafts, SeriesCache cache,
                                                       ObjectMapper json, GroundflowProperties properties) {
        return new RemoteInterpretWorker(topic, drafts, cache, json, properties);
    }
}
