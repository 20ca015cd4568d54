package org.groundflow.dicomweb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TransferSyntaxPreferenceTest {

    @Test
    void acceptHeadersForInstances() {
        assertThat(TransferSyntaxPreference.serverDefault().acceptInstances())
                .isEqualTo("multipart/related; type=\"application/dicom\"");
        assertThat(TransferSyntaxPreference.asStored().acceptInstances())
                .isEqualTo("multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertThat(TransferSyntaxPreference.of(TransferSyntaxPreference.RLE_LOSSLESS, TransferSyntaxPreference.JPEG_2000,
                TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN).acceptInstances()).isEqualTo(
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5, "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.91; q=0.9, "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1; q=0.8");
    }

    @Test
    void acceptHeadersForFramesPairEachSyntaxWithItsMediaType() {
        assertThat(TransferSyntaxPreference.serverDefault().acceptFrames())
                .isEqualTo("multipart/related; type=\"application/octet-stream\"");
        assertThat(TransferSyntaxPreference.of(TransferSyntaxPreference.JPEG_2000_LOSSLESS,
                TransferSyntaxPreference.RLE_LOSSLESS, TransferSyntaxPreference.JPEG_LS_LOSSLESS).acceptFrames()).isEqualTo(
                "multipart/related; type=\"image/jp2\"; transfer-syntax=1.2.840.10008.1.2.4.90, "
                        + "multipart/related; type=\"image/dicom-rle\"; transfer-syntax=1.2.840.10008.1.2.5; q=0.9, "
                        + "multipart/related; type=\"image/jls\"; transfer-syntax=1.2.840.10008.1.2.4.80; q=0.8");
    }

    @Test
    void whatIsAccepted() {
        assertThat(TransferSyntaxPreference.serverDefault().accepts("1.2.840.10008.1.2.4.91")).isTrue();
        assertThat(TransferSyntaxPreference.asStored().accepts("1.2.840.10008.1.2.4.91")).isTrue();
        assertThat(TransferSyntaxPreference.of(TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN)
                .accepts("1.2.840.10008.1.2.4.91")).isFalse();
    }

    @Test
    void rejectsMalformedLists() {
        assertThatThrownBy(() -> new TransferSyntaxPreference(List.of("*", "1.2.840.10008.1.2.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'*' must stand alone");
        assertThatThrownBy(() -> new TransferSyntaxPreference(List.of("jpeg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UID");
        assertThatThrownBy(() -> TransferSyntaxPreference.of(TransferSyntaxPreference.JPEG_BASELINE, TransferSyntaxPreference.JPEG_BASELINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not repeat");
        assertThatThrownBy(() -> new TransferSyntaxPreference(List.of("*"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("asStoredWhenRefused: '*' is already as stored, got [*]");
    }

    @Test
    void uncompressedOrAsStoredAsksForExplicitVrLittleEndianAndMayAskAgain() {
        TransferSyntaxPreference preference = TransferSyntaxPreference.uncompressedOrAsStored();

        assertThat(preference.acceptInstances()).isEqualTo(
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(preference.asStoredWhenRefused()).isTrue();
        assertThat(preference).isEqualTo(TransferSyntaxPreference.of(TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN)
                .orAsStored());
        assertThat(TransferSyntaxPreference.asStored().asStoredWhenRefused()).isFalse();
    }
}
