package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * One read through its lifecycle: the AI draft (preliminary), the sign-off (final), an amendment, a correction, a
 * withdrawn finding and the retraction (entered-in-error). Every revision updates the same report, by its identifier.
 */
class ReportLifecycleTest {

    private static final String READ = Fixtures.READ_ID;
    private final ReportMapper mapper = Fixtures.mapper();

    @Test
    void draftIsAPreliminaryReportWithoutResultsOrInterpreterAssembledByTheModel() {
        BundleEntries draft = entries(Fixtures.requestDraft(READ));
        DiagnosticReport report = draft.one(DiagnosticReport.class);

        assertThat(report.getStatus()).isEqualTo(DiagnosticReportStatus.PRELIMINARY);
        assertThat(report.getResult()).isEmpty();
        assertThat(report.getResultsInterpreter()).isEmpty();
        assertThat(draft.all(Practitioner.class)).isEmpty();
        assertThat(report.getConclusion()).isEqualTo(Fixtures.interpretation().impression());
        assertThat(report.getConclusionCode()).extracting(c -> c.getCodingFirstRep().getCode())
                .containsExactly("786838002", "87433001", "60046008");
        assertThat(report.getIssued()).isEqualTo(java.util.Date.from(Fixtures.DRAFTED_AT));
        assertThat(html(report)).contains("Preliminary: drafted by AI, not yet reviewed by a radiologist.",
                Fixtures.EMPHYSEMA.text() + " <em>(AI finding 2, not reviewed)</em>",
                "Not yet reviewed or signed by a radiologist.");
        Provenance provenance = draft.one(Provenance.class);
        assertThat(provenance.getAgent()).singleElement().satisfies(a -> {
            assertThat(a.getType().getCodingFirstRep().getCode()).isEqualTo("assembler");
            assertThat(draft.resolve(a.getWho())).isInstanceOf(Device.class);
        });
        assertThat(provenance.getSignature()).isEmpty();
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("CREATE");
    }

    @Test
    void signedReportIsFinalAndItsProvenanceNamesTheRadiologistAndTheModel() {
        BundleEntries signed = entries(Fixtures.request());
        DiagnosticReport report = signed.one(DiagnosticReport.class);
        Provenance provenance = signed.one(Provenance.class);

        assertThat(report.getStatus()).isEqualTo(DiagnosticReportStatus.FINAL);
        assertThat(provenance.getTarget()).extracting(signed::resolve)
                .containsExactly(report, signed.all(Observation.class).get(0), signed.all(Observation.class).get(1));
        assertThat(provenance.getAgent()).extracting(a -> a.getType().getCodingFirstRep().getCode(),
                        a -> signed.resolve(a.getWho()).fhirType())
                .containsExactly(tuple("author", "Practitioner"), tuple("verifier", "Practitioner"),
                        tuple("assembler", "Device"));
        assertThat(provenance.getRecorded()).isEqualTo(java.util.Date.from(Fixtures.SIGNED_AT));
        assertThat(provenance.getActivity().getCodingFirstRep()).extracting(Coding::getSystem, Coding::getCode)
                .containsExactly("http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion", "LA");
        assertThat(provenance.getSignature()).as("no signing key, no signature element").isEmpty();
    }

    @Test
    void amendmentUpdatesTheSameReportMarksTheChangedFindingAndKeepsTheUnchangedOneFinal() {
        BundleEntries signed = entries(Fixtures.request(READ));
        BundleEntries amended = entries(Fixtures.requestAmended(READ));
        DiagnosticReport report = amended.one(DiagnosticReport.class);

        assertThat(amended.entryOf(report).getRequest().getUrl())
                .isEqualTo(signed.entryOf(signed.one(DiagnosticReport.class)).getRequest().getUrl());
        assertThat(report.getStatus()).isEqualTo(DiagnosticReportStatus.AMENDED);
        assertThat(report.getConclusion()).isEqualTo(Fixtures.AMENDED_IMPRESSION);
        assertThat(report.getResultsInterpreterFirstRep().getDisplay()).isEqualTo(Fixtures.CHIEF);
        assertThat(amended.all(Observation.class)).extracting(o -> o.getIdentifierFirstRep().getValue(),
                        Observation::getStatus)
                .containsExactly(tuple(READ + "/1", ObservationStatus.FINAL), tuple(READ + "/3", ObservationStatus.AMENDED));
        Provenance provenance = amended.one(Provenance.class);
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("UPDATE");
        assertThat(provenance.getIdElement().getIdPart()).isNotEqualTo(signed.one(Provenance.class).getIdElement()
                .getIdPart());
        assertThat(html(report)).contains("Amended after it was final, and signed again.",
                "Amends the report signed by " + Fixtures.REVIEWER + " at 2024-03-16T09:30:00Z");
    }

