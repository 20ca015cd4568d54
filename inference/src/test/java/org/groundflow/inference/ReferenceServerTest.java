package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.remote.RemoteEndpoint;
import org.groundflow.inference.remote.RemoteInterpreter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference model server (inference/remote/server.py, Debian's torch 1.13) against the in-process path (DJL,
 * libtorch 2.7) on the same phantoms and the same TorchScript file: same findings, masks equal up to float noise.
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
        remote = RemoteInterpreter.connect(RemoteEndpoint.of(server.url()));
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
    void theServerFindsWhatTheInProcessModelFinds() {
        ImageVolume volume = Phantom.standard(24, -30).nodule(-80, -20, -10, 9).cyst(0, -85, -5, 14).build(42);
        assertThat(assertSameRead(volume).interpretation().findings()).extracting(Finding::label)
                .contains("nodule", "cyst");
    }

    @Test
    void slicesOnAnotherGridAreResampledAlike() {
        ImageVolume volume = Phantom.grid(300, 1.3, 8, -10).nodule(80, 30, 0, 8).build(5);
        assertThat(assertSameRead(volume).interpretation().findings()).extracting(Finding::label).contains("nodule");
    }
}
