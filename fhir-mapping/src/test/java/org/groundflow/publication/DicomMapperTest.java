package org.groundflow.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.groundflow.publication.SignedReads.AMENDED_AT;
import static org.groundflow.publication.SignedReads.CARD;
import static org.groundflow.publication.SignedReads.ORGANIZATION;
import static org.groundflow.publication.SignedReads.RADIOLOGIST;
import static org.groundflow.publication.SignedReads.READ_ID;
import static org.groundflow.publication.SignedReads.SIGNED_AT;
import static org.groundflow.publication.SignedReads.STUDY;

import java.nio.file.Path;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.seg.RgbColour;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.SegmentationContent;
import org.groundflow.dicomweb.seg.SegmentationReader;
import org.groundflow.dicomweb.sr.FindingSite;
import org.groundflow.dicomweb.sr.Measurement;
import org.groundflow.dicomweb.sr.MeasurementGroup;
import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.sr.MeasurementReportContent;
import org.groundflow.dicomweb.sr.MeasurementReportReader;
import org.groundflow.dicomweb.sr.ReportCodes;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.testing.Dciodvfy;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Laterality;
import org.groundflow.review.SignOff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A signed read mapped to its SEG and TID 1500 SR, checked by reading both back (and by dciodvfy). */
class DicomMapperTest {

    @TempDir
    static Path folder;
    @TempDir
    Path temp;

    static SignedReads reads;
    static DicomObjects first;

    final DicomMapper mapper = new DicomMapper(CARD, ORGANIZATION);

    @BeforeAll
    static void mapTheFirstSignOff() {
        reads = new SignedReads(folder.resolve("study"));
        first = new DicomMapper(CARD, ORGANIZATION).map(reads.first());
    }

    @Test
    void theSegHoldsOneSegmentPerKeptFindingOnTheSourceGrid() {
        SegmentationContent seg = SegmentationReader.read(first.segmentation().toBytes());

        assertThat(seg.sopInstanceUid()).isEqualTo(DerivedUids.of(READ_ID, "seg", 1));
        assertThat(seg.seriesInstanceUid()).isEqualTo(DerivedUids.of(READ_ID, "seg-series"));
        assertThat(seg.studyInstanceUid()).isEqualTo(STUDY.studyInstanceUid());
        assertThat(seg.referencedSeriesInstanceUid()).isEqualTo(STUDY.seriesInstanceUid());
        assertThat(seg.segments()).extracting(SegmentDescription::label, SegmentDescription::type,
                        SegmentDescription::algorithmType, SegmentDescription::colour)
                .containsExactly(
                        tuple("nodule", CARD.labels().get(0).concept(),
                                SegmentAlgorithmType.SEMIAUTOMATIC, new RgbColour(230, 159, 0)),
                        tuple("liver lesion", CARD.labels().get(1).concept(),
                                SegmentAlgorithmType.AUTOMATIC, new RgbColour(86, 180, 233)));
        assertThat(seg.segments()).extracting(SegmentDescription::anatomicRegion,
                        SegmentDescription::anatomicRegionModifier)
                .as("site and laterality of each segment").containsExactly(
                        tuple(ReportCodes.LUNG, ReportCodes.RIGHT), tuple(CARD.labels().get(1).siteConcept(), null));
        assertThat(seg.mask(1, reads.source())).isEqualTo(STUDY.labelMask(Lesion.NODULE));
        assertThat(seg.mask(2, reads.source())).isEqualTo(STUDY.labelMask(Lesion.LIVER_LESION));
    }

    @Test
    void theSrTiesEachSignedSentenceToItsSegmentWithCodedSiteAndLaterality() {
        MeasurementReportContent sr = MeasurementReportReader.read(first.report().toBytes());

        assertThat(sr.sopInstanceUid()).isEqualTo(first.revision().srSopInstanceUid());
        assertThat(sr.instanceNumber()).isEqualTo(1);
        assertThat(sr.predecessor()).isNull();
        assertThat(sr.verified()).isTrue();
        assertThat(sr.preliminary()).isFalse();
        assertThat(sr.personObserver()).isEqualTo(RADIOLOGIST);
        assertThat(sr.verification().organization()).isEqualTo(ORGANIZATION);
        assertThat(sr.verification().verifiedAt().toInstant()).isEqualTo(SIGNED_AT);
        assertThat(sr.algorithm().deviceUid()).isEqualTo(CARD.identity().uid());
        assertThat(sr.groups()).allSatisfy(g -> assertThat(g.segmentationInstanceUid())
                .isEqualTo(first.segmentation().sopInstanceUid()));
        List<MeasurementGroup> groups = sr.groups().stream().map(MeasurementReportContent.ReportedGroup::group).toList();
        assertThat(groups).extracting(MeasurementGroup::text)
                .containsExactly("A nodule, as drafted.", SignedReads.draft().findings().get(1).text());
        assertThat(groups).extracting(MeasurementGroup::site).containsExactly(
                new FindingSite(ReportCodes.LUNG, ReportCodes.RIGHT), FindingSite.of(CARD.labels().get(1).siteConcept()));
        assertThat(groups).extracting(MeasurementGroup::segmentNumber).containsExactly(1, 2);
        assertThat(groups.get(0).measurements()).hasSize(4);
        assertThat(groups.get(0).measurements().get(3)).as("the model's confidence, a TID 1419 numeric row")
                .isEqualTo(Measurement.modelConfidence(groups.get(0).measurements().get(3).value()));
        assertThat(groups.get(0).measurements().get(3).value()).isBetween(0.0, 1.0);
    }

