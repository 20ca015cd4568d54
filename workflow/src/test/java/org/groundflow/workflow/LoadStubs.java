package org.groundflow.workflow;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.StudyRecord;
import org.groundflow.workflow.read.DicomPublication;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.DraftFixtures;
import org.groundflow.workflow.read.ReadInterpretation;
import org.groundflow.workflow.read.ReadSeries;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.ReportPublication;
import org.groundflow.workflow.read.StudyRetrieval;
import org.groundflow.workflow.read.StudyRetrieval.RetrievedSeries;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The PACS, the model and the FHIR server replaced by answers given at once, so that a read costs only the engine
 * and Groundflow's own plumbing: every study exists ({@code findStudy}), retrieval chooses one series of two
 * instances and records the choice in the read store as the real step does, interpretation answers a one-finding
 * draft of that series ({@link DraftFixtures#small()}), and the SEG/SR STOW and the FHIR transaction answer a new UID
 * and report id. Everything else (HTTP API, security, engine jobs and external task, draft, sign-off, audit, end of
 * the read) is the application's own.
 */
// No @Configuration on purpose: this package is component-scanned, and these stubs must reach only the benchmark's
// context, which names this class as a source (its @Bean methods then count in lite mode).
class LoadStubs {

    private final AtomicLong reports = new AtomicLong();

    @Bean
    @Primary
    DicomWebClient stubbedPacs() {
        DicomWebClient pacs = mock(DicomWebClient.class, withSettings().stubOnly());
        when(pacs.findStudy(any())).thenAnswer(call -> Optional.of(new StudyRecord(call.getArgument(0),
                Optional.empty(), "", List.of("CT"), OptionalInt.of(2))));
        return pacs;
    }

    @Bean
    @Primary
    StudyRetrieval stubbedRetrieval(ReadStore store) {
        StudyRetrieval retrieval = mock(StudyRetrieval.class, withSettings().stubOnly());
        when(retrieval.retrieve(anyString(), any())).thenAnswer(call -> {
            Uid series = ReadsAtReview.newUid();
            store.seriesChosen(call.getArgument(0), series);
            return new RetrievedSeries(series, 2);
        });
        return retrieval;
    }

    @Bean
    @Primary
    ReadInterpretation stubbedModel() {
        Draft base = DraftFixtures.small();
        ReadInterpretation model = mock(ReadInterpretation.class, withSettings().stubOnly());
        when(model.interpret(any())).thenAnswer(call -> {
            ReadSeries series = call.getArgument(0);
            return ReadsAtReview.moved(base, series.study(), series.series());
        });
        return model;
    }

    @Bean
    @Primary
    DicomPublication stubbedStow() {
        DicomPublication stow = mock(DicomPublication.class, withSettings().stubOnly());
        when(stow.publishIfNewest(anyString(), any(), any())).thenAnswer(call -> Optional.of(ReadsAtReview.newUid()));
        return stow;
    }

    @Bean
    @Primary
    ReportPublication stubbedFhir() {
        ReportPublication fhir = mock(ReportPublication.class, withSettings().stubOnly());
        when(fhir.publishIfNewest(anyString(), any(), any(), any()))
                .thenAnswer(call -> Optional.of("DiagnosticReport/" + reports.incrementAndGet()));
        return fhir;
    }
}
