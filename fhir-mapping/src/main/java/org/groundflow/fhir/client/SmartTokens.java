package org.groundflow.fhir.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.net.ssl.SSLException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;
import org.groundflow.dicomweb.transport.AccessTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How access tokens are obtained from a SMART Backend Services token endpoint: one client-credentials request with a
 * signed JWT assertion, its answer checked. Caching and refreshing is {@link AccessTokens}'s job.
 */
final class SmartTokens {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The token's lifetime when the answer gives none: SMART's recommended five minutes. */
    private static final long DEFAULT_EXPIRES_IN = 300;
    /** The assertion's lifetime: SMART allows at most five minutes. */
    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(SmartTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SmartBackendServices credentials;
    private final CloseableHttpClient http;
    private final Clock clock;

    SmartTokens(SmartBackendServices credentials, CloseableHttpClient http, Clock clock) {
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
    }

    /** One token request; failures are typed like the publication's own ({@link PublicationFailures#byStatus}). */
    AccessTokens.Token request() {
        String what = "the SMART token request of client " + credentials.clientId() + " to " + credentials.tokenUrl();
        HttpPost post = new HttpPost(credentials.tokenUrl());
        post.setHeader("Accept", "application/json");
        post.setEntity(new StringEntity(form(clock.instant()), ContentType.APPLICATION_FORM_URLENCODED));
        try (CloseableHttpResponse response = http.execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            if (status != 200) {
                FhirPublicationException failure = PublicationFailures.byStatus(what, status, oauthError(body));
                if (failure instanceof FhirRejectedException) {
                    // 400 invalid_client / invalid_scope: the credentials or their registration are wrong
                    throw new FhirAuthorizationException(what + " failed with HTTP " + status + " (credentials refused)",
                            status, oauthError(body), null);
                }
                throw failure;
            }
            JsonNode answer = JSON.readTree(body);
            JsonNode access = answer.path("access_token");
            if (!access.isTextual() || access.asText().isBlank()
                    || !"bearer".equalsIgnoreCase(answer.path("token_type").asText("bearer"))) {
                throw new FhirProtocolException(what + " got no bearer access_token", status, "", null);
            }
            long expiresIn = Math.max(0, answer.path("expires_in").asLong(DEFAULT_EXPIRES_IN));
            LOG.info("Got a SMART access token for client {} from {}, valid {} s", credentials.clientId(),
                    credentials.tokenUrl(), expiresIn);
            return new AccessTokens.Token(access.asText(), Duration.ofSeconds(expiresIn));
        } catch (SSLException e) {
            throw new FhirAuthorizationException(what + " failed in the TLS handshake (is the server's certificate "
                    + "in the trust store?): " + e.getMessage(), 0, "", e);
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw new FhirProtocolException(what + " got an answer that is not JSON", 200, "", null);
            }
            throw new FhirUnavailableException(what + " got no answer: " + e, 0, "", e);
        }
    }

    private String form(Instant now) {
        return "grant_type=client_credentials"
                + "&scope=" + URLEncoder.encode(credentials.scope(), StandardCharsets.UTF_8)
                + "&client_assertion_type=" + URLEncoder.encode(ASSERTION_TYPE, StandardCharsets.UTF_8)
                + "&client_assertion=" + URLEncoder.encode(assertion(now), StandardCharsets.UTF_8);
    }

    /** The signed client assertion: iss = sub = client id, aud = token URL, a unique jti, exp within five minutes. */
    String assertion(Instant now) {
        ObjectNode header = JSON.createObjectNode()
                .put("alg", credentials.algorithm()).put("kid", credentials.keyId()).put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", credentials.clientId())
                .put("sub", credentials.clientId())
                .put("aud", credentials.tokenUrl())
                .put("jti", UUID.randomUUID().toString())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        String signingInput = base64Url(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance(
                    credentials.algorithm().equals("RS384") ? "SHA384withRSA" : "SHA384withECDSAinP1363Format");
            signature.initSign(credentials.key());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the SMART client assertion with a "
                    + credentials.key().getAlgorithm() + " key", e);
        }
    }

    /** The OAuth error code and description of a refusal (no token or assertion in them). */
    private static String oauthError(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            String code = error.path("error").asText("");
            String description = error.path("error_description").asText("");
            return (code + (description.isEmpty() ? "" : ": " + description)).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
