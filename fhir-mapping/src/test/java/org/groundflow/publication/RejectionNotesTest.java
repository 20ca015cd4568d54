package org.groundflow.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.RejectionReason;
import org.groundflow.dicomweb.kos.RejectionNote;
import org.groundflow.dicomweb.kos.RejectionNoteReader;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.sr.InstanceReference;
import org.junit.jupiter.api.Test;

class RejectionNotesTest {

    private static final String READ = "7a0e3f4c-5b1d-4c2e-9f00-000000000042";
    private static final Uid STUDY = Uid.of("2.25.77");
    private static final StudyContext CONTEXT = new StudyContext("Doe^Jane", "P-7", "19800101", "F", "20240611",
            "101500", "S7", "A-7", "", "CT chest");
    private static final Instant SIGNED = Instant.parse("2024-06-11T10:30:00Z");

    @Test
    void theNoteWithdrawsTheSegAndSrOfEveryRevisionAndIsTheSameEveryTime() {
        Revision first = Revision.first(READ, SIGNED);
        Revision second = first.next(SIGNED.plusSeconds(3600));
        Instant retracted = SIGNED.plusSeconds(7200);

        RejectionNote note = RejectionNotes.of(READ, CONTEXT, STUDY, List.of(first, second), List.of(), "Wrong patient.", retracted);
        RejectionNoteReader.Content content = RejectionNoteReader.read(note.toBytes());

        assertThat(content.title()).isEqualTo(RejectionReason.PATIENT_SAFETY.code());
        assertThat(content.reason()).isEqualTo("Wrong patient.");
        assertThat(content.rejected()).as("grouped by series").containsExactly(
                reference("seg-series", Segmentation.SOP_CLASS_UID, first.segSopInstanceUid()),
                reference("seg-series", Segmentation.SOP_CLASS_UID, second.segSopInstanceUid()),
                reference("sr-series", MeasurementReport.SOP_CLASS_UID, first.srSopInstanceUid()),
                reference("sr-series", MeasurementReport.SOP_CLASS_UID, second.srSopInstanceUid()));
        assertThat(RejectionNotes.of(READ, CONTEXT, STUDY, List.of(first, second), List.of(), "Wrong patient.", retracted).toBytes())
                .as("a retried withdrawal stores the same note").isEqualTo(note.toBytes());
    }

    private static InstanceReference reference(String series, Uid sopClass, Uid instance) {
        return new InstanceReference(STUDY, DerivedUids.of(READ, series), sopClass, instance);
    }

    @Test
    void anAmendmentKeepingNoFindingWithdrawsEveryRevisionWithANoteOfItsOwn() {
        Revision first = Revision.first(READ, SIGNED);
        Revision second = first.next(SIGNED.plusSeconds(3600));
        Instant amended = SIGNED.plusSeconds(7200);

        RejectionNote note = RejectionNotes.ofAmendment(READ, CONTEXT, STUDY, List.of(first, second), List.of(), amended);
        RejectionNoteReader.Content content = RejectionNoteReader.read(note.toBytes());

        assertThat(content.title()).isEqualTo(RejectionReason.PATIENT_SAFETY.code());
        assertThat(content.reason()).contains("kept none of the findings");
        assertThat(content.rejected()).extracting(InstanceReference::sopInstanceUid).containsExactlyInAnyOrder(
                first.segSopInstanceUid(), second.segSopInstanceUid(), first.srSopInstanceUid(),
                second.srSopInstanceUid());
        assertThat(RejectionNotes.ofAmendment(READ, CONTEXT, STUDY, List.of(first, second), List.of(), amended).sopInstanceUid())
                .as("a retried withdrawal stores the same note").isEqualTo(note.sopInstanceUid());
        assertThat(note.sopInstanceUid())
                .as("not the retraction's note, which may follow")
                .isNotEqualTo(RejectionNotes.of(READ, CONTEXT, STUDY, List.of(first, second), List.of(), "x", amended).sopInstanceUid())
                .as("nor the note of an amendment to none after only the first revision")
                .isNotEqualTo(RejectionNotes.ofAmendment(READ, CONTEXT, STUDY, List.of(first), List.of(), amended).sopInstanceUid());
        assertThatThrownBy(() -> RejectionNotes.ofAmendment(READ, CONTEXT, STUDY, List.of(), List.of(), amended))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to withdraw");
    }

    @Test
    void instancesThePacsHoldsButNoRevisionRecordsAreWithdrawnToo() {
        Revision first = Revision.first(READ, SIGNED);
        Revision second = first.next(SIGNED.plusSeconds(3600));
        InstanceReference unrecordedSeg = reference("seg-series", Segmentation.SOP_CLASS_UID, second.segSopInstanceUid());
        InstanceReference recordedSr = reference("sr-series", MeasurementReport.SOP_CLASS_UID, first.srSopInstanceUid());

        RejectionNote note = RejectionNotes.of(READ, CONTEXT, STUDY, List.of(first), List.of(unrecordedSeg, recordedSr),
                "Wrong patient.", SIGNED);

        assertThat(RejectionNoteReader.read(note.toBytes()).rejected()).extracting(InstanceReference::sopInstanceUid)
                .containsExactlyInAnyOrder(first.segSopInstanceUid(), first.srSopInstanceUid(),
                        second.segSopInstanceUid());
        assertThat(RejectionNotes.of(READ, CONTEXT, STUDY, List.of(), List.of(unrecordedSeg), "Wrong patient.", SIGNED)
                .rejected()).hasSize(1);
        InstanceReference elsewhere = new InstanceReference(STUDY, Uid.of("2.25.99"), Segmentation.SOP_CLASS_UID,
                second.segSopInstanceUid());
        assertThatThrownBy(() -> RejectionNotes.of(READ, CONTEXT, STUDY, List.of(first), List.of(elsewhere), "x",
                SIGNED)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in a SEG or SR series");
    }

    @Test
    void aReadWithoutPublishedRevisionsHasNothingToWithdraw() {
        assertThatThrownBy(() -> RejectionNotes.of(READ, CONTEXT, STUDY, List.of(), List.of(), "Wrong patient.", SIGNED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("study 2.25.77, read " + READ).hasMessageContaining("nothing to withdraw");
    }
}
