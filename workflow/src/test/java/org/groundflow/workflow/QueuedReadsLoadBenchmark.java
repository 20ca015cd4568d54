package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.groundflow.workflow.read.ReadVariables.RADIOLOGISTS;
import static org.groundflow.workflow.read.ReadVariables.REVIEW_TASK;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.security.IdentitySetup;
import org.groundflow.workflow.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestTemplate;

/**
 * Engine and plumbing time per study: N reads queued through {@code POST /api/reads} on one node with the PACS, the
 * model and the FHIR server stubbed ({@link LoadStubs}), job executor and worker at their defaults; the wall time
 * from the first request until all N wait at review, then from the first sign-off through the API until all N are
 * published. Each N runs on a fresh database, embedded H2 (a file in the work folder, as {@code run.sh}) and a
 * throwaway PostgreSQL ({@code cluster} profile), after {@code groundflow.load.warm-up} (default 100) unmeasured reads
 * on the same node; before the first round, one unmeasured round of {@code groundflow.load.jvm-warm-up} reads (default
 * 300) on each database lets the JIT compiler compile the code every round runs (a JVM that has served reads for a while, as a
 * node in service). Every read must end published, without incident. Not part of the suite (its name is not a test name): {@code deploy/bench.sh load}
 * runs it with 100, 300 and 1,000 ({@code groundflow.load.studies}) and reads {@code target/load-result.tsv}.
 */
class QueuedReadsLoadBenchmark {

    private static final String RADIOLOGIST = "loadrad";
    private static final String PASSWORD = "load-password";
    private static final int WARM_UP = Integer.getInteger("groundflow.load.warm-up", 100);
    /** Reads of the unmeasured first round that lets the JIT compiler compile the node's code before any round. */
    private static final int JVM_WARM_UP = Integer.getInteger("groundflow.load.jvm-warm-up", 300);
    private static final int CLIENTS = 4;
    private static final Logger log = LoggerFactory.getLogger(QueuedReadsLoadBenchmark.class);

    @TempDir
    Path work;

    private int rounds;

    /** Wall times of the two phases; CPU time of this JVM (node and clients) and of the PostgreSQL server. */
    record Round(String database, int studies, long toReviewMillis, long toPublishedMillis, long jvmCpuMillis,
                 long databaseCpuMillis) {
        long totalMillis() {
            return toReviewMillis + toPublishedMillis;
        }
    }

    @Test
    void queuedReadsReachReviewAndPublicationOnH2AndPostgres() throws Exception {
        int[] counts = Arrays.stream(System.getProperty("groundflow.load.studies", "10").split(","))
                .map(String::strip).mapToInt(Integer::parseInt).toArray();
        boolean postgresAvailable = PostgresServer.isAvailable();
        Path results = Path.of("target/load-result.tsv");
        Files.createDirectories(results.getParent());
        Files.writeString(results, "");
        try (PostgresServer postgres = postgresAvailable ? new PostgresServer().start() : null) {
            if (postgres == null) {
                log.warn("PostgreSQL is not installed: load measured on H2 only");
            }
            if (JVM_WARM_UP > 0) {
                // on each database measured: the JDBC driver's and the database's own code paths differ
                Round cold = round("h2", JVM_WARM_UP, List.of(), null);
                log.info("load: JVM warm-up round (not recorded), {} reads on H2: {} ms per study", cold.studies(),
                        cold.totalMillis() / (double) cold.studies());
                if (postgres != null) {
                    cold = postgresRound(postgres, JVM_WARM_UP, "warmup");
                    log.info("load: JVM warm-up round (not recorded), {} reads on PostgreSQL: {} ms per study",
                            cold.studies(), cold.totalMillis() / (double) cold.studies());
                }
            }
            for (int i = 0; i < counts.length; i++) {
                record(results, round("h2", counts[i], List.of(), null));
                if (postgres != null) {
                    record(results, postgresRound(postgres, counts[i], "round" + i));
                }
            }
        }
    }

    /** A round on a database of its own in the throwaway PostgreSQL cluster ({@code cluster} profile). */
    private Round postgresRound(PostgresServer postgres, int n, String name) throws Exception {
        String url = postgres.createDatabase("load" + name + "n" + n);
        return round("postgresql", n, List.of("--spring.profiles.active=cluster", "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password="), postgres);
    }

    private static void record(Path results, Round round) throws IOException {
        log.info("load {}: {} reads, {} ms to review, {} ms to publication, {} ms per study; CPU: JVM {} ms,"
                        + " PostgreSQL {} ms", round.database(), round.studies(), round.toReviewMillis(),
                round.toPublishedMillis(), round.totalMillis() / (double) round.studies(), round.jvmCpuMillis(),
                round.databaseCpuMillis());
        Files.writeString(results, String.join("\t", round.database(), Integer.toString(round.studies()),
                Long.toString(round.toReviewMillis()), Long.toString(round.toPublishedMillis()),
                Long.toString(round.jvmCpuMillis()), Long.toString(round.databaseCpuMillis())) + "\n",
                StandardOpenOption.APPEND);
    }

