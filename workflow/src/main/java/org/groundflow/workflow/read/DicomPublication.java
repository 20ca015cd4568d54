package org.groundflow.workflow.read;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.inference.Interpreter;
import org.groundflow.publication.DicomMapper;
import org.groundflow.publication.DicomObjects;
import org.groundflow.publication.Revision;
import org.groundflow.publication.SignedRead;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Publishes a signed read to the PACS: its revision from the {@link RevisionLedger}, the SEG and SR that
 * {@link DicomMapper} makes of it, both stored in one STOW-RS request. The PACS's answer, which names every instance
 * stored, is the proof; nothing is searched for afterwards. Both are made from the read store's sign-off, masks and
 * geometry; their files exist only until the PACS has them.
 */
@Service
public class DicomPublication {

    private static final Logger log = LoggerFactory.getLogger(DicomPublication.class);

    private final DicomWebClient pacs;
    private final PublicationInputs inputs;
    private final SeriesCache cache;
    private final RevisionLedger ledger;
    private final DicomMapper mapper;

    public DicomPublication(DicomWebClient pacs, PublicationInputs inputs, SeriesCache cache, RevisionLedger ledger,
                            Interpreter interpreter, GroundflowProperties properties) {
        this.pacs = pacs;
        this.inputs = inputs;
        this.cache = cache;
        this.ledger = ledger;
        this.mapper = new DicomMapper(interpreter.card(), properties.organization());
    }

    /** @return the SOP Instance UID of the SEG of the read's current revision */
    public Uid publish(String readId, Uid study) {
        return publish(inputs.signOff(readId, study), study);
    }

    /**
     * Publishes the sign-off of {@code readId} made at {@code signedAt}, if it is still the read's newest and the read
     * is not retracted; a publication of an older sign-off (retried late, or overtaken by an amendment) writes nothing.
     *
     * @param signedAt the sign-off this publication is for; null for the newest
     * @return the SOP Instance UID of the SEG stored; empty when a newer revision supersedes this one
     */
    public Optional<Uid> publishIfNewest(String readId, Uid study, Instant signedAt) {
        Optional<SignOff> newest = inputs.newest(readId, study, signedAt);
        return newest.map(signOff -> publish(signOff, study));
    }

    private Uid publish(SignOff signOff, Uid study) {
        String readId = signOff.readId();
        if (signOff.kept().isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " kept no finding, so it has no segmentation to publish");
        }
        Revision revision = ledger.revisionFor(readId, signOff.signedAt());
        DicomObjects objects = mapper.map(new SignedRead(signOff, inputs.masks(readId, study),
                inputs.geometry(signOff, study), revision));
        try (SeriesCache.Scratch scratch = cache.scratch(readId)) {
            Path seg = objects.segmentation().write(scratch.file("seg.dcm"));
            Path sr = objects.report().write(scratch.file("sr.dcm"));
            pacs.store(List.of(seg, sr)).requireAllStored();
        }
        log.info("read {} revision {}: SEG {} with {} segment(s) and SR {} stored in the PACS", readId,
                revision.number(), revision.segSopInstanceUid(), signOff.kept().size(), revision.srSopInstanceUid());
        return objects.segmentation().sopInstanceUid();
    }
}
