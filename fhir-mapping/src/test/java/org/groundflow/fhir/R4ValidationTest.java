package org.groundflow.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every mapped resource, and the bundle as a whole, is valid against base FHIR R4 (offline: no terminology server). */
class R4ValidationTest {

    private static final Logger LOG = LoggerFactory.getLogger(R4ValidationTest.class);
    private static FhirValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        FhirContext fhir = FhirContext.forR4Cached();
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        validator = fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }

    static Stream<Arguments> bundles() {
        return Stream.of(
                Arguments.of("two kept, one rejected", Fixtures.request()),
                Arguments.of("nothing kept", Fixtures.requestNothingKept()),
                Arguments.of("no study date", Fixtures.request(Fixtures.studyWithDate(null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void bundleIsValid(String name, PublicationRequest request) {
        Bundle bundle = Fixtures.mapper().toBundle(request);

        assertThat(errors(validator.validateWithResult(bundle))).isEmpty();
    }

    @Test
    void everyResourceIsValidOnItsOwn() {
        Bundle bundle = Fixtures.mapper().toBundle(Fixtures.request());

        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            assertThat(errors(validator.validateWithResult(resource))).as(resource.fhirType()).isEmpty();
        }
    }

    @Test
    void validatorCatchesAnInvalidReport() {
        Bundle bundle = Fixtures.mapper().toBundle(Fixtures.request());
        org.hl7.fhir.r4.model.DiagnosticReport report = new BundleEntries(bundle)
                .one(org.hl7.fhir.r4.model.DiagnosticReport.class);
        report.setStatus(null);

        assertThat(errors(validator.validateWithResult(report))).isNotEmpty();
    }

    /** ERROR and FATAL messages; the others are logged so that a reader sees what the validator said. */
    private static List<String> errors(ValidationResult result) {
        for (SingleValidationMessage m : result.getMessages()) {
            LOG.info("{} {} {}", m.getSeverity(), m.getLocationString(), m.getMessage());
        }
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
                .toList();
    }
}
