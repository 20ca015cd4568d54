package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.testing.SphereSeries;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.remote.RemoteEndpoint;
import org.groundflow.inference.remote.RemoteInterpreter;
import org.groundflow.inference.remote.RemoteStatusException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference model server (inference/remote/server.py, Debian's torch 1.13) against the in-process path (DJL,
 * libtorch 2.7) on the same phantoms and the same TorchScript file: same findings, masks equal up to float noise,
 * whatever the series' grid, slice spacing, orientation and slice order. And its access rules: a bearer token on
 * every call, loopback by default, no start without a token unless insecure on loopback.
 */
class ReferenceServerTest {

    private static ReferenceServer server;
    private static RemoteInterpreter remote;
    private static GroundedInterpreter local;

    @BeforeAll
    static void startServer() throws IOException {
        Assumptions.assumeTrue(ReferenceServer.available(), "/usr/bin/python3 with python3-torch is not installed");
        local = new GroundedInterpreter(DemoModel.get());
        server = ReferenceServer.start(DemoModel.get().modelPackage().directory());
        remote = RemoteInterpreter.connect(RemoteEndpoint.of(server.url()).withBearerToken(server.token()));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** Returns the remote read after checking it against the local one. */
    private static InterpretationResult assertSameRead(ImageVolume volume) {
        InterpretationResult here = local.interpret(volume);
        InterpretationResult there = remote.interpret(volume);
        List<Finding> expected = here.interpretation().findings();
        List<Finding> actual = there.interpretation().findings();
        assertThat(actual).extracting(Finding::label).containsExactlyElementsOf(
                expected.stream().map(Finding::label).toList());
        assertThat(there.interpretation().model()).isEqualTo(here.interpretation().model());
        for (int i = 0; i < expected.size(); i++) {
            Finding e = expected.get(i);
            Finding a = actual.get(i);
            BitSet mine = here.mask(e.segmentNumber()).voxels();
            BitSet theirs = there.mask(a.segmentNumber()).voxels();
            int voxels = mine.cardinality();
            assertThat(theirs.cardinality()).as("voxels of finding %d", e.number())
                    .isCloseTo(voxels, within(Math.max(3, voxels / 100)));
            BitSet both = (BitSet) mine.clone();
            both.and(theirs);
            assertThat(2.0 * both.cardinality() / (voxels + theirs.cardinality())).as("Dice of finding %d", e.number())
                    .isGreaterThan(0.99);
            assertThat(a.confidence()).isCloseTo(e.confidence(), within(1e-3));
            assertThat(a.measurements().longestAxialDiameterMm())
                    .isCloseTo(e.measurements().longestAxialDiameterMm(), within(1.6));
            assertThat(a.text()).contains(a.phrase());
        }
        assertThat(there.interpretation().impression()).isEqualTo(here.interpretation().impression());
        return there;
    }

    @Test
    void callsWithoutTheTokenOrWithAWrongOneAreRefused() {
        for (RemoteEndpoint endpoint : List.of(RemoteEndpoint.of(server.url()),
                RemoteEndpoint.of(server.url()).withBearerToken(server.token() + "x"))) {
            assertThatThrownBy(() -> RemoteInterpreter.connect(endpoint)).as(endpoint.toString())
                    .isInstanceOfSatisfying(RemoteStatusException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.code()).isEqualTo("unauthorised");
                    });
        }
    }

    @Test
    void theServerListensOnLoopbackOnly() throws IOException, InterruptedException {
        Process listing = new ProcessBuilder("../deploy/listening.sh", Long.toString(server.pid()))
                .redirectErrorStream(true).start();
        String sockets = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(listing.waitFor()).as(sockets).isZero();
        assertThat(sockets.lines()).as("listening sockets of pid %d", server.pid()).isNotEmpty()
                .allSatisfy(line -> assertThat(line.split(" ")[1]).as(line).isIn("127.0.0.1", "::1"));
    }

    @Test
    void withoutATokenTheServerStartsOnlyInsecureOnLoopback() throws IOException, InterruptedException {
        assertThat(refusal("--host", "127.0.0.1")).contains("a bearer token is required");
        assertThat(refusal("--insecure", "--host", "0.0.0.0"))
                .contains("--insecure is allowed on a loopback --host only").contains("got --host 0.0.0.0");
    }

    /** What server.py says when it refuses to start with these arguments and no token in its environment. */
    private static String refusal(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ReferenceServer.PYTHON.toString(),
                ReferenceServer.REMOTE.resolve("server.py").toString(), "--package", "unused", "--port", "0"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("GROUNDFLOW_MODEL_TOKEN");
        Process process = builder.start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(said).isNotZero();
        assertThat(said).doesNotContain("listening on");
        return said;
    }

    @Test
    void theServerFindsWhatTheInProcessModelFinds() {
        ImageVolume volume = Phantom.standard(24, -30).nodule(-80, -20, 15, 9).liverLesion(-60, 10, -20, 10).build(42);
        assertThat(assertSameRead(volume).interpretation().findings()).extracting(Finding::label)
                .contains("nodule", "liver lesion");
    }

    @Test
    void slicesOnAnotherGridAreResampledAlike() {
        ImageVolume volume = Phantom.grid(300, 1.3, 12, 20).nodule(80, 30, 35, 8).build(5);
        assertThat(assertSameRead(volume).interpretation().findings()).extracting(Finding::label).contains("nodule");
    }

    @Test
    void thinSlicesAreResampledAlongTheNormalAlike() {
        assertSameNodule(Phantom.standard(24, 0).sliceSpacing(1.25));
    }

    @Test
    void thickSlicesAreInterpolatedAlike() {
        assertSameNodule(Phantom.standard(7, 0).sliceSpacing(5));
    }

    @Test
    void rowsAndColumnsRunningTheOtherWayAreReorientedAlike() {
        assertSameNodule(Phantom.standard(12, 2).directions(new double[] {-1, 0, 0}, new double[] {0, -1, 0}));
    }

    @Test
    void aSeriesRotatedAQuarterTurnIsReorientedAlike() {
        assertSameNodule(Phantom.standard(12, 2).directions(new double[] {0, 1, 0}, new double[] {-1, 0, 0}));
    }

    @Test
    void slicesStoredHeadFirstAreReorderedAlike() {
        assertSameNodule(Phantom.standard(12, 2).directions(new double[] {-1, 0, 0}, new double[] {0, 1, 0}));
    }

    @Test
    void aTiltedSeriesIsResampledOntoAxialSlicesAlike() {
        double[][] tilted = SphereSeries.tilted(new double[] {1, 0, 0}, new double[] {0, 1, 0}, 12, 8);
        assertSameNodule(Phantom.standard(12, 2).directions(tilted[0], tilted[1]));
    }

    /** A nodule in the right lung at z 15 mm, on the phantom's grid: the remote read is the local one. */
    private static void assertSameNodule(Phantom phantom) {
        ImageVolume volume = phantom.nodule(-80, -20, 15, 9).build(17);
        assertThat(assertSameRead(volume).interpretation().findings()).extracting(Finding::label).contains("nodule");
    }
}
