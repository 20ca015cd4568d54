package org.groundflow.publication;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.RejectionReason;
import org.groundflow.dicomweb.kos.RejectionNote;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.sr.InstanceReference;
import org.groundflow.dicomweb.sr.MeasurementReport;

/**
 * Maps a retracted read, or a read amended to keep no finding, to what the PACS receives: one IHE IOCM rejection note
 * ({@link RejectionNote}, titled "Rejected for Patient Safety Reasons") that withdraws the SEG and SR of every revision
 * published. Its UIDs derive from the read (and, for an amendment, from how many revisions it withdraws), so a retried
 * withdrawal stores the same note again. Pure: no I/O.
 */
public final class RejectionNotes {

    /** Series number of Groundflow's rejection-note series. */
    public static final int SERIES_NUMBER = 9003;

    private RejectionNotes() {
    }

    /**
     * @param study     patient and study attributes of the read's study
     * @param studyUid  the read's study
     * @param revisions  the revisions published to the PACS
     * @param alsoStored instances of the read's SEG and SR series that the PACS holds but no revision records (a
     *                   publication stored them, then failed before it committed); with {@code revisions}, at least one
     * @param reason     why the read is withdrawn
     */
    public static RejectionNote of(String readId, StudyContext study, Uid studyUid, List<Revision> revisions,
                                   List<InstanceReference> alsoStored, String reason, Instant retractedAt) {
        requirePublished(readId, studyUid, revisions, alsoStored);
        return note(readId, study, studyUid, revisions, alsoStored, DerivedUids.of(readId, "kos", 1), reason,
                retractedAt);
    }

    /**
     * The note for an amendment signed at {@code amendedAt} that kept none of the read's findings, so that no SEG or SR
     * of an earlier revision stays in the PACS as the read's last word (the amendment itself publishes none).
     *
     * @param revisions  the revisions published to the PACS
     * @param alsoStored as for {@link #of}
     */
    public static RejectionNote ofAmendment(String readId, StudyContext study, Uid studyUid, List<Revision> revisions,
                                            List<InstanceReference> alsoStored, Instant amendedAt) {
        requirePublished(readId, studyUid, revisions, alsoStored);
        return note(readId, study, studyUid, revisions, alsoStored,
                DerivedUids.of(readId, "kos-amendment", revisions.size() + alsoStored.size()),
                "Amended: the radiologist kept none of the findings", amendedAt);
    }

    /** The read's SEG series and SR series: every revision's instances are in these two. */
    public static List<Uid> series(String readId) {
        return List.of(DerivedUids.of(readId, "seg-series"), DerivedUids.of(readId, "sr-series"));
    }

    private static void requirePublished(String readId, Uid studyUid, List<Revision> revisions,
                                         List<InstanceReference> alsoStored) {
        Objects.requireNonNull(revisions, "revisions");
        Objects.requireNonNull(alsoStored, "alsoStored");
        if (revisions.isEmpty() && alsoStored.isEmpty()) {
            throw new IllegalArgumentException("study " + studyUid + ", read " + readId
                    + ": no SEG or SR was published, so there is nothing to withdraw in the PACS");
        }
    }

    private static RejectionNote note(String readId, StudyContext study, Uid studyUid, List<Revision> revisions,
                                      List<InstanceReference> alsoStored, Uid sopInstanceUid, String reason,
                                      Instant at) {
        RejectionNote.Builder note = RejectionNote.builder(study, studyUid)
                .seriesInstanceUid(DerivedUids.of(readId, "kos-series"))
                .sopInstanceUid(sopInstanceUid)
                .seriesNumber(SERIES_NUMBER)
                .title(RejectionReason.PATIENT_SAFETY)
                .description(reason)
                .contentDateTime(OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        for (Revision revision : revisions) {
            if (!revision.readId().equals(readId)) {
                throw new IllegalArgumentException("revision " + revision.number() + " is of read " + revision.readId()
                        + ", not of read " + readId);
            }
            note.reject(new InstanceReference(studyUid, DerivedUids.of(readId, "seg-series"), Segmentation.SOP_CLASS_UID,
                    revision.segSopInstanceUid()));
            note.reject(new InstanceReference(studyUid, DerivedUids.of(readId, "sr-series"),
                    MeasurementReport.SOP_CLASS_UID, revision.srSopInstanceUid()));
        }
        Set<Uid> recorded = revisions.stream().flatMap(r -> Stream.of(r.segSopInstanceUid(), r.srSopInstanceUid()))
                .collect(Collectors.toSet());
        for (InstanceReference stored : alsoStored) {
            if (!series(readId).contains(stored.seriesInstanceUid())) {
                throw new IllegalArgumentException("instance " + stored.sopInstanceUid() + " is in series "
                        + stored.seriesInstanceUid() + ", not in a SEG or SR series of read " + readId);
            }
            if (recorded.add(stored.sopInstanceUid())) {
                note.reject(stored);
            }
        }
        return note.build();
    }
}
