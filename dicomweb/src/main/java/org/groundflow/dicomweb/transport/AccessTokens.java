package org.groundflow.dicomweb.transport;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The bearer access token of one client, cached until shortly before it expires: a tenth of its lifetime early, at
 * least 5 s and at most 60 s. A token issued without a lifetime is kept until the server refuses it. How a token is
 * obtained (OAuth 2.0 client credentials, SMART Backend Services) is the {@link Source}'s business; this class only
 * decides when to ask. Thread-safe: one token request at a time, and a token another thread has just replaced is not
 * forgotten because of a refusal of the old one.
 *
 * @param <X> what a failed token request throws (each client reports it in its own exception hierarchy)
 */
public final class AccessTokens<X extends Exception> {

    private static final Duration MIN_MARGIN = Duration.ofSeconds(5);
    private static final Duration MAX_MARGIN = Duration.ofSeconds(60);

    /**
     * A token as the token endpoint issued it.
     *
     * @param value    the access token, sent as {@code Authorization: Bearer value}
     * @param lifetime how long it is valid from the request (the answer's {@code expires_in}); null when not given
     */
    public record Token(String value, Duration lifetime) {
        public Token {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("access token must not be blank");
            }
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Token[lifetime=" + lifetime + "]";
        }
    }

    /** One request to a token endpoint. */
    @FunctionalInterface
    public interface Source<X extends Exception> {
        Token request() throws X;
    }

    private final Source<X> source;
    private final InstantSource clock;
    private String value;
    private Instant renewAt;

    public AccessTokens(Source<X> source, InstantSource clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A valid access token: the one held, or a new one when none is held or the one held is about to expire. */
    public synchronized String token() throws X {
        Instant now = clock.instant();
        if (value == null || (renewAt != null && !now.isBefore(renewAt))) {
            Token token = source.request();
            value = token.value();
            renewAt = token.lifetime() == null ? null : now.plus(token.lifetime()).minus(margin(token.lifetime()));
        }
        return value;
    }

    /** Forgets {@code refused} (the server answered 401 to it) if it is still the one held. */
    public synchronized void invalidate(String refused) {
        if (refused != null && refused.equals(value)) {
            value = null;
            renewAt = null;
        }
    }

    static Duration margin(Duration lifetime) {
        Duration margin = lifetime.dividedBy(10);
        return margin.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin;
    }
}
