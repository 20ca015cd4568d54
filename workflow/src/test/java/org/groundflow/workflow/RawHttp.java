package org.groundflow.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP calls to the application under test as a browser or a script makes them: no redirect followed, no cookie
 * sent unless given, any method with any body, content type and headers.
 */
final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    RawHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** One request; {@code headers} may carry Authorization, Cookie, Content-Type and any other header. */
    Answer send(String method, String path, Map<String, String> headers, String body) {
        return send(method, path, headers, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    }

    Answer send(String method, String path, Map<String, String> headers, BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body of unknown length, sent chunked. */
    static BodyPublisher chunked(Supplier<InputStream> stream) {
        return BodyPublishers.ofInputStream(stream);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signs in through the sign-in form as a browser does (the form's CSRF token, then the credentials) and returns
     * the session; its CSRF token comes from {@code /api/me}, Camunda's webapps' token from their first answer.
     */
    Session signIn(String user, String password) {
        return signIn(user, password, Map.of());
    }

    /** Signs in with {@code extra} headers on every call (e.g. X-Forwarded-Proto of a TLS proxy). */
    Session signIn(String user, String password, Map<String, String> extra) {
        Answer form = send("GET", "/login", extra, (String) null);
        Matcher token = CSRF_INPUT.matcher(form.body());
        if (!token.find()) {
            throw new AssertionError("the sign-in form carries no CSRF token: " + form.body());
        }
        StringBuilder cookies = new StringBuilder();
        form.cookie("JSESSIONID").ifPresent(id -> cookies.append("JSESSIONID=").append(id).append("; "));
        form.cookie("GF-XSRF-TOKEN").ifPresent(csrf -> cookies.append("GF-XSRF-TOKEN=").append(csrf));
        String fields = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(token.group(1));
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Cookie", cookies.toString());
        Answer signedIn = send("POST", "/login", headers, fields);
        if (signedIn.status() != 302 || signedIn.header("Location").orElse("").contains("error")) {
            throw new AssertionError("sign-in of " + user + " failed: " + signedIn.status() + " " + signedIn.headers());
        }
        String session = signedIn.cookie("JSESSIONID").orElseThrow(() -> new AssertionError("no session at sign-in"));
        headers = new LinkedHashMap<>(extra);
        headers.put("Cookie", "JSESSIONID=" + session);
        Answer me = send("GET", "/api/me", headers, (String) null);
        String csrf = me.cookie("GF-XSRF-TOKEN").orElseThrow(() -> new AssertionError("/api/me set no CSRF cookie: "
                + me.status() + " " + me.headers()));
        Answer camunda = send("GET", "/camunda/api/engine/engine/default/process-definition/count", headers, (String) null);
        return new Session(user, session, csrf, camunda.cookie("XSRF-TOKEN").orElse(null), form, signedIn, me);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A signed-in browser: its session cookie and the CSRF tokens it was given. */
    record Session(String user, String sessionId, String csrfToken, String camundaCsrfToken, Answer form, Answer signIn,
                   Answer me) {

        /** The session cookie alone, as a page of another site makes the browser send it. */
        Map<String, String> cookieOnly() {
            return Map.of("Cookie", "JSESSIONID=" + sessionId);
        }

        /** The session cookie with Groundflow's CSRF cookie and header, as the review UI sends them. */
        Map<String, String> withToken() {
            return Map.of("Cookie", "JSESSIONID=" + sessionId + "; GF-XSRF-TOKEN=" + csrfToken,
                    "X-GF-XSRF-TOKEN", csrfToken);
        }

        /** The session cookie with Camunda's CSRF cookie and header, as Cockpit and Tasklist send them. */
        Map<String, String> withCamundaToken() {
            return Map.of("Cookie", "JSESSIONID=" + sessionId + "; XSRF-TOKEN=" + camundaCsrfToken,
                    "X-XSRF-TOKEN", camundaCsrfToken);
        }
    }

    record Answer(int status, String body, Map<String, List<String>> headers) {

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        List<String> setCookies() {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        /** The Set-Cookie line of {@code name}, whole (with its attributes). */
        Optional<String> setCookie(String name) {
            return setCookies().stream().filter(c -> c.startsWith(name + "=")).reduce((a, b) -> b);
        }

        Optional<String> cookie(String name) {
            return setCookie(name).map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                    .filter(v -> !v.isEmpty());
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
