package org.groundflow.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes signed reads to a FHIR R4 server as one transaction each ({@code POST [base]} with a transaction
 * Bundle) and reports the DiagnosticReport the server stored. Sending the same read again is safe: the bundle is
 * conditional throughout (see {@link ReportMapper}).
 *
 * <p>One request per {@link #publish} call: this class never retries; the process engine decides whether and when
 * to try again, from the exception's type ({@link FhirPublicationException#retryable()}). Thread-safe; share one
 * instance and close it when done.
 */
public final class FhirPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FhirPublisher.class);

    private final FhirEndpoint endpoint;
    private final ReportMapper mapper;
    private final CloseableHttpClient http;
    private final IGenericClient client;

    public FhirPublisher(FhirEndpoint endpoint, ReportMapper mapper) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        int connectMs = (int) endpoint.connectTimeout().toMillis();
        int readMs = (int) endpoint.readTimeout().toMillis();
        this.http = HttpClients.custom()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(connectMs)
                        .setConnectionRequestTimeout(connectMs)
                        .setSocketTimeout(readMs)
                        .build())
                .setConnectionTimeToLive(5, TimeUnit.MINUTES)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .useSystemProperties()
                .build();
        // HAPI's client takes its HTTP connections from its FhirContext's client factory, so this publisher has a
        // context of its own (not the shared cached one) whose factory uses the HTTP client above.
        FhirContext fhir = FhirContext.forR4();
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(fhir);
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setHttpClient(http); // last: the factory's other setters discard a client set before them
        fhir.setRestfulClientFactory(factory);
        this.client = fhir.newRestfulGenericClient(endpoint.baseUrl());
        endpoint.token().ifPresent(token -> client.registerInterceptor(new BearerTokenAuthInterceptor(token)));
    }

    /**
     * Sends the read's transaction bundle and returns the DiagnosticReport as the server stored it.
     *
     * @throws IllegalArgumentException  if the request cannot be mapped (before any I/O)
     * @throws FhirPublicationException  a subtype saying whether trying again may help
     */
    public PublishedReport publish(PublicationRequest request) {
        Objects.requireNonNull(request, "request");
        Bundle bundle = mapper.toBundle(request);
        int reportIndex = reportIndex(bundle);
        String readId = request.readId();
        LOG.info("Publishing read {} to FHIR server {} ({} entries)", readId, endpoint.baseUrl(), bundle.getEntry().size());
        long start = System.nanoTime();
        Bundle response;
        try {
            response = client.transaction().withBundle(bundle).execute();
        } catch (RuntimeException e) {
            FhirPublicationException failure = PublicationFailures.translate(e, readId, endpoint.baseUrl());
            LOG.warn("Publishing read {} to {} failed: {} (status {}, retryable {})", readId, endpoint.baseUrl(),
                    failure.getClass().getSimpleName(), failure.status(), failure.retryable());
            throw failure;
        }
        PublishedReport published = reportIn(response, reportIndex, bundle.getEntry().size(), readId);
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

    private static int reportIndex(Bundle bundle) {
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (bundle.getEntry().get(i).getResource() instanceof DiagnosticReport) {
                return i;
            }
        }
        throw new IllegalStateException("the mapped bundle has no DiagnosticReport");
    }

    /** The report's id and version from its entry in the transaction-response (same position as in the request). */
    private PublishedReport reportIn(Bundle response, int reportIndex, int requestEntries, String readId) {
        if (response == null || (response.hasType() && response.getType() != Bundle.BundleType.TRANSACTIONRESPONSE)) {
            throw protocol(readId, "the answer is not a transaction-response");
        }
        if (response.getEntry().size() != requestEntries) {
            throw protocol(readId, "the transaction-response has " + response.getEntry().size()
                    + " entries for " + requestEntries + " sent");
        }
        Bundle.BundleEntryComponent entry = response.getEntry().get(reportIndex);
        IdType id = null;
        if (entry.getResponse().hasLocation()) {
            id = new IdType(entry.getResponse().getLocation());
        } else if (entry.getResource() instanceof DiagnosticReport report && report.getIdElement().hasIdPart()) {
            id = report.getIdElement();
        }
        if (id == null || !id.hasIdPart() || (id.hasResourceType() && !"DiagnosticReport".equals(id.getResourceType()))) {
            throw protocol(readId, "entry " + reportIndex + " of the transaction-response names no DiagnosticReport");
        }
        String version = id.hasVersionIdPart() ? id.getVersionIdPart() : etagVersion(entry.getResponse().getEtag());
        return new PublishedReport(readId, id.getIdPart(), version);
    }

    /** The version in an ETag such as {@code W/"3"}, or null. */
    static String etagVersion(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String value = etag.startsWith("W/") ? etag.substring(2) : etag;
        value = value.replace("\"", "").trim();
        return value.isEmpty() ? null : value;
    }

    private FhirProtocolException protocol(String readId, String problem) {
        return new FhirProtocolException("FHIR server " + endpoint.baseUrl() + " accepted the transaction of read "
                + readId + " but " + problem, 200, "", null);
    }
}
