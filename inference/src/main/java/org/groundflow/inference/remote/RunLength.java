package org.groundflow.inference.remote;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The contract's run-length code of one slice of a mask: pixels in row-major order (row 0 left to right, then row 1,
 * ...), counts of alternating runs starting with background (so a slice whose first pixel is foreground starts with
 * 0), the counts summing to rows x columns. Zero counts are allowed only first; the last run may be of either kind.
 */
final class RunLength {

    /** Receives the foreground runs of a slice, {@code from} inclusive, {@code to} exclusive, in pixel indices. */
    interface Runs {
        void foreground(int from, int to);
    }

    private RunLength() {
    }

    /** The runs of pixels {@code offset .. offset + size} of {@code mask}. */
    static int[] encode(BitSet mask, int offset, int size) {
        int[] counts = new int[8];
        int n = 0;
        int at = offset;
        int end = offset + size;
        boolean foreground = false;
        while (at < end) {
            int next = foreground ? mask.nextClearBit(at) : mask.nextSetBit(at);
            if (next < 0 || next > end) {
                next = end;
            }
            if (n == counts.length) {
                counts = Arrays.copyOf(counts, n * 2);
            }
            counts[n++] = next - at;
            at = next;
            foreground = !foreground;
        }
        return Arrays.copyOf(counts, n);
    }

    /**
     * Checks the counts of one slice of {@code size} pixels and hands each foreground run to {@code runs}.
     *
     * @throws IllegalArgumentException naming the rule broken
     */
    static void decode(long[] counts, int size, Runs runs) {
        long at = 0;
        for (int i = 0; i < counts.length; i++) {
            long count = counts[i];
            if (count < 0 || (count == 0 && i > 0)) {
                throw new IllegalArgumentException("run " + i + " has length " + count
                        + " (runs must be positive; only the first, background run may be 0)");
            }
            if (at + count > size) {
                throw new IllegalArgumentException("runs cover more than the slice's " + size + " pixels (run " + i + ")");
            }
            if (i % 2 == 1) {
                runs.foreground((int) at, (int) (at + count));
            }
            at += count;
        }
        if (at != size) {
            throw new IllegalArgumentException("runs cover " + at + " pixels, the slice has " + size);
        }
    }
}
