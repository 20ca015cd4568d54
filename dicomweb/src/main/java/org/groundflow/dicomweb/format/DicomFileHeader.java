package org.groundflow.dicomweb.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/** The identity of a DICOM Part 10 file, read from its header without its pixel data. */
public record DicomFileHeader(Path file, String sopClassUid, String sopInstanceUid) {

    /** @throws IllegalArgumentException when the file is missing or is not a DICOM Part 10 file with SOP UIDs */
    public static DicomFileHeader read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("not a readable file: " + file);
        }
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable DICOM file: " + file + " (" + e.getMessage() + ")", e);
        }
        if (list.get(TagFromName.TransferSyntaxUID) == null) {
            throw new IllegalArgumentException("not a DICOM Part 10 file (no file meta information): " + file);
        }
        String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
        String sopInstance = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
        if (sopClass.isEmpty() || sopInstance.isEmpty()) {
            throw new IllegalArgumentException("DICOM file without SOP Class or SOP Instance UID: " + file);
        }
        return new DicomFileHeader(file, sopClass, sopInstance);
    }

    /**
     * The transfer syntax named by the file's meta information.
     *
     * @return empty when the file has no readable meta information
     */
    public static Optional<String> transferSyntaxOf(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            return Optional.empty();
        }
        String syntax = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        return syntax.isEmpty() ? Optional.empty() : Optional.of(syntax);
    }
}
