package org.groundflow.fhir.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * SMART Backend Services credentials (SMART App Launch, "client-confidential-asymmetric"): the client authenticates
 * to the token endpoint with a JWT signed by its private key (RS384 for an RSA key, ES384 for a P-384 EC key) and
 * gets a short-lived access token by the client-credentials grant. The EHR knows the client by {@code clientId} and
 * its public key (registered, or published as a JWK Set) by {@code keyId}.
 *
 * @param tokenUrl the EHR's token endpoint (http or https)
 * @param clientId the client id the EHR registered
 * @param key      the client's private key, RSA (2048 bits or more) or EC P-384
 * @param keyId    the {@code kid} of the matching public key
 * @param scope    the scopes to ask for, e.g. {@code system/DiagnosticReport.cu system/Observation.cu ...}
 */
public record SmartBackendServices(String tokenUrl, String clientId, PrivateKey key, String keyId, String scope) {

    public SmartBackendServices {
        tokenUrl = FhirEndpoint.httpUrl("tokenUrl", tokenUrl);
        requireText("clientId", clientId);
        requireText("keyId", keyId);
        requireText("scope", scope);
        Objects.requireNonNull(key, "key");
        if (!(key instanceof RSAPrivateKey) && !(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("key must be an RSA or EC private key, got " + key.getAlgorithm());
        }
        if (key instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new IllegalArgumentException("an EC key must be on P-384 (ES384), got a "
                    + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve");
        }
    }

    /** The JWS algorithm of the client assertion: RS384 or ES384. */
    public String algorithm() {
        return key instanceof RSAPrivateKey ? "RS384" : "ES384";
    }

    /** Reads an unencrypted PKCS#8 private key in PEM ("-----BEGIN PRIVATE KEY-----"), RSA or EC. */
    public static PrivateKey readPkcs8Pem(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("file " + file + " must hold a PEM \"PRIVATE KEY\" (unencrypted PKCS#8)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("file " + file + " holds neither an RSA nor an EC PKCS#8 key");
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "SmartBackendServices[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", keyId=" + keyId
                + ", algorithm=" + algorithm() + ", scope=" + scope + "]";
    }

    private static void requireText(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
