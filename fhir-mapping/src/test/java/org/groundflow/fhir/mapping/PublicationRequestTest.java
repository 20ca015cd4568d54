package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicationRequestTest {

    @Test
    void validRequestKeepsItsValuesAndNormalisesTheUrl() {
        PublicationRequest request = Fixtures.request();

        assertThat(request.readId()).isEqualTo(Fixtures.READ_ID);
        assertThat(request.studyInstanceUid()).isEqualTo(Fixtures.STUDY);
        assertThat(request.segSopInstanceUid()).isEqualTo(Fixtures.SEG_SOP);
        assertThat(request.dicomWebBaseUrl()).isEqualTo(Fixtures.DICOMWEB);
    }

    @Test
    void nothingKeptNeedsNoSeg() {
        assertThat(Fixtures.requestNothingKept().segSopInstanceUid()).isNull();
    }

    @Test
    void blankReadIdIsRejected() {
        SignOff blank = new SignOff(" ", Fixtures.interpretation(), List.of(), List.of(), "x", "r", Fixtures.SIGNED_AT);

        var e = assertThrows(IllegalArgumentException.class, () -> Fixtures.request(blank));
        assertThat(e).hasMessage("signOff.readId must not be blank");
    }

    @Test
    void blankPatientIdIsRejected() {
        StudyContext noId = new StudyContext("Doe^Jane", " ", null, null, "20240315", null, null, null, null, null);

        var e = assertThrows(IllegalArgumentException.class, () -> Fixtures.request(noId));
        assertThat(e).hasMessage("study.patientId must not be blank (read " + Fixtures.READ_ID + ")");
    }

    @Test
    void seriesOtherThanTheInterpretedOneIsRejected() {
        Uid other = Uid.of("1.2.3.4");

        var e = assertThrows(IllegalArgumentException.class, () -> new PublicationRequest(Fixtures.signOff(),
                Fixtures.study(), other, Fixtures.SEG_SOP, Fixtures.DICOMWEB, Fixtures.ORGANISATION));
        assertThat(e).hasMessage("seriesInstanceUid must be the interpreted series " + Fixtures.SERIES + ", got 1.2.3.4");
    }

    @Test
    void keptFindingsNeedTheSeg() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PublicationRequest(Fixtures.signOff(),
                Fixtures.study(), Fixtures.SERIES, null, Fixtures.DICOMWEB, Fixtures.ORGANISATION));
        assertThat(e).hasMessage("segSopInstanceUid is required when findings are kept (read " + Fixtures.READ_ID
                + " keeps 2)");
    }

    @Test
    void segWithoutKeptFindingsIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PublicationRequest(Fixtures.signOffNothingKept(),
                Fixtures.study(), Fixtures.SERIES, Fixtures.SEG_SOP, Fixtures.DICOMWEB, Fixtures.ORGANISATION));
        assertThat(e).hasMessageContaining("segSopInstanceUid must be null when no finding is kept");
    }

    @Test
    void findingInAnUnknownCodingSchemeIsRejected() {
        Finding local = new Finding(1, "nodule", new CodedConcept("N1", "99LOCAL", "Nodule"), "A nodule.", "nodule", 1,
                0.9, null, null, null, null);
        SignOff signOff = Fixtures.signOff(List.of(new SignedFinding(local, "A nodule.", false, 1)), List.of());

        var e = assertThrows(IllegalArgumentException.class, () -> Fixtures.request(signOff));
        assertThat(e).hasMessage("finding 1 of read " + Fixtures.READ_ID
                + " must be coded in SCT, LN or DCM, got coding scheme '99LOCAL'");
    }

    @Test
    void findingSitedInAnUnknownCodingSchemeIsRejected() {
        Finding local = new Finding(1, "nodule", Fixtures.NODULE.code(), "A nodule.", "nodule", 1, 0.9, null, null,
                new CodedConcept("L1", "99LOCAL", "Lung"), null);
        SignOff signOff = Fixtures.signOff(List.of(new SignedFinding(local, "A nodule.", false, 1)), List.of());

        var e = assertThrows(IllegalArgumentException.class, () -> Fixtures.request(signOff));
        assertThat(e).hasMessage("finding 1 of read " + Fixtures.READ_ID
                + " must be sited in SCT, LN or DCM, got coding scheme '99LOCAL'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pacs/dicom-web", "ftp://pacs.example/dicom-web", "http://pacs.example/dicom-web?x=1",
            "http://user:pw@pacs.example/dicom-web", "http:///dicom-web", "http://pacs example/"})
    void dicomWebBaseUrlMustBeAPlainHttpUrl(String url) {
        var e = assertThrows(IllegalArgumentException.class, () -> new PublicationRequest(Fixtures.signOff(),
                Fixtures.study(), Fixtures.SERIES, Fixtures.SEG_SOP, url, Fixtures.ORGANISATION));
        assertThat(e).hasMessageStartingWith("dicomWebBaseUrl must");
    }

    @Test
    void blankOrganisationIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PublicationRequest(Fixtures.signOff(),
                Fixtures.study(), Fixtures.SERIES, Fixtures.SEG_SOP, Fixtures.DICOMWEB, " "));
        assertThat(e).hasMessage("organisationName must not be blank");
    }

    @Test
    void missingPartsAreNamed() {
        var e = assertThrows(NullPointerException.class, () -> new PublicationRequest(Fixtures.signOff(), null,
                Fixtures.SERIES, Fixtures.SEG_SOP, Fixtures.DICOMWEB, Fixtures.ORGANISATION));
        assertThat(e).hasMessage("study");
    }
}
