package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Text a radiologist typed, markup included, is text in the report: escaped in the narrative, verbatim in values. */
class NarrativeTextTest {

    private static final String TYPED = "<script>alert('x')</script> <b>Läsion</b> 5 mm ≥ 3 mm — “stable” & 'ok' 🙂\tend";

    @Test
    void markupInSignedTextIsEscapedInValidXhtmlAndVerbatimInTheObservation() throws Exception {
        var request = Fixtures.request(Fixtures.signOff(
                List.of(new SignedFinding(Fixtures.NODULE, TYPED, true, 1)), List.of(2, 3)));
        Bundle bundle = Fixtures.mapper().toBundle(request);
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
        Bundle parsed = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, json);
        BundleEntries entries = new BundleEntries(parsed);
        DiagnosticReport report = entries.one(DiagnosticReport.class);

        String div = report.getText().getDivAsString();
        assertThat(div).contains("&lt;script&gt;").doesNotContain("<script").doesNotContain("<b>");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document xhtml = factory.newDocumentBuilder().parse(new InputSource(new StringReader(div)));
        assertThat(xhtml.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/1999/xhtml");
        assertThat(xhtml.getElementsByTagNameNS("*", "script").getLength()).isZero();
        assertThat(xhtml.getElementsByTagNameNS("*", "b").getLength()).isZero();
        NodeList items = xhtml.getElementsByTagNameNS("*", "li");
        assertThat(items.getLength()).isEqualTo(1);
        assertThat(items.item(0).getTextContent()).startsWith(TYPED + " ");

        assertThat(entries.one(Observation.class).getValueStringType().getValue()).isEqualTo(TYPED);
    }
}
