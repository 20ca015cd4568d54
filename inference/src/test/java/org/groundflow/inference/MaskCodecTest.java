package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskCodecTest {

    private static SegmentMasks sample() {
        BitSet first = new BitSet();
        first.set(0);
        first.set(1000, 1100);
        BitSet second = new BitSet();
        second.set(256 * 256 * 48 - 1);
        return new SegmentMasks(256, 256, 48, List.of(new SegmentMask(1, first), new SegmentMask(2, second),
                new SegmentMask(3, new BitSet())));
    }

    @Test
    void bytesRoundTrip() {
        SegmentMasks masks = sample();
        byte[] bytes = MaskCodec.encode(masks);
        assertThat(bytes.length).isLessThan(1000);
        assertThat(MaskCodec.decode(bytes)).isEqualTo(masks);
    }

    @Test
    void fileRoundTrip(@TempDir Path dir) throws Exception {
        SegmentMasks masks = sample();
        Path file = dir.resolve("study/masks.bin");
        MaskCodec.write(masks, file);
        assertThat(MaskCodec.read(file)).isEqualTo(masks);
        assertThat(dir.resolve("study").toFile().list()).containsExactly("masks.bin");
    }

    @Test
    void emptyMaskListRoundTrips() {
        SegmentMasks none = new SegmentMasks(4, 3, 2, List.of());
        assertThat(MaskCodec.decode(MaskCodec.encode(none))).isEqualTo(none);
    }

    @Test
    void otherBytesAreRefused() {
        MaskFormatException e = assertThrows(MaskFormatException.class, () -> MaskCodec.decode("hello, world".getBytes()));
        assertThat(e).hasMessageContaining("does not start with GFMASK");
    }

    @Test
    void unknownVersionIsRefused() {
        byte[] bytes = MaskCodec.encode(sample());
        bytes[MaskCodec.MAGIC.length + 3] = 9;
        MaskFormatException e = assertThrows(MaskFormatException.class, () -> MaskCodec.decode(bytes));
        assertThat(e).hasMessageContaining("version 9 is not supported");
    }

    @Test
    void truncatedOrDamagedDataIsRefused() {
        byte[] bytes = MaskCodec.encode(sample());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 12);
        assertThat(assertThrows(MaskFormatException.class, () -> MaskCodec.decode(truncated)))
                .hasMessageContaining("truncated or damaged");
        byte[] damaged = bytes.clone();
        damaged[damaged.length - 6] ^= 0x55; // inside the gzip trailer's CRC
        assertThrows(MaskFormatException.class, () -> MaskCodec.decode(damaged));
    }
}
