package org.groundflow.dicomweb.seg;

import static org.groundflow.dicomweb.seg.DicomAttributes.put;
import static org.groundflow.dicomweb.seg.DicomAttributes.putCode;
import static org.groundflow.dicomweb.seg.DicomAttributes.putIntegers;
import static org.groundflow.dicomweb.seg.DicomAttributes.putNumbers;
import static org.groundflow.dicomweb.seg.DicomAttributes.putSequence;
import static org.groundflow.dicomweb.seg.DicomAttributes.putTag;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;

/** Frames of a BINARY segmentation: which exist, their functional groups, dimensions and packed pixel data. */
final class SegmentationFrames {

    /** DCM 121322 "Source image for image processing operation" (CID 7202). */
    static final CodedConcept SOURCE_IMAGE_FOR_PROCESSING =
            new CodedConcept("121322", "DCM", "Source image for image processing operation");
    /** DCM 113076 "Segmentation" (CID 7203). */
    static final CodedConcept SEGMENTATION_DERIVATION = new CodedConcept("113076", "DCM", "Segmentation");

    /** One frame: a segment on one source slice. */
    record Frame(int segmentNumber, int slice, BitSet pixels) {
    }

    private SegmentationFrames() {
    }

    /** Frames for every (segment, slice) with at least one voxel set, by segment then slice. */
    static List<Frame> frames(List<Segmentation.SegmentMask> segments, VolumeGeometry source) {
        int perSlice = source.voxelsPerSlice();
        List<Frame> frames = new ArrayList<>();
        for (Segmentation.SegmentMask segment : segments) {
            BitSet mask = segment.mask();
            for (int z = 0; z < source.slices(); z++) {
                int from = z * perSlice;
                int next = mask.nextSetBit(from);
                if (next >= 0 && next < from + perSlice) {
                    frames.add(new Frame(segment.description().number(), z, mask.get(from, from + perSlice)));
                }
            }
        }
        return frames;
    }

    static void functionalGroups(AttributeList list, VolumeGeometry source, List<Frame> frames, Uid sopInstanceUid)
            throws DicomException {
        String organization = derivedUid(sopInstanceUid, "dimension-organization");
        AttributeList organizationItem = new AttributeList();
        put(organizationItem, "DimensionOrganizationUID", organization);
        putSequence(list, "DimensionOrganizationSequence", organizationItem);
        put(list, "DimensionOrganizationType", "3D");
        putSequence(list, "DimensionIndexSequence",
                dimension(organization, "ReferencedSegmentNumber", "SegmentIdentificationSequence", "Segment Number"),
                dimension(organization, "ImagePositionPatient", "PlanePositionSequence", "Image Position Patient"));

        AttributeList shared = new AttributeList();
        AttributeList measures = new AttributeList();
        putNumbers(measures, "PixelSpacing", source.rowSpacing(), source.columnSpacing());
        putNumbers(measures, "SliceThickness", source.sliceSpacing());
        putNumbers(measures, "SpacingBetweenSlices", source.sliceSpacing());
        putSequence(shared, "PixelMeasuresSequence", measures);
        AttributeList orientation = new AttributeList();
        double[] r = source.rowDirection();
        double[] c = source.columnDirection();
        putNumbers(orientation, "ImageOrientationPatient", r[0], r[1], r[2], c[0], c[1], c[2]);
        putSequence(shared, "PlaneOrientationSequence", orientation);
        putSequence(list, "SharedFunctionalGroupsSequence", shared);

        List<AttributeList> perFrame = new ArrayList<>(frames.size());
        for (Frame frame : frames) {
            perFrame.add(perFrameGroups(source, frame));
        }
        putSequence(list, "PerFrameFunctionalGroupsSequence", perFrame.toArray(AttributeList[]::new));
    }

    private static AttributeList dimension(String organization, String index, String group, String label)
            throws DicomException {
        AttributeList item = new AttributeList();
        put(item, "DimensionOrganizationUID", organization);
        putTag(item, "DimensionIndexPointer", index);
        putTag(item, "FunctionalGroupPointer", group);
        put(item, "DimensionDescriptionLabel", label);
        return item;
    }

    private static AttributeList perFrameGroups(VolumeGeometry source, Frame frame) throws DicomException {
        AttributeList groups = new AttributeList();
        AttributeList content = new AttributeList();
        putIntegers(content, "DimensionIndexValues", frame.segmentNumber(), frame.slice() + 1);
        putSequence(groups, "FrameContentSequence", content);

        AttributeList position = new AttributeList();
        putNumbers(position, "ImagePositionPatient", source.slicePositions().get(frame.slice()));
        putSequence(groups, "PlanePositionSequence", position);

        AttributeList segment = new AttributeList();
        putIntegers(segment, "ReferencedSegmentNumber", frame.segmentNumber());
        putSequence(groups, "SegmentIdentificationSequence", segment);

        AttributeList sourceImage = new AttributeList();
        put(sourceImage, "ReferencedSOPClassUID", source.sopClassUid().value());
        put(sourceImage, "ReferencedSOPInstanceUID", source.sopInstanceUids().get(frame.slice()).value());
        putCode(sourceImage, "PurposeOfReferenceCodeSequence", SOURCE_IMAGE_FOR_PROCESSING);
        AttributeList derivation = new AttributeList();
        putSequence(derivation, "SourceImageSequence", sourceImage);
        putCode(derivation, "DerivationCodeSequence", SEGMENTATION_DERIVATION);
        putSequence(groups, "DerivationImageSequence", derivation);
        return groups;
    }

    /** 1-bit pixels, frames back to back without padding between them, first pixel in the lowest bit. */
    static void pixelData(AttributeList list, VolumeGeometry source, List<Frame> frames) throws DicomException {
        long perFrame = source.voxelsPerSlice();
        long bits = perFrame * frames.size();
        long bytes = (bits + 7) / 8;
        byte[] packed = new byte[Math.toIntExact(bytes + (bytes & 1))];
        long base = 0;
        for (Frame frame : frames) {
            BitSet pixels = frame.pixels();
            if ((base & 7) == 0) {
                // BitSet's byte order is DICOM's: bit i in byte i / 8 at position i % 8.
                byte[] frameBytes = pixels.toByteArray();
                System.arraycopy(frameBytes, 0, packed, (int) (base >>> 3), frameBytes.length);
            } else {
                for (int i = pixels.nextSetBit(0); i >= 0; i = pixels.nextSetBit(i + 1)) {
                    long bit = base + i;
                    packed[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
            base += perFrame;
        }
        OtherByteAttribute pixelData = new OtherByteAttribute(TagFromName.PixelData);
        pixelData.setValues(packed);
        list.put(pixelData);
    }

    /** A UID derived from this instance's UID, so that encoding the same input twice gives the same bytes. */
    private static String derivedUid(Uid base, String role) {
        UUID uuid = UUID.nameUUIDFromBytes((base.value() + "/" + role).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(1, bytes);
    }
}
