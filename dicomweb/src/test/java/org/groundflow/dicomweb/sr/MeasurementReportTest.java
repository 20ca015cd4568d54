package org.groundflow.dicomweb.sr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.UnaryOperator;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.testing.Dciodvfy;
import org.groundflow.dicomweb.testing.DemoResults;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

class MeasurementReportTest {

    static Segmentation seg;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildSegmentation() {
        seg = DemoResults.seg();
    }

    @Test
    void roundTripsThroughTheReader() {
        MeasurementReport report = DemoResults.report(seg).build();

        MeasurementReportContent content = MeasurementReportReader.read(report.toBytes());

        assertThat(content.sopInstanceUid()).isEqualTo(DemoResults.SR_INSTANCE);
        assertThat(content.seriesInstanceUid()).isEqualTo(DemoResults.SR_SERIES);
        assertThat(content.studyInstanceUid()).isEqualTo(DemoResults.volume().studyInstanceUid());
        assertThat(content.groups()).extracting(MeasurementReportContent.ReportedGroup::group)
                .containsExactlyElementsOf(DemoResults.groups());
        assertThat(content.groups()).allSatisfy(g -> {
            assertThat(g.segmentationInstanceUid()).isEqualTo(DemoResults.SEG_INSTANCE);
            assertThat(g.sourceSeriesInstanceUid()).isEqualTo(DemoResults.volume().seriesInstanceUid());
        });
        assertThat(content.algorithm()).isEqualTo(DemoResults.ALGORITHM);
        assertThat(content.procedureReported()).isEqualTo(ReportCodes.CT_UNSPECIFIED_BODY_REGION);
        assertThat(content.predecessor()).isNull();
    }

    @Test
    void everySignedSentenceLeadsToItsSegment() {
        MeasurementReportContent content = MeasurementReportReader.read(DemoResults.report(seg).build().toBytes());

        for (int n = 1; n <= 3; n++) {
            MeasurementGroup group = content.groupOf(DemoResults.SEG_INSTANCE, n).orElseThrow().group();
            assertThat(group.text()).isEqualTo(DemoResults.sentences().get(n - 1));
            assertThat(seg.segments().get(n - 1).number()).isEqualTo(n);
        }
    }

    @Test
    void typedTextKeepsItsMarkupAndCharactersVerbatim() {
        String typed = "<script>alert('x')</script> <b>Läsion</b> 5 mm ≥ 3 mm — “stable” & 🙂\tsee\r\nabove";
        MeasurementGroup first = DemoResults.groups().get(0);
        MeasurementReport.Builder builder = MeasurementReport.builder(DemoResults.volume(), seg)
                .seriesInstanceUid(DemoResults.SR_SERIES).sopInstanceUid(DemoResults.SR_INSTANCE).seriesNumber(9002)
                .algorithm(DemoResults.ALGORITHM).signedBy(DemoResults.SIGN_OFF).contentDateTime(DemoResults.SIGNED_AT)
                .group(new MeasurementGroup(first.trackingIdentifier(), first.trackingUid(), first.category(),
                        first.finding(), first.site(), typed, first.measurements(), first.segmentNumber()));

        MeasurementReportContent content = MeasurementReportReader.read(builder.build().toBytes());

        assertThat(content.groupOf(DemoResults.SEG_INSTANCE, 1).orElseThrow().group().text()).isEqualTo(typed);
    }

    @Test
    void aSignedReportIsVerifiedCompleteAndFinalAndNamesTheRadiologistAndTheModel() {
        MeasurementReportContent content = MeasurementReportReader.read(DemoResults.report(seg).build().toBytes());

        assertThat(content.verified()).isTrue();
        assertThat(content.complete()).isTrue();
        assertThat(content.preliminary()).isFalse();
        assertThat(content.verification()).isEqualTo(DemoResults.SIGN_OFF);
        assertThat(content.personObserver()).isEqualTo("Doe^Jane");
        assertThat(content.algorithm().deviceUid()).isEqualTo(DemoResults.ALGORITHM.deviceUid());
    }

