package org.groundflow.fhir.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.utilities.validation.ValidationMessage.IssueSeverity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates what Groundflow publishes against base FHIR R4 with the HL7 instance validator that HAPI wraps, offline,
 * with the settings of HAPI's {@code FhirInstanceValidator}. It checks structure and cardinality against the R4
 * StructureDefinitions, the data type and format of every value, the invariants (FHIRPath constraints such as
 * {@code ele-1}, {@code txt-1}), the narratives' XHTML, the bundle's own rules (each entry's request, full URLs), that
 * a reference to another entry of the bundle points at a resource type the element allows, and codes from code
 * systems FHIR itself defines (required bindings such as the statuses). It does not check codes of external code
 * systems (SNOMED CT, LOINC, DICOM, UCUM): that needs a terminology server, and the validator reports them as
 * information or warnings, not errors. Nor is a reference that resolves to no entry an error.
 *
 * <p>Building one loads the R4 StructureDefinitions and value sets once (seconds) into one support chain that caches
 * what the validator looks up: build one per application and share it; it is thread-safe. Each validation runs on a
 * HL7 validator that no other thread uses ({@code InstanceValidators}) and parses the JSON once.
 */
public final class ReportValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ReportValidator.class);

    private final FhirContext fhir;
    private final InstanceValidators validators;

    private ReportValidator(FhirContext fhir, InstanceValidators validators) {
        this.fhir = fhir;
        this.validators = validators;
    }

    /** A validator with the R4 definitions loaded and warmed up by one validation. */
    public static ReportValidator create() {
        long start = System.nanoTime();
        FhirContext fhir = FhirContext.forR4Cached();
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        InstanceValidators validators = new InstanceValidators(
                WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support));
        ReportValidator built = new ReportValidator(fhir, validators);
        built.validate(new Patient().setActive(true)); // loads the definitions now, not on the first publication
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
        return errors(fhir.newJsonParser().encodeResourceToString(Objects.requireNonNull(resource, "resource")));
    }

    /**
     * ERROR and FATAL messages about a resource given as FHIR JSON, as "SEVERITY location: message": the JSON itself is
     * validated, so a caller that sends this JSON sends what was validated.
     */
    public List<String> errors(String json) {
        return validate(json).stream()
                .filter(m -> m.getLevel() == IssueSeverity.ERROR || m.getLevel() == IssueSeverity.FATAL)
                .map(m -> m.getLevel() + " " + m.getLocation() + ": " + m.getMessage())
                .toList();
    }

    /** Every message about a resource, information included. */
    List<ValidationMessage> validate(IBaseResource resource) {
        return validate(fhir.newJsonParser().encodeResourceToString(resource));
    }

    private List<ValidationMessage> validate(String json) {
        List<ValidationMessage> messages = new ArrayList<>();
        InstanceValidators.Used used = validators.take();
        used.validator().validate(null, messages,
                new ByteArrayInputStream(Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8)),
                Manager.FhirFormat.JSON, new ArrayList<>());
        validators.release(used); // not after a failure: a validator that threw may hold half a document
        return messages.stream().filter(m -> !hapiSuppresses(m)).toList();
    }

    /** The messages HAPI's FhirInstanceValidator leaves out: bindings without a value set, the MIME type value set. */
    private static boolean hapiSuppresses(ValidationMessage message) {
        String id = message.getMessageId();
        return id != null && (id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND) && message.getMessage() != null
                && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
    }
}
