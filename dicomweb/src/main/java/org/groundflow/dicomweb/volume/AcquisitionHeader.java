package org.groundflow.dicomweb.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalDouble;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * How an image series was acquired, as one of its instances' headers says: the scanner (Manufacturer (0008,0070),
 * Manufacturer's Model Name (0008,1090)), the body part (Body Part Examined (0018,0015)), the in-plane pixel spacing
 * (Pixel Spacing (0028,0030)) and the slice thickness (Slice Thickness (0018,0050)), the last two from the shared
 * functional groups' Pixel Measures of an enhanced multi-frame image. No patient data. Read without pixel data.
 *
 * @param manufacturer    empty when the header names none
 * @param scannerModel    empty when the header names none
 * @param bodyPart        upper case; empty when the header names none
 * @param pixelSpacing    the mean of row and column spacing (mm); empty when absent or not positive
 * @param sliceThickness  mm; empty when absent or not positive
 */
public record AcquisitionHeader(String manufacturer, String scannerModel, String bodyPart, OptionalDouble pixelSpacing,
                                OptionalDouble sliceThickness) {

    private static final AttributeTag SHARED_GROUPS = new AttributeTag(0x5200, 0x9229);
    private static final AttributeTag PIXEL_MEASURES = new AttributeTag(0x0028, 0x9110);

    public AcquisitionHeader {
        manufacturer = Objects.requireNonNullElse(manufacturer, "").strip();
        scannerModel = Objects.requireNonNullElse(scannerModel, "").strip();
        bodyPart = Objects.requireNonNullElse(bodyPart, "").strip().toUpperCase(java.util.Locale.ROOT);
        Objects.requireNonNull(pixelSpacing, "pixelSpacing");
        Objects.requireNonNull(sliceThickness, "sliceThickness");
    }

    /**
     * @throws VolumeException when the file is not a readable DICOM Part 10 file
     */
    public static AcquisitionHeader read(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException(null, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (list.get(TagFromName.TransferSyntaxUID) == null) {
            throw new VolumeException(null, "not a DICOM Part 10 file (no file meta information): " + file);
        }
        AttributeList measures = list;
        if (list.get(TagFromName.PixelSpacing) == null && list.get(SHARED_GROUPS) instanceof SequenceAttribute shared
                && shared.getNumberOfItems() > 0
                && shared.getItem(0).getAttributeList().get(PIXEL_MEASURES) instanceof SequenceAttribute pixelMeasures
                && pixelMeasures.getNumberOfItems() > 0) {
            measures = pixelMeasures.getItem(0).getAttributeList();
        }
        double[] spacing = Attribute.getDoubleValues(measures, TagFromName.PixelSpacing);
        OptionalDouble pixelSpacing = spacing == null || spacing.length != 2 ? OptionalDouble.empty()
                : positive((spacing[0] + spacing[1]) / 2);
        return new AcquisitionHeader(
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Manufacturer),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.ManufacturerModelName),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.BodyPartExamined),
                pixelSpacing,
                positive(Attribute.getSingleDoubleValueOrDefault(measures, TagFromName.SliceThickness, 0)));
    }

    private static OptionalDouble positive(double value) {
        return Double.isFinite(value) && value > 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
