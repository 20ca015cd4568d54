package org.groundflow.dicomweb.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.groundflow.dicomweb.format.DicomFileHeader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.CompressedCopies;
import org.groundflow.dicomweb.testing.CompressedCopies.Encoding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed pixel data decodes to the values of the uncompressed original: the same MR image in the encodings of
 * pydicom's test corpus (Debian python3-pydicom), and a synthetic CT series compressed with Debian's dcmtk and GDCM
 * tools in each transfer syntax Groundflow reads (lossless ones exactly, lossy JPEG 2000 within a bound). What cannot
 * be decoded is a typed error naming the transfer syntax.
 */
class CompressedPixelDataTest {

    static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final SyntheticStudy CT = SyntheticStudy.builder().variant("compressed-pixel-data").slices(3).size(64)
            .build();

    @TempDir
    static Path temp;
    private static ImageVolume reference;
    private static List<Path> ctFiles;
    private static ImageVolume ctVolume;

    @BeforeAll
    static void readReferences() {
        ctFiles = CT.writeTo(temp.resolve("ct"));
        ctVolume = ImageVolumeReader.read(ctFiles);
        Assumptions.assumeTrue(Files.isRegularFile(CORPUS.resolve("MR_small.dcm")), "python3-pydicom's corpus is not installed");
        reference = ImageVolumeReader.read(List.of(CORPUS.resolve("MR_small.dcm")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_RLE.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_implicit.dcm",
            "MR_small_padded.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm"})
    void corpusEncodingsGiveTheSameValues(String name) {
        ImageVolume volume = ImageVolumeReader.read(List.of(CORPUS.resolve(name)));

        assertThat(volume.voxels()).isEqualTo(reference.voxels());
        assertThat(volume.sopInstanceUids()).isEqualTo(reference.sopInstanceUids());
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = "JPEG_2000_LOSSY", mode = EnumSource.Mode.EXCLUDE)
    void losslessEncodingsOfACtSeriesGiveTheSameVoxels(Encoding encoding) {
        List<Path> copies = CompressedCopies.of(ctFiles, encoding, temp.resolve(encoding.name()));

        assertThat(copies).allSatisfy(file -> assertThat(DicomFileHeader.transferSyntaxOf(file))
                .contains(encoding.transferSyntaxUid()));
        ImageVolume volume = ImageVolumeReader.read(copies);
        assertThat(volume.voxels()).isEqualTo(ctVolume.voxels());
        assertThat(volume.sopInstanceUids()).isEqualTo(ctVolume.sopInstanceUids());
    }

    @Test
    void lossyJpeg2000StaysWithinTheBound() {
        List<Path> copies = CompressedCopies.of(ctFiles, Encoding.JPEG_2000_LOSSY, temp.resolve("lossy"));

        ImageVolume volume = ImageVolumeReader.read(copies);
        assertThat(meanAbsoluteDifference(volume.voxels(), ctVolume.voxels())).as("mean absolute error in HU")
                .isLessThan(LOSSY_BOUND_HU);
        assertThat(volume.columns()).isEqualTo(ctVolume.columns());
        assertThat(volume.slices()).isEqualTo(ctVolume.slices());
    }

    @Test
    void aDamagedJpeg2000CodestreamIsATypedErrorNamingTheTransferSyntax() throws IOException {
        byte[] bytes = Files.readAllBytes(CORPUS.resolve("MR_small_jp2klossless.dcm"));
        java.util.Arrays.fill(bytes, bytes.length - 3000, bytes.length, (byte) 0);
        Path damaged = Files.write(temp.resolve("damaged.dcm"), bytes);

        assertThatThrownBy(() -> ImageVolumeReader.read(List.of(damaged)))
                .isInstanceOf(VolumeException.class)
                .hasMessageStartingWith("Series " + reference.seriesInstanceUid() + ": undecodable pixel data in instance "
                        + reference.sopInstanceUids().get(0) + " (JPEG 2000 lossless, 1.2.840.10008.1.2.4.90)");
    }

    /** Mean absolute error, in HU, that lossy JPEG 2000 at GDCM quality 80 may cost a CT series. */
    static final double LOSSY_BOUND_HU = 20.0;

    static double meanAbsoluteDifference(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - expected[i]);
        }
        return sum / actual.length;
    }
}
