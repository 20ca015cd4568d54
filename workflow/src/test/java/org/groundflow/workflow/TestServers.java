package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.groundflow.dicomweb.testing.OrthancServer;

/**
 * The servers the application tests share, started once per test JVM (the Spring context that uses them is cached
 * across test classes too) and stopped when the JVM exits: a real Orthanc, stopped by PID, which the application
 * reaches through a proxy that counts its requests ({@link PacsRequests}), and a WireMock FHIR endpoint that records
 * each transaction and answers like a FHIR server.
 */
public final class TestServers {

    public static final String FHIR_PATH = "/fhir";

    private static OrthancServer orthanc;
    private static PacsRequests pacsRequests;
    private static WireMockServer fhir;
    private static Path workDir;

    private TestServers() {
    }

    public static synchronized OrthancServer orthanc() {
        if (orthanc == null) {
            orthanc = new OrthancServer().start();
            OrthancServer started = orthanc;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "orthanc-stop"));
        }
        return orthanc;
    }

    /** The counting proxy in front of {@link #orthanc()}: the application's PACS. */
    public static synchronized PacsRequests pacsRequests() {
        if (pacsRequests == null) {
            pacsRequests = PacsRequests.proxying(orthanc().restUrl());
            PacsRequests started = pacsRequests;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "pacs-proxy-stop"));
        }
        return pacsRequests;
    }

    /** The application's DICOMweb root: Orthanc's, through the counting proxy. */
    public static String pacsUrl() {
        return pacsRequests().baseUrl() + "/dicom-web";
    }

    public static synchronized WireMockServer fhir() {
        if (fhir == null) {
            fhir = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                    .extensions(new FhirTransactionResponder()));
            fhir.start();
            fhir.stubFor(post(urlEqualTo(FHIR_PATH)).willReturn(aResponse()
                    .withTransformers(FhirTransactionResponder.NAME)));
            fhir.stubFor(get(urlEqualTo(FHIR_PATH + "/metadata")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody("{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"kind\":\"instance\","
                            + "\"fhirVersion\":\"4.0.1\",\"format\":[\"json\"],\"date\":\"2026-01-01\"}")));
            // the version guard's look-up of a read's report: none held (the recorded endpoint keeps no resources)
            fhir.stubFor(get(urlPathEqualTo(FHIR_PATH + "/DiagnosticReport")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}")));
            WireMockServer started = fhir;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "fhir-stop"));
        }
        return fhir;
    }

    public static synchronized Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory("groundflow-test-work");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return workDir;
    }

    public static String fhirBaseUrl() {
        return fhir().baseUrl() + FHIR_PATH;
    }
}
