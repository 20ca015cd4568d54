package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebAuthenticationException;
import org.groundflow.dicomweb.transport.AccessTokens;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How access tokens are obtained from an OAuth 2.0 token endpoint by the client-credentials grant (RFC 6749 4.4): one
 * token request, its answer checked. Caching and refreshing is {@link AccessTokens}'s job.
 */
final class ClientCredentialsTokens {

    private static final Logger log = LoggerFactory.getLogger(ClientCredentialsTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OAuth2ClientCredentials credentials;
    private final CloseableHttpClient client;

    ClientCredentialsTokens(OAuth2ClientCredentials credentials, CloseableHttpClient client) {
        this.credentials = credentials;
        this.client = client;
    }

    /** One token request; a refusal or an unusable answer is a {@link DicomWebAuthenticationException}. */
    AccessTokens.Token request() throws IOException {
        String url = credentials.tokenUri().toString();
        ClassicRequestBuilder request = ClassicRequestBuilder.post(credentials.tokenUri())
                .addHeader("Accept", "application/json")
                .setEntity(new StringEntity(form(), ContentType.APPLICATION_FORM_URLENCODED));
        if (credentials.authentication() == OAuth2ClientCredentials.ClientAuthentication.BASIC) {
            String pair = encode(credentials.clientId()) + ":" + encode(credentials.clientSecret());
            request.addHeader("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode answer = client.execute(request.build(), response -> {
            HttpEntity entity = response.getEntity();
            if (response.getCode() != 200) {
                throw new DicomWebAuthenticationException(url, response.getCode(), HttpTransport.excerpt(entity));
            }
            try (InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent()) {
                return JSON.readTree(in);
            } catch (JsonProcessingException e) {
                throw new DicomWebAuthenticationException(url, 200, "not a JSON token response: " + e.getOriginalMessage());
            }
        });
        JsonNode accessToken = answer == null ? null : answer.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isBlank()) {
            throw new DicomWebAuthenticationException(url, 200, "the token response has no access_token");
        }
        JsonNode type = answer.get("token_type");
        if (type != null && type.isTextual() && !type.asText().equalsIgnoreCase("bearer")) {
            throw new DicomWebAuthenticationException(url, 200, "token_type is " + type.asText() + ", expected Bearer");
        }
        if (accessToken.asText().chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new DicomWebAuthenticationException(url, 200, "the access_token is not printable ASCII");
        }
        JsonNode expiresIn = answer.get("expires_in");
        if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
            log.debug("OAuth2 token from {} valid for {} s", url, expiresIn.asLong());
            return new AccessTokens.Token(accessToken.asText(), Duration.ofSeconds(expiresIn.asLong()));
        }
        log.debug("OAuth2 token from {} without expiry", url); // kept until the server refuses it
        return new AccessTokens.Token(accessToken.asText(), null);
    }

    private String form() {
        List<String> fields = new ArrayList<>();
        fields.add("grant_type=client_credentials");
        if (!credentials.scope().isEmpty()) {
            fields.add("scope=" + encode(credentials.scope()));
        }
        if (credentials.authentication() == OAuth2ClientCredentials.ClientAuthentication.FORM) {
            fields.add("client_id=" + encode(credentials.clientId()));
            fields.add("client_secret=" + encode(credentials.clientSecret()));
        }
        return String.join("&", fields);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
