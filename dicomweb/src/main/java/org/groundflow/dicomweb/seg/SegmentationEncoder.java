package org.groundflow.dicomweb.seg;

import static org.groundflow.dicomweb.seg.DicomAttributes.put;
import static org.groundflow.dicomweb.seg.DicomAttributes.item;
import static org.groundflow.dicomweb.seg.DicomAttributes.putCode;
import static org.groundflow.dicomweb.seg.DicomAttributes.putEmpty;
import static org.groundflow.dicomweb.seg.DicomAttributes.putIntegers;
import static org.groundflow.dicomweb.seg.DicomAttributes.putSequence;
import static org.groundflow.dicomweb.seg.DicomAttributes.putText;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;

/** Encodes a checked {@link Segmentation.Builder} into the modules of the Segmentation IOD (PS3.3 A.51). */
final class SegmentationEncoder {

    /**
     * DCM 109102 "Processing Equipment" (CID 7005 Contributing Equipment Purpose of Reference): the purpose of the
     * algorithm's Contributing Equipment item. IHE AI Results asks for "Processing Algorithm", which its trial text
     * codes only as a placeholder (Newcode1, 99IHE); CID 7005 has no such code, and 109102 is its concept for
     * equipment that processed the source images into this object (109103 "Modifying Equipment" means equipment
     * that changed an existing instance).
     */
    static final CodedConcept PROCESSING_EQUIPMENT = new CodedConcept("109102", "DCM", "Processing Equipment");
    /** DCM 123110 "Artificial Intelligence" (CID 7162 Surface Processing Algorithm Families): the algorithm family. */
    static final CodedConcept ARTIFICIAL_INTELLIGENCE = new CodedConcept("123110", "DCM", "Artificial Intelligence");
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String SOURCE_AE = "GROUNDFLOW";

    record Encoded(AttributeList dataSet, int frameCount) {
    }

    private SegmentationEncoder() {
    }

    static Encoded encode(Segmentation.Builder b, LocalDateTime when) {
        try {
            AttributeList list = new AttributeList();
            VolumeGeometry source = b.source;
            List<SegmentationFrames.Frame> frames = SegmentationFrames.frames(b.segments, source);
            sopCommon(list, b, when);
            DicomAttributes.putPatientAndStudy(list, source.study(), source.studyInstanceUid());
            series(list, b, when);
            equipment(list, b);
            image(list, b, when, source, frames.size());
            segments(list, b);
            SegmentationFrames.functionalGroups(list, source, frames, b.sopInstanceUid);
            SegmentationFrames.pixelData(list, source, frames);
            commonInstanceReference(list, source);
            list.insertSuitableSpecificCharacterSetForAllStringValues();
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
            return new Encoded(list, frames.size());
        } catch (DicomException e) {
            throw new IllegalStateException("cannot encode segmentation " + b.sopInstanceUid + ": " + e.getMessage(), e);
        }
    }

    private static void sopCommon(AttributeList list, Segmentation.Builder b, LocalDateTime when) throws DicomException {
        put(list, "SOPClassUID", SOPClass.SegmentationStorage);
        put(list, "SOPInstanceUID", b.sopInstanceUid.value());
        put(list, "InstanceCreationDate", DA.format(when));
        put(list, "InstanceCreationTime", TM.format(when));
        DicomAttributes.putContributingEquipment(list, PROCESSING_EQUIPMENT, b.manufacturer, b.algorithmName,
                b.algorithmVersion, b.deviceUid, DT.format(when), "Automated segmentation");
    }

    private static void series(AttributeList list, Segmentation.Builder b, LocalDateTime when) throws DicomException {
        DicomAttributes.putSeries(list, "SEG", b.seriesInstanceUid, b.seriesNumber, DA.format(when), TM.format(when),
                b.seriesDescription);
        put(list, "FrameOfReferenceUID", b.source.frameOfReferenceUid().value());
        putEmpty(list, "PositionReferenceIndicator");
    }

