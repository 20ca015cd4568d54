package org.groundflow.workflow.read;

import java.time.Instant;
import java.util.Objects;

/**
 * The retraction of a read: who withdrew it, when and why.
 *
 * @param rejectionNoteUid the SOP Instance UID of the rejection note stored to the PACS; null until it is stored
 */
public record Retraction(String readId, String retractedBy, Instant retractedAt, String reason, String rejectionNoteUid) {

    public Retraction {
        ReadStore.requireReadId(readId);
        Objects.requireNonNull(retractedBy, "retractedBy");
        Objects.requireNonNull(retractedAt, "retractedAt");
        Objects.requireNonNull(reason, "reason");
    }
}
