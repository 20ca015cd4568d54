package org.groundflow.fhirserver.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.fhir.mapping.ReportValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deploy/bench.sh fhir}: publishing one read to the FHIR sandbox server, Groundflow (mapping + R4 validation +
 * the transaction through HAPI's client + reading the answer) against curl POSTing the same kind of bundle (already
 * serialised to a file, compact JSON as Groundflow sends it, JSON asked for in return as Groundflow does),
 * alternately, in one run. Every repetition publishes a new read on both sides, so the server does the same work for
 * each (the same conditional entries: new report and observations; patient, organisation, model and study matched).
 * curl's time is its own {@code time_total} (the HTTP exchange, not its process start). Groundflow's parts (mapping,
 * validation) are timed in the same loop, on a read of the same shape not sent, so that they see the same machine
 * state as the publications; the validator is warmed up like the rest before the timed repetitions: WARM_UP
 * unmeasured repetitions (default 300), after which the JIT compiler has compiled the validator's code, as in a node
 * that has been publishing (the HL7 validator is a large body of code: on 2 cores one validation takes about 54 ms
 * at first, 30 ms after 30, 14 ms after 600).
 *
 * <p>Usage: {@code FhirPublicationBenchmark BASE_URL WORK_DIR REPETITIONS [WARM_UP]}; writes WORK_DIR/fhir.properties.
 */
public final class FhirPublicationBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(FhirPublicationBenchmark.class);

    private FhirPublicationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        Path work = Path.of(args[1]);
        int repetitions = Integer.parseInt(args[2]);
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        String prefix = "bench-" + System.currentTimeMillis() + "-";
        ReportMapper mapper = Fixtures.mapper();

        long buildStart = System.nanoTime();
        ReportValidator validator = ReportValidator.create();
        double validatorBuildMs = millis(System.nanoTime() - buildStart);

        int total = warmUp + repetitions;
        IParser compact = FhirContext.forR4Cached().newJsonParser();
        List<Path> curlBundles = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Path file = work.resolve("curl-bundle-" + i + ".json");
            Files.writeString(file, compact.encodeResourceToString(mapper.toBundle(Fixtures.request(prefix + "curl-" + i))),
                    StandardCharsets.UTF_8);
            curlBundles.add(file);
        }
        long curlBytes = Files.size(curlBundles.get(0));
        long groundflowBytes = compact.encodeResourceToString(mapper.toBundle(Fixtures.request(prefix + "groundflow-0")))
                .getBytes(StandardCharsets.UTF_8).length;

        double[] groundflow = new double[repetitions];
        double[] curl = new double[repetitions];
        double[] unvalidated = new double[repetitions];
        double[] mapping = new double[repetitions];
        double[] validation = new double[repetitions];
        try (FhirPublisher publisher = new FhirPublisher(FhirEndpoint.of(baseUrl), mapper, validator);
             FhirPublisher withoutValidation = new FhirPublisher(FhirEndpoint.of(baseUrl), mapper)) {
            for (int i = 0; i < total; i++) {
                PublicationRequest request = Fixtures.request(prefix + "groundflow-" + i);
                PublicationRequest other = Fixtures.request(prefix + "unvalidated-" + i);
                double g;
                double c;
                double u;
                if (i % 2 == 0) {
                    g = timeGroundflow(publisher, request);
                    c = timeCurl(baseUrl, curlBundles.get(i));
                    u = timeGroundflow(withoutValidation, other);
                } else {
                    u = timeGroundflow(withoutValidation, other);
                    c = timeCurl(baseUrl, curlBundles.get(i));
                    g = timeGroundflow(publisher, request);
                }
                // Groundflow's own parts, on a read of the same shape that is not sent
                PublicationRequest parts = Fixtures.request(prefix + "parts-" + i);
                long start = System.nanoTime();
                Bundle bundle = mapper.toBundle(parts);
                double m = millis(System.nanoTime() - start);
                start = System.nanoTime();
                List<String> errors = validator.errors(bundle);
                double v = millis(System.nanoTime() - start);
                if (!errors.isEmpty()) {
                    throw new IllegalStateException("the benchmark's bundle is not valid: " + errors.size() + " errors");
                }
                if (i >= warmUp) {
                    groundflow[i - warmUp] = g;
                    curl[i - warmUp] = c;
                    unvalidated[i - warmUp] = u;
                    mapping[i - warmUp] = m;
                    validation[i - warmUp] = v;
                }
            }
        }

        Properties out = new Properties();
        out.setProperty("repetitions", String.valueOf(repetitions));
        out.setProperty("warm.up", String.valueOf(warmUp));
        out.setProperty("groundflow.median.ms", format(median(groundflow)));
        out.setProperty("curl.median.ms", format(median(curl)));
        out.setProperty("unvalidated.median.ms", format(median(unvalidated)));
        out.setProperty("mapping.median.ms", format(median(mapping)));
        out.setProperty("validation.median.ms", format(median(validation)));
        out.setProperty("validator.build.ms", format(validatorBuildMs));
        // what is left of Groundflow's time without validation once mapping and curl's exchange are taken off:
        // HAPI's client (encoding the bundle, the request, parsing the answer) and the reading of the answer
        out.setProperty("client.median.ms", format(median(unvalidated) - median(mapping) - median(curl)));
        out.setProperty("groundflow.bytes", String.valueOf(groundflowBytes));
        out.setProperty("curl.bytes", String.valueOf(curlBytes));
        out.setProperty("ratio", format(median(groundflow) / median(curl)));
        try (OutputStream stream = Files.newOutputStream(work.resolve("fhir.properties"))) {
            out.store(stream, "deploy/bench.sh fhir");
        }
        LOG.info("groundflow {} ms, curl {} ms (medians of {}), ratio {}", format(median(groundflow)),
                format(median(curl)), repetitions, format(median(groundflow) / median(curl)));
    }

    private static double timeGroundflow(FhirPublisher publisher, PublicationRequest request) {
        long start = System.nanoTime();
        publisher.publish(request);
        return millis(System.nanoTime() - start);
    }

    /** curl's own time for the POST, in ms; fails unless the server answered 200. */
    private static double timeCurl(String baseUrl, Path bundle) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
                "-X", "POST", "-H", "Content-Type: application/fhir+json", "-H", "Accept: application/fhir+json",
                "--data-binary", "@" + bundle, baseUrl).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (curl.waitFor() != 0 || !output.startsWith("200 ")) {
            throw new IllegalStateException("curl POST of " + bundle + " failed: " + output);
        }
        return Double.parseDouble(output.substring(4)) * 1000;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
