package org.groundflow.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.groundflow.fhir.mapping.Fixtures;
import org.junit.jupiter.api.Test;

/** What a radiologist may type into a signed read: plain text, markup as text, no control characters. */
class ReviewTextTest {

    private static final Instant NOW = Instant.parse("2024-03-16T09:30:00Z");
    private static final String MARKUP = "<script>alert('x')</script> <b>Läsion</b> 5 mm ≥ 3 mm — “stable” & 🙂\tsee\r\nabove";

    private static SignOff sign(String editedText, String impression) {
        return Review.sign("read-1", Fixtures.interpretation(), List.of(
                new FindingDecision(1, Decision.ACCEPT, null),
                new FindingDecision(2, Decision.REJECT, null),
                new FindingDecision(3, Decision.EDIT, editedText)), impression, "dr.vesalius", NOW);
    }

    @Test
    void markupUnicodeTabsAndLineBreaksAreSignedAsTyped() {
        SignOff signed = sign(MARKUP, MARKUP);

        assertThat(signed.kept().get(1).text()).isEqualTo(MARKUP.trim());
        assertThat(signed.impression()).isEqualTo(MARKUP.trim());
    }

    @Test
    void controlCharactersAreRefusedWithTheirCodePointAndPosition() {
        InvalidReviewException bell = assertThrows(InvalidReviewException.class, () -> sign("a\u0007b", null));
        assertThat(bell).hasMessage("the edited text of finding 3 has the control character U+0007 at position 1; "
                + "only tab, line feed and carriage return may appear in signed text");
        for (String text : List.of("a\u0000", "\u001b[31m", "a\u000cb", "a\u007fb", "a\u0085b", "a\uffffb")) {
            assertThrows(InvalidReviewException.class, () -> sign(text, null), () -> "accepted " + text);
            assertThrows(InvalidReviewException.class, () -> sign("fine", text), () -> "accepted impression " + text);
        }
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        assertThat(assertThrows(InvalidReviewException.class, () -> sign("a\ud800b", null)))
                .hasMessage("the edited text of finding 3 has an unpaired surrogate U+D800 at position 1");
        assertThrows(InvalidReviewException.class, () -> sign("end\udc00", null));
    }

    @Test
    void textsLongerThanTheLimitAreRefused() {
        String longest = "x".repeat(PlainText.MAX_SIGNED_TEXT);
        assertThat(sign(longest, longest).impression()).hasSize(PlainText.MAX_SIGNED_TEXT);
        assertThat(assertThrows(InvalidReviewException.class, () -> sign("fine", longest + "y")))
                .hasMessage("the impression has 10001 characters, more than the limit of 10000");
    }
}
