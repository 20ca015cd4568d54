package org.groundflow.fhirserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPublicationException;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.client.PublishedReport;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The version guard against a real FHIR server: an older revision of a read, published late or at the same moment
 * as a newer one, never overwrites the newer report ({@link FhirPublisher#publishIfNewest}).
 */
@ExtendWith(SandboxServer.Extension.class)
class ReportVersionGuardTest {

    /** What the engine's retry cycle gives a step (groundflow.retries R3): the first try and three more. */
    private static final int TRIES = 4;

    private static FhirPublisher publisher;
    private static ServerQueries server;

    @BeforeAll
    static void connect(SandboxServer sandbox) {
        publisher = new FhirPublisher(FhirEndpoint.of(sandbox.baseUrl()), Fixtures.mapper());
        server = ServerQueries.of(sandbox);
    }

    @AfterAll
    static void close() {
        publisher.close();
    }

    @Test
    void aSignedRevisionPublishedAfterItsAmendmentWritesNothing() {
        String read = "guard-late";
        publisher.publishIfNewest(Fixtures.request(read));
        PublishedReport amended = publisher.publishIfNewest(Fixtures.requestWithdrawingEffusion(read));

        PublishedReport late = publisher.publishIfNewest(Fixtures.request(read));

        assertThat(late.superseded()).isTrue();
        assertThat(late.versionId()).isEqualTo("2");
        assertThat(amended.superseded()).isFalse();
        DiagnosticReport report = server.reports(read).get(0);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReportStatus.AMENDED);
        assertThat(report.getIdElement().getVersionIdPart()).isEqualTo("2");
        assertThat(server.observations(read)).filteredOn(o -> o.getIdentifierFirstRep().getValue().endsWith("/3"))
                .singleElement().extracting(Observation::getStatus).isEqualTo(Observation.ObservationStatus.ENTEREDINERROR);
    }

    @Test
    void aRetractionIsNotUndoneByALateAmendment() {
        String read = "guard-retracted";
        publisher.publishIfNewest(Fixtures.request(read));
        publisher.publishIfNewest(Fixtures.requestRetracted(read));

        assertThat(publisher.publishIfNewest(Fixtures.requestAmended(read)).superseded()).isTrue();

        assertThat(server.reports(read)).singleElement().extracting(DiagnosticReport::getStatus)
                .isEqualTo(DiagnosticReportStatus.ENTEREDINERROR);
    }

    @Test
    void twoRevisionsRacingLeaveTheNewerOneWhateverTheOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> refusals = new ArrayList<>();
        try {
            for (int round = 0; round < 8; round++) {
                String read = "guard-race-" + round;
                publisher.publishIfNewest(Fixtures.request(read));
                CyclicBarrier start = new CyclicBarrier(2);
                Future<PublishedReport> retried = pool.submit(retrying(Fixtures.request(read), start, refusals));
                Future<PublishedReport> amended = pool.submit(retrying(Fixtures.requestWithdrawingEffusion(read), start,
                        refusals));
                retried.get(60, TimeUnit.SECONDS);
                amended.get(60, TimeUnit.SECONDS);

                DiagnosticReport report = server.reports(read).get(0);
                assertThat(report.getStatus()).as("round %d", round).isEqualTo(DiagnosticReportStatus.AMENDED);
                assertThat(report.getResult()).as("round %d", round).hasSize(1);
                assertThat(report.getIdElement().getVersionIdPart()).as("round %d: one write of the amendment", round)
                        .isEqualTo("2");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(refusals).as("refusals are version conflicts, retried as the engine would")
                .allSatisfy(r -> assertThat(r).matches("(409|412).*"));
    }

    /** Publishes when both racers are ready, trying again after a retryable failure as the engine's retry cycle does. */
    private static Callable<PublishedReport> retrying(PublicationRequest request, CyclicBarrier start, List<String> refusals) {
        return () -> {
            start.await(30, TimeUnit.SECONDS);
            for (int attempt = 1; ; attempt++) {
                try {
                    return publisher.publishIfNewest(request);
                } catch (FhirPublicationException e) {
                    synchronized (refusals) {
                        refusals.add(e.status() + " " + e.getMessage());
                    }
                    if (!e.retryable() || attempt == TRIES) {
                        throw e;
                    }
                }
            }
        };
    }
}
