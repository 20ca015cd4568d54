package org.groundflow.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.groundflow.publication.SignedReads.AMENDED_AT;
import static org.groundflow.publication.SignedReads.READ_ID;
import static org.groundflow.publication.SignedReads.SIGNED_AT;
import static org.groundflow.publication.SignedReads.STUDY;

import java.nio.file.Path;
import java.util.List;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inputs of a PACS publication and its revisions are checked before anything is mapped. */
class SignedReadTest {

    @TempDir
    static Path folder;

    static SignedReads reads;

    @BeforeAll
    static void readTheStudy() {
        reads = new SignedReads(folder);
    }

    @Test
    void aSignOffThatKeptNothingHasNoSegmentationToPublish() {
        Interpretation draft = SignedReads.draft();
        SignOff nothingKept = new SignOff(READ_ID, draft, List.of(), List.of(1, 2), "Nothing.", "rad1", SIGNED_AT);

        assertThatThrownBy(() -> new SignedRead(nothingKept, reads.masks(), reads.source(),
                Revision.first(READ_ID, SIGNED_AT))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("study " + STUDY.studyInstanceUid() + ", read " + READ_ID
                        + " kept no finding, so it has no segmentation to publish");
    }

    @Test
    void theRevisionMustBeThisSignOffs() {
        SignOff signOff = SignedReads.signOff(SignedReads.draft(), "A nodule.", SIGNED_AT);

        assertThatThrownBy(() -> new SignedRead(signOff, reads.masks(), reads.source(),
                Revision.first(READ_ID, AMENDED_AT))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revision 1 is read " + READ_ID + " signed at " + AMENDED_AT
                        + ", the sign-off was at " + SIGNED_AT);
    }

    @Test
    void theMasksMustFitTheSourceAndHoldEveryKeptSegment() {
        SignOff signOff = SignedReads.signOff(SignedReads.draft(), "A nodule.", SIGNED_AT);
        SegmentMasks small = new SegmentMasks(8, 8, 2, List.of());
        SegmentMasks onlyNodules = new SegmentMasks(STUDY.columns(), STUDY.rows(), STUDY.slices(),
                List.of(reads.masks().mask(1)));

        assertThatThrownBy(() -> new SignedRead(signOff, small, reads.source(), Revision.first(READ_ID, SIGNED_AT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("masks of 8x8x2 do not fit series "
                        + STUDY.seriesInstanceUid() + " of " + STUDY.columns() + "x" + STUDY.rows() + "x" + STUDY.slices());
        assertThatThrownBy(() -> new SignedRead(signOff, onlyNodules, reads.source(), Revision.first(READ_ID, SIGNED_AT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finding 2 is grounded in segment 2, which the masks do not hold");
    }

    @Test
    void revisionsCountUpAndNameTheirPredecessor() {
        Revision first = Revision.first(READ_ID, SIGNED_AT);
        Revision second = first.next(AMENDED_AT);

        assertThat(first.number()).isEqualTo(1);
        assertThat(first.predecessor()).isNull();
        assertThat(first.srSopInstanceUid()).isEqualTo(DerivedUids.of(READ_ID, "sr", 1));
        assertThat(first.segSopInstanceUid()).isEqualTo(DerivedUids.of(READ_ID, "seg", 1));
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.signedAt()).isEqualTo(AMENDED_AT);
        assertThat(second.predecessor()).isEqualTo(first.srSopInstanceUid());
        assertThat(second.srSopInstanceUid()).isNotEqualTo(first.srSopInstanceUid());
        assertThat(Revision.first(READ_ID, AMENDED_AT).srSopInstanceUid()).as("the UIDs follow the number")
                .isEqualTo(first.srSopInstanceUid());
    }

    @Test
    void aRevisionAfterTheFirstMustNameItsPredecessor() {
        Revision first = Revision.first(READ_ID, SIGNED_AT);

        assertThatThrownBy(() -> new Revision(READ_ID, 2, AMENDED_AT, first.segSopInstanceUid(),
                first.srSopInstanceUid(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("revision 2 of read " + READ_ID + " must name its predecessor, got none");
        assertThatThrownBy(() -> new Revision(READ_ID, 1, SIGNED_AT, first.segSopInstanceUid(),
                first.srSopInstanceUid(), first.srSopInstanceUid())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("revision 1 of read " + READ_ID + " must name no predecessor");
        assertThatThrownBy(() -> new Revision(READ_ID, 0, SIGNED_AT, first.segSopInstanceUid(),
                first.srSopInstanceUid(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("revision number of read " + READ_ID + " must be >= 1, got 0");
    }
}
