package org.groundflow.dicomweb.kos;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.client.RejectionReason;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.DicomAttributes;
import org.groundflow.dicomweb.sr.InstanceReference;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;

/**
 * An IHE IOCM rejection note: a Key Object Selection Document (PS3.3 A.35.4, template TID 2010) whose title says why
 * the instances it lists are withdrawn, stored to the PACS beside them. A PACS that implements IOCM hides (or deletes)
 * the listed instances; any other keeps the note as the record that they are no longer valid.
 */
public final class RejectionNote {

    /** Key Object Selection Document Storage. */
    public static final Uid SOP_CLASS_UID = Uid.of(SOPClass.KeyObjectSelectionDocumentStorage);
    /** Concept name of the free-text description of the selection (DCM, TID 2010). */
    public static final CodedConcept KEY_OBJECT_DESCRIPTION = new CodedConcept("113012", "DCM", "Key Object Description");
    /** The longest description kept: an UT value may be longer, but a reason is a sentence or a paragraph. */
    public static final int MAX_DESCRIPTION = 1024;

    private final Uid sopInstanceUid;
    private final List<InstanceReference> rejected;
    private final AttributeList dataSet;

    private RejectionNote(Uid sopInstanceUid, List<InstanceReference> rejected, AttributeList dataSet) {
        this.sopInstanceUid = sopInstanceUid;
        this.rejected = rejected;
        this.dataSet = dataSet;
    }

    /**
     * A rejection note of instances of one study.
     *
     * @param study    patient and study attributes of the study the rejected instances belong to
     * @param studyUid that study
     */
    public static Builder builder(StudyContext study, Uid studyUid) {
        return new Builder(study, studyUid);
    }

    public Uid sopInstanceUid() {
        return sopInstanceUid;
    }

    /** The instances this note withdraws, in the order given. */
    public List<InstanceReference> rejected() {
        return rejected;
    }

    /** The Part 10 file (Explicit VR Little Endian). */
    public byte[] toBytes() {
        return DicomAttributes.toBytes(dataSet, "rejection note " + sopInstanceUid);
    }

    /** Writes the Part 10 file, creating parent directories. @return the file */
    public Path write(Path file) {
        return DicomAttributes.write(dataSet, file, "rejection note " + sopInstanceUid);
    }

    /** Collects the parts of a note; {@link #build()} checks them and encodes. */
    public static final class Builder {
        final StudyContext study;
        final Uid studyUid;
        final List<InstanceReference> rejected = new ArrayList<>();
        Uid sopInstanceUid;
        Uid seriesInstanceUid;
        int seriesNumber = 9902;
        RejectionReason title = RejectionReason.PATIENT_SAFETY;
        String description;
        String manufacturer = "Groundflow";
        OffsetDateTime contentDateTime;

        private Builder(StudyContext study, Uid studyUid) {
            this.study = Objects.requireNonNull(study, "study");
            this.studyUid = Objects.requireNonNull(studyUid, "studyUid");
        }

        public Builder sopInstanceUid(Uid uid) {
            this.sopInstanceUid = Objects.requireNonNull(uid, "sopInstanceUid");
            return this;
        }

        public Builder seriesInstanceUid(Uid uid) {
            this.seriesInstanceUid = Objects.requireNonNull(uid, "seriesInstanceUid");
            return this;
        }

        public Builder seriesNumber(int number) {
            this.seriesNumber = DicomAttributes.seriesNumber(number);
            return this;
        }

        /**
         * Why the instances are withdrawn, the document title (CID 7011): {@link RejectionReason#PATIENT_SAFETY} (the
         * default: they must not be used, e.g. a report retracted after publication) or another IOCM reason.
         */
        public Builder title(RejectionReason reason) {
            this.title = Objects.requireNonNull(reason, "title");
            return this;
        }

        /** Why the instances are withdrawn (Key Object Description), at most {@value #MAX_DESCRIPTION} characters. */
        public Builder description(String text) {
            Objects.requireNonNull(text, "description");
            if (text.isBlank() || text.length() > MAX_DESCRIPTION) {
                throw new IllegalArgumentException("description must be 1 to " + MAX_DESCRIPTION
                        + " characters, got " + text.length());
            }
            this.description = text;
            return this;
        }

        public Builder manufacturer(String name) {
            this.manufacturer = DicomAttributes.longString("manufacturer", name);
            return this;
        }

        public Builder contentDateTime(OffsetDateTime dateTime) {
            this.contentDateTime = Objects.requireNonNull(dateTime, "contentDateTime");
            return this;
        }

        /** An instance to withdraw; it must belong to this note's study. */
        public Builder reject(InstanceReference instance) {
            Objects.requireNonNull(instance, "instance");
            if (!instance.studyInstanceUid().equals(studyUid)) {
                throw new IllegalArgumentException("rejected instance " + instance.sopInstanceUid() + " belongs to study "
                        + instance.studyInstanceUid() + ", not to the note's study " + studyUid);
            }
            if (rejected.stream().anyMatch(r -> r.sopInstanceUid().equals(instance.sopInstanceUid()))) {
                throw new IllegalArgumentException("instance " + instance.sopInstanceUid() + " is rejected twice");
            }
            rejected.add(instance);
            return this;
        }

        public RejectionNote build() {
            if (sopInstanceUid == null) {
                throw new IllegalArgumentException("sopInstanceUid is required");
            }
            if (seriesInstanceUid == null) {
                throw new IllegalArgumentException("seriesInstanceUid is required");
            }
            if (rejected.isEmpty()) {
                throw new IllegalArgumentException("rejection note " + sopInstanceUid + " must reject at least one instance");
            }
            OffsetDateTime when = contentDateTime == null ? OffsetDateTime.now() : contentDateTime;
            return new RejectionNote(sopInstanceUid, List.copyOf(rejected), RejectionNoteEncoder.encode(this, when));
        }
    }
}