    @Test
    void anUnsignedReportIsPreliminary() {
        MeasurementReport.Builder draft = MeasurementReport.builder(DemoResults.volume(), seg)
                .seriesInstanceUid(DemoResults.SR_SERIES).sopInstanceUid(DemoResults.SR_INSTANCE).seriesNumber(9002)
                .algorithm(DemoResults.ALGORITHM).group(DemoResults.groups().get(0));

        MeasurementReportContent content = MeasurementReportReader.read(draft.build().toBytes());

        assertThat(content.verified()).isFalse();
        assertThat(content.preliminary()).isTrue();
        assertThat(content.verification()).isNull();
        assertThat(content.personObserver()).isNull();
    }

    @Test
    void anAmendmentNamesItsPredecessor() {
        MeasurementReport first = DemoResults.report(seg).build();
        MeasurementReport amended = DemoResults.report(seg).sopInstanceUid(Uid.of("2.25.1202")).instanceNumber(2)
                .predecessor(first.reference()).build();

        MeasurementReportContent content = MeasurementReportReader.read(amended.toBytes());

        assertThat(content.predecessor()).isEqualTo(new InstanceReference(DemoResults.volume().studyInstanceUid(),
                DemoResults.SR_SERIES, MeasurementReport.SOP_CLASS_UID, DemoResults.SR_INSTANCE));
        assertThat(content.instanceNumber()).isEqualTo(2);
    }

