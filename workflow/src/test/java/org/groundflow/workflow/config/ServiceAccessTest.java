package org.groundflow.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.groundflow.inference.remote.RemoteTransportException;
import org.groundflow.workflow.worker.RemoteInterpretWorker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Calls to a model server or to the engine's REST API need credentials; without them only when the configuration
 * says insecure and the host is loopback. Checked from properties as Spring binds them, before any connection.
 */
class ServiceAccessTest {

    private static final String MODEL = "groundflow.model.remote-url";
    private static final String ENGINE = "groundflow.worker.engine-rest-url";

    @Test
    void loopbackMeansLocalhostOrALoopbackLiteral() {
        assertThat(ServiceAccess.loopback("http://127.0.0.1:8600")).isTrue();
        assertThat(ServiceAccess.loopback("http://127.3.2.1:8600/x")).isTrue();
        assertThat(ServiceAccess.loopback("http://LOCALHOST:8080/engine-rest")).isTrue();
        assertThat(ServiceAccess.loopback("http://[::1]:8600")).isTrue();
        assertThat(ServiceAccess.loopback("http://0.0.0.0:8600")).isFalse();
        assertThat(ServiceAccess.loopback("http://192.0.2.2:8600")).isFalse();
        assertThat(ServiceAccess.loopback("http://[::]:8600")).isFalse();
        assertThat(ServiceAccess.loopback("http://gpu-host:8600")).isFalse();
        assertThat(ServiceAccess.loopback("http://127.0.0.1.example.org:8600")).isFalse();
        assertThat(ServiceAccess.loopback("http://127.0.0.256:8600")).isFalse();
        assertThat(ServiceAccess.loopback("not a url")).isFalse();
    }

    @Test
    void aModelServerWithoutATokenStopsTheStart() {
        assertThatThrownBy(() -> interpreter(Map.of(MODEL, "http://gpu-host:8600")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("groundflow.model.remote-url is 'http://gpu-host:8600' but "
                        + "groundflow.model.remote-token is not set: calls would go unauthenticated")
                .hasMessageContaining("groundflow.model.remote-insecure=true");
        assertThatThrownBy(() -> interpreter(Map.of(MODEL, "http://127.0.0.1:8600")))
                .hasMessageContaining("groundflow.model.remote-token is not set");
    }

    @Test
    void insecureIsRefusedForAModelServerOffLoopbackEvenWithAToken() {
        for (String url : new String[] {"http://gpu-host:8600", "http://0.0.0.0:8600", "http://192.0.2.2:8600"}) {
            Map<String, Object> settings = new HashMap<>(Map.of(MODEL, url, "groundflow.model.remote-insecure", "true"));
            assertThatThrownBy(() -> interpreter(settings)).as(url)
                    .hasMessage("groundflow.model.remote-insecure=true is allowed for a loopback host only (127.0.0.1,"
                            + " ::1, localhost), but groundflow.model.remote-url is '" + url + "'");
            settings.put("groundflow.model.remote-token", "t0ken");
            assertThatThrownBy(() -> interpreter(settings)).as(url).hasMessageContaining("loopback host only");
        }
    }

    @Test
    void aTokenOrInsecureOnLoopbackGetsAsFarAsConnecting() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        for (Map<String, Object> settings : List.<Map<String, Object>>of(
                Map.of(MODEL, url, "groundflow.model.remote-token", "t0ken"),
                Map.of(MODEL, url, "groundflow.model.remote-insecure", "true"))) {
            assertThatThrownBy(() -> interpreter(settings)).as(settings.toString())
                    .isInstanceOf(RemoteTransportException.class);
        }
    }

    @Test
    void aWorkerWithoutCredentialsDoesNotStart() {
        assertThatThrownBy(() -> worker(Map.of(ENGINE, "http://engine:8080/engine-rest")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("groundflow.worker.engine-rest-url is 'http://engine:8080/engine-rest' but "
                        + "groundflow.worker.username/password is not set");
        assertThatThrownBy(() -> worker(Map.of(ENGINE, "http://127.0.0.1:8080/engine-rest",
                "groundflow.worker.username", "worker1")))
                .as("a user name without its password").hasMessageContaining("username/password is not set");
    }

    @Test
    void aWorkerIsInsecureOnlyTowardsALoopbackEngine() {
        assertThatThrownBy(() -> worker(Map.of(ENGINE, "http://engine:8080/engine-rest",
                "groundflow.worker.insecure", "true")))
                .hasMessage("groundflow.worker.insecure=true is allowed for a loopback host only (127.0.0.1, ::1,"
                        + " localhost), but groundflow.worker.engine-rest-url is 'http://engine:8080/engine-rest'");
        assertThatCode(() -> worker(Map.of(ENGINE, "http://localhost:8080/engine-rest",
                "groundflow.worker.insecure", "true"))).doesNotThrowAnyException();
        assertThatCode(() -> worker(Map.of(ENGINE, "http://engine:8080/engine-rest",
                "groundflow.worker.username", "worker1", "groundflow.worker.password", "pw")))
                .doesNotThrowAnyException();
    }

    private static void interpreter(Map<String, Object> settings) {
        new GroundflowConfiguration().interpreter(bind(settings), null);
    }

    private static void worker(Map<String, Object> settings) {
        new RemoteInterpretWorker(null, null, null, null, bind(settings));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static GroundflowProperties bind(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return Binder.get(environment).bindOrCreate("groundflow", GroundflowProperties.class);
    }
}
