package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.groundflow.workflow.read.ReadVariables.RADIOLOGISTS;
import static org.groundflow.workflow.read.ReadVariables.REVIEW_TASK;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.inference.BareForward;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.inference.SegmentationModel;
import org.groundflow.publication.DicomMapper;
import org.groundflow.publication.DicomObjects;
import org.groundflow.publication.Revision;
import org.groundflow.publication.SignedRead;
import org.groundflow.review.Decision;
import org.groundflow.review.FindingDecision;
import org.groundflow.review.Review;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.security.IdentitySetup;
import org.groundflow.workflow.testing.FhirSandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole automated path of a read against the sum of its irreducible parts, on the same studies in the same run.
 * Groundflow: the application on its embedded defaults (H2 file in its work folder, as {@code run.sh}, the in-process
 * demo model and worker, job executor as configured) with the real Orthanc and the FHIR sandbox; per study the time
 * from {@code POST /api/reads} until the review task is created plus the time from the sign-off through the API
 * ({@code POST /api/reviews/{taskId}}, sent as soon as the task is there; the human's time is left out) until the
 * process ends, both read from the engine's history; every study is made and stored before the first read, and the
 * node reads them one after another with nothing else of this JVM running but its polls. Bare, after all reads, each
 * made from the node's draft of its study: with a
 * plain HTTP client the WADO-RS download of the same series, one STOW-RS of a SEG and SR made from the same draft and
 * decisions, one FHIR transaction of the bundle made from them (serialised beforehand), and the bare DJL forward
 * passes of the same model over the same model input ({@link BareForward}) in a JVM of their own ({@link ForwardJvm}).
 * Medians over the studies after the warm-up ones. Every read must end
 * published without incident. The breakdown of the Groundflow side comes from the engine's history and the node's
 * timers ({@code groundflow.worker.pickup}, {@code groundflow.volume.decode}, {@code groundflow.model.latency}).
 * Not part of the suite (its name is not a test name): {@code deploy/bench.sh overhead} runs it
 * ({@code groundflow.overhead.studies}, {@code groundflow.overhead.slices}, {@code groundflow.overhead.warm-up}) and
 * prints {@code target/overhead-table.txt}.
 */
class OverheadBenchmark {

    private static final Logger log = LoggerFactory.getLogger(OverheadBenchmark.class);
    private static final String RADIOLOGIST = "overheadrad";
    private static final String PASSWORD = "overhead-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 25;

    /** Groundflow's path in pieces that add up to its time, each with the bare part it is set against. */
    enum Step {
        REQUEST("POST /api/reads until the process starts (QIDO-RS, claim)", null),
        RETRIEVE_PICKUP("job executor pick-up: Retrieve study", null),
        RETRIEVE("Retrieve study (QIDO-RS, WADO-RS, headers, DB)", "WADO-RS download"),
        WORKER_PICKUP("worker pick-up: interpretation task", null),
        DECODE("decoding the series (worker)", null),
        MODEL("model: whole interpretation", "bare DJL forward"),
        HAND_OVER("draft to the engine, review task created", null),
        SIGN_OFF("POST /api/reviews until the task ends", null),
        DICOM_PICKUP("job executor pick-up: Publish DICOM", null),
        PUBLISH_DICOM("Publish DICOM (read store, SEG + SR, STOW-RS)", "STOW-RS of SEG + SR"),
        FHIR_PICKUP("job executor pick-up: Publish FHIR", null),
        PUBLISH_FHIR("Publish FHIR (look-ups, bundle, validation, POST)", "FHIR transaction"),
        END("process end after Publish FHIR", null);

        final String what;
        final String bare;

        Step(String what, String bare) {
            this.what = what;
            this.bare = bare;
        }
    }

    @TempDir
    Path work;

    @Test
    void automatedPathAgainstTheSumOfItsBareParts() throws Exception {
        Assumptions.assumeTrue(OrthancServer.isAvailable(), "Orthanc is not installed");
        FhirSandbox.requireBuilt();
        int studies = Integer.getInteger("groundflow.overhead.studies", 1);
        int warmUp = Integer.getInteger("groundflow.overhead.warm-up", 100);
        int slices = Integer.getInteger("groundflow.overhead.slices", 48);
        double[][] steps = new double[Step.values().length][studies];
        double[][] bare = new double[4][studies];
        double[] groundflow = new double[studies];
        double[] bareSum = new double[studies];
        try (OrthancServer orthanc = new OrthancServer().start();
             FhirSandbox fhir = new FhirSandbox(Path.of("target/fhir-sandbox-overhead").toAbsolutePath()).start();
             ConfigurableApplicationContext app = new SpringApplicationBuilder(GroundflowApplication.class).run(
                     "--server.port=0", "--groundflow.work-dir=" + work.resolve("node"),
                     "--groundflow.pacs.url=" + orthanc.dicomWebUrl(), "--groundflow.fhir.base-url=" + fhir.baseUrl());
             DicomWebClient pacs = new DicomWebClient(orthanc.endpoint());
             ForwardJvm forward = new ForwardJvm(app.getBean(SegmentationModel.class).modelPackage().directory())) {
            app.getBean(IdentitySetup.class).ensureUser(RADIOLOGIST, PASSWORD, List.of(RADIOLOGISTS));
            Node node = new Node(app);
            Bare parts = new Bare(app, pacs, new BareParts(orthanc.dicomWebUrl(), fhir.baseUrl()), forward);
            // Three phases, so that while the node reads nothing else of this JVM runs but its polls: all studies
            // made and stored first, then the node reads them one after another, then the bare parts of each, made
            // from the node's draft of it (the making of studies, SEG, SR and bundles fed this JVM's JIT compiler,
            // whose threads then competed with the node's forward passes for the cores: a node has no such driver)
            List<SyntheticStudy> made = new ArrayList<>();
            for (int i = 0; i < warmUp + studies; i++) {
                SyntheticStudy study = SyntheticStudy.builder().variant("overhead-" + UUID.randomUUID()).slices(slices)
                        .lesions(SyntheticStudy.DEMO_LESIONS).build();
                pacs.store(study.writeTo(Files.createDirectories(work.resolve("study-" + i)))).requireAllStored();
                made.add(study);
            }
            double[][] reads = new double[made.size()][];
            List<String> readIds = new ArrayList<>();
            for (int i = 0; i < made.size(); i++) {
                reads[i] = node.read(made.get(i));
                readIds.add(node.lastRead);
                log.info("overhead study {}{}: groundflow {} ms", i, i < warmUp ? " (warm-up)" : "",
                        Arrays.stream(reads[i]).sum());
            }
            for (int i = warmUp; i < made.size(); i++) {
                Path dir = Files.createDirectories(work.resolve("bare-" + i));
                // made from the node's draft, so that no thread of this JVM but the node's worker runs the model
                // (see ForwardJvm)
                double[] g = reads[i];
                double[] b = parts.of(made.get(i), dir, node.draft(readIds.get(i)), node.masks(readIds.get(i)));
                int at = i - warmUp;
                log.info("overhead study {}: groundflow {} ms, bare parts {} ms", i, Arrays.stream(g).sum(),
                        Arrays.stream(b).sum());
                for (Step step : Step.values()) {
                    steps[step.ordinal()][at] = g[step.ordinal()];
                }
                for (int p = 0; p < b.length; p++) {
                    bare[p][at] = b[p];
                }
                groundflow[at] = Arrays.stream(g).sum();
                bareSum[at] = Arrays.stream(b).sum();
            }
        }
        report(studies, slices, steps, bare, groundflow, bareSum);
    }

    /** The node under measure: its API over HTTP, its engine and timers for the breakdown. */
    private static final class Node {
        private final ReadsClient api;
        private final ReadStore store;
        private final TaskService tasks;
        private final RuntimeService runtime;
        private final HistoryService history;
        private final MeterRegistry meters;
        private String lastRead;

        Node(ConfigurableApplicationContext app) {
            api = new ReadsClient(((WebServerApplicationContext) app).getWebServer().getPort(), RADIOLOGIST, PASSWORD);
            store = app.getBean(ReadStore.class);
            tasks = app.getBean(TaskService.class);
            runtime = app.getBean(RuntimeService.class);
            history = app.getBean(HistoryService.class);
            meters = app.getBean(MeterRegistry.class);
        }

        /** The draft findings of a read. */
        Interpretation draft(String readId) {
            return store.interpretation(readId).orElseThrow(() -> new IllegalStateException("no draft of " + readId));
        }

        /** The draft masks of a read. */
        SegmentMasks masks(String readId) {
            return store.masks(readId).orElseThrow(() -> new IllegalStateException("no masks of " + readId));
        }

        /** One read of the study through the API; its time per {@link Step}, ms. */
        double[] read(SyntheticStudy study) throws Exception {
            double pickup = timerMillis("groundflow.worker.pickup");
            double decode = timerMillis("groundflow.volume.decode");
            double model = timerMillis("groundflow.model.latency");
            long requested = System.currentTimeMillis();
            String readId = api.start(study);
            lastRead = readId;
            String instance = store.processInstance(readId).orElseThrow();
            await("the review task of read " + readId, instance, () -> tasks.createTaskQuery()
                    .processInstanceId(instance).taskDefinitionKey(REVIEW_TASK).count() == 1);
            ReadsClient.SignOffRequest signOff = api.acceptingAll(readId);
            long signed = System.currentTimeMillis();
            assertThat(api.send(signOff)).as("sign-off of read %s", readId).isEqualTo(200);
            await("the end of read " + readId, instance, () -> runtime.createProcessInstanceQuery()
                    .processInstanceId(instance).count() == 0);
            assertThat(api.read(readId).path("state").asText()).as("read %s", readId).isEqualTo("COMPLETED");

            HistoricProcessInstance process = history.createHistoricProcessInstanceQuery()
                    .processInstanceId(instance).singleResult();
            Map<String, HistoricActivityInstance> at = new LinkedHashMap<>();
            history.createHistoricActivityInstanceQuery().processInstanceId(instance).list()
                    .forEach(a -> at.put(a.getActivityId(), a));
            double[] t = new double[Step.values().length];
            long started = process.getStartTime().getTime();
            t[Step.REQUEST.ordinal()] = started - requested;
            t[Step.RETRIEVE_PICKUP.ordinal()] = start(at, "RetrieveStudy") - started;
            t[Step.RETRIEVE.ordinal()] = end(at, "RetrieveStudy") - start(at, "RetrieveStudy");
            t[Step.WORKER_PICKUP.ordinal()] = timerMillis("groundflow.worker.pickup") - pickup;
            t[Step.DECODE.ordinal()] = timerMillis("groundflow.volume.decode") - decode;
            t[Step.MODEL.ordinal()] = timerMillis("groundflow.model.latency") - model;
            t[Step.HAND_OVER.ordinal()] = start(at, REVIEW_TASK) - end(at, "RetrieveStudy")
                    - t[Step.WORKER_PICKUP.ordinal()] - t[Step.DECODE.ordinal()] - t[Step.MODEL.ordinal()];
            t[Step.SIGN_OFF.ordinal()] = end(at, REVIEW_TASK) - signed;
            t[Step.DICOM_PICKUP.ordinal()] = start(at, "PublishDicom") - end(at, REVIEW_TASK);
            t[Step.PUBLISH_DICOM.ordinal()] = end(at, "PublishDicom") - start(at, "PublishDicom");
            t[Step.FHIR_PICKUP.ordinal()] = start(at, "PublishFhir") - end(at, "PublishDicom");
            t[Step.PUBLISH_FHIR.ordinal()] = end(at, "PublishFhir") - start(at, "PublishFhir");
            t[Step.END.ordinal()] = process.getEndTime().getTime() - end(at, "PublishFhir");
            return t;
        }

        private double timerMillis(String name) {
            Timer timer = meters.find(name).timer();
            return timer == null ? 0 : timer.totalTime(TimeUnit.MILLISECONDS);
        }

        private static long start(Map<String, HistoricActivityInstance> at, String activity) {
            return activity(at, activity).getStartTime().getTime();
        }

        private static long end(Map<String, HistoricActivityInstance> at, String activity) {
            return activity(at, activity).getEndTime().getTime();
        }

        private static HistoricActivityInstance activity(Map<String, HistoricActivityInstance> at, String activity) {
            HistoricActivityInstance instance = at.get(activity);
            assertThat(instance).as("activity %s in the history (passed: %s)", activity, at.keySet()).isNotNull();
            return instance;
        }

        /**
         * Polls every {@value #POLL_MILLIS} ms (the times come from the history, not from the polls; seldom polls keep
         * the benchmark's own load off the node); an incident of the process or five minutes without the condition fail.
         */
        private void await(String what, String instance, java.util.function.BooleanSupplier condition)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            for (int polls = 0; !condition.getAsBoolean(); polls++) {
                if (polls % 40 == 0) {
                    assertThat(runtime.createIncidentQuery().processInstanceId(instance).list())
                            .as("incidents while waiting for %s", what).isEmpty();
                }
                assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** The bare side: each part made ready untimed, then timed alone; ms of download, forward, STOW, FHIR. */
    private static final class Bare {
        private final DicomWebClient pacs;
        private final BareParts http;
        private final Interpreter interpreter;
        private final DicomMapper dicom;
        private final ReportMapper fhir;
        private final GroundflowProperties properties;
        private final ForwardJvm forward;

        Bare(ConfigurableApplicationContext app, DicomWebClient pacs, BareParts http, ForwardJvm forward) {
            this.pacs = pacs;
            this.forward = forward;
            this.http = http;
            this.interpreter = app.getBean(Interpreter.class);
            this.properties = app.getBean(GroundflowProperties.class);
            this.dicom = new DicomMapper(interpreter.card(), properties.organization());
            this.fhir = app.getBean(ReportMapper.class);
        }

        double[] of(SyntheticStudy study, Path dir, Interpretation draft, SegmentMasks masks) throws Exception {
            Uid series = study.seriesInstanceUid();
            ImageVolume volume = ImageVolumeReader.read(pacs.retrieveSeries(study.studyInstanceUid(), series,
                    dir.resolve("series")));
            String readId = UUID.randomUUID().toString();
            SignOff signOff = Review.sign(readId, draft, draft.findings().stream()
                    .map(f -> new FindingDecision(f.number(), Decision.ACCEPT, null)).toList(), "Bare parts.",
                    RADIOLOGIST, Instant.now());
            DicomObjects objects = dicom.map(new SignedRead(signOff, masks, volume.geometry(),
                    Revision.first(readId, signOff.signedAt())));
            List<Path> stored = List.of(objects.segmentation().write(dir.resolve("seg.dcm")),
                    objects.report().write(dir.resolve("sr.dcm")));
            byte[] bundle = JSON.writeValueAsString(JSON.readTree(fhir.toJson(new PublicationRequest(signOff,
                    volume.geometry().study(), series, objects.segmentation().sopInstanceUid(),
                    properties.pacs().url(), properties.organization())))).getBytes(StandardCharsets.UTF_8);
            Path input = dir.resolve("model-input.f32");
            BareForward.writeTensor(input, BareForward.modelInput(volume, interpreter.card().input()));

            double[] t = new double[4];
            long start = System.nanoTime();
            http.download(study.studyInstanceUid(), series, dir.resolve("series.multipart"));
            t[0] = millisSince(start);
            t[1] = forward.time(input);
            start = System.nanoTime();
            http.store(stored);
            t[2] = millisSince(start);
            start = System.nanoTime();
            http.transaction(bundle);
            t[3] = millisSince(start);
            return t;
        }

        private static double millisSince(long start) {
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /**
     * The bare forward passes, timed by {@link BareForward#main} in a JVM of its own (the class path and DJL settings of
     * this one) where no other thread runs libtorch, as in this JVM only the node's worker does; one model input at a
     * time, after the node's reads. Two threads running libtorch in one JVM each lead an OpenMP
     * team, and the idle team's spinning slowed the other: on 2 cores by up to 0.4 s of 1.6 s, whichever ran second.
     */
    private static final class ForwardJvm implements AutoCloseable {
        private final Process process;
        private final java.io.Writer requests;
        private final java.io.BufferedReader answers;

        ForwardJvm(Path modelPackage) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx2g", "-cp", System.getProperty("java.class.path")));
            System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("ai.djl."))
                    .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
            command.addAll(List.of(BareForward.class.getName(), modelPackage.toString(), "3"));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            answers = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
        }

        /** The median ms of the forward passes over the model input in {@code tensor}. */
        double time(Path tensor) throws IOException, InterruptedException {
            requests.write(tensor + "\n");
            requests.flush();
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith("forward-ms ")) {
                    return Double.parseDouble(line.substring("forward-ms ".length()));
                }
            }
            throw new IllegalStateException("the bare forward JVM ended (exit " + process.waitFor() + ")");
        }

        @Override
        public void close() throws Exception {
            requests.close();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Writes the table of medians and the figures that {@code deploy/bench.sh overhead} prints. */
    private void report(int studies, int slices, double[][] steps, double[][] bare, double[] groundflow,
                        double[] bareSum) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-52s%10s   %-22s%9s", "Groundflow step (medians, ms)", "groundflow",
                "bare part", "bare"));
        int part = 0;
        for (Step step : Step.values()) {
            String right = step.bare == null ? "" : String.format(Locale.ROOT, "   %-22s%9.1f", step.bare,
                    median(bare[part++]));
            lines.add(String.format(Locale.ROOT, "%-52s%10.1f%s", step.what, median(steps[step.ordinal()]), right));
        }
        lines.add(String.format(Locale.ROOT, "%-52s%10.1f   %-22s%9.1f", "total per study (median of the sums)",
                median(groundflow), "sum of bare parts", median(bareSum)));
        lines.add(String.format(Locale.ROOT, "per study, groundflow / bare ms: %s",
                String.join(", ", java.util.stream.IntStream.range(0, studies).mapToObj(i -> String.format(
                        Locale.ROOT, "%.0f/%.0f", groundflow[i], bareSum[i])).toList())));
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.write(target.resolve("overhead-table.txt"), lines);
        Files.writeString(target.resolve("overhead.properties"), String.format(Locale.ROOT,
                "studies=%d%nslices=%d%ngroundflow.median.ms=%.1f%nbare.median.ms=%.1f%nratio=%.4f%n", studies,
                slices, median(groundflow), median(bareSum), median(groundflow) / median(bareSum)));
        lines.forEach(log::info);
        assertThat(median(groundflow)).as("the path's time").isPositive();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
