package org.groundflow.fhir.mapping;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Measurements;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.OidType;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * One Observation per reported finding: its code, the signed sentence, its measurements and a stable pointer to the
 * segment that grounds it (SEG SOP Instance UID + segment number, in the extension {@link Codes#SEGMENT_EXTENSION}).
 */
final class FindingObservations {

    private FindingObservations() {
    }

    /** The finding's business identifier value: "readId/findingNumber". */
    static String identifierValue(String readId, int findingNumber) {
        return readId + "/" + findingNumber;
    }

    /** The Observation of a finding the report states, with the segment that grounds it. */
    static Observation reported(SignedFinding kept, PublicationRequest request, ReportMapper.Context context) {
        Observation observation = base(kept, request, context, status(kept, request.revision()));
        observation.getExtension().add(0, segmentReference(request, kept));
        observation.addNote(new Annotation().setText(ReportHtml.origin(kept)));
        return observation;
    }

    /**
     * The Observation of a finding published before that an amendment no longer keeps: entered-in-error, without a
     * segment (the SEG it pointed at is superseded).
     */
    static Observation withdrawn(SignedFinding previous, PublicationRequest request, ReportMapper.Context context) {
        Observation observation = base(previous, request, context, Observation.ObservationStatus.ENTEREDINERROR);
        observation.addNote(new Annotation().setText(ReportHtml.origin(previous)
                + "; withdrawn by the radiologist in a later revision of the report"));
        return observation;
    }

    /**
     * The status of a reported finding's Observation: the report's, except in an amendment, where a finding kept
     * unchanged stays final and only a changed one is amended (or corrected).
     */
    static Observation.ObservationStatus status(SignedFinding kept, ReportRevision revision) {
        if (revision instanceof ReportRevision.Retracted) {
            return Observation.ObservationStatus.ENTEREDINERROR;
        }
        if (revision instanceof ReportRevision.Amended amended) {
            boolean changed = amended.previous().kept().stream()
                    .filter(before -> before.finding().number() == kept.finding().number())
                    .anyMatch(before -> !before.text().equals(kept.text()) || !before.finding().equals(kept.finding()));
            if (changed) {
                return amended.correction() ? Observation.ObservationStatus.CORRECTED
                        : Observation.ObservationStatus.AMENDED;
            }
        }
        return Observation.ObservationStatus.FINAL;
    }

    private static Observation base(SignedFinding kept, PublicationRequest request, ReportMapper.Context context,
                                    Observation.ObservationStatus status) {
        Finding finding = kept.finding();
        Observation observation = new Observation();
        observation.addIdentifier(new Identifier().setSystem(Codes.GROUNDFLOW_FINDING)
                .setValue(identifierValue(request.readId(), finding.number())));
        observation.setStatus(status);
        observation.addCategory(new CodeableConcept(new Coding(Codes.OBSERVATION_CATEGORY, Codes.IMAGING, "Imaging")));
        observation.setCode(concept(finding.code()));
        observation.setSubject(new Reference(context.patient()));
        observation.setEffective(context.effective().copy());
        observation.setIssuedElement(context.issued().copy());
        if (context.signer() != null) {
            observation.addPerformer(new Reference(context.signerPractitioner()).setDisplay(context.signer()));
        }
        observation.setValue(new StringType(kept.text()));
        bodySite(finding).ifPresent(observation::setBodySite);
        observation.setDevice(new Reference(context.device()));
        observation.addDerivedFrom(new Reference(context.imagingStudy()));
        components(finding).forEach(observation::addComponent);
        return observation;
    }

    /**
     * Where the finding lies: its coded site, and as text its location words (which name the side); empty when the
     * finding has neither.
     */
    static Optional<CodeableConcept> bodySite(Finding finding) {
        boolean words = finding.location() != null && !finding.location().isBlank();
        if (finding.site() == null && !words) {
            return Optional.empty();
        }
        CodeableConcept site = finding.site() == null ? new CodeableConcept() : concept(finding.site());
        return Optional.of(words ? site.setText(finding.location().trim()) : site);
    }

    /** The finding's concept, with its DICOM coding scheme mapped to the FHIR system. */
    static CodeableConcept concept(CodedConcept code) {
        String system = Codes.fhirSystem(code.scheme()).orElseThrow(() -> new IllegalArgumentException(
                "coding scheme must be SCT, LN or DCM, got '" + code.scheme() + "'"));
        return new CodeableConcept(new Coding(system, code.value(), code.meaning())).setText(code.meaning());
    }

    private static Extension segmentReference(PublicationRequest request, SignedFinding kept) {
        Extension segment = new Extension(Codes.SEGMENT_EXTENSION);
        segment.addExtension(Codes.SEGMENT_EXTENSION_SOP_INSTANCE, new OidType("urn:oid:" + request.segSopInstanceUid()));
        segment.addExtension(Codes.SEGMENT_EXTENSION_NUMBER, new PositiveIntType(kept.segmentNumber()));
        String phrase = kept.finding().phrase();
        if (!phrase.isBlank() && kept.text().contains(phrase)) {
            segment.addExtension(Codes.SEGMENT_EXTENSION_PHRASE, new StringType(phrase));
        }
        return segment;
    }

    /** The segment's measurements and the model's confidence, each a component where known. */
    private static List<ObservationComponentComponent> components(Finding finding) {
        Measurements measurements = finding.measurements();
        Stream<Optional<ObservationComponentComponent>> measured = measurements == null ? Stream.empty() : Stream.of(
                component(Codes.DIAMETER, measurements.longestAxialDiameterMm()),
                component(Codes.VOLUME, measurements.volumeMl()),
                component(Codes.MEAN_ATTENUATION, measurements.meanIntensity()));
        Stream<Optional<ObservationComponentComponent>> confidence = finding.confidence() == null ? Stream.empty()
                : Stream.of(component(Codes.CONFIDENCE, finding.confidence()));
        return Stream.concat(measured, confidence).flatMap(Optional::stream).toList();
    }

    /** A measurement component, or none when the value is not a finite number. */
    private static Optional<ObservationComponentComponent> component(Codes.Measure measure, double value) {
        if (!Double.isFinite(value)) {
            return Optional.empty();
        }
        CodeableConcept code = new CodeableConcept(new Coding(measure.system(), measure.code(), measure.display()))
                .setText(measure.text());
        Quantity quantity = new Quantity()
                .setValue(BigDecimal.valueOf(value).setScale(measure.decimals(), RoundingMode.HALF_UP))
                .setUnit(measure.unitDisplay())
                .setSystem(Codes.UCUM)
                .setCode(measure.ucum());
        return Optional.of(new ObservationComponentComponent(code).setValue(quantity));
    }
}
