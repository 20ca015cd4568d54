package org.groundflow.fhir.client;

import org.groundflow.fhir.mapping.EhrReferences;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.fhir.mapping.ReportValidator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestFormatParamStyleEnum;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.gclient.ITransactionTyped;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.groundflow.dicomweb.transport.AccessTokens;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes reads to a FHIR R4 server as one transaction each ({@code POST [base]} with a transaction Bundle) and
 * reports the DiagnosticReport the server stored. Sending the same read again is safe: the bundle is conditional
 * throughout (see {@link ReportMapper}), so a publication retried after a failure, or after an answer that was lost,
 * leaves exactly one report. {@link #publishIfNewest} writes only the newest revision of a read: a revision older
 * than the report the server holds is not sent, and the report is updated only from the version seen.
 *
 * <p>Before sending, the bundle may be validated against base R4 ({@link ReportValidator}; an invalid bundle is never
 * sent). Failures are typed ({@link FhirPublicationException#retryable()}) for the caller's retry policy (in
 * Groundflow, the process engine's retry cycle): this class repeats a transaction only once after a refused
 * connection (nothing reached the server) and once with a new SMART token after a 401, never after an error status,
 * a timeout or a broken answer. Thread-safe; share one instance and close it when done.
 */
public final class FhirPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FhirPublisher.class);
    private static final int MAX_CONNECTIONS = 20;

    private final FhirEndpoint endpoint;
    private final ReportMapper mapper;
    private final ReportValidator validator;
    private final CloseableHttpClient http;
    private final FhirContext fhir;
    private final IGenericClient client;
    private final AccessTokens<FhirPublicationException> smartTokens;
    private final EhrLookup lookup;
    private final EhrSearch search;
    private final ReportVersions versions;

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
        this(endpoint, mapper, validator, lookup, Clock.systemUTC());
    }

    FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper, ReportValidator validator, Clock clock) {
        this(endpoint, mapper, validator, EhrLookup.none(), clock);
    }

    private FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper, ReportValidator validator, EhrLookup lookup,
                          Clock clock) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.validator = validator;
        this.http = httpClient(endpoint);
        // HAPI's client takes its HTTP connections from its FhirContext's client factory, so this publisher has a
        // context of its own (not the shared cached one) whose factory uses the HTTP client above.
        this.fhir = FhirContext.forR4();
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(fhir);
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setHttpClient(http); // last: the factory's other setters discard a client set before them
        fhir.setRestfulClientFactory(factory);
        this.client = fhir.newRestfulGenericClient(endpoint.baseUrl());
        // JSON both ways, compact, asked for by the Accept header alone (no _format parameter); without this the
        // client's Accept header lists XML as readily as JSON and the server chooses
        client.setEncoding(EncodingEnum.JSON);
        client.setFormatParamStyle(RequestFormatParamStyleEnum.NONE);
        client.registerInterceptor(new TransactionUrl(endpoint.baseUrl()));
        this.smartTokens = endpoint.smart() == null ? null
                : new AccessTokens<>(new SmartTokens(endpoint.smart(), http, clock)::request, clock);
        this.search = new EhrSearch(client, this::bearerToken, endpoint.baseUrl());
        this.versions = new ReportVersions(client, this::bearerToken, endpoint.baseUrl());
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
        return publish(request, false);
    }

    /**
     * Publishes the request like {@link #publish} if its revision is the newest the server has seen of the read: a
     * report issued after the revision (a later amendment, the retraction) is left as it is, and the report is updated
     * only from the version looked up ({@link ReportVersions}), so an older revision sent late never overwrites a
     * newer one. One search more than {@link #publish}.
     *
     * @return the report as stored; {@link PublishedReport#superseded()} when nothing was sent
     */
    public PublishedReport publishIfNewest(PublicationRequest request) {
        return publish(request, true);
    }

    private PublishedReport publish(PublicationRequest request, boolean guarded) {
        Objects.requireNonNull(request, "request");
        Bundle bundle = mapper.toBundle(request, lookup.anything()
                ? search.references(request, mapper.patientIdentifier(request), lookup) : EhrReferences.none());
        String readId = request.readId();
        Optional<ReportVersions.Stored> stored = guarded ? versions.stored(request) : Optional.empty();
        if (stored.isPresent() && stored.get().newerThan(request.revision().recordedAt())) {
            LOG.info("Read {}: FHIR server {} holds a newer revision of the report (issued {}); the {} revision is not "
                    + "sent", readId, endpoint.baseUrl(), stored.get().issued(), request.status().fhirCode());
            return PublishedReport.superseded(readId, stored.get().id(), stored.get().versionId());
        }
        stored.ifPresent(report -> ReportVersions.expect(bundle, report));
        // encoded once: the JSON validated is the JSON sent
        String json = fhir.newJsonParser().encodeResourceToString(bundle);
        if (validator != null) {
            requireValid(json, readId);
        }
        LOG.info("Publishing read {} ({}) to FHIR server {} ({} entries)", readId, request.status().fhirCode(),
                endpoint.baseUrl(), bundle.getEntry().size());
        long start = System.nanoTime();
        PublishedReport published = send(json, bundle, readId);
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

    private void requireValid(String json, String readId) {
        long start = System.nanoTime();
        List<String> errors = validator.errors(json);
        LOG.debug("Validated the bundle of read {} in {} ms: {} errors", readId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), errors.size());
        if (!errors.isEmpty()) {
            throw new FhirInvalidBundleException("the bundle of read " + readId + " is not valid FHIR R4 (" + errors.size()
                    + " errors); it was not sent to " + endpoint.baseUrl(), errors);
        }
    }

    /** The one place that repeats a transaction: once after a refused connection, once after a refused token. */
    private PublishedReport send(String json, Bundle bundle, String readId) {
        List<FhirPublicationException> earlier = new ArrayList<>();
        boolean reconnected = false;
        boolean tokenRenewed = false;
        while (true) {
            String token = null;
            FhirPublicationException failure;
            try {
                token = bearerToken();
                return TransactionResponses.report(answer(transaction(json, token).execute()), bundle, readId,
                        endpoint.baseUrl());
            } catch (RuntimeException e) {
                failure = PublicationFailures.translate(e, readId, endpoint.baseUrl());
            }
            if (isRefusedConnection(failure) && !reconnected) {
                LOG.info("Publishing read {}: {} refused the connection; trying once more", readId, endpoint.baseUrl());
                reconnected = true;
                earlier.add(failure);
                continue;
            }
            if (failure.status() == 401 && smartTokens != null && !tokenRenewed) {
                // a token may be revoked before it expires: fetch a new one once, then a 401 stands
                smartTokens.invalidate(token);
                tokenRenewed = true;
                earlier.add(failure);
                continue;
            }
            LOG.warn("Publishing read {} to {} failed: {} (status {}, retryable {})", readId, endpoint.baseUrl(),
                    failure.getClass().getSimpleName(), failure.status(), failure.retryable());
            earlier.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** No HTTP answer because connecting failed before anything was sent (not a connect timeout). */
    private static boolean isRefusedConnection(FhirPublicationException failure) {
        return failure.status() == 0 && failure.getCause() instanceof ConnectException;
    }

    /** The token to send: a SMART token (cached) or the endpoint's static one; null for none. */
    private String bearerToken() {
        return smartTokens != null ? smartTokens.token() : endpoint.bearerToken();
    }

    private ITransactionTyped<String> transaction(String json, String token) {
        ITransactionTyped<String> transaction = client.transaction().withBundle(json);
        return token == null ? transaction : transaction.withAdditionalHeader("Authorization", "Bearer " + token);
    }

    /** The server's answer to a transaction, parsed once (JSON as asked for; XML if the server sent that instead). */
    private Bundle answer(String body) {
        EncodingEnum encoding = EncodingEnum.detectEncodingNoDefault(body);
        if (encoding == null) {
            throw new DataFormatException("the answer is neither FHIR JSON nor FHIR XML");
        }
        return encoding.newParser(fhir).parseResource(Bundle.class, body);
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
                // as many connections as publications may run at once (the engine's job threads), so none waits for one
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .useSystemProperties();
        if (endpoint.trustStore() != null) {
            builder.setSSLContext(endpoint.trustStore().sslContext());
        }
        return builder.build();
    }
}
