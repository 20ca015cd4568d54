package org.groundflow.fhir;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SignOff;
import org.groundflow.inference.SignedFinding;

/**
 * The human-readable form of a signed read (DiagnosticReport.presentedForm): the findings as signed, each marked as
 * an AI finding accepted unchanged or edited by the radiologist, the impression, and who signed when.
 */
final class ReportHtml {

    private ReportHtml() {
    }

    static String render(PublicationRequest request) {
        SignOff signOff = request.signOff();
        Interpretation interpretation = signOff.interpretation();
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Imaging report ")
                .append(escape(signOff.readId())).append("</title></head>\n<body>\n");
        html.append("<h1>Imaging report</h1>\n");
        html.append("<p>");
        Optional<LocalDate> studyDate = DicomValues.date(request.study().studyDate());
        studyDate.ifPresent(d -> html.append("Study date: ").append(d).append(". "));
        String accession = request.study().accessionNumber();
        if (accession != null && !accession.isBlank()) {
            html.append("Accession number: ").append(escape(accession.trim())).append(". ");
        }
        html.append("Study Instance UID: ").append(request.studyInstanceUid()).append(".</p>\n");

        html.append("<h2>Findings</h2>\n");
        if (signOff.kept().isEmpty()) {
            html.append("<p>No findings reported.</p>\n");
        } else {
            html.append("<ol>\n");
            for (SignedFinding kept : signOff.kept()) {
                html.append("<li>").append(escape(kept.text())).append(" <em>(")
                        .append(origin(kept)).append(")</em></li>\n");
            }
            html.append("</ol>\n");
        }
        int rejected = signOff.rejected().size();
        if (rejected == 1) {
            html.append("<p>1 AI finding was rejected by the radiologist and is not part of this report.</p>\n");
        } else if (rejected > 1) {
            html.append("<p>").append(rejected)
                    .append(" AI findings were rejected by the radiologist and are not part of this report.</p>\n");
        }

        html.append("<h2>Impression</h2>\n<p>").append(escape(signOff.impression())).append(" <em>(")
                .append(signOff.impression().equals(interpretation.impression())
                        ? "AI impression, accepted unchanged" : "edited by the radiologist")
                .append(")</em></p>\n");

        ModelIdentity model = interpretation.model();
        html.append("<h2>Sign-off</h2>\n<p>Findings marked as AI findings were drafted by the AI model ")
                .append(escape(model.name())).append(" version ").append(escape(model.version()))
                .append(" (").append(escape(model.manufacturer())).append(")")
                .append(request.segSopInstanceUid() == null ? ""
                        : ", each outlined by a segment of DICOM segmentation " + request.segSopInstanceUid())
                .append(".</p>\n<p>Reviewed and signed by ").append(escape(signOff.reviewer())).append(" at ")
                .append(DateTimeFormatter.ISO_INSTANT.format(signOff.signedAt().truncatedTo(ChronoUnit.SECONDS)))
                .append(".</p>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** How a kept finding came to be in the report. */
    static String origin(SignedFinding kept) {
        int number = kept.finding().number();
        String source = "AI finding " + number + " (segment " + kept.segmentNumber() + " of the DICOM-SEG)";
        return source + (kept.edited() ? ", edited by the radiologist" : ", accepted unchanged");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
