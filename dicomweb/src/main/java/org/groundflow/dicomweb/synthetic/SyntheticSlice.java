package org.groundflow.dicomweb.synthetic;

import static org.groundflow.dicomweb.synthetic.DicomAttributes.put;
import static org.groundflow.dicomweb.synthetic.DicomAttributes.putEmpty;
import static org.groundflow.dicomweb.synthetic.DicomAttributes.putNumbers;

import java.io.IOException;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/** One slice of a {@link SyntheticStudy} as a CT Image Storage data set. */
final class SyntheticSlice {

    private static final String DATE = "20240611";
    private static final String TIME = "090000";
    private static final String SOURCE_AE = "GROUNDFLOW";

    private SyntheticSlice() {
    }

    static AttributeList attributes(SyntheticStudy study, int k, short[] pixels) throws DicomException {
        AttributeList list = new AttributeList();
        // SOP Common, General Image, CT Image
        put(list, "SOPClassUID", SOPClass.CTImageStorage);
        put(list, "SOPInstanceUID", study.sopInstanceUid(k).value());
        put(list, "ImageType", "ORIGINAL", "PRIMARY", "AXIAL");
        put(list, "InstanceNumber", k + 1);
        put(list, "ContentDate", DATE);
        put(list, "ContentTime", TIME);
        put(list, "AcquisitionNumber", 1);
        putEmpty(list, "PatientOrientation");
        putNumbers(list, "KVP", 120.0);
        put(list, "BurnedInAnnotation", "NO");
        // Patient
        put(list, "PatientName", SyntheticStudy.PATIENT_NAME);
        put(list, "PatientID", SyntheticStudy.PATIENT_ID);
        putEmpty(list, "PatientBirthDate");
        put(list, "PatientSex", "O");
        // General Study
        put(list, "StudyInstanceUID", study.studyInstanceUid().value());
        put(list, "StudyDate", DATE);
        put(list, "StudyTime", TIME);
        putEmpty(list, "ReferringPhysicianName");
        put(list, "StudyID", "1");
        put(list, "AccessionNumber", SyntheticStudy.ACCESSION_NUMBER);
        put(list, "StudyDescription", SyntheticStudy.STUDY_DESCRIPTION);
        // General Series (no Laterality: BodyPartExamined is set, see STACK.md trap 10)
        put(list, "Modality", "CT");
        put(list, "SeriesInstanceUID", study.seriesInstanceUid().value());
        put(list, "SeriesNumber", 1);
        put(list, "SeriesDate", DATE);
        put(list, "SeriesTime", TIME);
        put(list, "SeriesDescription", "Synthetic chest CT 2.5 mm");
        put(list, "BodyPartExamined", "CHEST");
        put(list, "PatientPosition", "HFS");
        // General Equipment
        put(list, "Manufacturer", "Groundflow");
        put(list, "ManufacturerModelName", "Synthetic chest phantom");
        put(list, "SoftwareVersions", "1");
        // Frame of Reference, Image Plane
        put(list, "FrameOfReferenceUID", study.frameOfReferenceUid().value());
        putEmpty(list, "PositionReferenceIndicator");
        putNumbers(list, "ImagePositionPatient", study.origin(), study.origin(), study.z(k));
        putNumbers(list, "ImageOrientationPatient", 1, 0, 0, 0, 1, 0);
        putNumbers(list, "PixelSpacing", study.pixelSpacing(), study.pixelSpacing());
        putNumbers(list, "SliceThickness", Phantom.SLICE_SPACING);
        putNumbers(list, "SliceLocation", study.z(k));
        // Image Pixel, CT Image, VOI LUT
        put(list, "SamplesPerPixel", 1);
        put(list, "PhotometricInterpretation", "MONOCHROME2");
        put(list, "Rows", study.rows());
        put(list, "Columns", study.columns());
        put(list, "BitsAllocated", 16);
        put(list, "BitsStored", 16);
        put(list, "HighBit", 15);
        put(list, "PixelRepresentation", 1);
        putNumbers(list, "RescaleIntercept", (double) Phantom.RESCALE_INTERCEPT);
        putNumbers(list, "RescaleSlope", 1.0);
        put(list, "RescaleType", "HU");
        putNumbers(list, "WindowCenter", 40.0);
        putNumbers(list, "WindowWidth", 400.0);
        OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        list.put(pixelData);
        return list;
    }

    static void write(AttributeList list, Path file) throws DicomException, IOException {
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
}