    @Test
    void correctionIsStatusCorrected() {
        PublicationRequest corrected = Fixtures.request(READ).withRevision(
                ReportRevision.corrected(Fixtures.signOffAmended(READ), Fixtures.signOff(READ)));
        BundleEntries entries = entries(corrected);

        assertThat(entries.one(DiagnosticReport.class).getStatus()).isEqualTo(DiagnosticReportStatus.CORRECTED);
        assertThat(entries.all(Observation.class)).extracting(Observation::getStatus)
                .containsExactly(ObservationStatus.FINAL, ObservationStatus.CORRECTED);
    }

    @Test
    void findingWithdrawnInAnAmendmentBecomesEnteredInErrorAndLeavesTheResults() {
        BundleEntries amended = entries(Fixtures.requestWithdrawingEffusion(READ));
        DiagnosticReport report = amended.one(DiagnosticReport.class);
        Observation withdrawn = amended.all(Observation.class).get(1);

        assertThat(report.getResult()).extracting(amended::resolve).containsExactly(amended.all(Observation.class).get(0));
        assertThat(withdrawn.getIdentifierFirstRep().getValue()).isEqualTo(READ + "/3");
        assertThat(withdrawn.getStatus()).isEqualTo(ObservationStatus.ENTEREDINERROR);
        assertThat(withdrawn.hasExtension(Codes.SEGMENT_EXTENSION)).isFalse();
        assertThat(withdrawn.getNoteFirstRep().getText()).endsWith("withdrawn by the radiologist in a later revision "
                + "of the report");
        assertThat(amended.one(Provenance.class).getTarget()).extracting(Reference::getReference)
                .contains(amended.fullUrlOf(withdrawn));
    }

    @Test
    void retractionMarksTheReportAndItsObservationsEnteredInErrorByWhoeverRetractedIt() {
        BundleEntries retracted = entries(Fixtures.requestRetracted(READ));
        DiagnosticReport report = retracted.one(DiagnosticReport.class);
        Provenance provenance = retracted.one(Provenance.class);

        assertThat(report.getStatus()).isEqualTo(DiagnosticReportStatus.ENTEREDINERROR);
        assertThat(retracted.all(Observation.class)).extracting(Observation::getStatus)
                .containsOnly(ObservationStatus.ENTEREDINERROR);
        assertThat(report.getIssued()).isEqualTo(java.util.Date.from(Fixtures.RETRACTED_AT));
        assertThat(retracted.all(Practitioner.class)).extracting(p -> p.getIdentifierFirstRep().getValue())
                .containsExactly(Fixtures.REVIEWER, Fixtures.CHIEF);
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("NULLIFY");
        assertThat(provenance.getAgent()).singleElement().satisfies(a -> assertThat(
                ((Practitioner) retracted.resolve(a.getWho())).getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.CHIEF));
        assertThat(html(report)).contains("Retracted: this report was published in error",
                "Retracted by " + Fixtures.CHIEF + " at 2024-03-18T12:00:00Z");
    }

    @Test
    void eachRevisionMapsToTheSameBytesEveryTime() {
        for (PublicationRequest request : new PublicationRequest[] {Fixtures.requestDraft(READ),
                Fixtures.requestAmended(READ), Fixtures.requestRetracted(READ)}) {
            assertThat(mapper.toJson(request)).isEqualTo(mapper.toJson(request));
        }
    }

    @Test
    void revisionsCheckTheirOrderAndTheirRead() {
        var otherRead = assertThrows(IllegalArgumentException.class,
                () -> ReportRevision.amended(Fixtures.signOffAmended("read-b"), Fixtures.signOff("read-a")));
        assertThat(otherRead).hasMessage("previous must be a sign-off of read read-b, got one of read read-a");

        var notLater = assertThrows(IllegalArgumentException.class,
                () -> ReportRevision.amended(Fixtures.signOff(READ), Fixtures.signOff(READ)));
        assertThat(notLater).hasMessageContaining("must be signed after the previous one");

        var early = assertThrows(IllegalArgumentException.class,
                () -> ReportRevision.retracted(Fixtures.signOff(READ), "x", Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(early).hasMessageContaining("must not be before its sign-off");

        var seg = assertThrows(IllegalArgumentException.class, () -> Fixtures.requestDraft(READ)
                .withSegSopInstanceUid(Fixtures.SEG_SOP));
        assertThat(seg).hasMessageContaining("segSopInstanceUid must be null when no finding is kept");
    }

    private BundleEntries entries(PublicationRequest request) {
        return new BundleEntries(mapper.toBundle(request));
    }

    private static String html(DiagnosticReport report) {
        return new String(report.getPresentedFormFirstRep().getData(), StandardCharsets.UTF_8);
    }
}
