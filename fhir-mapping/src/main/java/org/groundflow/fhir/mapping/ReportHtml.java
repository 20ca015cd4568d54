package org.groundflow.fhir.mapping;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * The human-readable form of a read (DiagnosticReport.presentedForm): its status, the findings as signed, each marked
 * as an AI finding accepted unchanged or edited by the radiologist (or, in a draft, as not reviewed), the impression,
 * the model that drafted it, and who signed (amended, retracted) when.
 */
final class ReportHtml {

    private ReportHtml() {
    }

    /** The rendering as an HTML document (the presentedForm). */
    static String render(PublicationRequest request) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>"
                + escape(title(request)) + " " + escape(request.readId()) + "</title></head>\n<body>\n"
                + body(request) + "</body>\n</html>\n";
    }

    /** The rendering as FHIR narrative XHTML (the report's text): the same content in a div. */
    static String narrative(PublicationRequest request) {
        return "<div xmlns=\"http://www.w3.org/1999/xhtml\">\n" + body(request) + "</div>";
    }

    /** The content: headings, paragraphs and lists only, so that it is also valid FHIR narrative. */
    private static String body(PublicationRequest request) {
        ReportRevision revision = request.revision();
        Interpretation interpretation = revision.interpretation();
        StringBuilder html = new StringBuilder(2048);
        html.append("<h1>").append(escape(title(request))).append("</h1>\n");
        html.append("<p><strong>").append(statusLine(revision)).append("</strong></p>\n");
        html.append("<p>");
        Optional<LocalDate> studyDate = DicomValues.date(request.study().studyDate());
        studyDate.ifPresent(d -> html.append("Study date: ").append(d).append(". "));
        String accession = request.study().accessionNumber();
        if (accession != null && !accession.isBlank()) {
            html.append("Accession number: ").append(escape(accession.trim())).append(". ");
        }
        html.append("Study Instance UID: ").append(request.studyInstanceUid()).append(".</p>\n");

        html.append("<h2>Findings</h2>\n");
        if (revision instanceof ReportRevision.Draft) {
            draftFindings(html, interpretation);
        } else {
            signedFindings(html, request);
        }

        SignOff signOff = request.signOff().orElse(null);
        html.append("<h2>Impression</h2>\n<p>").append(escape(request.conclusion())).append(" <em>(")
                .append(signOff == null ? "AI impression, not reviewed"
                        : signOff.impression().equals(interpretation.impression())
                        ? "AI impression, accepted unchanged" : "edited by the radiologist")
                .append(")</em></p>\n");

        ModelIdentity model = interpretation.model();
        html.append("<h2>").append(signOff == null ? "Origin" : "Sign-off")
                .append("</h2>\n<p>Findings marked as AI findings were drafted by the AI model ")
                .append(escape(model.name())).append(" version ").append(escape(model.version()))
                .append(" (").append(escape(model.manufacturer())).append(", device UID ").append(model.uid()).append(")")
                .append(request.segSopInstanceUid() == null ? ""
                        : ", each outlined by a segment of DICOM segmentation " + request.segSopInstanceUid())
                .append(".</p>\n");
        if (signOff == null) {
            html.append("<p>Not yet reviewed or signed by a radiologist.</p>\n");
        } else {
            html.append("<p>Reviewed and signed by ").append(escape(signOff.reviewer())).append(" at ")
                    .append(instant(signOff.signedAt())).append(".</p>\n");
        }
        if (revision instanceof ReportRevision.Amended amended) {
            html.append("<p>").append(amended.correction() ? "Corrects" : "Amends").append(" the report signed by ")
                    .append(escape(amended.previous().reviewer())).append(" at ")
                    .append(instant(amended.previous().signedAt())).append(".</p>\n");
        }
        if (revision instanceof ReportRevision.Retracted retracted) {
            html.append("<p>Retracted by ").append(escape(retracted.retractedBy())).append(" at ")
                    .append(instant(retracted.retractedAt())).append(".</p>\n");
        }
        return html.toString();
    }

    /** The title of the rendering, which names the report's status when it is not simply final. */
    static String title(PublicationRequest request) {
        return switch (request.status()) {
            case PRELIMINARY -> "Preliminary imaging report (AI draft)";
            case FINAL -> "Imaging report";
            case AMENDED -> "Amended imaging report";
            case CORRECTED -> "Corrected imaging report";
            case ENTERED_IN_ERROR -> "Retracted imaging report";
        };
    }

    private static String statusLine(ReportRevision revision) {
        return switch (revision.status()) {
            case PRELIMINARY -> "Preliminary: drafted by AI, not yet reviewed by a radiologist.";
            case FINAL -> "Final: reviewed and signed by a radiologist.";
            case AMENDED -> "Amended after it was final, and signed again.";
            case CORRECTED -> "Corrected after it was final, and signed again.";
            case ENTERED_IN_ERROR -> "Retracted: this report was published in error and must not be used.";
        };
    }

    private static void draftFindings(StringBuilder html, Interpretation interpretation) {
        if (interpretation.findings().isEmpty()) {
            html.append("<p>The AI model reported no findings.</p>\n");
            return;
        }
        html.append("<ol>\n");
        for (Finding finding : interpretation.findings()) {
            html.append("<li>").append(escape(finding.text())).append(" <em>(AI finding ").append(finding.number())
                    .append(", not reviewed)</em></li>\n");
        }
        html.append("</ol>\n");
    }

    private static void signedFindings(StringBuilder html, PublicationRequest request) {
        if (request.reported().isEmpty()) {
            html.append("<p>No findings reported.</p>\n");
        } else {
            html.append("<ol>\n");
            for (SignedFinding kept : request.reported()) {
                html.append("<li>").append(escape(kept.text())).append(" <em>(")
                        .append(origin(kept)).append(")</em></li>\n");
            }
            html.append("</ol>\n");
        }
        int rejected = request.signOff().map(s -> s.rejected().size()).orElse(0);
        if (rejected == 1) {
            html.append("<p>1 AI finding was rejected by the radiologist and is not part of this report.</p>\n");
        } else if (rejected > 1) {
            html.append("<p>").append(rejected)
                    .append(" AI findings were rejected by the radiologist and are not part of this report.</p>\n");
        }
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
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
