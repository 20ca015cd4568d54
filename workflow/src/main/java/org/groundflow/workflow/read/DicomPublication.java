package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.MaskCodec;
import org.groundflow.inference.SegmentMasks;
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
 * stored, is the proof; nothing is searched for afterwards. The series is read for its geometry only, without
 * decoding pixel data.
 */
@Service
public class DicomPublication {

    private static final Logger log = LoggerFactory.getLogger(DicomPublication.class);

    private final DicomWebClient pacs;
    private final SourceVolumes volumes;
    private final ReadStore store;
    private final RevisionLedger ledger;
    private final DicomMapper mapper;

    public DicomPublication(DicomWebClient pacs, SourceVolumes volumes, ReadStore store, RevisionLedger ledger,
                            Interpreter interpreter, GroundflowProperties properties) {
        this.pacs = pacs;
        this.volumes = volumes;
        this.store = store;
        this.ledger = ledger;
        this.mapper = new DicomMapper(interpreter.card(), properties.organization());
    }

    /** @return the SOP Instance UID of the SEG of the read's current revision */
    public Uid publish(String readId, Uid study) {
        SignOff signOff = store.signOff(readId)
                .orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId + " has no sign-off to publish"));
        if (signOff.kept().isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " kept no finding, so it has no segmentation to publish");
        }
        Revision revision = ledger.revisionFor(readId, signOff.signedAt());
        DicomObjects objects = mapper.map(new SignedRead(signOff, masks(readId, study), volumes.geometry(readId, study),
                revision));
        Path seg = objects.segmentation().write(store.segFile(readId));
        Path sr = store.write(readId, "sr.dcm", objects.report().toBytes());
        pacs.store(List.of(seg, sr)).requireAllStored();
        log.info("read {} revision {}: SEG {} with {} segment(s) and SR {} stored in the PACS", readId,
                revision.number(), revision.segSopInstanceUid(), signOff.kept().size(), revision.srSopInstanceUid());
        return objects.segmentation().sopInstanceUid();
    }

    private SegmentMasks masks(String readId, Uid study) {
        try {
            return MaskCodec.read(store.masksFile(readId));
        } catch (IOException e) {
            throw new UncheckedIOException("study " + study + ": the masks of read " + readId + " cannot be read", e);
        }
    }
}
