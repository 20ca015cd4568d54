package org.groundflow.fhir.mapping;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Signature;

/**
 * The cryptographic signature of a signed report, and its check.
 *
 * <p>The signature is a JWS (RFC 7515) in compact serialization with a detached payload, algorithm RS256, its header
 * carrying the signer's certificate chain (see {@link DetachedJws}). The payload is the DiagnosticReport as it stands
 * in the transaction bundle, canonicalised as HAPI FHIR's compact JSON encoding for R4 (elements in the order of the
 * resource's definition, no whitespace, UTF-8) of the report without {@code id} and {@code meta}, which the server
 * assigns. The Provenance carries the JWS base64-encoded in {@code signature.data}, with {@code sigFormat}
 * {@code application/jose} and {@code targetFormat} {@code application/fhir+json}. A server that resolves the
 * bundle's {@code urn:uuid:} references rewrites those references in the report it stores, so the signature is
 * checked against the report as published in the bundle.
 */
public final class ReportSignature {

    /** The Provenance's signature format: a JWS. */
    public static final String SIG_FORMAT = "application/jose";

    private ReportSignature() {
    }

    /** The bytes a report's signature covers. */
    public static byte[] signedContent(DiagnosticReport report) {
        DiagnosticReport content = Objects.requireNonNull(report, "report").copy();
        content.setIdElement(null);
        content.setMeta(null);
        return FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false).encodeResourceToString(content)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The JWS of a report, made with {@code key}. */
    static String sign(DiagnosticReport report, SigningKey key) {
        return DetachedJws.sign(signedContent(report), key);
    }

    /**
     * Whether a Provenance signature is an RS256 JWS of exactly this report made with the private key of
     * {@code key}. False for a signature without data or in another format.
     */
    public static boolean verify(Signature signature, DiagnosticReport report, PublicKey key) {
        return jws(signature).map(jws -> DetachedJws.verify(jws, signedContent(report), key)).orElse(false);
    }

    /** The certificate chain in a Provenance signature's JWS header, the signer's first (empty without a JWS). */
    public static List<X509Certificate> certificates(Signature signature) {
        return jws(signature).map(DetachedJws::certificates).orElse(List.of());
    }

    private static Optional<String> jws(Signature signature) {
        if (signature == null || !SIG_FORMAT.equals(signature.getSigFormat()) || !signature.hasData()) {
            return Optional.empty();
        }
        return Optional.of(new String(signature.getData(), StandardCharsets.US_ASCII));
    }
}