    @Test
    void listsTheSourceImagesAndTheSegmentationAsEvidence() throws Exception {
        AttributeList list = new AttributeList();
        list.read(DemoResults.report(seg).build().write(temp.resolve("sr.dcm")).toFile());

        AttributeList study = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                list, TagFromName.CurrentRequestedProcedureEvidenceSequence);
        SequenceAttribute series = (SequenceAttribute) study.get(TagFromName.ReferencedSeriesSequence);
        assertThat(series.getNumberOfItems()).isEqualTo(2);
        assertThat(((SequenceAttribute) series.getItem(0).getAttributeList().get(TagFromName.ReferencedSOPSequence))
                .getNumberOfItems()).isEqualTo(DemoResults.volume().slices());
        assertThat(Attribute.getSingleStringValueOrEmptyString(series.getItem(1).getAttributeList(), TagFromName.SeriesInstanceUID))
                .isEqualTo(DemoResults.SEG_SERIES.value());
        assertThat(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality)).isEqualTo("SR");
        assertThat(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID)).isEqualTo("GF-DEMO-0001");
        AttributeList equipment = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                list, TagFromName.ContributingEquipmentSequence);
        assertThat(Attribute.getSingleStringValueOrEmptyString(equipment, TagFromName.SoftwareVersions)).isEqualTo("1.0.0");
    }

    @Test
    void dciodvfyFindsNoErrorsInASignedReportOrAnAmendment() {
        MeasurementReport first = DemoResults.report(seg).build();
        Path signed = first.write(temp.resolve("signed.dcm"));
        Path amended = DemoResults.report(seg).sopInstanceUid(Uid.of("2.25.1202")).predecessor(first.reference()).build()
                .write(temp.resolve("amended.dcm"));

        assertThat(Dciodvfy.errors(signed)).isEmpty();
        assertThat(Dciodvfy.errors(amended)).isEmpty();
    }

    @Test
    void aGroupWithoutAFindingSiteRoundTripsWithout() {
        MeasurementGroup unsited = new MeasurementGroup("Finding 1 (nodule)", Uid.of("2.25.1397"), null,
                SegmentCodes.NODULE, null, "A nodule.", List.of(Measurement.volumeMl(0.4)), 1);
        MeasurementReport report = MeasurementReport.builder(DemoResults.volume(), seg).seriesInstanceUid(DemoResults.SR_SERIES)
                .sopInstanceUid(DemoResults.SR_INSTANCE).seriesNumber(1).algorithm(DemoResults.ALGORITHM).group(unsited)
                .build();

        MeasurementReportContent content = MeasurementReportReader.read(report.toBytes());

        assertThat(content.groups()).singleElement().satisfies(g -> assertThat(g.group()).isEqualTo(unsited));
        assertThat(Dciodvfy.errors(report.write(temp.resolve("unsited.dcm")))).isEmpty();
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        assertThat(DemoResults.report(seg).build().toBytes()).isEqualTo(DemoResults.report(seg).build().toBytes());
    }

    @Test
    void measurementsKeepWhatTheDecimalStringHolds() {
        assertThat(Measurement.longAxisMm(12.345678901234).value()).isEqualTo(12.3456789);
        assertThat(Measurement.volumeMl(0.1).decimalString()).isEqualTo("0.1");
        assertThat(Measurement.meanAttenuationHu(-850).decimalString()).isEqualTo("-850");
        assertThat(Measurement.volumeMl(1e-20).decimalString()).hasSizeLessThanOrEqualTo(16);
        assertThatThrownBy(() -> new Measurement(ReportCodes.VOLUME, 1, SegmentCodes.NODULE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a UCUM code");
        assertThatThrownBy(() -> Measurement.volumeMl(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Volume must be a finite number, got NaN");
    }

    @Test
    void rejectsMissingPartsAndGroupsThatDoNotFitTheSegmentation() {
        assertRejected(b -> MeasurementReport.builder(DemoResults.volume(), seg).group(DemoResults.groups().get(0)),
                "seriesInstanceUid is required");
        assertRejected(b -> MeasurementReport.builder(DemoResults.volume(), seg).seriesInstanceUid(DemoResults.SR_SERIES)
                .sopInstanceUid(DemoResults.SR_INSTANCE).seriesNumber(1).group(DemoResults.groups().get(0)),
                "algorithm (the AI that made the findings) is required");
        assertRejected(b -> MeasurementReport.builder(DemoResults.volume(), seg).seriesInstanceUid(DemoResults.SR_SERIES)
                .sopInstanceUid(DemoResults.SR_INSTANCE).seriesNumber(1).algorithm(DemoResults.ALGORITHM),
                "at least one measurement group is required");
        assertRejected(b -> b.seriesInstanceUid(DemoResults.SEG_SERIES), "seriesInstanceUid must differ from the source and the SEG series");
        assertRejected(b -> b.group(group(4, "2.25.1399")), "Finding 4 references segment 4, but segmentation 2.25.1101 has segments [1, 2, 3]");
        assertRejected(b -> b.group(group(1, "2.25.1398")), "Finding 1 references segment 1, which another group already references");
        assertRejected(b -> b.predecessor(new InstanceReference(DemoResults.volume().studyInstanceUid(), DemoResults.SR_SERIES,
                MeasurementReport.SOP_CLASS_UID, DemoResults.SR_INSTANCE)), "predecessor must be another report");
        assertThatThrownBy(() -> new MeasurementGroup("Finding 1", Uid.of("2.25.1"), null, SegmentCodes.NODULE,
                FindingSite.of(ReportCodes.LUNG), " ", List.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text of Finding 1 must not be blank: it is the signed sentence");
        assertThatThrownBy(() -> new Verification("Doe^Jane", "", OffsetDateTime.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("organization must not be blank");
    }

    @Test
    void theReaderRejectsOtherObjects() {
        assertThatThrownBy(() -> MeasurementReportReader.read(DemoStudyFiles.get().get(0)))
                .isInstanceOf(MeasurementReportException.class)
                .hasMessageContaining("is not a Comprehensive 3D SR (SOP Class 1.2.840.10008.5.1.4.1.1.2)");
        assertThatThrownBy(() -> MeasurementReportReader.read(seg.toBytes()))
                .isInstanceOf(MeasurementReportException.class)
                .hasMessageContaining("is not a Comprehensive 3D SR");
    }

    private static MeasurementGroup group(int segment, String trackingUid) {
        return new MeasurementGroup("Finding " + segment, Uid.of(trackingUid), null, SegmentCodes.NODULE,
                FindingSite.of(ReportCodes.LUNG), "A nodule.", List.of(), segment);
    }

    private static void assertRejected(UnaryOperator<MeasurementReport.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(DemoResults.report(seg)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
