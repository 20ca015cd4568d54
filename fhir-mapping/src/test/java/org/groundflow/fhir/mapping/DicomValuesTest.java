package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DicomValuesTest {

    @Test
    void datesAreStrictYyyymmdd() {
        assertThat(DicomValues.date("20240229")).contains(LocalDate.of(2024, 2, 29));
        assertThat(DicomValues.date(" 20240315 ")).contains(LocalDate.of(2024, 3, 15));
        assertThat(DicomValues.date("20230229")).isEmpty();
        assertThat(DicomValues.date("2024.03.15")).isEmpty();
        assertThat(DicomValues.date("")).isEmpty();
        assertThat(DicomValues.date(null)).isEmpty();
    }

    @Test
    void personNamesUseTheAlphabeticGroup() {
        assertThat(DicomValues.personName("Yamada^Tarou=山田^太郎=やまだ^たろう"))
                .contains(new DicomValues.PersonName("Yamada", List.of("Tarou"), "", ""));
        assertThat(DicomValues.personName("Doe^Jane^Q^Dr^PhD"))
                .contains(new DicomValues.PersonName("Doe", List.of("Jane", "Q"), "Dr", "PhD"));
        assertThat(DicomValues.personName("Doe")).contains(new DicomValues.PersonName("Doe", List.of(), "", ""));
        assertThat(DicomValues.personName("^^^")).isEmpty();
        assertThat(DicomValues.personName(null)).isEmpty();
    }

    @Test
    void sexMapsToAdministrativeGender() {
        assertThat(DicomValues.gender("M")).contains("male");
        assertThat(DicomValues.gender("F ")).contains("female");
        assertThat(DicomValues.gender("O")).contains("other");
        assertThat(DicomValues.gender("")).isEmpty();
        assertThat(DicomValues.gender(null)).isEmpty();
    }
}
