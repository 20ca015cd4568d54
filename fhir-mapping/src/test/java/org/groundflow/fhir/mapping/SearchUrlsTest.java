package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchUrlsTest {

    @Test
    void plainIdentifiersStayReadable() {
        assertThat(SearchUrls.byIdentifier("DiagnosticReport", "urn:groundflow:read", "read-2024_0001.a~b"))
                .isEqualTo("DiagnosticReport?identifier=urn:groundflow:read|read-2024_0001.a~b");
        assertThat(SearchUrls.identifierQuery("urn:ietf:rfc:3986", "http://pacs.example/dicom-web"))
                .isEqualTo("identifier=urn:ietf:rfc:3986|http://pacs.example/dicom-web");
    }

    @Test
    void searchSeparatorsInValuesAreEscapedAndEncoded() {
        assertThat(SearchUrls.identifierQuery("urn:x", "a|b,c$d\\e"))
                .isEqualTo("identifier=urn:x|a%5C%7Cb%5C%2Cc%5C%24d%5C%5Ce");
    }

    @Test
    void urlCharactersAndNonAsciiArePercentEncoded() {
        assertThat(SearchUrls.identifierQuery("urn:x", "a b&c=d?e#f+g%h")).isEqualTo(
                "identifier=urn:x|a%20b%26c%3Dd%3Fe%23f%2Bg%25h");
        assertThat(SearchUrls.identifierQuery("urn:x", "Hôpital Nord")).isEqualTo("identifier=urn:x|H%C3%B4pital%20Nord");
    }
}
