package org.groundflow.dicomweb.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 4.4): the client posts {@code grant_type=client_credentials} to the
 * token endpoint and sends the access token as a bearer token. The token is cached until shortly before it expires
 * and fetched again once when the DICOMweb server answers 401. {@link #toString()} never shows the secret.
 *
 * @param tokenUri       the token endpoint, absolute http(s)
 * @param clientId       the client identifier
 * @param clientSecret   the client secret
 * @param scope          the scope to ask for; empty for the server's default
 * @param authentication how the client authenticates at the token endpoint
 */
public record OAuth2ClientCredentials(URI tokenUri, String clientId, String clientSecret, String scope,
                                      ClientAuthentication authentication) {

    /** How the client id and secret reach the token endpoint. */
    public enum ClientAuthentication {
        /** HTTP Basic with the URL-encoded id and secret (RFC 6749 2.3.1; every server must support it). */
        BASIC,
        /** {@code client_id} and {@code client_secret} in the form body. */
        FORM
    }

    public OAuth2ClientCredentials {
        Objects.requireNonNull(tokenUri, "tokenUri");
        if (!"http".equalsIgnoreCase(tokenUri.getScheme()) && !"https".equalsIgnoreCase(tokenUri.getScheme())
                || tokenUri.getHost() == null) {
            throw new IllegalArgumentException("tokenUri must be an absolute http or https URL, got: " + tokenUri);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(clientSecret, "clientSecret");
        scope = scope == null ? "" : scope.strip();
        Objects.requireNonNull(authentication, "authentication");
    }

    /** Client credentials sent with HTTP Basic, no scope. */
    public static OAuth2ClientCredentials of(String tokenUrl, String clientId, String clientSecret) {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        try {
            return new OAuth2ClientCredentials(new URI(tokenUrl.strip()), clientId, clientSecret, "",
                    ClientAuthentication.BASIC);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("tokenUrl must be a valid URL, got: " + tokenUrl, e);
        }
    }

    public OAuth2ClientCredentials withScope(String value) {
        return new OAuth2ClientCredentials(tokenUri, clientId, clientSecret, value, authentication);
    }

    /** Send the id and secret in the form body instead of HTTP Basic. */
    public OAuth2ClientCredentials withCredentialsInForm() {
        return new OAuth2ClientCredentials(tokenUri, clientId, clientSecret, scope, ClientAuthentication.FORM);
    }

    @Override
    public String toString() {
        return "OAuth2ClientCredentials[" + tokenUri + ", clientId=" + clientId + ", scope=" + scope
                + ", authentication=" + authentication + "]";
    }
}