    private static void equipment(AttributeList list, Segmentation.Builder b) throws DicomException {
        put(list, "Manufacturer", b.manufacturer);
        put(list, "ManufacturerModelName", b.algorithmName);
        put(list, "DeviceSerialNumber", b.deviceSerialNumber);
        put(list, "SoftwareVersions", b.algorithmVersion);
    }

    private static void image(AttributeList list, Segmentation.Builder b, LocalDateTime when, VolumeGeometry source,
                              int frameCount) throws DicomException {
        put(list, "ImageType", "DERIVED", "PRIMARY");
        putIntegers(list, "InstanceNumber", b.instanceNumber);
        put(list, "ContentDate", DA.format(when));
        put(list, "ContentTime", TM.format(when));
        put(list, "ContentLabel", b.contentLabel);
        putText(list, "ContentDescription", b.contentDescription);
        putText(list, "ContentCreatorName", b.contentCreatorName);
        putIntegers(list, "SamplesPerPixel", 1);
        put(list, "PhotometricInterpretation", "MONOCHROME2");
        putIntegers(list, "Rows", source.rows());
        putIntegers(list, "Columns", source.columns());
        putIntegers(list, "BitsAllocated", 1);
        putIntegers(list, "BitsStored", 1);
        putIntegers(list, "HighBit", 0);
        putIntegers(list, "PixelRepresentation", 0);
        put(list, "LossyImageCompression", "00");
        put(list, "SegmentationType", "BINARY");
        putIntegers(list, "NumberOfFrames", frameCount);
    }

    private static void segments(AttributeList list, Segmentation.Builder b) throws DicomException {
        List<AttributeList> items = new ArrayList<>();
        for (Segmentation.SegmentMask segment : b.segments) {
            SegmentDescription d = segment.description();
            AttributeList item = new AttributeList();
            putIntegers(item, "SegmentNumber", d.number());
            put(item, "SegmentLabel", d.label());
            put(item, "SegmentAlgorithmType", d.algorithmType().name());
            if (d.algorithmType() != SegmentAlgorithmType.MANUAL) {
                put(item, "SegmentAlgorithmName", b.algorithmName);
                AttributeList algorithm = new AttributeList();
                putCode(algorithm, "AlgorithmFamilyCodeSequence", ARTIFICIAL_INTELLIGENCE);
                put(algorithm, "AlgorithmName", b.algorithmName);
                put(algorithm, "AlgorithmVersion", b.algorithmVersion);
                putSequence(item, "SegmentationAlgorithmIdentificationSequence", algorithm);
            }
            putCode(item, "SegmentedPropertyCategoryCodeSequence", d.category());
            putCode(item, "SegmentedPropertyTypeCodeSequence", d.type());
            if (d.anatomicRegion() != null) {
                putCode(item, "AnatomicRegionSequence", d.anatomicRegion());
                if (d.anatomicRegionModifier() != null) {
                    putCode(item(item, "AnatomicRegionSequence"), "AnatomicRegionModifierSequence",
                            d.anatomicRegionModifier());
                }
            }
            if (d.colour() != null) {
                putIntegers(item, "RecommendedDisplayCIELabValue", d.colour().toCieLab());
            }
            items.add(item);
        }
        putSequence(list, "SegmentSequence", items.toArray(AttributeList[]::new));
    }

    private static void commonInstanceReference(AttributeList list, VolumeGeometry source) throws DicomException {
        List<AttributeList> instances = new ArrayList<>();
        for (Uid instance : source.sopInstanceUids()) {
            AttributeList item = new AttributeList();
            put(item, "ReferencedSOPClassUID", source.sopClassUid().value());
            put(item, "ReferencedSOPInstanceUID", instance.value());
            instances.add(item);
        }
        AttributeList series = new AttributeList();
        put(series, "SeriesInstanceUID", source.seriesInstanceUid().value());
        putSequence(series, "ReferencedInstanceSequence", instances.toArray(AttributeList[]::new));
        putSequence(list, "ReferencedSeriesSequence", series);
    }
}
