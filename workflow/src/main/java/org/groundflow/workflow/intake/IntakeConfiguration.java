package org.groundflow.workflow.intake;

import java.time.Clock;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.workflow.read.ReadStarts;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The study intake's configuration ({@code groundflow.intake.*}) and its domain service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntakeProperties.class)
public class IntakeConfiguration {

    @Bean
    public StudyIntake studyIntake(DicomWebClient pacs, IntakeLedger ledger, ReadStarts reads,
                                   PlatformTransactionManager transactions) {
        return new StudyIntake(pacs, ledger, reads, transactions, Clock.systemDefaultZone());
    }
}
