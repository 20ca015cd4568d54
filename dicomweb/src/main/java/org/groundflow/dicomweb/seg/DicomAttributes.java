package org.groundflow.dicomweb.seg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TransferSyntax;

/**
 * Puts and gets attributes by keyword, with the value representation from PixelMed's dictionary. Shared by the
 * encoders and readers of {@code seg} and {@code sr}; not an API for other modules (they never see PixelMed types).
 */
public final class DicomAttributes {

    private static final DicomDictionary DICTIONARY = AttributeList.getDictionary();

    private DicomAttributes() {
    }

    public static AttributeTag tag(String keyword) {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        if (tag == null) {
            throw new IllegalStateException("PixelMed's dictionary does not know the keyword " + keyword);
        }
        return tag;
    }

    /** Puts the attribute with the given values; no values gives a zero-length (Type 2 empty) attribute. */
    public static void put(AttributeList list, String keyword, String... values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag(keyword));
        for (String value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    public static void putEmpty(AttributeList list, String keyword) throws DicomException {
        list.put(AttributeFactory.newAttribute(tag(keyword)));
    }

    public static void putNumbers(AttributeList list, String keyword, double... values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag(keyword));
        for (double value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    public static void putIntegers(AttributeList list, String keyword, int... values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag(keyword));
        for (int value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    public static void putTag(AttributeList list, String keyword, String valueKeyword) throws DicomException {
        AttributeTagAttribute attribute = new AttributeTagAttribute(tag(keyword));
        attribute.addValue(tag(valueKeyword));
        list.put(attribute);
    }

    public static SequenceAttribute putSequence(AttributeList list, String keyword, AttributeList... items) {
        SequenceAttribute sequence = new SequenceAttribute(tag(keyword));
        for (AttributeList item : items) {
            sequence.addItem(item);
        }
        list.put(sequence);
        return sequence;
    }

    public static void putCode(AttributeList list, String keyword, CodedConcept code) throws DicomException {
        CodedSequenceItem item = new CodedSequenceItem(code.value(), code.scheme(), code.meaning());
        putSequence(list, keyword, item.getAttributeList());
    }

    public static String text(AttributeList list, String keyword) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag(keyword)).strip();
    }

    /** The single item of a sequence, or null. */
    public static AttributeList item(AttributeList list, String keyword) {
        Attribute attribute = list.get(tag(keyword));
        if (attribute instanceof SequenceAttribute sequence && sequence.getNumberOfItems() > 0) {
            return sequence.getItem(0).getAttributeList();
        }
        return null;
    }

    public static CodedConcept code(AttributeList list, String keyword) {
        AttributeList item = item(list, keyword);
        if (item == null) {
            return null;
        }
        CodedSequenceItem coded = new CodedSequenceItem(item);
        try {
            return new CodedConcept(coded.getCodeValue(), coded.getCodingSchemeDesignator(), coded.getCodeMeaning());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Patient and General Study modules, copied from the source series so a derived object cannot mismatch. */
    public static void putPatientAndStudy(AttributeList list, StudyContext study, Uid studyUid) throws DicomException {
        putText(list, "PatientName", study.patientName());
        putText(list, "PatientID", study.patientId());
        if (study.issuerOfPatientId() != null && !study.issuerOfPatientId().isBlank()) {
            put(list, "IssuerOfPatientID", study.issuerOfPatientId());
        }
        putText(list, "PatientBirthDate", study.patientBirthDate());
        putText(list, "PatientSex", study.patientSex());
        put(list, "StudyInstanceUID", studyUid.value());
        putText(list, "StudyDate", study.studyDate());
        putText(list, "StudyTime", study.studyTime());
        putText(list, "ReferringPhysicianName", study.referringPhysicianName());
        putText(list, "StudyID", study.studyId());
        putText(list, "AccessionNumber", study.accessionNumber());
        if (study.studyDescription() != null && !study.studyDescription().isBlank()) {
            put(list, "StudyDescription", study.studyDescription());
        }
    }

    /** A Type 2 text attribute: empty when the value is null or blank. */
    public static void putText(AttributeList list, String keyword, String value) throws DicomException {
        if (value == null || value.isBlank()) {
            putEmpty(list, keyword);
        } else {
            put(list, keyword, value);
        }
    }

    /**
     * The Contributing Equipment item that names the algorithm which made a derived object (IHE AI Results): purpose
     * of reference, manufacturer, model (the algorithm's name), software version, device UID when known.
     */
    public static void putContributingEquipment(AttributeList list, CodedConcept purpose, String manufacturer,
                                                String algorithmName, String algorithmVersion, Uid deviceUid,
                                                String contributionDateTime, String description) throws DicomException {
        AttributeList item = new AttributeList();
        putCode(item, "PurposeOfReferenceCodeSequence", purpose);
        put(item, "Manufacturer", manufacturer);
        put(item, "ManufacturerModelName", algorithmName);
        put(item, "SoftwareVersions", algorithmVersion);
        if (deviceUid != null) {
            put(item, "DeviceUID", deviceUid.value());
        }
        put(item, "ContributionDateTime", contributionDateTime);
        put(item, "ContributionDescription", description);
        putSequence(list, "ContributingEquipmentSequence", item);
    }

    /** The General Series attributes every derived series of Groundflow's has. */
    public static void putSeries(AttributeList list, String modality, Uid seriesUid, int seriesNumber, String date,
                                 String time, String description) throws DicomException {
        put(list, "Modality", modality);
        put(list, "SeriesInstanceUID", seriesUid.value());
        putIntegers(list, "SeriesNumber", seriesNumber);
        put(list, "SeriesDate", date);
        put(list, "SeriesTime", time);
        if (description != null && !description.isBlank()) {
            put(list, "SeriesDescription", description);
        }
    }

    /** Rule of a builder's Series Number (IS): not negative. */
    public static int seriesNumber(int number) {
        if (number < 0) {
            throw new IllegalArgumentException("seriesNumber must not be negative, got " + number);
        }
        return number;
    }

    /** Rule of a builder's Instance Number (IS): positive. */
    public static int instanceNumber(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("instanceNumber must be positive, got " + number);
        }
        return number;
    }

    /** A data set as a Part 10 file (Explicit VR Little Endian); {@code what} names it in the error. */
    public static byte[] toBytes(AttributeList dataSet, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writePart10(dataSet, out, what);
        return out.toByteArray();
    }

    /** Writes a data set as a Part 10 file, creating parent directories. @return the file */
    public static Path write(AttributeList dataSet, Path file, String what) {
        Objects.requireNonNull(file, "file");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                writePart10(dataSet, out, what);
            }
        } catch (IOException e) {
            throw new DicomWebException("cannot write " + what + " to " + file + ": "
                    + e.getMessage(), e);
        }
        return file;
    }

    private static void writePart10(AttributeList dataSet, OutputStream out, String what) {
        try {
            dataSet.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (IOException | DicomException e) {
            throw new DicomWebException("cannot encode " + what + ": " + e.getMessage(), e);
        }
    }

    /** Rule of a builder's LO value: present, at most 64 characters, no backslash. */
    public static String longString(String name, String value) {
        java.util.Objects.requireNonNull(value, name);
        if (value.length() > 64 || value.contains("\\")) {
            throw new IllegalArgumentException(name + " must be at most 64 characters without '\\', got: " + value);
        }
        return value;
    }
}
