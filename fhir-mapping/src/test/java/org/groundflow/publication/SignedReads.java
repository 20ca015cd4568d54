package org.groundflow.publication;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.Measurements;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelCardReader;
import org.groundflow.inference.ModelPackage;
import org.groundflow.inference.SegmentMask;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * One valid signed read of the synthetic demo study: a right nodule segment (both nodules) and a liver lesion, drafted
 * by the demo model and signed by {@link #RADIOLOGIST}; tests vary one part of it.
 */
final class SignedReads {

    static final String READ_ID = "0b6c5a8e-2f4d-4c1b-9a7e-3d5f6a7b8c9d";
    static final String RADIOLOGIST = "rad1";
    static final String ORGANIZATION = "Groundflow Radiology";
    static final Instant SIGNED_AT = Instant.parse("2024-06-11T10:30:00Z");
    static final Instant AMENDED_AT = SIGNED_AT.plusSeconds(3600);
    static final SyntheticStudy STUDY = SyntheticStudy.builder().variant("dicom-mapper").build();
    static final ModelCard CARD = demoCard();

    private final VolumeGeometry source;
    private final SegmentMasks masks;

    /** Writes the study's instances to {@code folder} and reads their geometry back. */
    SignedReads(Path folder) {
        this.source = ImageVolumeReader.readGeometry(STUDY.writeTo(folder));
        this.masks = new SegmentMasks(STUDY.columns(), STUDY.rows(), STUDY.slices(), List.of(
                new SegmentMask(1, STUDY.labelMask(Lesion.NODULE)), new SegmentMask(2, STUDY.labelMask(Lesion.LIVER_LESION))));
    }

    VolumeGeometry source() {
        return source;
    }

    SegmentMasks masks() {
        return masks;
    }

    static Interpretation draft() {
        Finding nodule = new Finding(1, "nodule", CARD.labels().get(0).concept(),
                "A 9 mm nodule in the right middle zone (0.4 mL).", "9 mm nodule", 1, 0.9,
                new Measurements(9.2, 0.41, 30.5), "right middle zone", CARD.labels().get(0).siteConcept(), Laterality.RIGHT);
        Finding liverLesion = new Finding(2, "liver lesion", CARD.labels().get(1).concept(),
                "A 24 mm liver lesion in the right liver (7.2 mL).", "24 mm liver lesion", 2, 0.95,
                new Measurements(24.1, 7.2, 40.2), "right liver", CARD.labels().get(1).siteConcept(), Laterality.NONE);
        return new Interpretation(STUDY.studyInstanceUid(), STUDY.seriesInstanceUid(), CARD.identity(),
                List.of(nodule, liverLesion), "1 nodule and 1 liver lesion; see findings.");
    }

    /** Both findings kept; the nodule's sentence as {@code noduleText} (edited unless it is the draft's). */
    static SignOff signOff(Interpretation draft, String noduleText, Instant at) {
        Finding nodule = draft.findings().get(0);
        Finding liverLesion = draft.findings().get(1);
        return new SignOff(READ_ID, draft, List.of(
                new SignedFinding(nodule, noduleText, !noduleText.equals(nodule.text()), 1),
                new SignedFinding(liverLesion, liverLesion.text(), false, 2)), List.of(), "Impression.", RADIOLOGIST, at);
    }

    /** The first sign-off, with the nodule's sentence edited. */
    SignedRead first() {
        return new SignedRead(signOff(draft(), "A nodule, as drafted.", SIGNED_AT), masks, source,
                Revision.first(READ_ID, SIGNED_AT));
    }

    /** The amendment of {@link #first()}. */
    SignedRead amended() {
        return new SignedRead(signOff(draft(), "A nodule, amended.", AMENDED_AT), masks, source,
                Revision.first(READ_ID, SIGNED_AT).next(AMENDED_AT));
    }

    private static ModelCard demoCard() {
        try (InputStream in = SignedReads.class.getClassLoader()
                .getResourceAsStream(ModelPackage.DEMO_RESOURCE + ModelPackage.CARD_FILE)) {
            return ModelCardReader.read(in.readAllBytes(), "demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
