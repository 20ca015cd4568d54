package org.groundflow.dicomweb.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.groundflow.dicomweb.StudyContext;

/**
 * The geometry, identity and rescaling of one image plane: a single-frame image, or one frame of an enhanced
 * multi-frame image (whose per-frame and shared functional groups say where each frame lies). Read without pixel
 * data.
 *
 * @param frameIndex 0-based frame within the file
 * @param bodyPartExamined Body Part Examined, empty when absent
 * @param study      the patient and study attributes of the file
 */
record SliceHeader(
        Path file,
        int frameIndex,
        int frames,
        String studyInstanceUid,
        String seriesInstanceUid,
        String frameOfReferenceUid,
        String sopClassUid,
        String sopInstanceUid,
        String transferSyntaxUid,
        String modality,
        int rows,
        int columns,
        double[] pixelSpacing,
        double[] orientation,
        double[] position,
        double sliceThickness,
        double spacingBetweenSlices,
        double rescaleSlope,
        double rescaleIntercept,
        String bodyPartExamined,
        StudyContext study) {

    private static final AttributeTag SHARED_GROUPS = new AttributeTag(0x5200, 0x9229);
    private static final AttributeTag PER_FRAME_GROUPS = new AttributeTag(0x5200, 0x9230);
    private static final AttributeTag PLANE_POSITION = new AttributeTag(0x0020, 0x9113);
    private static final AttributeTag PLANE_ORIENTATION = new AttributeTag(0x0020, 0x9116);
    private static final AttributeTag PIXEL_MEASURES = new AttributeTag(0x0028, 0x9110);
    private static final AttributeTag PIXEL_VALUE_TRANSFORMATION = new AttributeTag(0x0028, 0x9145);

    /**
     * @return one header per frame
     * @throws VolumeException when the file is not readable DICOM or lacks the geometry of a volume slice
     */
    static List<SliceHeader> read(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException(null, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String series = text(list, TagFromName.SeriesInstanceUID);
        String instance = text(list, TagFromName.SOPInstanceUID);
        if (instance.isEmpty()) {
            instance = "(without SOPInstanceUID) " + file.getFileName();
        }
        if (Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0) <= 0
                || Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0) <= 0) {
            throw new VolumeException(series, "instance " + instance + " is not an image (no Rows and Columns; SOP class "
                    + text(list, TagFromName.SOPClassUID) + ")");
        }
        try {
            return slices(file, list, series, instance);
        } catch (VolumeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new VolumeException(series, "instance " + instance + " has unusable header values: " + e, e);
        }
    }

    private static List<SliceHeader> slices(Path file, AttributeList list, String series, String instance) {
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        if (frames < 1) {
            throw new VolumeException(series, "instance " + instance + " has NumberOfFrames " + frames);
        }
        SequenceAttribute perFrame = (SequenceAttribute) list.get(PER_FRAME_GROUPS);
        AttributeList shared = firstItem(list.get(SHARED_GROUPS));
        if (perFrame == null && frames > 1) {
            throw new VolumeException(series, "instance " + instance + " has " + frames + " frames but no per-frame "
                    + "functional groups, so its frames cannot be placed in space (not an enhanced image)");
        }
        if (perFrame != null && perFrame.getNumberOfItems() != frames) {
            throw new VolumeException(series, "instance " + instance + " has " + frames + " frames but "
                    + perFrame.getNumberOfItems() + " items of per-frame functional groups");
        }
        StudyContext study = study(list);
        List<SliceHeader> slices = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            AttributeList groups = perFrame == null ? null : perFrame.getItem(f).getAttributeList();
            String label = perFrame == null ? "instance " + instance : "frame " + (f + 1) + " of instance " + instance;
            AttributeList measures = macro(groups, shared, PIXEL_MEASURES, list);
            AttributeList transformation = macro(groups, shared, PIXEL_VALUE_TRANSFORMATION, list);
            double slope = Attribute.getSingleDoubleValueOrDefault(transformation, TagFromName.RescaleSlope, 1.0);
            slices.add(new SliceHeader(
                    file, f, frames,
                    text(list, TagFromName.StudyInstanceUID),
                    series,
                    text(list, TagFromName.FrameOfReferenceUID),
                    text(list, TagFromName.SOPClassUID),
                    instance,
                    text(list, TagFromName.TransferSyntaxUID),
                    text(list, TagFromName.Modality),
                    Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0),
                    Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0),
                    numbers(measures, TagFromName.PixelSpacing, 2, series, label),
                    numbers(macro(groups, shared, PLANE_ORIENTATION, list), TagFromName.ImageOrientationPatient, 6,
                            series, label),
                    numbers(macro(groups, shared, PLANE_POSITION, list), TagFromName.ImagePositionPatient, 3, series,
                            label),
                    Attribute.getSingleDoubleValueOrDefault(measures, TagFromName.SliceThickness, 0),
                    Attribute.getSingleDoubleValueOrDefault(measures, TagFromName.SpacingBetweenSlices, 0),
                    slope == 0 || !Double.isFinite(slope) ? 1.0 : slope,
                    finiteOrZero(Attribute.getSingleDoubleValueOrDefault(transformation, TagFromName.RescaleIntercept, 0)),
                    text(list, TagFromName.BodyPartExamined),
                    study));
        }
        return slices;
    }

    private static StudyContext study(AttributeList list) {
        return new StudyContext(
                text(list, TagFromName.PatientName),
                text(list, TagFromName.PatientID),
                text(list, TagFromName.PatientBirthDate),
                text(list, TagFromName.PatientSex),
                text(list, TagFromName.StudyDate),
                text(list, TagFromName.StudyTime),
                text(list, TagFromName.StudyID),
                text(list, TagFromName.AccessionNumber),
                text(list, TagFromName.ReferringPhysicianName),
                text(list, TagFromName.StudyDescription),
                text(list, TagFromName.IssuerOfPatientID));
    }

    /** "instance UID", or "frame N of instance UID" for a multi-frame image: how messages name this slice. */
    String label() {
        return frames == 1 ? "instance " + sopInstanceUid : "frame " + (frameIndex + 1) + " of instance " + sopInstanceUid;
    }

    double[] rowDirection() {
        return new double[] {orientation[0], orientation[1], orientation[2]};
    }

    double[] columnDirection() {
        return new double[] {orientation[3], orientation[4], orientation[5]};
    }

    static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).strip();
    }

    /**
     * The attributes of a functional group macro for one frame: the first item of {@code macro} in the frame's own
     * groups, else in the shared groups, else the top level (single-frame images keep them there).
     */
    private static AttributeList macro(AttributeList frameGroups, AttributeList shared, AttributeTag macro,
                                       AttributeList topLevel) {
        AttributeList item = frameGroups == null ? null : firstItem(frameGroups.get(macro));
        if (item == null && shared != null) {
            item = firstItem(shared.get(macro));
        }
        return item != null ? item : topLevel;
    }

    private static AttributeList firstItem(Attribute attribute) {
        if (attribute instanceof SequenceAttribute sequence && sequence.getNumberOfItems() > 0) {
            return sequence.getItem(0).getAttributeList();
        }
        return null;
    }

    private static double[] numbers(AttributeList list, AttributeTag tag, int count, String series, String label) {
        double[] values = Attribute.getDoubleValues(list, tag);
        if (values == null || values.length != count) {
            throw new VolumeException(series, label + " has no valid " + list.getDictionary().getNameFromTag(tag)
                    + " (" + count + " values expected)");
        }
        for (double value : values) {
            if (!Double.isFinite(value)) {
                throw new VolumeException(series, label + " has a non-finite " + list.getDictionary().getNameFromTag(tag));
            }
        }
        return values;
    }

    private static double finiteOrZero(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
