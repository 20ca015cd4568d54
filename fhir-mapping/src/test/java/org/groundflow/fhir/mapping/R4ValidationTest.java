package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every bundle Groundflow makes, and every resource in it, is valid against base FHIR R4 (offline: no terminology
 * server), checked with the validator the publisher uses, built once for the class.
 */
class R4ValidationTest {

    private static final Logger LOG = LoggerFactory.getLogger(R4ValidationTest.class);
    private static ReportValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = ReportValidator.create();
    }

    static Stream<Arguments> requests() {
        String read = Fixtures.READ_ID;
        return Stream.of(
                Arguments.of("two kept, one rejected", Fixtures.request()),
                Arguments.of("nothing kept", Fixtures.requestNothingKept()),
                Arguments.of("no study date", Fixtures.request(Fixtures.studyWithDate(null))),
                Arguments.of("AI draft", Fixtures.requestDraft(read)),
                Arguments.of("amended", Fixtures.requestAmended(read)),
                Arguments.of("amended, a finding withdrawn", Fixtures.requestWithdrawingEffusion(read)),
                Arguments.of("corrected", Fixtures.request(read).withRevision(
                        ReportRevision.corrected(Fixtures.signOffAmended(read), Fixtures.signOff(read)))),
                Arguments.of("retracted", Fixtures.requestRetracted(read)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void bundleIsValid(String name, PublicationRequest request) {
        assertThat(validator.errors(Fixtures.mapper(), request)).isEmpty();
        logOthers(Fixtures.mapper().toBundle(request));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void everyResourceIsValidOnItsOwn(String name, PublicationRequest request) {
        Bundle bundle = Fixtures.mapper().toBundle(request);

        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            assertThat(validator.errors(resource)).as(resource.fhirType()).isEmpty();
        }
    }

    @Test
    void signedBundleReferencingTheEhrsPatientAndOrderIsValid(@TempDir Path keys) {
        ReportMapper signing = Fixtures.mapper().withSigningKey(TestSigningKeys.key(TestSigningKeys.rsa(keys, "r4")));
        Bundle bundle = signing.toBundle(Fixtures.request(),
                EhrReferences.none().withPatientId("pat-7").withServiceRequestId("sr-9"));

        assertThat(new BundleEntries(bundle).one(Provenance.class).getSignatureFirstRep().hasData()).isTrue();
        assertThat(validator.errors(bundle)).isEmpty();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertThat(validator.errors(entry.getResource())).as(entry.getResource().fhirType()).isEmpty();
        }
    }

    @Test
    void validatorCatchesAnInvalidReport() {
        DiagnosticReport report = new BundleEntries(Fixtures.mapper().toBundle(Fixtures.request()))
                .one(DiagnosticReport.class);
        report.setStatus(null);

        assertThat(validator.errors(report)).singleElement().asString().contains("DiagnosticReport.status");
    }

    @Test
    void anInvalidBundleIsRefusedAsJsonBeforeAndAfterValidOnesWithTheSameErrors() {
        IParser json = FhirContext.forR4Cached().newJsonParser();
        Bundle bundle = Fixtures.mapper().toBundle(Fixtures.request());
        new BundleEntries(bundle).one(DiagnosticReport.class).setStatus(null);
        String invalid = json.encodeResourceToString(bundle);
        String valid = json.encodeResourceToString(Fixtures.mapper().toBundle(Fixtures.request()));

        List<String> errors = validator.errors(invalid);

        assertThat(errors).singleElement().asString().contains("DiagnosticReport").contains(".status");
        assertThat(validator.errors(valid)).isEmpty();
        assertThat(validator.errors(invalid)).isEqualTo(errors);
    }

    @Test
    void aReferenceToAnEntryOfATypeTheElementDoesNotAllowIsAnError() {
        Bundle bundle = Fixtures.mapper().toBundle(Fixtures.request());
        String organisation = bundle.getEntry().stream().filter(e -> e.getResource() instanceof Organization)
                .findFirst().orElseThrow().getFullUrl();
        new BundleEntries(bundle).one(DiagnosticReport.class).getSubject().setReference(organisation);

        assertThat(validator.errors(bundle)).singleElement().asString()
                .contains("DiagnosticReport").contains(".subject").contains("Organization");
    }

    @Test
    void codesOfFhirsOwnSystemsAndTheNarrativeAreCheckedButExternalCodesAndUnresolvedReferencesAreNot() {
        IParser json = FhirContext.forR4Cached().newJsonParser();
        String valid = json.encodeResourceToString(Fixtures.mapper().toBundle(Fixtures.request()));
        assertThat(valid).contains("\"status\":\"final\"");
        assertThat(validator.errors(valid.replace("\"status\":\"final\"", "\"status\":\"finished\"")))
                .isNotEmpty().allSatisfy(e -> assertThat(e).contains(".status"));

        Bundle scripted = Fixtures.mapper().toBundle(Fixtures.request());
        new BundleEntries(scripted).one(DiagnosticReport.class).getText()
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>");
        assertThat(validator.errors(scripted)).isNotEmpty().allSatisfy(e -> assertThat(e).contains(".text.div"));

        Bundle offline = Fixtures.mapper().toBundle(Fixtures.request());
        DiagnosticReport report = new BundleEntries(offline).one(DiagnosticReport.class);
        report.getCode().getCodingFirstRep().setSystem("http://loinc.org").setCode("no-such-code");
        report.getSubject().setReference("urn:uuid:00000000-0000-4000-8000-000000000000");
        assertThat(validator.errors(offline)).isEmpty();
    }

    /** What the validator says below error level, so that a reader sees it (LOINC/SNOMED unknown offline, etc.). */
    private static void logOthers(Bundle bundle) {
        for (ValidationMessage m : validator.validate(bundle)) {
            LOG.info("{} {} {}", m.getLevel(), m.getLocation(), m.getMessage());
        }
    }
}
