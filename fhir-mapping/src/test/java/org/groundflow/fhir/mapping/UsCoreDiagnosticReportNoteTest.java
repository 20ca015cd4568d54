package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The elements US Core's "DiagnosticReport Profile for Report and Note Exchange" requires (must have) and asks to be
 * supported (must support), checked by hand: the US Core package is not reachable here to validate against.
 * Must have: status, category (a US Core report category: LOINC LP29684-5 Radiology), code (LOINC), subject (a
 * Patient). Must support: effectiveDateTime, issued, performer, resultsInterpreter, result, presentedForm. The
 * encounter (also must support) is unknown to Groundflow and left out. The subject meets US Core Patient's must-haves
 * (identifier with system and value, name, gender).
 */
class UsCoreDiagnosticReportNoteTest {

    static Stream<Arguments> signedRevisions() {
        return Stream.of(
                Arguments.of("final", Fixtures.request()),
                Arguments.of("amended", Fixtures.requestAmended(Fixtures.READ_ID)),
                Arguments.of("retracted", Fixtures.requestRetracted(Fixtures.READ_ID)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedRevisions")
    void mustHaveElementsArePresent(String name, PublicationRequest request) {
        BundleEntries bundle = new BundleEntries(Fixtures.mapper().toBundle(request));
        DiagnosticReport report = bundle.one(DiagnosticReport.class);

        assertThat(report.hasStatus()).isTrue();
        assertThat(report.getCategory()).flatExtracting(c -> c.getCoding())
                .extracting(Coding::getSystem, Coding::getCode).contains(org.assertj.core.groups.Tuple.tuple(
                        "http://loinc.org", "LP29684-5"));
        assertThat(report.getCode().getCoding()).extracting(Coding::getSystem).contains("http://loinc.org");
        Patient patient = (Patient) bundle.resolve(report.getSubject());
        assertThat(patient.getIdentifierFirstRep().hasSystem() && patient.getIdentifierFirstRep().hasValue()).isTrue();
        assertThat(patient.hasName()).isTrue();
        assertThat(patient.hasGender()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedRevisions")
    void mustSupportElementsArePresent(String name, PublicationRequest request) throws Exception {
        BundleEntries bundle = new BundleEntries(Fixtures.mapper().toBundle(request));
        DiagnosticReport report = bundle.one(DiagnosticReport.class);

        assertThat(report.hasEffectiveDateTimeType()).isTrue();
        assertThat(report.hasIssued()).isTrue();
        assertThat(report.getPerformer()).extracting(bundle::resolve).hasOnlyElementsOfType(Organization.class)
                .isNotEmpty();
        assertThat(report.getResultsInterpreter()).extracting(bundle::resolve).hasOnlyElementsOfType(Practitioner.class)
                .isNotEmpty();
        assertThat(report.getResult()).extracting(bundle::resolve).hasOnlyElementsOfType(Observation.class)
                .isNotEmpty();
        var form = report.getPresentedFormFirstRep();
        assertThat(form.getContentType()).startsWith("text/html");
        assertThat(form.getSize()).isEqualTo(form.getData().length);
        assertThat(form.getHash()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(form.getData()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedRevisions")
    void orderIsReferencedByItsAccessionNumber(String name, PublicationRequest request) {
        DiagnosticReport report = new BundleEntries(Fixtures.mapper().toBundle(request)).one(DiagnosticReport.class);

        assertThat(report.getBasedOn()).singleElement().satisfies(order -> {
            assertThat(order.getType()).isEqualTo("ServiceRequest");
            assertThat(order.getIdentifier().getType().getCodingFirstRep().getCode()).isEqualTo("ACSN");
            assertThat(order.getIdentifier().getValue()).isEqualTo("ACC-42");
        });
    }
}
