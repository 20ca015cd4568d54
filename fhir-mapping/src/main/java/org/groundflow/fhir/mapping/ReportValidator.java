package org.groundflow.fhir.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates what Groundflow publishes against base FHIR R4 with HAPI's instance validator, offline (no terminology
 * server: codes of LOINC and SNOMED CT are not checked, which the validator reports as information, not errors).
 *
 * <p>Building one loads the R4 profiles (seconds): build one per application and share it; it is thread-safe.
 * A validation after that costs tens of milliseconds for one read's bundle.
 */
public final class ReportValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ReportValidator.class);

    private final FhirValidator validator;

    private ReportValidator(FhirValidator validator) {
        this.validator = validator;
    }

    /** A validator with the R4 profiles loaded and warmed up by one validation. */
    public static ReportValidator create() {
        long start = System.nanoTime();
        FhirContext fhir = FhirContext.forR4Cached();
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        FhirInstanceValidator module = new FhirInstanceValidator(support);
        FhirValidator validator = fhir.newValidator().registerValidatorModule(module);
        ReportValidator built = new ReportValidator(validator);
        built.validate(new Patient().setActive(true)); // loads the profiles now, not on the first publication
        LOG.info("FHIR R4 validator ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return built;
    }

    /**
     * The errors (and fatal errors) in the bundle {@code mapper} makes of {@code request}: empty when it is valid R4.
     * Messages may quote values of the resources, which hold patient data: don't log them.
     */
    public List<String> errors(ReportMapper mapper, PublicationRequest request) {
        Objects.requireNonNull(mapper, "mapper");
        return errors(mapper.toBundle(Objects.requireNonNull(request, "request")));
    }

    /** ERROR and FATAL messages about a resource, as "SEVERITY location: message". */
    public List<String> errors(IBaseResource resource) {
        return validate(resource).stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    /** Every message about a resource, information included. */
    List<SingleValidationMessage> validate(IBaseResource resource) {
        ValidationResult result = validator.validateWithResult(resource);
        return result.getMessages();
    }
}
