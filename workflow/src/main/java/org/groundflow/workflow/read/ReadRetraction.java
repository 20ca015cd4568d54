package org.groundflow.workflow.read;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.InstanceRecord;
import org.groundflow.dicomweb.client.QidoQuery;
import org.groundflow.dicomweb.kos.RejectionNote;
import org.groundflow.dicomweb.sr.InstanceReference;
import org.groundflow.publication.RejectionNotes;
import org.groundflow.publication.Revision;
import org.groundflow.review.SignOff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Publishes the retraction of a read (recorded in {@link Retractions}): in the PACS, one IHE IOCM rejection note that
 * withdraws the SEG and SR of every revision the {@link RevisionLedger} holds, stored with STOW-RS; in the EHR, the
 * report as last signed with status entered-in-error ({@link ReportPublication#retract}). Both are idempotent: a
 * retried step stores the same note and writes the same report version again. An amendment that keeps no finding
 * publishes no SEG or SR of its own, so it withdraws the earlier revisions' the same way
 * ({@link #withdrawAmendedFromPacs}).
 */
@Service
public class ReadRetraction {

    private static final Logger log = LoggerFactory.getLogger(ReadRetraction.class);

    private final DicomWebClient pacs;
    private final PublicationInputs inputs;
    private final SeriesCache cache;
    private final RevisionLedger ledger;
    private final Retractions retractions;
    private final ReportPublication reports;

    public ReadRetraction(DicomWebClient pacs, PublicationInputs inputs, SeriesCache cache, RevisionLedger ledger,
                          Retractions retractions, ReportPublication reports) {
        this.pacs = pacs;
        this.inputs = inputs;
        this.cache = cache;
        this.ledger = ledger;
        this.retractions = retractions;
        this.reports = reports;
    }

    /** @return the SOP Instance UID of the rejection note stored; empty when the read published no SEG or SR */
    public Optional<Uid> withdrawFromPacs(String readId, Uid study) {
        Retraction retraction = retraction(readId, study);
        inputs.lock(readId);
        List<Revision> revisions = ledger.revisions(readId);
        List<InstanceReference> unrecorded = storedButUnrecorded(readId, study, revisions);
        if (revisions.isEmpty() && unrecorded.isEmpty()) {
            log.info("study {}: read {} published no SEG or SR; no rejection note is needed", study, readId);
            return Optional.empty();
        }
        SignOff signOff = inputs.signOff(readId, study);
        RejectionNote note = RejectionNotes.of(readId, inputs.geometry(signOff, study).study(), study, revisions,
                unrecorded, retraction.reason(), retraction.retractedAt());
        store(readId, note, revisions.size());
        retractions.rejectionNoteStored(readId, note.sopInstanceUid());
        return Optional.of(note.sopInstanceUid());
    }

    /**
     * Withdraws every SEG and SR revision of the read in the PACS after an amendment, signed at {@code signedAt}, that
     * kept none of its findings, if that amendment is still the read's newest sign-off and the read is not retracted.
     *
     * @return the SOP Instance UID of the rejection note stored; empty when the read published no SEG or SR or a newer
     *         sign-off (or the retraction) supersedes this amendment
     */
    public Optional<Uid> withdrawAmendedFromPacs(String readId, Uid study, Instant signedAt) {
        Optional<SignOff> newest = inputs.newest(readId, study, signedAt);
        if (newest.isEmpty()) {
            log.info("study {}: read {} has a newer sign-off than its amendment of {}, or is retracted; nothing to "
                    + "withdraw for it", study, readId, signedAt);
            return Optional.empty();
        }
        if (!newest.get().kept().isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " kept " + newest.get().kept().size()
                    + " finding(s) in its amendment of " + signedAt + ", so its SEG and SR are not withdrawn");
        }
        List<Revision> revisions = ledger.revisions(readId);
        List<InstanceReference> unrecorded = storedButUnrecorded(readId, study, revisions);
        if (revisions.isEmpty() && unrecorded.isEmpty()) {
            log.info("study {}: read {} published no SEG or SR; no rejection note is needed", study, readId);
            return Optional.empty();
        }
        RejectionNote note = RejectionNotes.ofAmendment(readId, inputs.geometry(newest.get(), study).study(), study,
                revisions, unrecorded, signedAt);
        store(readId, note, revisions.size());
        return Optional.of(note.sopInstanceUid());
    }

    /**
     * What the PACS holds in the read's SEG and SR series that no revision records: a publication that stored its SEG
     * and SR and then failed to commit (its process cancelled by the retraction, a crash) leaves such instances.
     * Asked with the read locked ({@link PublicationInputs#lock}), after any publication in progress has ended.
     */
    private List<InstanceReference> storedButUnrecorded(String readId, Uid study, List<Revision> revisions) {
        Set<Uid> recorded = new HashSet<>();
        revisions.forEach(r -> {
            recorded.add(r.segSopInstanceUid());
            recorded.add(r.srSopInstanceUid());
        });
        List<InstanceReference> unrecorded = new ArrayList<>();
        for (Uid series : RejectionNotes.series(readId)) {
            for (InstanceRecord stored : pacs.searchInstances(study, series, QidoQuery.all())) {
                if (!recorded.contains(stored.sopInstanceUid())) {
                    unrecorded.add(new InstanceReference(study, series, stored.sopClassUid(), stored.sopInstanceUid()));
                }
            }
        }
        if (!unrecorded.isEmpty()) {
            log.warn("study {}: read {}: the PACS holds {} instance(s) of its SEG and SR series that no revision "
                    + "records; the rejection note withdraws them too", study, readId, unrecorded.size());
        }
        return unrecorded;
    }

    private void store(String readId, RejectionNote note, int revisions) {
        try (SeriesCache.Scratch scratch = cache.scratch(readId)) {
            Path file = note.write(scratch.file("kos.dcm"));
            pacs.store(List.of(file)).requireAllStored();
        }
        log.info("read {}: rejection note {} withdraws {} instance(s) of {} revision(s) in the PACS", readId,
                note.sopInstanceUid(), note.rejected().size(), revisions);
    }

    /** @return the DiagnosticReport's id (or {@code file:<path>}), now entered-in-error */
    public String retractReport(String readId, Uid study) {
        Retraction retraction = retraction(readId, study);
        SignOff signOff = inputs.signOff(readId, study);
        Uid seg = ledger.revisions(readId).stream().filter(r -> r.isSignOffAt(signOff.signedAt())).findFirst()
                .map(Revision::segSopInstanceUid).orElse(null);
        if (seg == null && !signOff.kept().isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " keeps " + signOff.kept().size()
                    + " finding(s) but its SEG was never published; the report cannot be retracted with its findings");
        }
        return reports.retract(readId, study, retraction, seg);
    }

    private Retraction retraction(String readId, Uid study) {
        return retractions.of(readId).orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId
                + " has no retraction recorded"));
    }
}
