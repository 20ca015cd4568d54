package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.transport.TrustStore;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how to reach a DICOMweb service: the base URL of its root (the part before {@code /studies}), the
 * server profile, authentication, TLS trust, timeouts and the transfer syntaxes retrievals ask for by default. There
 * are no retry settings: a client repeats only a refused connection, once (see {@link DicomWebClient}). Immutable; each {@code with...} returns a changed copy.
 * {@link #toString()} never shows credentials.
 *
 * <pre>{@code
 * DicomWebEndpoint pacs = DicomWebEndpoint.dcm4cheeArc("https://pacs.example:8443", "DCM4CHEE")
 *         .withOAuth2(OAuth2ClientCredentials.of("https://sso.example/token", "groundflow", secret))
 *         .withTrustStore(TrustStore.of(Path.of("/etc/groundflow/pacs-trust.p12"), trustStorePassword))
 *         .withReadTimeout(Duration.ofMinutes(2));
 * }</pre>
 */
public final class DicomWebEndpoint {

    /** How requests authenticate. */
    public enum AuthScheme { NONE, BASIC, BEARER, OAUTH2_CLIENT_CREDENTIALS }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern AE_TITLE = Pattern.compile("[\\x21-\\x5B\\x5D-\\x7E]([\\x20-\\x5B\\x5D-\\x7E]{0,14}[\\x21-\\x5B\\x5D-\\x7E])?");

    private final Settings settings;

    /** All values, copied on each change. */
    private record Settings(URI baseUri, ServerProfile profile, AuthScheme authScheme, String authorization,
                            OAuth2ClientCredentials oauth2, TrustStore trustStore,
                            Duration connectTimeout, Duration readTimeout, TransferSyntaxPreference transferSyntaxes) {
    }

    private DicomWebEndpoint(Settings settings) {
        this.settings = settings;
    }

    /**
     * An endpoint of the {@link ServerProfile#GENERIC generic} profile without authentication and with default
     * timeouts.
     *
     * @param baseUrl absolute http(s) URL of the DICOMweb root, e.g. {@code http://127.0.0.1:8042/dicom-web};
     *                a trailing slash is removed; no query or fragment
     */
    public static DicomWebEndpoint of(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl must be a valid URL, got: " + baseUrl, e);
        }
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("baseUrl must use http or https, got: " + baseUrl);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must name a host, got: " + baseUrl);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not carry a query, fragment or user info, got: " + redact(uri));
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return new DicomWebEndpoint(new Settings(URI.create(text), ServerProfile.GENERIC, AuthScheme.NONE, null, null,
                null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                TransferSyntaxPreference.uncompressedOrAsStored()));
    }

    /**
     * Orthanc's DICOMweb plugin with its default root: {@code serverUrl + "/dicom-web"}, profile
     * {@link ServerProfile#ORTHANC}.
     *
     * @param serverUrl e.g. {@code http://127.0.0.1:8042}
     */
    public static DicomWebEndpoint orthanc(String serverUrl) {
        return of(trimmed(serverUrl, "serverUrl") + "/dicom-web").withProfile(ServerProfile.ORTHANC);
    }

    /**
     * dcm4chee-arc-light: {@code serverUrl + "/dcm4chee-arc/aets/" + aeTitle + "/rs"}, profile
     * {@link ServerProfile#DCM4CHEE_ARC}.
     *
     * @param serverUrl e.g. {@code https://pacs.example:8443}
     * @param aeTitle   the archive's AE title, e.g. {@code DCM4CHEE} (1-16 characters, no backslash)
     */
    public static DicomWebEndpoint dcm4cheeArc(String serverUrl, String aeTitle) {
        Objects.requireNonNull(aeTitle, "aeTitle");
        if (!AE_TITLE.matcher(aeTitle).matches()) {
            throw new IllegalArgumentException("aeTitle must be 1-16 printable characters without backslash or "
                    + "leading/trailing spaces, got: '" + aeTitle + "'");
        }
        String path = "/dcm4chee-arc/aets/" + aeTitle.replace(" ", "%20") + "/rs";
        return of(trimmed(serverUrl, "serverUrl") + path).withProfile(ServerProfile.DCM4CHEE_ARC);
    }

    public DicomWebEndpoint withProfile(ServerProfile profile) {
        Objects.requireNonNull(profile, "profile");
        Settings s = settings;
        return new DicomWebEndpoint(new Settings(s.baseUri, profile, s.authScheme, s.authorization, s.oauth2,
                s.trustStore, s.connectTimeout, s.readTimeout, s.transferSyntaxes));
    }

    public DicomWebEndpoint withoutAuthentication() {
        return withAuthentication(AuthScheme.NONE, null, null);
    }

    public DicomWebEndpoint withBasicAuth(String user, String password) {
        requireText(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.contains(":")) {
            throw new IllegalArgumentException("user must not contain ':' (HTTP Basic)");
        }
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return withAuthentication(AuthScheme.BASIC, "Basic " + token, null);
    }

    /** A static bearer token, sent as is on every request. */
    public DicomWebEndpoint withBearerToken(String token) {
        requireText(token, "token");
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("token must be printable ASCII without spaces");
        }
        return withAuthentication(AuthScheme.BEARER, "Bearer " + token, null);
    }

    /** Bearer tokens from an OAuth 2.0 token endpoint (client-credentials grant), cached and refreshed. */
    public DicomWebEndpoint withOAuth2(OAuth2ClientCredentials credentials) {
        return withAuthentication(AuthScheme.OAUTH2_CLIENT_CREDENTIALS, null,
                Objects.requireNonNull(credentials, "credentials"));
    }

    /** Shorthand for {@code withOAuth2(OAuth2ClientCredentials.of(tokenUrl, clientId, clientSecret))}. */
    public DicomWebEndpoint withOAuth2ClientCredentials(String tokenUrl, String clientId, String clientSecret) {
        return withOAuth2(OAuth2ClientCredentials.of(tokenUrl, clientId, clientSecret));
    }

    /**
     * Trust only the certificates in this key store for https, instead of the JVM's default trust store. The file is
     * read when the client is created.
     */
    public DicomWebEndpoint withTrustStore(TrustStore store) {
        Objects.requireNonNull(store, "trustStore");
        Settings s = settings;
        return new DicomWebEndpoint(new Settings(s.baseUri, s.profile, s.authScheme, s.authorization, s.oauth2,
                store, s.connectTimeout, s.readTimeout, s.transferSyntaxes));
    }

    public DicomWebEndpoint withConnectTimeout(Duration timeout) {
        Settings s = settings;
        return new DicomWebEndpoint(new Settings(s.baseUri, s.profile, s.authScheme, s.authorization, s.oauth2,
                s.trustStore, requirePositive(timeout, "connectTimeout"), s.readTimeout, s.transferSyntaxes));
    }

    /** Longest silence while waiting for or reading a response (socket timeout). */
    public DicomWebEndpoint withReadTimeout(Duration timeout) {
        Settings s = settings;
        return new DicomWebEndpoint(new Settings(s.baseUri, s.profile, s.authScheme, s.authorization, s.oauth2,
                s.trustStore, s.connectTimeout, requirePositive(timeout, "readTimeout"), s.transferSyntaxes));
    }

    /**
     * The transfer syntaxes WADO-RS retrievals ask for when a call does not say (default:
     * {@link TransferSyntaxPreference#uncompressedOrAsStored()}).
     */
    public DicomWebEndpoint withTransferSyntaxes(TransferSyntaxPreference preference) {
        Objects.requireNonNull(preference, "transferSyntaxes");
        Settings s = settings;
        return new DicomWebEndpoint(new Settings(s.baseUri, s.profile, s.authScheme, s.authorization, s.oauth2,
                s.trustStore, s.connectTimeout, s.readTimeout, preference));
    }

    private DicomWebEndpoint withAuthentication(AuthScheme scheme, String authorization, OAuth2ClientCredentials oauth2) {
        Settings s = settings;
        return new DicomWebEndpoint(new Settings(s.baseUri, s.profile, scheme, authorization, oauth2, s.trustStore,
                s.connectTimeout, s.readTimeout, s.transferSyntaxes));
    }

    public URI baseUri() {
        return settings.baseUri;
    }

    public ServerProfile profile() {
        return settings.profile;
    }

    public AuthScheme authScheme() {
        return settings.authScheme;
    }

    /** The value of a static Authorization header (Basic, Bearer); empty otherwise, also for OAuth2. */
    public Optional<String> authorizationHeader() {
        return Optional.ofNullable(settings.authorization);
    }

    public Optional<OAuth2ClientCredentials> oauth2() {
        return Optional.ofNullable(settings.oauth2);
    }

    public Optional<TrustStore> trustStore() {
        return Optional.ofNullable(settings.trustStore);
    }

    public Duration connectTimeout() {
        return settings.connectTimeout;
    }

    public Duration readTimeout() {
        return settings.readTimeout;
    }

    public TransferSyntaxPreference transferSyntaxes() {
        return settings.transferSyntaxes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomWebEndpoint e && settings.equals(e.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        Settings s = settings;
        return "DicomWebEndpoint[" + s.baseUri + ", profile=" + s.profile.name() + ", auth=" + s.authScheme
                + (s.oauth2 == null ? "" : " via " + s.oauth2.tokenUri())
                + (s.trustStore == null ? "" : ", trustStore=" + s.trustStore.file())
                + ", connectTimeout=" + s.connectTimeout + ", readTimeout=" + s.readTimeout + "]";
    }

    private static String trimmed(String url, String name) {
        Objects.requireNonNull(url, name);
        String text = url.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    private static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
