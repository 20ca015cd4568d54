package org.groundflow.fhir.mapping;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.groundflow.inference.Interpretation;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * One state of a read's report, as the next publication should show it: the AI draft, the signed report, an
 * amendment or correction of it, or its retraction. Every revision of a read updates the same DiagnosticReport
 * (identified by the read id), so the server keeps them as versions of one report.
 */
public sealed interface ReportRevision
        permits ReportRevision.Draft, ReportRevision.OfSignOff {

    /** The read's stable id: safe to log. */
    String readId();

    /** The AI draft the report is based on. */
    Interpretation interpretation();

    /** The DiagnosticReport status this revision is published with. */
    ReportStatus status();

    /** When this revision was made: drafted, signed, amended or retracted. */
    Instant recordedAt();

    /** The AI draft, published before sign-off: {@link ReportStatus#PRELIMINARY}, no result Observations. */
    static Draft draft(String readId, Interpretation interpretation, Instant draftedAt) {
        return new Draft(readId, interpretation, draftedAt);
    }

    /** The report as the radiologist signed it: {@link ReportStatus#FINAL}. */
    static Signed signed(SignOff signOff) {
        return new Signed(signOff);
    }

    /** A new sign-off of a read that was published final: {@link ReportStatus#AMENDED}. */
    static Amended amended(SignOff signOff, SignOff previous) {
        return new Amended(signOff, previous, false);
    }

    /** A new sign-off that corrects an error in a read published final: {@link ReportStatus#CORRECTED}. */
    static Amended corrected(SignOff signOff, SignOff previous) {
        return new Amended(signOff, previous, true);
    }

    /** The retraction of the read as last published ({@code signOff}): {@link ReportStatus#ENTERED_IN_ERROR}. */
    static Retracted retracted(SignOff signOff, String retractedBy, Instant retractedAt) {
        return new Retracted(signOff, retractedBy, retractedAt);
    }

    /**
     * The AI draft before review.
     *
     * @param draftedAt when the model's interpretation was made
     */
    /** A revision made of a sign-off: its read and draft are the sign-off's. */
    sealed interface OfSignOff extends ReportRevision permits Signed, Amended, Retracted {

        SignOff signOff();

        @Override
        default String readId() {
            return signOff().readId();
        }

        @Override
        default Interpretation interpretation() {
            return signOff().interpretation();
        }
    }

    record Draft(String readId, Interpretation interpretation, Instant draftedAt) implements ReportRevision {
        public Draft {
            Objects.requireNonNull(readId, "readId");
            Objects.requireNonNull(interpretation, "interpretation");
            Objects.requireNonNull(draftedAt, "draftedAt");
            if (readId.isBlank()) {
                throw new IllegalArgumentException("readId must not be blank");
            }
        }

        @Override
        public ReportStatus status() {
            return ReportStatus.PRELIMINARY;
        }

        @Override
        public Instant recordedAt() {
            return draftedAt;
        }
    }

    /** The signed report. */
    record Signed(SignOff signOff) implements OfSignOff {
        public Signed {
            Objects.requireNonNull(signOff, "signOff");
            requireReadId(signOff);
        }

        @Override
        public ReportStatus status() {
            return ReportStatus.FINAL;
        }

        @Override
        public Instant recordedAt() {
            return signOff.signedAt();
        }
    }

    /**
     * A new sign-off of a published read.
     *
     * @param signOff    the new sign-off
     * @param previous   the sign-off published before; its findings that {@code signOff} no longer keeps are
     *                   withdrawn (their Observations become entered-in-error)
     * @param correction true when the change corrects an error (status corrected), false for an amendment
     */
    record Amended(SignOff signOff, SignOff previous, boolean correction) implements OfSignOff {
        public Amended {
            Objects.requireNonNull(signOff, "signOff");
            Objects.requireNonNull(previous, "previous");
            requireReadId(signOff);
            if (!signOff.readId().equals(previous.readId())) {
                throw new IllegalArgumentException("previous must be a sign-off of read " + signOff.readId()
                        + ", got one of read " + previous.readId());
            }
            if (!signOff.signedAt().isAfter(previous.signedAt())) {
                throw new IllegalArgumentException("signOff of read " + signOff.readId() + " must be signed after the "
                        + "previous one (" + previous.signedAt() + "), got " + signOff.signedAt());
            }
        }

        @Override
        public ReportStatus status() {
            return correction ? ReportStatus.CORRECTED : ReportStatus.AMENDED;
        }

        @Override
        public Instant recordedAt() {
            return signOff.signedAt();
        }

        /** The findings published before and no longer kept, in finding order. */
        public List<SignedFinding> withdrawn() {
            Set<Integer> kept = signOff.kept().stream().map(k -> k.finding().number()).collect(Collectors.toSet());
            return previous.kept().stream().filter(k -> !kept.contains(k.finding().number())).toList();
        }
    }

    /**
     * The retraction of a published read.
     *
     * @param signOff     the sign-off last published
     * @param retractedBy user name of whoever retracted it
     * @param retractedAt when
     */
    record Retracted(SignOff signOff, String retractedBy, Instant retractedAt) implements OfSignOff {
        public Retracted {
            Objects.requireNonNull(signOff, "signOff");
            Objects.requireNonNull(retractedBy, "retractedBy");
            Objects.requireNonNull(retractedAt, "retractedAt");
            requireReadId(signOff);
            if (retractedBy.isBlank()) {
                throw new IllegalArgumentException("retractedBy must not be blank (read " + signOff.readId() + ")");
            }
            if (retractedAt.isBefore(signOff.signedAt())) {
                throw new IllegalArgumentException("retractedAt of read " + signOff.readId()
                        + " must not be before its sign-off " + signOff.signedAt() + ", got " + retractedAt);
            }
        }

        @Override
        public ReportStatus status() {
            return ReportStatus.ENTERED_IN_ERROR;
        }

        @Override
        public Instant recordedAt() {
            return retractedAt;
        }
    }

    private static void requireReadId(SignOff signOff) {
        if (signOff.readId().isBlank()) {
            throw new IllegalArgumentException("signOff.readId must not be blank");
        }
    }
}
