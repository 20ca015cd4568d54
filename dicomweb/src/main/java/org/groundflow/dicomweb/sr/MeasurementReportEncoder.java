package org.groundflow.dicomweb.sr;

import static org.groundflow.dicomweb.seg.DicomAttributes.put;
import static org.groundflow.dicomweb.seg.DicomAttributes.putEmpty;
import static org.groundflow.dicomweb.seg.DicomAttributes.putIntegers;
import static org.groundflow.dicomweb.seg.DicomAttributes.putSequence;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.DicomAttributes;
import org.groundflow.dicomweb.seg.Segmentation;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;

/** Encodes a checked {@link MeasurementReport.Builder} into the modules of the Comprehensive 3D SR IOD (PS3.3 A.35.13). */
final class MeasurementReportEncoder {

    static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    /** DT with the offset from UTC, e.g. 20240611103000+0200. */
    static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssxx");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx");
    private static final String SOURCE_AE = "GROUNDFLOW";

    private MeasurementReportEncoder() {
    }

    static AttributeList encode(MeasurementReport.Builder b, OffsetDateTime when, CodedConcept procedure) {
        try {
            AttributeList list = new AttributeList();
            sopCommon(list, b, when);
            DicomAttributes.putPatientAndStudy(list, b.source.study(), b.source.studyInstanceUid());
            series(list, b, when);
            equipment(list, b.algorithm);
            documentGeneral(list, b, when);
            list.putAll(ReportContentTree.build(b, procedure));
            list.insertSuitableSpecificCharacterSetForAllStringValues();
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
            return list;
        } catch (DicomException e) {
            throw new IllegalStateException("cannot encode measurement report " + b.sopInstanceUid + ": " + e.getMessage(), e);
        }
    }

    private static void sopCommon(AttributeList list, MeasurementReport.Builder b, OffsetDateTime when) throws DicomException {
        put(list, "SOPClassUID", MeasurementReport.SOP_CLASS_UID.value());
        put(list, "SOPInstanceUID", b.sopInstanceUid.value());
        put(list, "InstanceCreationDate", DA.format(when));
        put(list, "InstanceCreationTime", TM.format(when));
        put(list, "TimezoneOffsetFromUTC", OFFSET.format(when));
        DicomAttributes.putContributingEquipment(list, ReportCodes.PROCESSING_EQUIPMENT, b.algorithm.manufacturer(),
                b.algorithm.name(), b.algorithm.version(), b.algorithm.deviceUid(), DT.format(when),
                "Automated findings and measurements");
    }

    private static void series(AttributeList list, MeasurementReport.Builder b, OffsetDateTime when) throws DicomException {
        DicomAttributes.putSeries(list, "SR", b.seriesInstanceUid, b.seriesNumber, DA.format(when), TM.format(when),
                b.seriesDescription);
        putSequence(list, "ReferencedPerformedProcedureStepSequence");
    }

    /** General Equipment and Enhanced General Equipment: the algorithm made this document. */
    private static void equipment(AttributeList list, Algorithm algorithm) throws DicomException {
        put(list, "Manufacturer", algorithm.manufacturer());
        put(list, "ManufacturerModelName", algorithm.name());
        put(list, "DeviceSerialNumber", algorithm.deviceUid().value());
        put(list, "SoftwareVersions", algorithm.version());
    }

    private static void documentGeneral(AttributeList list, MeasurementReport.Builder b, OffsetDateTime when)
            throws DicomException {
        putIntegers(list, "InstanceNumber", b.instanceNumber);
        put(list, "ContentDate", DA.format(when));
        put(list, "ContentTime", TM.format(when));
        put(list, "CompletionFlag", "COMPLETE");
        if (b.verification != null) {
            put(list, "VerificationFlag", "VERIFIED");
            put(list, "PreliminaryFlag", "FINAL");
            AttributeList verifier = new AttributeList();
            put(verifier, "VerifyingObserverName", b.verification.verifierName());
            putSequence(verifier, "VerifyingObserverIdentificationCodeSequence");
            put(verifier, "VerifyingOrganization", b.verification.organization());
            put(verifier, "VerificationDateTime", DT.format(b.verification.verifiedAt()));
            putSequence(list, "VerifyingObserverSequence", verifier);
        } else {
            put(list, "VerificationFlag", "UNVERIFIED");
            put(list, "PreliminaryFlag", "PRELIMINARY");
        }
        if (b.predecessor != null) {
            putSequence(list, "PredecessorDocumentsSequence", studyReference(b.predecessor.studyInstanceUid(),
                    series(b.predecessor.seriesInstanceUid(), List.of(b.predecessor.sopClassUid()),
                            List.of(b.predecessor.sopInstanceUid()))));
        }
        putEmpty(list, "PerformedProcedureCodeSequence");
        VolumeGeometry source = b.source;
        Segmentation seg = b.segmentation;
        putSequence(list, "CurrentRequestedProcedureEvidenceSequence", studyReference(source.studyInstanceUid(),
                series(source.seriesInstanceUid(), List.of(source.sopClassUid()), source.sopInstanceUids()),
                series(seg.seriesInstanceUid(), List.of(Segmentation.SOP_CLASS_UID), List.of(seg.sopInstanceUid()))));
    }

    /** Hierarchical SOP Instance Reference macro (PS3.3 Table C.17-3): one study, its series and instances. */
    private static AttributeList studyReference(Uid study, AttributeList... series) throws DicomException {
        AttributeList item = new AttributeList();
        put(item, "StudyInstanceUID", study.value());
        putSequence(item, "ReferencedSeriesSequence", series);
        return item;
    }

    /** @param sopClasses one class for all instances, or one per instance */
    private static AttributeList series(Uid series, List<Uid> sopClasses, List<Uid> instances) throws DicomException {
        List<AttributeList> items = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            AttributeList item = new AttributeList();
            put(item, "ReferencedSOPClassUID", sopClasses.get(sopClasses.size() == 1 ? 0 : i).value());
            put(item, "ReferencedSOPInstanceUID", instances.get(i).value());
            items.add(item);
        }
        AttributeList item = new AttributeList();
        put(item, "SeriesInstanceUID", series.value());
        putSequence(item, "ReferencedSOPSequence", items.toArray(AttributeList[]::new));
        return item;
    }
}
