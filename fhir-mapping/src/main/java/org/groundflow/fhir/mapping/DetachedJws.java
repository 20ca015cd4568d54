package org.groundflow.fhir.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * JSON Web Signatures (RFC 7515) in compact serialization with a detached payload (Appendix F):
 * {@code BASE64URL(header) ".." BASE64URL(signature)}, the signature made over
 * {@code BASE64URL(header) "." BASE64URL(payload)} with RS256 (RSASSA-PKCS1-v1_5 with SHA-256). The protected
 * header is {@code {"alg":"RS256","x5c":[...]}}: the signer's certificate chain, standard base64 DER (RFC 7515
 * §4.1.6). Verification accepts RS256 only, whatever else a header says, and no critical extensions.
 */
final class DetachedJws {

    static final String ALGORITHM = "RS256";
    private static final String JCA_ALGORITHM = "SHA256withRSA";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private DetachedJws() {
    }

    static String sign(byte[] payload, SigningKey key) {
        ObjectNode header = JSON.createObjectNode().put("alg", ALGORITHM);
        try {
            for (X509Certificate certificate : key.certificates()) {
                header.withArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            }
            String encodedHeader = BASE64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8));
            Signature rsa = Signature.getInstance(JCA_ALGORITHM);
            rsa.initSign(key.privateKey());
            rsa.update(signingInput(encodedHeader, payload));
            return encodedHeader + ".." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an " + ALGORITHM + " signature with the signing key "
                    + key + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code jws} is an RS256 detached JWS of exactly {@code payload} made with the key of {@code key}. */
    static boolean verify(String jws, byte[] payload, PublicKey key) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            return false;
        }
        try {
            JsonNode header = header(parts[0]);
            if (!ALGORITHM.equals(header.path("alg").asText()) || header.has("crit")) {
                return false;
            }
            Signature rsa = Signature.getInstance(JCA_ALGORITHM);
            rsa.initVerify(key);
            rsa.update(signingInput(parts[0], payload));
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            return false; // not base64url, not JSON, or not a signature of this key
        }
    }

    /** The certificate chain a JWS's header carries (x5c), the signer's first; empty when it has none. */
    static List<X509Certificate> certificates(String jws) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (JsonNode der : header(jws.substring(0, Math.max(0, jws.indexOf('.')))).path("x5c")) {
                chain.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(der.asText()))));
            }
            return chain;
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the JWS header has no readable x5c certificate chain: "
                    + e.getMessage(), e);
        }
    }

    private static JsonNode header(String encoded) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(encoded));
    }

    private static byte[] signingInput(String encodedHeader, byte[] payload) {
        return (encodedHeader + "." + BASE64URL.encodeToString(payload)).getBytes(StandardCharsets.US_ASCII);
    }
}
