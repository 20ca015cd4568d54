package org.groundflow.workflow.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.Measurements;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SegmentMask;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.Decision;
import org.groundflow.review.FindingDecision;
import org.groundflow.review.Review;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.config.JsonConfiguration;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Drafts and sign-offs for tests that put a read's state into the read store directly: a small one of made-up UIDs,
 * and one of a synthetic study (a nodule and a liver lesion, masks from the phantom's labels, the geometry of its files).
 */
public final class DraftFixtures {

    private DraftFixtures() {
    }

    /** A mapper like the application's: UIDs as strings, nulls left out. */
    public static ObjectMapper json() {
        return Jackson2ObjectMapperBuilder.json().serializationInclusion(JsonInclude.Include.NON_NULL)
                .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .modulesToInstall(new JsonConfiguration().groundflowJsonModule()).build();
    }

    /** A two-slice 4 x 3 draft with one nodule finding, of made-up UIDs and patient attributes. */
    public static Draft small() {
        Uid study = Uid.of("2.25.1");
        Uid series = Uid.of("2.25.2");
        Finding nodule = new Finding(1, "nodule", CodedConcept.sct("27925004", "Nodule"),
                "A 9 mm nodule in the right middle zone (0.4 mL).", "9 mm nodule", 1, 0.9,
                new Measurements(9.2, 0.41, 30.5), "right middle zone", CodedConcept.sct("39607008", "Lung"),
                Laterality.RIGHT);
        Interpretation interpretation = new Interpretation(study, series,
                new ModelIdentity("demo", "1.0.0", Uid.of("2.25.3"), "Groundflow"), List.of(nodule),
                "1 nodule; see findings.");
        BitSet voxels = new BitSet();
        voxels.set(5);
        voxels.set(17);
        VolumeGeometry volume = new VolumeGeometry(study, series, Uid.of("2.25.4"), Uid.of("1.2.840.10008.5.1.4.1.1.2"),
                "CT", 4, 3, 2, 0.7, 0.8, 2.5, new double[] {1, 0, 0}, new double[] {0, 1, 0},
                List.of(new double[] {-1.5, -1, 0}, new double[] {-1.5, -1, 2.5}), List.of(Uid.of("2.25.5"),
                Uid.of("2.25.6")), new StudyContext("Doe^Jane", "P1", "19700101", "F", "20240611", "103000", "7",
                "ACC1", "Ref^Doc", "Chest CT", "Hospital"));
        return new Draft(interpretation, new SegmentMasks(4, 3, 2, List.of(new SegmentMask(1, voxels))), volume);
    }

    /** The synthetic study's draft: its files are written to {@code dir} for their geometry. */
    public static Draft of(SyntheticStudy study, ModelCard card, Path dir) {
        return new Draft(interpretation(study, card), masks(study),
                ImageVolumeReader.readGeometry(study.writeTo(dir)));
    }

    /** A nodule (segment 1) and a liver lesion (segment 2), coded as the card codes them. */
    public static Interpretation interpretation(SyntheticStudy study, ModelCard card) {
        Finding nodule = new Finding(1, "nodule", card.labels().get(0).concept(), "A 9 mm nodule in the right middle zone (0.4 mL).",
                "9 mm nodule", 1, 0.9, new Measurements(9.2, 0.41, 30.5), "right middle zone",
                card.labels().get(0).siteConcept(), Laterality.RIGHT);
        Finding liverLesion = new Finding(2, "liver lesion", card.labels().get(1).concept(), "A 24 mm liver lesion in the right liver (7.2 mL).",
                "24 mm liver lesion", 2, 0.95, new Measurements(24.1, 7.2, 40.2), "right liver",
                card.labels().get(1).siteConcept(), Laterality.NONE);
        return new Interpretation(study.studyInstanceUid(), study.seriesInstanceUid(), card.identity(),
                List.of(nodule, liverLesion), "1 nodule and 1 liver lesion; see findings.");
    }

    public static SegmentMasks masks(SyntheticStudy study) {
        return new SegmentMasks(study.columns(), study.rows(), study.slices(),
                List.of(new SegmentMask(1, study.labelMask(Lesion.NODULE)), new SegmentMask(2, study.labelMask(Lesion.LIVER_LESION))));
    }

    /** Every finding kept as drafted, signed by {@code reviewer}. */
    public static SignOff acceptAll(String readId, Interpretation draft, String impression, String reviewer, Instant at) {
        List<FindingDecision> decisions = draft.findings().stream()
                .map(f -> new FindingDecision(f.number(), Decision.ACCEPT, null)).toList();
        return Review.sign(readId, draft, decisions, impression, reviewer, at);
    }
}
