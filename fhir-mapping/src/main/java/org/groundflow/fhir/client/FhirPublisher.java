package org.groundflow.fhir.client;

import org.groundflow.fhir.mapping.EhrReferences;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.fhir.mapping.ReportValidator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.gclient.ITransactionTyped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes reads to a FHIR R4 server as one transaction each ({@code POST [base]} with a transaction Bundle) and
 * reports the DiagnosticReport the server stored. Sending the same read again is safe: the bundle is conditional
 * throughout (see {@link ReportMapper}), so a publication retried after a failure, or after an answer that was lost,
 * leaves exactly one report.
 *
 * <p>Before sending, the bundle may be validated against base R4 ({@link ReportValidator}; an invalid bundle is never
 * sent). Failures are typed ({@link FhirPublicationException#retryable()}); this class tries again only as the
 * endpoint's {@link Retries} say (default: once, leaving retries to the process engine). Thread-safe; share one
 * instance and close it when done.
 */
public final class FhirPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FhirPublisher.class);

    private final FhirEndpoint endpoint;
    private final ReportMapper mapper;
    private final ReportValidator validator;
    private final CloseableHttpClient http;
    private final IGenericClient client;
    private final SmartTokens smartTokens;
    private final EhrLookup lookup;
    private final EhrSearch search;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryAfterHeader retryAfter = new RetryAfterHeader();

    /** A publisher that sends without validating first. */
    public FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper) {
        this(endpoint, mapper, null);
    }

    /**
     * @param validator validates each bundle before it is sent (tens of ms per read); null to send unvalidated
     */
    public FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper, ReportValidator validator) {
        this(endpoint, mapper, validator, EhrLookup.none());
    }

    /**
     * @param validator validates each bundle before it is sent; null to send unvalidated
     * @param lookup    what to look up in the EHR before each bundle is built (the patient, the order)
     */
    public FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper, ReportValidator validator, EhrLookup lookup) {
        this(endpoint, mapper, validator, lookup, Clock.systemUTC(), Thread::sleep);
    }

    FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper, ReportValidator validator, Clock clock, Sleeper sleeper) {
        this(endpoint, mapper, validator, EhrLookup.none(), clock, sleeper);
    }

    private FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper, ReportValidator validator, EhrLookup lookup,
                          Clock clock, Sleeper sleeper) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.validator = validator;
        this.clock = clock;
        this.sleeper = sleeper;
        this.http = httpClient(endpoint);
        // HAPI's client takes its HTTP connections from its FhirContext's client factory, so this publisher has a
        // context of its own (not the shared cached one) whose factory uses the HTTP client above.
        FhirContext fhir = FhirContext.forR4();
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(fhir);
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setHttpClient(http); // last: the factory's other setters discard a client set before them
        fhir.setRestfulClientFactory(factory);
        this.client = fhir.newRestfulGenericClient(endpoint.baseUrl());
        this.client.registerInterceptor(retryAfter);
        this.smartTokens = endpoint.smart() == null ? null : new SmartTokens(endpoint.smart(), http, clock);
        this.search = new EhrSearch(client, this::bearerToken, endpoint.baseUrl());
    }

    /**
     * Looks up the patient and the order in the EHR (as this publisher's {@link EhrLookup} says), maps the read,
     * validates the bundle (when this publisher has a validator), sends it, and returns the DiagnosticReport as the
     * server stored it.
     *
     * @throws IllegalArgumentException     if the request cannot be mapped (before any I/O)
     * @throws FhirPatientNotFoundException the patient must exist and the EHR holds none (or several) with its
     *                                      identifier; nothing was sent
     * @throws FhirPublicationException     a subtype saying whether trying again may help; earlier failed tries are
     *                                      attached as suppressed exceptions
     */
    public PublishedReport publish(PublicationRequest request) {
        Objects.requireNonNull(request, "request");
        Bundle bundle = mapper.toBundle(request, lookup.anything()
                ? search.references(request, mapper.patientIdentifier(request), lookup) : EhrReferences.none());
        String readId = request.readId();
        if (validator != null) {
            requireValid(bundle, readId);
        }
        LOG.info("Publishing read {} ({}) to FHIR server {} ({} entries)", readId, request.status().fhirCode(),
                endpoint.baseUrl(), bundle.getEntry().size());
        long start = System.nanoTime();
        PublishedReport published = send(bundle, readId);
        LOG.info("Published read {} as {} version {} in {} ms", readId, published.reference(), published.versionId(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return published;
    }

    /** The read's transaction bundle as pretty-printed JSON (what {@link #publish} sends). */
    public String toJson(PublicationRequest request) {
        return mapper.toJson(request);
    }

    /** Writes the read's transaction bundle into {@code dir} instead of sending it; see {@link ReportMapper#writeBundle}. */
    public Path writeBundle(PublicationRequest request, Path dir) throws IOException {
        return mapper.writeBundle(request, dir);
    }

    public FhirEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("Closing the HTTP client of {} failed", endpoint.baseUrl(), e);
        }
    }

    private void requireValid(Bundle bundle, String readId) {
        long start = System.nanoTime();
        List<String> errors = validator.errors(bundle);
        LOG.debug("Validated the bundle of read {} in {} ms: {} errors", readId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), errors.size());
        if (!errors.isEmpty()) {
            throw new FhirInvalidBundleException("the bundle of read " + readId + " is not valid FHIR R4 (" + errors.size()
                    + " errors); it was not sent to " + endpoint.baseUrl(), errors);
        }
    }

    /** The one place that tries again: only retryable failures, as often and as late as the endpoint's Retries say. */
    private PublishedReport send(Bundle bundle, String readId) {
        Retries retries = endpoint.retries();
        List<FhirPublicationException> failures = new ArrayList<>();
        boolean tokenRenewed = false;
        for (int attempt = 1; ; attempt++) {
            RuntimeException raw = null;
            FhirPublicationException failure;
            retryAfter.clear();
            try {
                return TransactionResponses.report(transaction(bundle).execute(), bundle, readId, endpoint.baseUrl());
            } catch (FhirPublicationException e) {
                failure = e;
            } catch (RuntimeException e) {
                raw = e;
                failure = PublicationFailures.translate(e, readId, endpoint.baseUrl());
            }
            if (failure.status() == 401 && smartTokens != null && !tokenRenewed) {
                // a token may be revoked before it expires: fetch a new one once, then a 401 stands
                smartTokens.invalidate();
                tokenRenewed = true;
                failures.add(failure);
                attempt--;
                continue;
            }
            Optional<Duration> wait = failure.retryable() && attempt < retries.maxAttempts()
                    ? waitBeforeRetry(retries, attempt, raw) : Optional.empty();
            LOG.warn("Publishing read {} to {} failed (try {} of {}): {} (status {}, retryable {}){}", readId,
                    endpoint.baseUrl(), attempt, retries.maxAttempts(), failure.getClass().getSimpleName(),
                    failure.status(), failure.retryable(),
                    wait.map(d -> "; trying again in " + d.toMillis() + " ms").orElse(""));
            if (wait.isEmpty()) {
                failures.forEach(failure::addSuppressed);
                throw failure;
            }
            failures.add(failure);
            sleep(wait.get(), failure);
        }
    }

    private ITransactionTyped<Bundle> transaction(Bundle bundle) {
        ITransactionTyped<Bundle> transaction = client.transaction().withBundle(bundle);
        String token = bearerToken();
        if (token != null) {
            transaction = transaction.withAdditionalHeader("Authorization", "Bearer " + token);
        }
        return transaction;
    }

    private String bearerToken() {
        return smartTokens != null ? smartTokens.token() : endpoint.bearerToken();
    }

    /** The back-off after a failed try, or the server's Retry-After; empty when that is longer than we wait. */
    private Optional<Duration> waitBeforeRetry(Retries retries, int attempt, RuntimeException raw) {
        Optional<Duration> asked = raw == null ? Optional.empty()
                : retryAfter.last().flatMap(value -> PublicationFailures.parseRetryAfter(value, clock.instant()));
        if (asked.isPresent()) {
            return asked.get().compareTo(retries.maxBackoff()) <= 0 ? asked : Optional.empty();
        }
        long nominal = retries.backoff(attempt).toMillis();
        long jitter = nominal <= 0 ? 0 : ThreadLocalRandom.current().nextLong(nominal / 5 + 1);
        return Optional.of(Duration.ofMillis(nominal - jitter));
    }

    private void sleep(Duration wait, FhirPublicationException failure) {
        try {
            sleeper.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private static CloseableHttpClient httpClient(FhirEndpoint endpoint) {
        int connectMs = (int) endpoint.connectTimeout().toMillis();
        int readMs = (int) endpoint.readTimeout().toMillis();
        HttpClientBuilder builder = HttpClients.custom()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(connectMs)
                        .setConnectionRequestTimeout(connectMs)
                        .setSocketTimeout(readMs)
                        .build())
                .setConnectionTimeToLive(5, TimeUnit.MINUTES)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .useSystemProperties();
        if (endpoint.trustStore() != null) {
            builder.setSSLContext(endpoint.trustStore().sslContext());
        }
        return builder.build();
    }

    /** Keeps the Retry-After header of the last answer on this thread (HAPI's exceptions don't carry it). */
    private static final class RetryAfterHeader implements IClientInterceptor {
        private final ThreadLocal<String> value = new ThreadLocal<>();

        @Override
        public void interceptRequest(IHttpRequest request) {
            // nothing to add
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            List<String> values = response.getHeaders("Retry-After");
            value.set(values == null || values.isEmpty() ? null : values.get(0).trim());
        }

        void clear() {
            value.remove();
        }

        Optional<String> last() {
            return Optional.ofNullable(value.get());
        }
    }

    /** Waits between tries (replaceable in tests). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }
}