    /** One node on a fresh database: the warm-up, then {@code n} reads measured. */
    private Round round(String database, int n, List<String> settings, PostgresServer postgres) throws Exception {
        Path dir = Files.createDirectories(work.resolve(database + "-" + n + "-" + ++rounds)); // a fresh database
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--groundflow.work-dir=" + dir,
                "--camunda.bpm.process-engine-name=load" + database + n,
                "--groundflow.pacs.url=http://127.0.0.1:9/none"));
        args.addAll(settings);
        try (ConfigurableApplicationContext node = new SpringApplicationBuilder(GroundflowApplication.class,
                LoadStubs.class).run(args.toArray(String[]::new))) {
            node.getBean(IdentitySetup.class).ensureUser(RADIOLOGIST, PASSWORD, List.of(RADIOLOGISTS));
            Node measured = new Node(node);
            measured.readsOf(Math.min(WARM_UP, n), new long[2]);
            long[] millis = new long[2];
            long jvmCpu = jvmCpuNanos();
            Duration databaseCpu = postgres == null ? Duration.ZERO : postgres.cpuTime();
            measured.readsOf(n, millis);
            return new Round(database, n, millis[0], millis[1], (jvmCpuNanos() - jvmCpu) / 1_000_000,
                    postgres == null ? 0 : postgres.cpuTime().minus(databaseCpu).toMillis());
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The node's API and what it tells of its reads. */
    private static final class Node {
        private final RestTemplate api;
        private final TaskService tasks;
        private final RuntimeService runtime;
        private final JdbcTemplate jdbc;

        Node(ConfigurableApplicationContext context) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            api = new RestTemplateBuilder().rootUri("http://127.0.0.1:" + port)
                    .basicAuthentication(RADIOLOGIST, PASSWORD).build();
            tasks = context.getBean(TaskService.class);
            runtime = context.getBean(RuntimeService.class);
            jdbc = context.getBean(JdbcTemplate.class);
        }

        /** Queues {@code n} reads, waits for them at review, signs them all and waits for their publication. */
        void readsOf(int n, long[] millis) throws Exception {
            int completedBefore = completed();
            long start = System.nanoTime();
            inParallel(n, i -> {
                ResponseEntity<JsonNode> started = api.postForEntity("/api/reads",
                        Map.of("studyInstanceUid", ReadsAtReview.newUid().value()), JsonNode.class);
                return started.getStatusCode() == HttpStatus.CREATED;
            });
            awaitCount("reads at review", n,
                    () -> (int) tasks.createTaskQuery().taskDefinitionKey(REVIEW_TASK).count());
            long atReview = System.nanoTime();
            List<Task> reviews = tasks.createTaskQuery().taskDefinitionKey(REVIEW_TASK).list();
            inParallel(n, i -> {
                ResponseEntity<JsonNode> signed = api.postForEntity("/api/reviews/" + reviews.get(i).getId(),
                        Map.of("decisions", List.of(Map.of("finding", 1, "decision", "accept")),
                                "impression", "Load."), JsonNode.class);
                return signed.getStatusCode() == HttpStatus.OK;
            });
            awaitCount("reads published", n, () -> completed() - completedBefore);
            long published = System.nanoTime();
            millis[0] = (atReview - start) / 1_000_000;
            millis[1] = (published - atReview) / 1_000_000;
        }

        private int completed() {
            return jdbc.queryForObject("SELECT COUNT(*) FROM GF_READ WHERE OUTCOME = 'COMPLETED'", Integer.class);
        }

        /** Runs {@code request(0..n-1)} from a few clients at once; every one must succeed. */
        private static void inParallel(int n, IntPredicate request) throws Exception {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int index = i;
                    answers.add(clients.submit(() -> request.test(index)));
                }
                for (int i = 0; i < n; i++) {
                    assertThat(answers.get(i).get()).as("request %s of %s", i, n).isTrue();
                }
            } finally {
                clients.shutdownNow();
            }
        }

        /**
         * Polls every 50 ms (the node answers the polls too; coarser polls add up to their period to each phase)
         * until {@code count} reaches {@code n}; an incident or 30 s without progress fails.
         */
        private void awaitCount(String what, int n, IntSupplier count) throws InterruptedException {
            int last = -1;
            long lastProgress = System.nanoTime();
            while (true) {
                int now = count.getAsInt();
                if (now >= n) {
                    return;
                }
                assertThat(runtime.createIncidentQuery().count()).as("incidents while waiting for %s", what).isZero();
                if (now != last) {
                    last = now;
                    lastProgress = System.nanoTime();
                }
                assertThat(System.nanoTime() - lastProgress).as("%s: %s of %s, no progress", what, now, n)
                        .isLessThan(30_000_000_000L);
                Thread.sleep(50);
            }
        }
    }
}
