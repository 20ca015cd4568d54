package org.groundflow.fhirserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The FHIR sandbox, started as deploy/run.sh starts it ({@code deploy/fhir-server.sh start}, see {@link SandboxServer}),
 * listens on loopback only: every listening socket of its process, as deploy/listening.sh reads them from /proc.
 */
@ExtendWith(SandboxServer.Extension.class)
class SandboxLaunchTest {

    private static final Path LISTENING = Path.of("../listening.sh").toAbsolutePath().normalize();

    @Test
    void theSandboxListensOnLoopbackOnly(SandboxServer sandbox) throws IOException, InterruptedException {
        Process listing = new ProcessBuilder(LISTENING.toString(), Long.toString(sandbox.pid()))
                .redirectErrorStream(true).start();
        String sockets = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertThat(listing.waitFor()).as(sockets).isZero();
        assertThat(sockets.lines()).as("listening sockets of pid %d", sandbox.pid()).isNotEmpty()
                .allSatisfy(line -> assertThat(line.split(" ")[1]).as(line).isIn("127.0.0.1", "::1"))
                .anySatisfy(line -> assertThat(sandbox.baseUrl()).contains(":" + line.split(" ")[2] + "/"));
    }
}
