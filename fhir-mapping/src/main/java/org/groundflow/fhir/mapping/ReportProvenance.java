package org.groundflow.fhir.mapping;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Signature;

/**
 * The Provenance of one revision of a report: it targets the report and the Observations the revision writes, and
 * names the radiologist (author and verifier) and the model (assembler), or, for a retraction, whoever retracted.
 * When Groundflow has a signing key, a signed revision carries a verification signature: a JWS over the report (see
 * {@link ReportSignature}) made with the key of the organisation, which is therefore the signature's {@code who};
 * without a key there is no signature element at all.
 */
final class ReportProvenance {

    private ReportProvenance() {
    }

    /** The Provenance's fixed id: "gf-" and a name-based UUID of the read, the status and the time of the revision. */
    static String id(PublicationRequest request) {
        ReportRevision revision = request.revision();
        String name = "groundflow:" + request.readId() + ":provenance:" + revision.status().fhirCode() + ":"
                + revision.recordedAt();
        return "gf-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param jws the JWS of the report (base64 in {@code signature.data}); null for no signature element
     */
    static Provenance of(PublicationRequest request, ReportMapper.Context context, List<String> observations,
                         String jws) {
        ReportRevision revision = request.revision();
        Provenance provenance = new Provenance();
        provenance.setId(id(request));
        provenance.addTarget(new Reference(context.report()));
        observations.forEach(o -> provenance.addTarget(new Reference(o)));
        Date at = Date.from(revision.recordedAt());
        provenance.setOccurred(new DateTimeType(context.issued().getValueAsString()));
        InstantType recorded = new InstantType(at);
        recorded.setTimeZoneZulu(true);
        provenance.setRecordedElement(recorded);
        provenance.setActivity(activity(revision));
        if (revision instanceof ReportRevision.Retracted retracted) {
            agent(provenance, "author", "Author", context.practitioners().get(retracted.retractedBy()),
                    retracted.retractedBy(), context);
            return provenance;
        }
        if (context.signer() != null) {
            agent(provenance, "author", "Author", context.signerPractitioner(), context.signer(), context);
            agent(provenance, "verifier", "Verifier", context.signerPractitioner(), context.signer(), context);
        }
        agent(provenance, "assembler", "Assembler", context.device(), null, context);
        if (context.signer() != null && jws != null) {
            Signature signature = provenance.addSignature();
            signature.addType(new Coding(Codes.SIGNATURE_TYPE, Codes.VERIFICATION_SIGNATURE, "Verification Signature"));
            signature.setWhenElement(recorded.copy());
            signature.setWho(new Reference(context.organization()).setDisplay(request.organisationName().trim()));
            signature.setTargetFormat("application/fhir+json");
            signature.setSigFormat(ReportSignature.SIG_FORMAT);
            signature.setData(jws.getBytes(StandardCharsets.US_ASCII));
        }
        return provenance;
    }

    private static void agent(Provenance provenance, String type, String display, String who, String whoDisplay,
                              ReportMapper.Context context) {
        Provenance.ProvenanceAgentComponent agent = provenance.addAgent();
        agent.setType(new CodeableConcept(new Coding(Codes.PROVENANCE_PARTICIPANT, type, display)));
        Reference reference = new Reference(who);
        if (whoDisplay != null) {
            reference.setDisplay(whoDisplay);
        }
        agent.setWho(reference);
        agent.setOnBehalfOf(new Reference(context.organization()));
    }

    private static CodeableConcept activity(ReportRevision revision) {
        Coding coding = switch (revision.status()) {
            case PRELIMINARY -> new Coding(Codes.V3_DATA_OPERATION, "CREATE", "create");
            case FINAL -> new Coding(Codes.V3_DOCUMENT_COMPLETION, "LA", "legally authenticated");
            case AMENDED, CORRECTED -> new Coding(Codes.V3_DATA_OPERATION, "UPDATE", "revise");
            case ENTERED_IN_ERROR -> new Coding(Codes.V3_DATA_OPERATION, "NULLIFY", "nullify");
        };
        return new CodeableConcept(coding);
    }
}
