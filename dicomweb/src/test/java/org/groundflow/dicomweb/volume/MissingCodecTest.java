package org.groundflow.dicomweb.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without GDCM's native library (a JVM whose {@code java.library.path} lacks it) uncompressed images still decode,
 * and a compressed one is a typed error naming the instance, its transfer syntax and the missing package.
 */
class MissingCodecTest {

    @TempDir
    Path emptyLibraryPath;

    @Test
    void withoutGdcmUncompressedImagesDecodeAndCompressedOnesNameWhatIsMissing() throws Exception {
        Path corpus = CompressedPixelDataTest.CORPUS;
        Assumptions.assumeTrue(Files.isRegularFile(corpus.resolve("MR_small.dcm")), "python3-pydicom's corpus is not installed");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Djava.library.path=" + emptyLibraryPath,
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                corpus.resolve("MR_small.dcm").toString(), corpus.resolve("MR_small_jp2klossless.dcm").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe finished: %s", output).isTrue();

        assertThat(output.lines().filter(line -> line.startsWith("probe ")).toList()).containsExactly(
                "probe MR_small.dcm: volume 64x64x1",
                "probe MR_small_jp2klossless.dcm: VolumeException Series 1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457: "
                        + "undecodable pixel data in instance 1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457 (JPEG 2000 "
                        + "lossless, 1.2.840.10008.1.2.4.90): no codec: GDCM's Java binding (Debian libgdcm-java) cannot be "
                        + "loaded: no gdcmjni in java.library.path: " + emptyLibraryPath);
    }

    /** Runs in the child JVM: decodes each file and prints the outcome. */
    public static final class Probe {

        public static void main(String[] args) throws IOException {
            for (String file : args) {
                Path path = Path.of(file);
                try {
                    ImageVolume volume = ImageVolumeReader.read(List.of(path));
                    System.out.println("probe " + path.getFileName() + ": volume " + volume.columns() + "x" + volume.rows()
                            + "x" + volume.slices());
                } catch (VolumeException e) {
                    System.out.println("probe " + path.getFileName() + ": VolumeException " + e.getMessage());
                }
            }
        }
    }
}
