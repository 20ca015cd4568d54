package org.groundflow.dicomweb.seg;

import static org.groundflow.dicomweb.seg.DicomAttributes.code;
import static org.groundflow.dicomweb.seg.DicomAttributes.item;
import static org.groundflow.dicomweb.seg.DicomAttributes.tag;
import static org.groundflow.dicomweb.seg.DicomAttributes.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/** Reads a BINARY DICOM Segmentation back into segments and frames, checking what it relies on. */
public final class SegmentationReader {

    private SegmentationReader() {
    }

    public static SegmentationContent read(Path file) {
        Objects.requireNonNull(file, "file");
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new SegmentationException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return decode(list);
    }

    public static SegmentationContent read(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            list.read(in);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new SegmentationException("cannot read a segmentation from " + bytes.length + " bytes: " + e.getMessage(), e);
        }
        return decode(list);
    }

    private static SegmentationContent decode(AttributeList list) {
        String sopInstance = text(list, "SOPInstanceUID");
        String sopClass = text(list, "SOPClassUID");
        if (!SOPClass.SegmentationStorage.equals(sopClass)) {
            throw new SegmentationException("instance " + sopInstance + " is not a Segmentation (SOP Class " + sopClass + ")");
        }
        String type = text(list, "SegmentationType");
        if (!"BINARY".equals(type)) {
            throw new SegmentationException("segmentation " + sopInstance + " is " + type + "; only BINARY is supported");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        if (bitsAllocated != 1) {
            throw new SegmentationException("segmentation " + sopInstance + " has BitsAllocated " + bitsAllocated + ", expected 1");
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        int frameCount = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        List<SegmentDescription> segments = segments(list, sopInstance);
        List<SegmentFrame> frames = frames(list, sopInstance, rows, columns, frameCount);
        AttributeList referencedSeries = item(list, "ReferencedSeriesSequence");
        return new SegmentationContent(
                uid(sopInstance, sopInstance, "SOPInstanceUID"),
                uid(text(list, "SeriesInstanceUID"), sopInstance, "SeriesInstanceUID"),
                uid(text(list, "StudyInstanceUID"), sopInstance, "StudyInstanceUID"),
                optionalUid(text(list, "FrameOfReferenceUID")),
                referencedSeries == null ? null : optionalUid(text(referencedSeries, "SeriesInstanceUID")),
                rows, columns, segments, frames);
    }

    private static List<SegmentDescription> segments(AttributeList list, String sopInstance) {
        Attribute attribute = list.get(tag("SegmentSequence"));
        if (!(attribute instanceof SequenceAttribute sequence) || sequence.getNumberOfItems() == 0) {
            throw new SegmentationException("segmentation " + sopInstance + " has no SegmentSequence");
        }
        List<SegmentDescription> segments = new ArrayList<>();
        for (int i = 0; i < sequence.getNumberOfItems(); i++) {
            AttributeList item = sequence.getItem(i).getAttributeList();
            int number = Attribute.getSingleIntegerValueOrDefault(item, tag("SegmentNumber"), 0);
            CodedConcept category = code(item, "SegmentedPropertyCategoryCodeSequence");
            CodedConcept type = code(item, "SegmentedPropertyTypeCodeSequence");
            if (category == null || type == null) {
                throw new SegmentationException("segmentation " + sopInstance + ": segment " + number
                        + " lacks its segmented property category or type");
            }
            int[] lab = Attribute.getIntegerValues(item, tag("RecommendedDisplayCIELabValue"));
            try {
                AttributeList region = item(item, "AnatomicRegionSequence");
                segments.add(new SegmentDescription(number, text(item, "SegmentLabel"), category, type,
                        SegmentAlgorithmType.valueOf(text(item, "SegmentAlgorithmType")),
                        lab != null && lab.length == 3 ? RgbColour.fromCieLab(lab) : null,
                        code(item, "AnatomicRegionSequence"),
                        region == null ? null : code(region, "AnatomicRegionModifierSequence")));
            } catch (IllegalArgumentException e) {
                throw new SegmentationException("segmentation " + sopInstance + ": segment item " + (i + 1)
                        + " is invalid: " + e.getMessage(), e);
            }
        }
        return segments;
    }

    private static List<SegmentFrame> frames(AttributeList list, String sopInstance, int rows, int columns, int count) {
        if (rows <= 0 || columns <= 0 || count <= 0) {
            throw new SegmentationException("segmentation " + sopInstance + " has no valid Rows, Columns or NumberOfFrames");
        }
        byte[] packed = pixelBytes(list, sopInstance);
        long perFrame = (long) rows * columns;
        if (packed.length < (perFrame * count + 7) / 8) {
            throw new SegmentationException("segmentation " + sopInstance + ": pixel data holds " + packed.length
                    + " bytes, " + (perFrame * count + 7) / 8 + " needed for " + count + " frames");
        }
        Attribute perFrameAttribute = list.get(tag("PerFrameFunctionalGroupsSequence"));
        if (!(perFrameAttribute instanceof SequenceAttribute perFrameGroups) || perFrameGroups.getNumberOfItems() != count) {
            throw new SegmentationException("segmentation " + sopInstance + ": PerFrameFunctionalGroupsSequence must have "
                    + count + " items");
        }
        AttributeList shared = item(list, "SharedFunctionalGroupsSequence");
        List<SegmentFrame> frames = new ArrayList<>(count);
        for (int f = 0; f < count; f++) {
            AttributeList groups = perFrameGroups.getItem(f).getAttributeList();
            AttributeList segment = group(groups, shared, "SegmentIdentificationSequence");
            int number = segment == null ? 0 : Attribute.getSingleIntegerValueOrDefault(segment, tag("ReferencedSegmentNumber"), 0);
            if (number <= 0) {
                throw new SegmentationException("segmentation " + sopInstance + ": frame " + (f + 1) + " names no segment");
            }
            AttributeList plane = group(groups, shared, "PlanePositionSequence");
            double[] position = plane == null ? null : Attribute.getDoubleValues(plane, TagFromName.ImagePositionPatient);
            frames.add(new SegmentFrame(number, sourceInstance(groups, shared), position != null && position.length == 3
                    ? position : null, unpack(packed, f * perFrame, (int) perFrame)));
        }
        return frames;
    }

    private static String sourceInstance(AttributeList groups, AttributeList shared) {
        AttributeList derivation = group(groups, shared, "DerivationImageSequence");
        AttributeList sourceImage = derivation == null ? null : item(derivation, "SourceImageSequence");
        if (sourceImage == null) {
            return null;
        }
        String uid = text(sourceImage, "ReferencedSOPInstanceUID");
        return uid.isEmpty() ? null : uid;
    }

    /** The single item of a functional group macro, per-frame first, then shared. */
    private static AttributeList group(AttributeList perFrame, AttributeList shared, String keyword) {
        AttributeList item = item(perFrame, keyword);
        return item != null || shared == null ? item : item(shared, keyword);
    }

    private static byte[] pixelBytes(AttributeList list, String sopInstance) {
        Attribute pixelData = list.getPixelData();
        try {
            byte[] bytes = pixelData == null ? null : pixelData.getByteValues();
            if (bytes == null) {
                throw new SegmentationException("segmentation " + sopInstance + " has no pixel data");
            }
            return bytes;
        } catch (DicomException e) {
            throw new SegmentationException("segmentation " + sopInstance + ": undecodable pixel data: " + e.getMessage(), e);
        }
    }

    private static BitSet unpack(byte[] packed, long firstBit, int count) {
        BitSet bits = new BitSet(count);
        for (int i = 0; i < count; i++) {
            long bit = firstBit + i;
            if ((packed[(int) (bit >>> 3)] >> (bit & 7) & 1) != 0) {
                bits.set(i);
            }
        }
        return bits;
    }

    private static Uid uid(String value, String sopInstance, String name) {
        try {
            return Uid.of(value);
        } catch (IllegalArgumentException e) {
            throw new SegmentationException("segmentation " + sopInstance + ": malformed " + name + ": " + e.getMessage(), e);
        }
    }

    private static Uid optionalUid(String value) {
        try {
            return value.isEmpty() ? null : Uid.of(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
