package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;
import org.groundflow.dicomweb.DicomWebClient;
import org.groundflow.dicomweb.ImageVolume;
import org.groundflow.dicomweb.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.RgbColour;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.inference.GroundedInterpreter;
import org.groundflow.inference.MaskCodec;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.inference.SignOff;
import org.groundflow.inference.SignedFinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Publishes the kept findings of a signed read as a binary DICOM-SEG: one segment per kept finding, stored with
 * STOW-RS and found again with QIDO-RS. Its UIDs derive from the read, so a retry stores the same object again.
 */
@Service
public class SegPublication {

    /** Series number of Groundflow's SEG series, far from the scanner's numbers. */
    static final int SEG_SERIES_NUMBER = 9001;

    private static final Logger log = LoggerFactory.getLogger(SegPublication.class);

    private final DicomWebClient pacs;
    private final SourceVolumes volumes;
    private final ReadStore store;
    private final ModelCard card;

    public SegPublication(DicomWebClient pacs, SourceVolumes volumes, ReadStore store, GroundedInterpreter interpreter) {
        this.pacs = pacs;
        this.volumes = volumes;
        this.store = store;
        this.card = interpreter.card();
    }

    public Uid publish(String readId, Uid study) {
        SignOff signOff = store.signOff(readId)
                .orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId + " has no sign-off to publish"));
        if (signOff.kept().isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " kept no finding, so it has no segmentation to publish");
        }
        ImageVolume volume = volumes.load(readId, study);
        SegmentMasks masks = masks(readId, study);
        ModelIdentity model = signOff.interpretation().model();
        Segmentation.Builder seg = Segmentation.builder(volume)
                .seriesInstanceUid(DerivedUids.of(readId, "seg-series"))
                .sopInstanceUid(DerivedUids.of(readId, "seg"))
                .seriesNumber(SEG_SERIES_NUMBER)
                .instanceNumber(1)
                .seriesDescription("Groundflow signed findings")
                .contentLabel("GROUNDFLOW")
                .contentDescription("Segments of the findings signed by the radiologist")
                .contentCreatorName(signOff.reviewer())
                .algorithm(model.name(), model.version(), model.manufacturer(), model.uid());
        for (SignedFinding kept : signOff.kept()) {
            BitSet mask = masks.mask(kept.finding().segmentNumber()).voxels();
            seg.segment(new SegmentDescription(kept.segmentNumber(), kept.finding().label(),
                    SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, kept.finding().code(),
                    kept.edited() ? SegmentAlgorithmType.SEMIAUTOMATIC : SegmentAlgorithmType.AUTOMATIC,
                    colour(kept.finding().label())), mask);
        }
        Segmentation segmentation = seg.build();
        segmentation.write(store.segFile(readId));
        pacs.store(List.of(store.segFile(readId))).requireAllStored();
        boolean found = pacs.searchSeries(study).stream().map(SeriesRecord::seriesInstanceUid)
                .anyMatch(segmentation.seriesInstanceUid()::equals);
        if (!found) {
            throw new ReadFailure("study " + study + ": the PACS accepted SEG " + segmentation.sopInstanceUid()
                    + " but QIDO-RS does not list its series " + segmentation.seriesInstanceUid());
        }
        log.info("read {}: SEG {} with {} segment(s) stored in the PACS", readId, segmentation.sopInstanceUid(),
                signOff.kept().size());
        return segmentation.sopInstanceUid();
    }

    private SegmentMasks masks(String readId, Uid study) {
        try {
            return MaskCodec.read(store.masksFile(readId));
        } catch (IOException e) {
            throw new UncheckedIOException("study " + study + ": the masks of read " + readId + " cannot be read", e);
        }
    }

    private RgbColour colour(String label) {
        return card.labels().stream().filter(l -> l.name().equals(label)).findFirst()
                .filter(l -> l.color() != null && l.color().size() == 3)
                .map(l -> new RgbColour(l.color().get(0), l.color().get(1), l.color().get(2)))
                .orElse(new RgbColour(255, 0, 0));
    }
}
