package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.SegmentationContent;
import org.groundflow.dicomweb.seg.SegmentationReader;
import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.sr.MeasurementReportContent;
import org.groundflow.dicomweb.sr.MeasurementReportReader;
import org.groundflow.dicomweb.sr.ReportCodes;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.Dciodvfy;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.SegmentMask;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.groundflow.workflow.ApplicationTest;
import org.groundflow.workflow.PacsRequests;
import org.groundflow.workflow.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Publishing a signed read to the PACS (what the Publish DICOM step does): the SEG and the TID 1500 SR stored in one
 * STOW-RS request; a retry stores the same instances again, an amended sign-off new ones whose SR names its
 * predecessor, and the ledger holds one revision per sign-off. The read's state (draft with masks and geometry,
 * sign-off) is put into the read store directly and nothing is cached: publication needs neither the series' files nor
 * a retrieval. The PACS is the tests' Orthanc. How the objects are made is DicomMapperTest's.
 */
class DicomPublicationTest extends ApplicationTest {

    static final Instant SIGNED_AT = Instant.parse("2024-06-11T10:30:00Z");

    @Autowired
    DicomPublication publication;
    @Autowired
    RevisionLedger ledger;
    @Autowired
    ReadStore store;
    @Autowired
    DicomWebClient pacs;
    @Autowired
    SeriesCache cache;
    @Autowired
    Interpreter interpreter;

    @TempDir
    Path retrieved;

    @Test
    void aRetryStoresTheSameInstancesAndAnAmendmentNamesItsPredecessor() throws Exception {
        SyntheticStudy study = SyntheticStudy.builder().variant("dicom-publication-" + UUID.randomUUID()).build();
        String readId = prepareRead(study);
        Interpretation draft = store.interpretation(readId).orElseThrow();
        PacsRequests requests = TestServers.pacsRequests();
        int start = requests.mark();

        store.saveSignOff("task-" + readId, signOff(readId, draft, "A nodule, as drafted.", SIGNED_AT));
        Uid first = publication.publish(readId, study.studyInstanceUid());
        Uid retried = publication.publish(readId, study.studyInstanceUid());
        store.amendSignOff("amend-" + readId, signOff(readId, draft, "A nodule, amended.", SIGNED_AT.plusSeconds(3600)));
        Uid amended = publication.publish(readId, study.studyInstanceUid());

        assertThat(requests.since(start)).as("one STOW-RS per publication, nothing retrieved")
                .extracting(PacsRequests.Request::kind).containsOnly(PacsRequests.Kind.STOW).hasSize(3);
        assertThat(cache.cachedReads()).as("cached series").doesNotContain(readId);
        assertThat(retried).isEqualTo(first);
        assertThat(amended).isNotEqualTo(first);
        List<Path> segs = retrieve(study, "SEG");
        List<Path> reports = retrieve(study, "SR");
        assertThat(segs).hasSize(2);
        assertThat(reports).hasSize(2);
        for (Path file : List.of(segs.get(0), segs.get(1), reports.get(0), reports.get(1))) {
            assertThat(Dciodvfy.errors(file)).as("dciodvfy on %s", file).isEmpty();
        }
        MeasurementReportContent original = report(reports, 1);
        MeasurementReportContent amendment = report(reports, 2);
        assertThat(original.predecessor()).isNull();
        assertThat(amendment.predecessor().sopInstanceUid()).isEqualTo(original.sopInstanceUid());
        assertThat(amendment.predecessor().sopClassUid()).isEqualTo(MeasurementReport.SOP_CLASS_UID);

        assertThat(original.groups()).extracting(g -> g.group().text()).containsExactly("A nodule, as drafted.", draft.findings().get(1).text());
        assertThat(amendment.groups()).extracting(g -> g.group().text()).containsExactly("A nodule, amended.", draft.findings().get(1).text());
        assertThat(amendment.groups()).allSatisfy(g -> assertThat(g.segmentationInstanceUid()).isEqualTo(amended));
        assertThat(original.groups()).allSatisfy(g -> assertThat(g.segmentationInstanceUid()).isEqualTo(first));
        assertThat(amendment.groups().get(0).group().trackingUid()).isEqualTo(original.groups().get(0).group().trackingUid());
        assertThat(amendment.verified()).isTrue();
        assertThat(amendment.preliminary()).isFalse();
        assertThat(amendment.personObserver()).isEqualTo(RADIOLOGIST);
        assertThat(amendment.verification().verifiedAt().toInstant()).isEqualTo(SIGNED_AT.plusSeconds(3600));
        assertThat(amendment.algorithm().deviceUid()).isEqualTo(interpreter.card().identity().uid());
        assertThat(amendment.groups().get(0).group().site().laterality()).isEqualTo(ReportCodes.RIGHT);
        assertThat(ledger.revisions(readId)).extracting(r -> r.number(), r -> r.segSopInstanceUid())
                .containsExactly(tuple(1, first), tuple(2, amended));

        SegmentationContent seg = segs.stream().map(SegmentationReaderFiles::read)
                .filter(s -> s.sopInstanceUid().equals(amended)).findFirst().orElseThrow();
        assertThat(seg.segments()).extracting(SegmentDescription::algorithmType)
                .containsExactly(SegmentAlgorithmType.SEMIAUTOMATIC, SegmentAlgorithmType.AUTOMATIC);
    }

    private String prepareRead(SyntheticStudy study) {
        String readId = UUID.randomUUID().toString();
        Draft draft = DraftFixtures.of(study, interpreter.card(), retrieved.resolve("source"));
        try (DicomWebClient orthanc = new DicomWebClient(TestServers.orthanc().endpoint())) {
            orthanc.store(study.writeTo(retrieved.resolve("stored"))).requireAllStored();
        }
        store.saveDraft(readId, draft, Instant.now());
        return readId;
    }

    private static SignOff signOff(String readId, Interpretation draft, String noduleText, Instant at) {
        Finding nodule = draft.findings().get(0);
        Finding liverLesion = draft.findings().get(1);
        return new SignOff(readId, draft, List.of(new SignedFinding(nodule, noduleText, !noduleText.equals(nodule.text()), 1),
                new SignedFinding(liverLesion, liverLesion.text(), false, 2)), List.of(), "Impression.", RADIOLOGIST, at);
    }

    private List<Path> retrieve(SyntheticStudy study, String modality) {
        SeriesRecord series = pacs.searchSeries(study.studyInstanceUid()).stream().filter(s -> modality.equals(s.modality()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + modality + " series in study " + study.studyInstanceUid()));
        return pacs.retrieveSeries(study.studyInstanceUid(), series.seriesInstanceUid(), retrieved.resolve(modality));
    }

    private static MeasurementReportContent report(List<Path> files, int instanceNumber) {
        return files.stream().map(f -> MeasurementReportReader.read(f))
                .filter(r -> r.instanceNumber() == instanceNumber).findFirst().orElseThrow();
    }

    /** Reads a retrieved SEG file. */
    private static final class SegmentationReaderFiles {
        static SegmentationContent read(Path file) {
            try {
                return SegmentationReader.read(Files.readAllBytes(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
