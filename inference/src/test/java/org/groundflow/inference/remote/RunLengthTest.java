package org.groundflow.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLengthTest {

    private static List<int[]> runs(long[] counts, int size) {
        List<int[]> runs = new ArrayList<>();
        RunLength.decode(counts, size, (from, to) -> runs.add(new int[] {from, to}));
        return runs;
    }

    @Test
    void runsAlternateFromBackgroundAndRoundTrip() {
        BitSet mask = new BitSet();
        mask.set(1, 3);
        mask.set(5);
        assertThat(RunLength.encode(mask, 0, 6)).containsExactly(1, 2, 2, 1);
        assertThat(runs(new long[] {1, 2, 2, 1}, 6)).containsExactly(new int[] {1, 3}, new int[] {5, 6});
        BitSet full = new BitSet();
        full.set(10, 16);
        assertThat(RunLength.encode(full, 10, 6)).containsExactly(0, 6);
        assertThat(RunLength.encode(new BitSet(), 0, 6)).containsExactly(6);
        assertThat(runs(new long[] {0, 6}, 6)).containsExactly(new int[] {0, 6});
    }

    @Test
    void countsThatBreakTheCodeAreRefused() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> runs(new long[] {2, 2}, 6)))
                .hasMessage("runs cover 4 pixels, the slice has 6");
        assertThat(assertThrows(IllegalArgumentException.class, () -> runs(new long[] {4, 4}, 6)))
                .hasMessage("runs cover more than the slice's 6 pixels (run 1)");
        assertThat(assertThrows(IllegalArgumentException.class, () -> runs(new long[] {1, 0, 5}, 6)))
                .hasMessageContaining("run 1 has length 0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> runs(new long[] {-1, 7}, 6)))
                .hasMessageContaining("run 0 has length -1");
    }
}
