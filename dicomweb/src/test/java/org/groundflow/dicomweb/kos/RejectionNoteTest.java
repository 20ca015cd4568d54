package org.groundflow.dicomweb.kos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.client.RejectionReason;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.sr.InstanceReference;
import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.testing.Dciodvfy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectionNoteTest {

    private static final Uid STUDY = Uid.of("2.25.3000");
    private static final StudyContext CONTEXT = new StudyContext("Doe^John", "P-1", "19700101", "M", "20240611",
            "103000", "S1", "A-1", "", "CT chest");
    private static final InstanceReference SEG = new InstanceReference(STUDY, Uid.of("2.25.3100"),
            Segmentation.SOP_CLASS_UID, Uid.of("2.25.3101"));
    private static final InstanceReference SR = new InstanceReference(STUDY, Uid.of("2.25.3200"),
            MeasurementReport.SOP_CLASS_UID, Uid.of("2.25.3201"));

    @TempDir
    Path temp;

    private static RejectionNote.Builder note() {
        return RejectionNote.builder(CONTEXT, STUDY).sopInstanceUid(Uid.of("2.25.3901"))
                .seriesInstanceUid(Uid.of("2.25.3900")).contentDateTime(OffsetDateTime.parse("2024-06-12T09:00:00Z"))
                .reject(SEG).reject(SR);
    }

    @Test
    void aNoteRoundTripsWithItsTitleReasonAndWithdrawnInstances() {
        RejectionNote note = note().description("Wrong series read").build();

        RejectionNoteReader.Content content = RejectionNoteReader.read(note.toBytes());

        assertThat(content.sopInstanceUid()).isEqualTo(Uid.of("2.25.3901"));
        assertThat(content.studyInstanceUid()).isEqualTo(STUDY);
        assertThat(content.title()).isEqualTo(RejectionReason.PATIENT_SAFETY.code());
        assertThat(content.reason()).isEqualTo("Wrong series read");
        assertThat(content.rejected()).containsExactly(SEG, SR);
    }

    @Test
    void dciodvfyFindsNoErrors() {
        Path file = note().description("Wrong series read").title(RejectionReason.QUALITY).build()
                .write(temp.resolve("kos.dcm"));

        assertThat(Dciodvfy.errors(file)).isEmpty();
    }

    @Test
    void aNoteMustRejectSomethingOfItsOwnStudy() {
        assertThatThrownBy(() -> RejectionNote.builder(CONTEXT, STUDY).sopInstanceUid(Uid.of("2.25.3901"))
                .seriesInstanceUid(Uid.of("2.25.3900")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must reject at least one instance");
        InstanceReference elsewhere = new InstanceReference(Uid.of("2.25.9"), Uid.of("2.25.3100"),
                Segmentation.SOP_CLASS_UID, Uid.of("2.25.3101"));
        assertThatThrownBy(() -> note().reject(elsewhere))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not to the note's study 2.25.3000");
        assertThatThrownBy(() -> note().reject(SEG)).hasMessageContaining("rejected twice");
        assertThatThrownBy(() -> note().description("x".repeat(RejectionNote.MAX_DESCRIPTION + 1)))
                .hasMessageContaining("description must be 1 to 1024 characters, got 1025");
    }
}
