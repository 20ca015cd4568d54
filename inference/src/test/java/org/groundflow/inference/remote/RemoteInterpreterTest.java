package org.groundflow.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.InferenceException;
import org.groundflow.inference.InterpretationResult;
import org.groundflow.inference.ModelPackage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stub model server (JDK HttpServer): the request it sends, the answers it takes or refuses. */
class RemoteInterpreterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_UID = ModelPackage.bundledDemo().card().uid();
    private static final String DEMO_VERSION = ModelPackage.bundledDemo().card().version();

    private record Recorded(String method, String path, Map<String, List<String>> headers, byte[] body) {
    }

    private record Reply(int status, String body, long delayMillis) {
    }

    private HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile Reply reply;

    @BeforeEach
    void start() throws IOException {
        byte[] card;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ModelPackage.DEMO_RESOURCE + ModelPackage.CARD_FILE)) {
            card = in.readAllBytes();
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-model-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/model", exchange -> respond(exchange, 200, card));
        server.createContext("/v1/interpret", exchange -> {
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
            Reply r = reply;
            try {
                Thread.sleep(r.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, r.status(), r.body().getBytes(StandardCharsets.UTF_8));
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private RemoteEndpoint endpoint() {
        return RemoteEndpoint.of("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** 4 x 3 pixels of 5 mm, 2 axial slices 5 mm apart: each voxel 0.125 mL. */
    private static ImageVolume volume(String modality) {
        float[] voxels = new float[24];
        for (int i = 0; i < voxels.length; i++) {
            voxels[i] = i - 1000.5f;
        }
        return new ImageVolume(new VolumeGeometry(Uid.of("2.25.71"), Uid.of("2.25.72"), Uid.of("2.25.73"), Uid.of("1.2.840.10008.5.1.4.1.1.2"), modality, 4, 3, 2, 5.0, 5.0, 5.0, new double[] {1, 0, 0}, new double[] {0, 1, 0}, List.of(new double[] {-7.5, -5, 0}, new double[] {-7.5, -5, 5}), List.of(Uid.of("2.25.74.1"), Uid.of("2.25.74.2")), null), voxels);
    }

    /** A valid answer: one nodule segment of pixels 5 and 6 on both slices. */
    private static ObjectNode answer() {
        return (ObjectNode) read("""
                {"requestId": "r", "model": {"name": "groundflow-demo-chest-ct", "version": "%s", "uid": "%s"},
                 "segments": [{"number": 1, "label": "nodule", "confidence": 0.97,
                               "rle": [{"sopInstanceUid": "2.25.74.1", "counts": [5, 2, 5]},
                                       {"sopInstanceUid": "2.25.74.2", "counts": [5, 2, 5]}]}],
                 "findings": [{"label": "nodule", "text": "A nodule of 0.50 mL.", "phrase": "nodule", "segment": 1}],
                 "impression": "1 nodule; see findings.", "warnings": []}
                """.formatted(DEMO_VERSION, DEMO_UID));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aServerThatGivesNoConfidenceLeavesTheFindingWithout() {
        ObjectNode answer = answer();
        segment(answer).remove("confidence");
        reply = new Reply(200, answer.toString(), 0);
        Finding finding = RemoteInterpreter.connect(endpoint()).interpret(volume("CT")).interpretation().findings().get(0);
        assertThat(finding.confidence()).isNull();
    }

    @Test
    void sendsTheSlicesAndMeasuresTheMasksItGetsBack() throws IOException {
        reply = new Reply(200, answer().toString(), 0);
        RemoteInterpreter interpreter = RemoteInterpreter.connect(endpoint().withBearerToken("secret"));
        ImageVolume volume = volume("CT");

        InterpretationResult result = interpreter.interpret(volume);

        assertThat(interpreter.card().uid()).isEqualTo(DEMO_UID);
        Finding finding = result.interpretation().findings().get(0);
        assertThat(result.interpretation().findings()).hasSize(1);
        assertThat(finding.label()).isEqualTo("nodule");
        assertThat(finding.confidence()).isCloseTo(0.97, within(1e-6));
        assertThat(finding.measurements().volumeMl()).isCloseTo(0.5, within(1e-9));
        assertThat(finding.text()).contains(finding.phrase()).contains("mm nodule");
        assertThat(result.mask(finding.segmentNumber()).voxels().stream().toArray()).containsExactly(5, 6, 17, 18);
        assertThat(result.interpretation().model().uid().value()).isEqualTo(DEMO_UID);

        assertThat(requests).hasSize(1);
        Recorded sent = requests.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.headers().get("Content-type")).containsExactly("application/json");
        assertThat(sent.headers().get("Authorization")).containsExactly("Bearer secret");
        JsonNode body = JSON.readTree(sent.body());
        assertThat(body.get("requestId").asText()).isEqualTo(sent.headers().get("X-request-id").get(0));
        assertThat(body.at("/task/prompt").asText())
                .isEqualTo("Find and outline every nodule and every liver lesion in this CT series.");
        assertThat(body.at("/series/seriesInstanceUid").asText()).isEqualTo("2.25.72");
        JsonNode slices = body.at("/series/slices");
        assertThat(slices.get("rows").asInt()).isEqualTo(3);
        assertThat(slices.get("columns").asInt()).isEqualTo(4);
        assertThat(slices.get("encoding").asText()).isEqualTo("float32-le-base64");
        assertThat(slices.get("instances")).hasSize(2);
        JsonNode second = slices.get("instances").get(1);
        assertThat(second.get("sopInstanceUid").asText()).isEqualTo("2.25.74.2");
        assertThat(second.get("position").get(2).asDouble()).isEqualTo(5.0);
        ByteBuffer data = ByteBuffer.wrap(Base64.getDecoder().decode(second.get("data").asText())).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[12];
        data.asFloatBuffer().get(values);
        float[] expected = new float[12];
        System.arraycopy(volume.voxels(), 12, expected, 0, 12);
        assertThat(values).containsExactly(expected);
    }

    @Test
    void anErrorStatusBecomesATypedExceptionWithTheServersCode() {
        reply = new Reply(422, "{\"error\": {\"code\": \"unsupported-source\", \"message\": \"slices only\"}}", 0);
        RemoteInterpreter interpreter = RemoteInterpreter.connect(endpoint());
        RemoteStatusException e = assertThrows(RemoteStatusException.class, () -> interpreter.interpret(volume("CT")));
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.code()).isEqualTo("unsupported-source");
        assertThat(e).hasMessageEndingWith("answered 422 (unsupported-source) to interpret series 2.25.72: slices only");
    }

    @Test
    void aServerErrorIsSentOnceLeavingRetriesToTheProcessEngine() {
        reply = new Reply(503, "{\"error\": {\"code\": \"busy\", \"message\": \"GPU in use\"}}", 0);
        RemoteInterpreter interpreter = RemoteInterpreter.connect(endpoint());

        assertThat(assertThrows(RemoteStatusException.class, () -> interpreter.interpret(volume("CT"))).status())
                .isEqualTo(503);
        assertThat(requests).hasSize(1);
    }

    private String refusal(Consumer<ObjectNode> change) {
        ObjectNode answer = answer();
        change.accept(answer);
        reply = new Reply(200, answer.toString(), 0);
        RemoteInterpreter interpreter = RemoteInterpreter.connect(endpoint());
        return assertThrows(RemoteInterpretationException.class, () -> interpreter.interpret(volume("CT"))).getMessage();
    }

    private static ObjectNode segment(ObjectNode answer) {
        return (ObjectNode) answer.get("segments").get(0);
    }

    private static ObjectNode finding(ObjectNode answer) {
        return (ObjectNode) answer.get("findings").get(0);
    }

    @Test
    void answersThatBreakTheContractAreRefusedNamingTheField() {
        assertThat(refusal(a -> finding(a).put("phrase", "cyst")))
                .endsWith("field 'findings[0].phrase' ('cyst') is not part of its text ('A nodule of 0.50 mL.')");
        assertThat(refusal(a -> finding(a).put("segment", 2)))
                .endsWith("field 'findings[0].segment' must name a segment of the answer, got 2");
        assertThat(refusal(a -> segment(a).put("label", "effusion")))
                .endsWith("field 'segments[0].label' is 'effusion', not a label of the card groundflow-demo-chest-ct "
                        + DEMO_VERSION);
        assertThat(refusal(a -> ((ObjectNode) segment(a).get("rle").get(1)).put("sopInstanceUid", "2.25.99")))
                .endsWith("field 'segments[0].rle[1].sopInstanceUid' is 2.25.99, not a slice of the request");
        assertThat(refusal(a -> ((ObjectNode) segment(a).get("rle").get(0)).putArray("counts").add(5).add(2)))
                .endsWith("field 'segments[0].rle[0].counts' breaks the run-length code: runs cover 7 pixels, the slice has 12");
        assertThat(refusal(a -> segment(a).put("confidence", 1.5)))
                .endsWith("field 'segments[0].confidence' must be a number in 0..1, got 1.5");
        assertThat(refusal(a -> ((ObjectNode) a.get("model")).put("uid", "2.25.5")))
                .contains("broke the contract for series 2.25.72")
                .endsWith("field 'model.uid' is 2.25.5, but the server's card names " + DEMO_UID
                        + " (the model changed since the client connected)");
        assertThat(refusal(a -> ((ArrayNode) a.get("segments")).add(segment(a).deepCopy())))
                .endsWith("segment number 1 appears twice");
    }

    @Test
    void seriesTheModelCannotReadAreRefusedBeforeAnythingIsSent() {
        reply = new Reply(200, answer().toString(), 0);
        RemoteInterpreter interpreter = RemoteInterpreter.connect(endpoint());
        assertThat(assertThrows(InferenceException.class, () -> interpreter.interpret(volume("MR"))))
                .hasMessageContaining("reads CT, series 2.25.72 is MR");
        assertThat(requests).isEmpty();
    }

    @Test
    void aSlowServerTimesOutAndAnAbsentOneRefuses() {
        reply = new Reply(200, answer().toString(), 3000);
        RemoteInterpreter slow = RemoteInterpreter.connect(endpoint().withReadTimeout(Duration.ofMillis(300)));
        assertThat(assertThrows(RemoteTransportException.class, () -> slow.interpret(volume("CT"))))
                .hasMessageContaining("did not answer in time to interpret series 2.25.72 (read timeout PT0.3S)");
        assertThat(requests).as("a timed-out request is not sent again").hasSize(1);
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThat(assertThrows(RemoteTransportException.class,
                () -> RemoteInterpreter.connect(RemoteEndpoint.of("http://127.0.0.1:" + port))))
                .hasMessageContaining("refused the connection to fetch the model card");
    }

    @Test
    void endpointsAreCheckedWhenMade() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> RemoteEndpoint.of("ftp://host/")))
                .hasMessage("baseUrl must be an http or https URL, got 'ftp://host'");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> RemoteEndpoint.of("http://host").withReadTimeout(Duration.ZERO)))
                .hasMessage("readTimeout must be positive, got PT0S");
        assertThat(RemoteEndpoint.of("http://host:8600").withBearerToken("secret").toString()).doesNotContain("secret");
        assertThat(RemoteEndpoint.of("http://host:8600/").baseUrl()).hasToString("http://host:8600");
    }
}
