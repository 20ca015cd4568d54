package org.groundflow.inference.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.FindingExtractor;
import org.groundflow.inference.InterpretationResult;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelCardReader;
import org.groundflow.inference.ModelPackageException;
import org.groundflow.inference.ReadableSeries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a series with a model that runs in another process, usually on a GPU host, over the HTTP + JSON contract of
 * inference/remote/CONTRACT.md. The card is fetched once, when connecting. Each read sends the volume as slices and
 * turns the server's masks into findings with the same {@link FindingExtractor} as the in-process path, so
 * measurements, locations and sentences are computed here, from the source geometry; the server's own sentences are
 * checked (each phrase inside its text and tied to a segment of its label) but not copied into the report.
 *
 * <p>One place for HTTP: {@link #exchange}. Each request is sent once: an error status, a timeout or a broken answer
 * fails the read, and the process engine's retry cycle on the step decides when to try again. The only repeat is the
 * JDK client's own after a refused connection (once, nothing having been sent), the same rule as Groundflow's other
 * clients.
 */
public final class RemoteInterpreter implements Interpreter {

    private static final Logger log = LoggerFactory.getLogger(RemoteInterpreter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteEndpoint endpoint;
    private final HttpClient http;
    private final ModelCard card;
    private final FindingExtractor extractor;
    private final String prompt;

    private RemoteInterpreter(RemoteEndpoint endpoint, HttpClient http, ModelCard card) {
        this.endpoint = endpoint;
        this.http = http;
        this.card = card;
        this.extractor = new FindingExtractor(card);
        this.prompt = endpoint.prompt() != null ? endpoint.prompt() : defaultPrompt(card);
    }

    /**
     * Fetches the server's model card ({@code GET /v1/model}) and returns an interpreter for it.
     *
     * @throws RemoteTransportException when the server cannot be reached
     * @throws RemoteStatusException    when it answers with an error status
     * @throws ModelPackageException    when its card is invalid
     */
    public static RemoteInterpreter connect(RemoteEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        byte[] body = exchange(http, endpoint, request(endpoint, "/v1/model").GET().build(), "fetch the model card");
        ModelCard card = ModelCardReader.readRemote(body, endpoint.baseUrl().toString());
        log.info("Model server {} serves {} ({})", endpoint.baseUrl(), card.title(), card.uid());
        return new RemoteInterpreter(endpoint, http, card);
    }

    @Override
    public InterpretationResult interpret(ImageVolume volume) {
        ReadableSeries.check(card, volume);
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        byte[] body = InterpretRequest.write(volume, prompt, requestId);
        HttpRequest request = request(endpoint, "/v1/interpret")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        byte[] answerBody = exchange(http, endpoint, request, "interpret series " + volume.seriesInstanceUid());
        InterpretAnswer answer = InterpretAnswer.read(answerBody, card, volume, endpoint.baseUrl().toString());
        if (!answer.warnings().isEmpty()) {
            log.warn("Series {}: model server {} warns: {}", volume.seriesInstanceUid(), endpoint.baseUrl(),
                    answer.warnings());
        }
        log.info("Series {}: model server {} drew {} segment(s) with {} grounded sentence(s) in {} ms (request {})",
                volume.seriesInstanceUid(), endpoint.baseUrl(), answer.segments(), answer.findings(),
                (System.nanoTime() - started) / 1_000_000, requestId);
        return extractor.extract(volume, answer.labels());
    }

    @Override
    public ModelCard card() {
        return card;
    }

    public RemoteEndpoint endpoint() {
        return endpoint;
    }

    /** "Find and outline every nodule and every liver lesion in this CT series.", from the card's finding labels. */
    static String defaultPrompt(ModelCard card) {
        List<String> names = card.findingLabels().stream().map(ModelCard.Label::name).toList();
        return "Find and outline every " + String.join(" and every ", names) + " in this " + card.modality() + " series.";
    }

    private static HttpRequest.Builder request(RemoteEndpoint endpoint, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(endpoint.readTimeout())
                .header("Accept", "application/json");
        endpoint.token().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        return builder;
    }

    /** Sends one request; the status is checked and an error body becomes a {@link RemoteStatusException}. */
    private static byte[] exchange(HttpClient http, RemoteEndpoint endpoint, HttpRequest request, String what) {
        URI uri = request.uri();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new RemoteTransportException("model server " + uri + " did not answer in time to " + what + " ("
                    + (e instanceof HttpConnectTimeoutException ? "connect timeout " + endpoint.connectTimeout()
                    : "read timeout " + endpoint.readTimeout()) + ")", e);
        } catch (ConnectException e) {
            throw new RemoteTransportException("model server " + uri + " refused the connection to " + what, e);
        } catch (IOException e) {
            throw new RemoteTransportException("model server " + uri + " failed to " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteTransportException("interrupted while waiting for model server " + uri + " to " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            String code = "unknown";
            String message = new String(response.body(), StandardCharsets.UTF_8);
            try {
                JsonNode error = JSON.readTree(response.body()).path("error");
                if (error.hasNonNull("code")) {
                    code = error.get("code").asText();
                    message = error.path("message").asText("");
                }
            } catch (IOException | RuntimeException notJson) {
                message = message.length() > 200 ? message.substring(0, 200) + "..." : message;
            }
            throw new RemoteStatusException(response.statusCode(), code, "model server " + uri + " answered "
                    + response.statusCode() + " (" + code + ") to " + what + ": " + message);
        }
        return response.body();
    }
}
