package org.groundflow.fhirserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.fhir.client.EhrLookup;
import org.groundflow.fhir.client.FhirConflictException;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.client.PatientPolicy;
import org.groundflow.fhir.client.PublishedReport;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.mapping.PatientIdentifierSystems;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.inference.Interpretation;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Publications at the same moment (a backlog drained after an outage, two radiologists signing together) against the
 * real FHIR server: 20 reads of 20 studies of one patient the EHR holds, signed by one radiologist, published by 20
 * threads at once, twice. Every bundle refers to the same Patient, Practitioner, Organization, Device and Endpoint,
 * which bundles create if absent and never update: once they exist, nothing conflicts; while they are being created
 * for the first time, the server refuses all but one creation with a retryable 409, which the retry cycle cures.
 * Every read ends with one DiagnosticReport, and nothing shared is duplicated.
 */
@ExtendWith(SandboxServer.Extension.class)
class ConcurrentPublicationTest {

    private static final int PUBLICATIONS = 20;
    private static final String MRN_SYSTEM = "urn:oid:1.2.826.0.1.3680043.8.498.201";
    private static final String MRN = "MRN-CONCURRENT-1";

    private static FhirPublisher publisher;
    private static ServerQueries server;

    @BeforeAll
    static void connect(SandboxServer sandbox) {
        ReportMapper mapper = new ReportMapper(PatientIdentifierSystems.of(MRN_SYSTEM));
        publisher = new FhirPublisher(FhirEndpoint.of(sandbox.baseUrl()), mapper, null,
                new EhrLookup(PatientPolicy.MUST_EXIST, null));
        server = ServerQueries.of(sandbox);
        server.client().create().resource(new Patient().addIdentifier(new Identifier().setSystem(MRN_SYSTEM)
                .setValue(MRN)).setGender(AdministrativeGender.MALE)).execute();
    }

    @AfterAll
    static void close() {
        publisher.close();
    }

    @Test
    void twentyPublicationsForOnePatientAndOneRadiologistAtOnceAllSucceed() throws Exception {
        String radiologist = "dr.concurrent-" + UUID.randomUUID();

        // The radiologist's first reports: each bundle may be the one that creates the shared Practitioner (and, on a
        // fresh server, Organization, Device, Endpoint). The server lets one creation win and refuses the others with
        // 409 (it keeps conditional creates unique); the engine's retry cycle sends them again after a pause with
        // jitter, as done here, and then they only refer to what exists.
        List<PublicationRequest> first = requests(radiologist, "a");
        Map<String, Integer> conflicts = new ConcurrentHashMap<>();
        List<PublicationRequest> pending = first;
        for (int round = 0; round < 5 && !pending.isEmpty(); round++) {
            pending = publishAtOnce(pending, conflicts);
        }
        assertThat(pending).as("publications still refused after 5 rounds").isEmpty();

        // Every shared resource exists now: publications at the same moment write none of them, nothing conflicts.
        List<PublicationRequest> second = requests(radiologist, "b");
        Map<String, Integer> laterConflicts = new ConcurrentHashMap<>();
        assertThat(publishAtOnce(second, laterConflicts)).as("refused when the shared resources exist").isEmpty();
        assertThat(laterConflicts).isEmpty();

        for (PublicationRequest request : first) {
            assertThat(server.reports(request.readId())).as(request.readId()).hasSize(1);
        }
        for (PublicationRequest request : second) {
            assertThat(server.reports(request.readId())).as(request.readId()).hasSize(1);
        }
        assertThat(server.total("Patient?identifier=" + MRN_SYSTEM + "|" + MRN)).isEqualTo(1);
        assertThat(server.total("Practitioner?identifier=urn:groundflow:user|" + radiologist)).isEqualTo(1);
    }

    /** Publishes the requests from as many threads at once; those refused with a retryable 409, counted. */
    private static List<PublicationRequest> publishAtOnce(List<PublicationRequest> requests,
                                                          Map<String, Integer> conflicts) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(requests.size());
        List<Future<PublishedReport>> published = new ArrayList<>();
        List<PublicationRequest> refused = new ArrayList<>();
        try {
            CountDownLatch together = new CountDownLatch(1);
            for (PublicationRequest request : requests) {
                published.add(threads.submit(() -> {
                    together.await();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(50));
                    return publisher.publish(request);
                }));
            }
            together.countDown();
            for (int i = 0; i < requests.size(); i++) {
                try {
                    assertThat(published.get(i).get(120, TimeUnit.SECONDS).reference()).startsWith("DiagnosticReport/");
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("only a conflict of concurrent writes, which retrying cures")
                            .isInstanceOfSatisfying(FhirConflictException.class, c -> {
                                assertThat(c.status()).isEqualTo(409);
                                assertThat(c.retryable()).isTrue();
                            });
                    conflicts.merge(requests.get(i).readId(), 1, Integer::sum);
                    refused.add(requests.get(i));
                }
            }
        } finally {
            threads.shutdownNow();
        }
        return refused;
    }

    private static List<PublicationRequest> requests(String radiologist, String batch) {
        List<PublicationRequest> requests = new ArrayList<>();
        for (int i = 0; i < PUBLICATIONS; i++) {
            requests.add(request("it-concurrent-" + batch + i + "-" + UUID.randomUUID(),
                    "1.2.826.0.1.3680043.8.498.3" + (batch.equals("a") ? "1" : "2") + i, radiologist));
        }
        return requests;
    }

    private static PublicationRequest request(String read, String study, String radiologist) {
        Interpretation interpretation = new Interpretation(Uid.of(study), Fixtures.SERIES, Fixtures.MODEL,
                List.of(Fixtures.NODULE), "Pulmonary nodule.");
        SignOff signOff = new SignOff(read, interpretation,
                List.of(new SignedFinding(Fixtures.NODULE, Fixtures.NODULE.text(), false, 1)), List.of(),
                "Right upper lobe nodule.", radiologist, Fixtures.SIGNED_AT);
        StudyContext context = new StudyContext("Doe^John", MRN, "19500101", "M", "20240315", "101500", "1",
                "ACC-" + read, "", "CT CHEST", "");
        return new PublicationRequest(signOff, context, Fixtures.SERIES, Fixtures.SEG_SOP, Fixtures.DICOMWEB,
                Fixtures.ORGANISATION);
    }
}
