package org.groundflow.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UidTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10008.5.1.4.1.1.2", "2.25.92385902575982086257905005301286242282", "0", "1.0.3"})
    void acceptsValidUids(String value) {
        assertThat(Uid.of(value).value()).isEqualTo(value);
    }

    @Test
    void ofTrimsPaddingAndToStringIsTheValue() {
        assertThat(Uid.of(" 1.2.3 ")).isEqualTo(new Uid("1.2.3")).hasToString("1.2.3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.02.3", "1..2", "1.2.", ".1.2", "1.2.a", "1,2", "1.2.3 "})
    void rejectsMalformedUids(String value) {
        assertThatThrownBy(() -> new Uid(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dot-separated numbers")
                .hasMessageContaining(value);
    }

    @Test
    void rejectsEmptyAndOverlongUids() {
        assertThatThrownBy(() -> Uid.of(null)).isInstanceOf(IllegalArgumentException.class).hasMessage("UID must not be empty");
        assertThatThrownBy(() -> Uid.of("")).isInstanceOf(IllegalArgumentException.class).hasMessage("UID must not be empty");
        String tooLong = "1." + "2".repeat(63);
        assertThatThrownBy(() -> Uid.of(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 64 characters, got 65");
    }
}
