package org.groundflow.dicomweb;

import java.io.IOException;
import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/** The geometry and identity of one single-frame image, read without its pixel data. */
record SliceHeader(
        Path file,
        String studyInstanceUid,
        String seriesInstanceUid,
        String frameOfReferenceUid,
        String sopClassUid,
        String sopInstanceUid,
        String modality,
        int rows,
        int columns,
        int frames,
        double[] pixelSpacing,
        double[] orientation,
        double[] position,
        double sliceThickness,
        double spacingBetweenSlices) {

    static SliceHeader read(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException(null, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String series = text(list, TagFromName.SeriesInstanceUID);
        String sopInstance = text(list, TagFromName.SOPInstanceUID);
        return new SliceHeader(
                file,
                text(list, TagFromName.StudyInstanceUID),
                series,
                text(list, TagFromName.FrameOfReferenceUID),
                text(list, TagFromName.SOPClassUID),
                sopInstance,
                text(list, TagFromName.Modality),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1),
                numbers(list, TagFromName.PixelSpacing, 2, series, sopInstance),
                numbers(list, TagFromName.ImageOrientationPatient, 6, series, sopInstance),
                numbers(list, TagFromName.ImagePositionPatient, 3, series, sopInstance),
                Attribute.getSingleDoubleValueOrDefault(list, TagFromName.SliceThickness, 0),
                Attribute.getSingleDoubleValueOrDefault(list, TagFromName.SpacingBetweenSlices, 0));
    }

    double[] rowDirection() {
        return new double[] {orientation[0], orientation[1], orientation[2]};
    }

    double[] columnDirection() {
        return new double[] {orientation[3], orientation[4], orientation[5]};
    }

    static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).strip();
    }

    private static double[] numbers(AttributeList list, com.pixelmed.dicom.AttributeTag tag, int count,
                                    String series, String sopInstance) {
        double[] values = Attribute.getDoubleValues(list, tag);
        if (values == null || values.length != count) {
            throw new VolumeException(series, "instance " + sopInstance + " has no valid "
                    + list.getDictionary().getNameFromTag(tag) + " (" + count + " values expected)");
        }
        return values;
    }
}
