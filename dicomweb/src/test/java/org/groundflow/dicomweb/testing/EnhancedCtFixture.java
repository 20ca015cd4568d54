package org.groundflow.dicomweb.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

/**
 * Turns a series of single-frame CT images into one Enhanced CT Image Storage instance: frames in the order given,
 * each placed by its Plane Position functional group; pixel spacing, orientation and rescale in the shared groups.
 */
public final class EnhancedCtFixture {

    public static final String ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1";
    public static final AttributeTag PER_FRAME_GROUPS = new AttributeTag(0x5200, 0x9230);
    private static final AttributeTag SHARED_GROUPS = new AttributeTag(0x5200, 0x9229);
    private static final AttributeTag PLANE_POSITION = new AttributeTag(0x0020, 0x9113);
    private static final AttributeTag PLANE_ORIENTATION = new AttributeTag(0x0020, 0x9116);
    private static final AttributeTag PIXEL_MEASURES = new AttributeTag(0x0028, 0x9110);
    private static final AttributeTag PIXEL_VALUE_TRANSFORMATION = new AttributeTag(0x0028, 0x9145);

    private EnhancedCtFixture() {
    }

    /**
     * @param frames      single-frame images of one series, in the frame order wanted
     * @param sopInstance the new instance's UID
     */
    public static Path write(List<Path> frames, String sopInstance, Path file) throws Exception {
        AttributeList first = read(frames.get(0));
        AttributeList list = new AttributeList();
        for (AttributeTag tag : List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate,
                TagFromName.PatientSex, TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime,
                TagFromName.StudyID, TagFromName.AccessionNumber, TagFromName.ReferringPhysicianName,
                TagFromName.StudyDescription, TagFromName.Modality, TagFromName.SeriesInstanceUID,
                TagFromName.SeriesNumber, TagFromName.FrameOfReferenceUID, TagFromName.Rows, TagFromName.Columns,
                TagFromName.SamplesPerPixel, TagFromName.PhotometricInterpretation, TagFromName.BitsAllocated,
                TagFromName.BitsStored, TagFromName.HighBit, TagFromName.PixelRepresentation)) {
            Attribute attribute = first.get(tag);
            if (attribute != null) {
                list.put(attribute);
            }
        }
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), ENHANCED_CT_IMAGE_STORAGE);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopInstance);
        put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
        put(list, new IntegerStringAttribute(TagFromName.NumberOfFrames), Integer.toString(frames.size()));
        put(list, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL", "PRIMARY", "AXIAL", "NONE");

        AttributeList shared = new AttributeList();
        shared.put(sequence(PIXEL_MEASURES, copy(first, TagFromName.PixelSpacing, TagFromName.SliceThickness)));
        shared.put(sequence(PLANE_ORIENTATION, copy(first, TagFromName.ImageOrientationPatient)));
        AttributeList transformation = copy(first, TagFromName.RescaleIntercept, TagFromName.RescaleSlope);
        put(transformation, new LongStringAttribute(new AttributeTag(0x0028, 0x1054)), "HU");
        shared.put(sequence(PIXEL_VALUE_TRANSFORMATION, transformation));
        list.put(sequence(SHARED_GROUPS, shared));

        SequenceAttribute perFrame = new SequenceAttribute(PER_FRAME_GROUPS);
        int perSlice = Attribute.getSingleIntegerValueOrDefault(first, TagFromName.Rows, 0)
                * Attribute.getSingleIntegerValueOrDefault(first, TagFromName.Columns, 0);
        short[] pixels = new short[perSlice * frames.size()];
        for (int f = 0; f < frames.size(); f++) {
            AttributeList frame = read(frames.get(f));
            AttributeList groups = new AttributeList();
            groups.put(sequence(PLANE_POSITION, copy(frame, TagFromName.ImagePositionPatient)));
            perFrame.addItem(groups);
            System.arraycopy(frame.getPixelData().getShortValues(), 0, pixels, f * perSlice, perSlice);
        }
        list.put(perFrame);
        OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        list.put(pixelData);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "GROUNDFLOW");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new File(file.toString()));
        return list;
    }

    private static AttributeList copy(AttributeList from, AttributeTag... tags) {
        AttributeList item = new AttributeList();
        for (AttributeTag tag : tags) {
            Attribute attribute = from.get(tag);
            if (attribute != null) {
                item.put(attribute);
            }
        }
        return item;
    }

    private static SequenceAttribute sequence(AttributeTag tag, AttributeList item) {
        SequenceAttribute sequence = new SequenceAttribute(tag);
        sequence.addItem(item);
        return sequence;
    }

    private static void put(AttributeList list, Attribute attribute, String... values) throws Exception {
        for (String value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }
}
