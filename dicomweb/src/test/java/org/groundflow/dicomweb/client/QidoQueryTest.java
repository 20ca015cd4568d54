package org.groundflow.dicomweb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QidoQueryTest {

    @Test
    void parametersOfAPage() {
        QidoQuery query = QidoQuery.all().withMatch("PatientID", "GF-1").withIncludeFields("StudyDescription");

        assertThat(query.parameters(List.of("00080061"), 50, 100)).containsExactly(
                Map.entry("PatientID", "GF-1"),
                Map.entry("includefield", "00080061"),
                Map.entry("includefield", "StudyDescription"),
                Map.entry("limit", "50"),
                Map.entry("offset", "100"));
    }

    @Test
    void withMethodsReturnChangedCopies() {
        QidoQuery base = QidoQuery.all();
        QidoQuery changed = base.withMatch("Modality", "CT").withPageSize(10).withMaxResults(20).withFuzzyMatching();

        assertThat(base.matches()).isEmpty();
        assertThat(base.pageSize()).isEmpty();
        assertThat(changed.matches()).containsEntry("Modality", "CT");
        assertThat(changed.pageSize()).hasValue(10);
        assertThat(changed.maxResults()).isEqualTo(20);
        assertThat(changed).isEqualTo(QidoQuery.all().withMatch("Modality", "CT").withPageSize(10).withMaxResults(20)
                .withFuzzyMatching());
    }

    @Test
    void toStringShowsAttributesNotValues() {
        assertThat(QidoQuery.all().withMatch("PatientName", "Doe^John").toString())
                .contains("PatientName").doesNotContain("Doe");
    }

    @Test
    void rejectsUnknownAttributesAndReservedNames() {
        assertThatThrownBy(() -> QidoQuery.all().withMatch("Patient Name", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Patient Name");
        assertThatThrownBy(() -> QidoQuery.all().withMatch("NoSuchKeyword", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DICOM dictionary");
        assertThatThrownBy(() -> QidoQuery.all().withMatch("limit", "5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withPageSize");
        assertThatThrownBy(() -> QidoQuery.all().withIncludeFields("StudyDescription", "bogus"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bogus");
        assertThatThrownBy(() -> QidoQuery.all().withMatch("PatientID", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one line");
    }

    @Test
    void rejectsBadRangesAndSizes() {
        assertThatThrownBy(() -> QidoQuery.all().withDateRange("StudyDate", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both be open");
        assertThatThrownBy(() -> QidoQuery.all().withDateRange("StudyDate", LocalDate.of(2024, 2, 1), LocalDate.of(2024, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is after");
        assertThatThrownBy(() -> QidoQuery.all().withPageSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pageSize must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> QidoQuery.all().withMaxResults(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxResults must be positive, got 0");
    }

    @Test
    void sequenceMatchingIsRecognised() {
        assertThat(QidoQuery.all().withMatch("PatientID", "x").usesSequenceMatching()).isFalse();
        assertThat(QidoQuery.all().withMatch("RequestAttributesSequence.AccessionNumber", "x").usesSequenceMatching()).isTrue();
        assertThat(QidoQuery.all().withMatch("00400275", "").usesSequenceMatching()).isTrue();
    }

    @Test
    void aMapOfMatchKeysBecomesAQuery() {
        QidoQuery query = QueryParameters.toQuery(Map.of("AccessionNumber", "A1", "limit", "5", "includefield", "00081030,StudyID"));

        assertThat(query.matches()).containsExactly(Map.entry("AccessionNumber", "A1"));
        assertThat(query.maxResults()).isEqualTo(5);
        assertThat(query.includeFields()).containsExactly("00081030", "StudyID");
        assertThatThrownBy(() -> QueryParameters.toQuery(Map.of("offset", "5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    }
}
