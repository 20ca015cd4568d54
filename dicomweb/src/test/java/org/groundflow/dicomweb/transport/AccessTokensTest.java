package org.groundflow.dicomweb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** When the token cache asks its source for a new token: expiry with a margin, refusal, failures, concurrency. */
class AccessTokensTest {

    private Instant now = Instant.parse("2024-03-16T09:30:00Z");
    private final InstantSource clock = () -> now;
    private final AtomicInteger requests = new AtomicInteger();

    private AccessTokens<RuntimeException> tokens(Duration lifetime) {
        return new AccessTokens<>(() -> new AccessTokens.Token("token-" + requests.incrementAndGet(), lifetime), clock);
    }

    @Test
    void aTokenIsKeptUntilATenthOfItsLifetimeBeforeItExpires() {
        AccessTokens<RuntimeException> tokens = tokens(Duration.ofSeconds(300));

        assertThat(tokens.token()).isEqualTo("token-1");
        now = now.plusSeconds(269);
        assertThat(tokens.token()).isEqualTo("token-1");
        now = now.plusSeconds(1); // 270 s: the last 30 s of its life
        assertThat(tokens.token()).isEqualTo("token-2");
    }

    @Test
    void theMarginIsAtLeastFiveAndAtMostSixtySeconds() {
        assertThat(AccessTokens.margin(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(5));
        assertThat(AccessTokens.margin(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(12));
        assertThat(AccessTokens.margin(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aTokenShorterLivedThanTheMarginIsFetchedEachTime() {
        AccessTokens<RuntimeException> tokens = tokens(Duration.ofSeconds(3));

        tokens.token();
        tokens.token();

        assertThat(requests).hasValue(2);
    }

    @Test
    void aTokenWithoutLifetimeIsKeptUntilRefused() {
        AccessTokens<RuntimeException> tokens = tokens(null);

        assertThat(tokens.token()).isEqualTo("token-1");
        now = now.plus(Duration.ofDays(2));
        assertThat(tokens.token()).isEqualTo("token-1");
        tokens.invalidate("token-1");
        assertThat(tokens.token()).isEqualTo("token-2");
    }

    @Test
    void refusingATokenThatWasAlreadyReplacedKeepsTheNewOne() {
        AccessTokens<RuntimeException> tokens = tokens(Duration.ofHours(1));
        tokens.token();
        tokens.invalidate("token-1");
        assertThat(tokens.token()).isEqualTo("token-2");

        tokens.invalidate("token-1"); // a late 401 for the old token, from another thread
        tokens.invalidate(null);

        assertThat(tokens.token()).isEqualTo("token-2");
        assertThat(requests).hasValue(2);
    }

    @Test
    void aFailedRequestLeavesNothingCachedAndIsTriedOnTheNextCall() throws IOException {
        List<String> answers = new ArrayList<>(List.of("fail", "good"));
        AccessTokens<IOException> tokens = new AccessTokens<>(() -> {
            String answer = answers.remove(0);
            if (answer.equals("fail")) {
                throw new IOException("token endpoint down");
            }
            return new AccessTokens.Token(answer, Duration.ofHours(1));
        }, clock);

        assertThatThrownBy(tokens::token).isInstanceOf(IOException.class).hasMessage("token endpoint down");
        assertThat(tokens.token()).isEqualTo("good");
    }

    @Test
    void concurrentCallersShareOneRequest() throws Exception {
        CountDownLatch inRequest = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AccessTokens<RuntimeException> tokens = new AccessTokens<>(() -> {
            inRequest.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AccessTokens.Token("shared-" + requests.incrementAndGet(), Duration.ofHours(1));
        }, clock);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            results.add(callers.submit(tokens::token));
            inRequest.await(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                results.add(callers.submit(tokens::token));
            }
            release.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("shared-1");
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aTokenIsNeverShownAndNeverBlank() {
        assertThat(new AccessTokens.Token("s3cret", Duration.ofMinutes(5)).toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> new AccessTokens.Token(" ", null)).hasMessage("access token must not be blank");
    }
}
