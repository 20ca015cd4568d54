package org.groundflow.dicomweb.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same MR image in the encodings of pydicom's test corpus (Debian python3-pydicom): whatever PixelMed decodes
 * gives the same values; what it cannot is a typed error naming the transfer syntax.
 */
class CompressedPixelDataTest {

    static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static ImageVolume reference;

    @BeforeAll
    static void readReference() {
        Assumptions.assumeTrue(Files.isRegularFile(CORPUS.resolve("MR_small.dcm")), "python3-pydicom's corpus is not installed");
        reference = ImageVolumeReader.read(List.of(CORPUS.resolve("MR_small.dcm")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_RLE.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_implicit.dcm",
            "MR_small_padded.dcm"})
    void decodableEncodingsGiveTheSameValues(String name) {
        ImageVolume volume = ImageVolumeReader.read(List.of(CORPUS.resolve(name)));

        assertThat(volume.voxels()).isEqualTo(reference.voxels());
        assertThat(volume.sopInstanceUids()).isEqualTo(reference.sopInstanceUids());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_jp2klossless.dcm:JPEG 2000 lossless, 1.2.840.10008.1.2.4.90",
            "MR_small_jpeg_ls_lossless.dcm:JPEG-LS, 1.2.840.10008.1.2.4.80"})
    void encodingsWithoutACodecAreTypedErrorsNamingTheTransferSyntax(String nameAndSyntax) {
        String[] parts = nameAndSyntax.split(":");

        assertThatThrownBy(() -> ImageVolumeReader.read(List.of(CORPUS.resolve(parts[0]))))
                .isInstanceOf(VolumeException.class)
                .hasMessageStartingWith("Series " + reference.seriesInstanceUid() + ": undecodable pixel data in instance "
                        + reference.sopInstanceUids().get(0) + " (" + parts[1] + ")");
    }
}
