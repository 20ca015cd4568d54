package org.groundflow.fhir.mapping;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * The HL7 instance validators {@link ReportValidator} runs, configured as HAPI's {@code FhirInstanceValidator}
 * configures the one it makes for each validation with its default settings. Making one costs about a quarter of a
 * validation of a read's bundle (it reads the HL7 table of known OIDs each time), so a validator is used again: by one
 * thread at a time, for at most {@value #USES} validations. The validator's entry point clears what a validation
 * depends on (its fetch cache, resource tracker and tracked messages); what else it keeps of earlier content (the
 * codings it saw, for a check that is off; XHTML id maps keyed by element) is never read for another document, and it
 * goes with the validator after {@value #USES} uses. Thread-safe.
 */
final class InstanceValidators {

    /** Validations per validator: bounds what a validator keeps of earlier content. */
    static final int USES = 16;

    private final IWorkerContext worker;
    private final Queue<Used> idle = new ConcurrentLinkedQueue<>();

    InstanceValidators(IWorkerContext worker) {
        this.worker = worker;
    }

    /** A validator no other thread is using; give it back with {@link #release} after one validation. */
    Used take() {
        Used used = idle.poll();
        return used != null ? used.again() : new Used(newValidator(), 1);
    }

    /** Gives back a validator after one validation, or drops it once it has validated {@value #USES} documents. */
    void release(Used used) {
        if (used.uses() < USES) {
            idle.offer(used);
        }
    }

    /** A validator and how many validations it has run, this one included. */
    record Used(InstanceValidator validator, int uses) {

        Used again() {
            return new Used(validator, uses + 1);
        }
    }

    /** What HAPI's FhirInstanceValidator (its default settings) makes for each validation. */
    private InstanceValidator newValidator() {
        InstanceValidator validator = new InstanceValidator(worker, new FhirInstanceValidator.NullEvaluationContext(),
                new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
        validator.setAssumeValidRestReferences(false);
        validator.setBestPracticeWarningLevel(null);
        validator.setAnyExtensionsAllowed(true);
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(false);
        validator.setErrorForUnknownProfiles(true);
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.setFetcher(null);
        validator.setPolicyAdvisor(new FhirDefaultPolicyAdvisor());
        validator.setNoExtensibleWarnings(false);
        validator.setNoBindingMsgSuppressed(false);
        validator.setAllowExamples(false);
        validator.setAllowXsiLocation(true);
        return validator;
    }
}