    @Test
    void bothObjectsPassDciodvfy() {
        assertThat(Dciodvfy.errors(first.segmentation().write(temp.resolve("seg.dcm")))).isEmpty();
        assertThat(Dciodvfy.errors(first.report().write(temp.resolve("sr.dcm")))).isEmpty();
    }

    @Test
    void mappingTheSameSignedReadAgainGivesTheSameObjects() {
        DicomObjects again = mapper.map(reads.first());

        assertThat(again.segmentation().toBytes()).isEqualTo(first.segmentation().toBytes());
        assertThat(again.report().toBytes()).isEqualTo(first.report().toBytes());
    }

    @Test
    void anAmendmentIsANewInstanceInTheSameSeriesThatNamesItsPredecessor() {
        DicomObjects amended = mapper.map(reads.amended());
        MeasurementReportContent sr = MeasurementReportReader.read(amended.report().toBytes());
        MeasurementReportContent original = MeasurementReportReader.read(first.report().toBytes());

        assertThat(amended.segmentation().sopInstanceUid()).isNotEqualTo(first.segmentation().sopInstanceUid());
        assertThat(amended.segmentation().seriesInstanceUid()).isEqualTo(first.segmentation().seriesInstanceUid());
        assertThat(sr.seriesInstanceUid()).isEqualTo(original.seriesInstanceUid());
        assertThat(sr.instanceNumber()).isEqualTo(2);
        assertThat(sr.predecessor().sopInstanceUid()).isEqualTo(original.sopInstanceUid());
        assertThat(sr.predecessor().seriesInstanceUid()).isEqualTo(original.seriesInstanceUid());
        assertThat(sr.predecessor().sopClassUid()).isEqualTo(MeasurementReport.SOP_CLASS_UID);
        assertThat(sr.verification().verifiedAt().toInstant()).isEqualTo(AMENDED_AT);
        assertThat(sr.groups().get(0).group().text()).isEqualTo("A nodule, amended.");
        assertThat(sr.groups().get(0).group().trackingUid()).isEqualTo(original.groups().get(0).group().trackingUid());
        assertThat(sr.groups()).allSatisfy(g -> assertThat(g.segmentationInstanceUid())
                .isEqualTo(amended.segmentation().sopInstanceUid()));
    }

    @Test
    void theSiteAndLateralityAreTheFindingsCodesNotItsWords() {
        Finding nodule = SignedReads.draft().findings().get(0);
        Finding bilateral = new Finding(1, "nodule", nodule.code(), "Nodules on both sides.", "Nodules", 1, 0.9, null,
                "right and left", CodedConcept.sct("39607008", "Lung"), Laterality.BILATERAL);
        Finding unsited = new Finding(1, "nodule", nodule.code(), "A left nodule.", "nodule", 1, 0.9, null,
                "left upper zone", null, Laterality.LEFT);
        Finding unknownSide = new Finding(1, "nodule", nodule.code(), "A right nodule.", "nodule", 1, 0.9, null,
                "right upper zone", CodedConcept.sct("39607008", "Lung"), null);

        assertThat(DicomMapper.site(bilateral)).isEqualTo(new FindingSite(ReportCodes.LUNG,
                CodedConcept.sct("51440002", "Right and left")));
        assertThat(DicomMapper.site(unsited)).isNull();
        assertThat(DicomMapper.site(unknownSide)).isEqualTo(FindingSite.of(ReportCodes.LUNG));
    }

    @Test
    void aFindingWithoutCodedSiteIsReportedWithoutOne() {
        Interpretation draft = SignedReads.draft();
        Finding liverLesion = draft.findings().get(1);
        Finding unsited = new Finding(liverLesion.number(), liverLesion.label(), liverLesion.code(), liverLesion.text(),
                liverLesion.phrase(), liverLesion.segmentNumber(), liverLesion.confidence(), liverLesion.measurements(),
                liverLesion.location(), null, null);
        Interpretation withoutSite = new Interpretation(draft.studyInstanceUid(), draft.seriesInstanceUid(),
                draft.model(), List.of(draft.findings().get(0), unsited), draft.impression());
        SignOff signOff = SignedReads.signOff(withoutSite, "A nodule.", SIGNED_AT);

        DicomObjects objects = mapper.map(new SignedRead(signOff, reads.masks(), reads.source(),
                Revision.first(READ_ID, SIGNED_AT)));

        MeasurementReportContent sr = MeasurementReportReader.read(objects.report().toBytes());
        assertThat(sr.groups().get(1).group().site()).isNull();
        assertThat(sr.groups().get(0).group().site()).isEqualTo(new FindingSite(ReportCodes.LUNG, ReportCodes.RIGHT));
    }

    @Test
    void theOrganizationIsRequired() {
        assertThatThrownBy(() -> new DicomMapper(CARD, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("organization must not be blank");
    }
}
