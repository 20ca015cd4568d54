package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/allocator.bash, which deploy/launch.sh sources before it starts the application: jemalloc by default, kept
 * for the model's large buffers (README, "A read's whole path against its bare parts"); the system allocator on request;
 * a wrong choice refused, and launch.sh then starts nothing. The application itself is checked on jemalloc in
 * {@link DemoLaunchTest}.
 */
class AllocatorScriptTest {

    private static final Path DEPLOY = Path.of("../deploy").toAbsolutePath().normalize();
    private static final String SHOW = ". " + DEPLOY.resolve("allocator.bash") + " && groundflow_allocator"
            + " && printf '%s|%s' \"${LD_PRELOAD:-}\" \"${MALLOC_CONF:-}\"";

    @TempDir
    Path runDir;

    @Test
    void jemallocByDefaultKeepingFreedMemory() throws Exception {
        Result shown = bash(Map.of(), SHOW);
        assertThat(shown.code()).as(shown.output()).isZero();
        String[] exported = shown.output().split("\\|", -1);
        assertThat(exported[0]).as("LD_PRELOAD").endsWith("/libjemalloc.so.2");
        assertThat(Path.of(exported[0])).isRegularFile();
        assertThat(exported[1]).as("MALLOC_CONF")
                .isEqualTo("oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:30000");
    }

    @Test
    void anotherPreloadAndTheOperatorsMallocConfAreKept() throws Exception {
        Result shown = bash(Map.of("LD_PRELOAD", "libm.so.6", "MALLOC_CONF", "narenas:2"), SHOW);
        assertThat(shown.code()).as(shown.output()).isZero();
        assertThat(shown.output()).matches(".*/libjemalloc\\.so\\.2:libm\\.so\\.6\\|narenas:2");
    }

    @Test
    void theSystemAllocatorOnRequest() throws Exception {
        Result shown = bash(Map.of("GROUNDFLOW_ALLOCATOR", "system"), SHOW);
        assertThat(shown.code()).as(shown.output()).isZero();
        assertThat(shown.output()).isEqualTo("|");
    }

    @Test
    void aWrongChoiceIsRefusedAndLaunchStartsNothing() throws Exception {
        Result launched = run(Map.of("GROUNDFLOW_ALLOCATOR", "tcmalloc", "GROUNDFLOW_RUN_DIR", runDir.toString()),
                DEPLOY.resolve("launch.sh").toString(), "app", "bash", "-c", "echo started");
        assertThat(launched.code()).isEqualTo(2);
        assertThat(launched.output()).contains("GROUNDFLOW_ALLOCATOR must be jemalloc or system, got: tcmalloc")
                .doesNotContain("started");
        assertThat(runDir.resolve("app")).doesNotExist();
    }

    @Test
    void launchStartsTheApplicationOnJemalloc() throws Exception {
        // the "java" command here is bash, which reports the library mapped into its own process
        Result launched = run(Map.of("GROUNDFLOW_RUN_DIR", runDir.toString()), DEPLOY.resolve("launch.sh").toString(),
                "app", "bash", "-c", "grep -c libjemalloc.so.2 /proc/$$/maps; printf '%s' \"$MALLOC_CONF\"", "app");
        assertThat(launched.code()).as(launched.output()).isZero();
        assertThat(launched.output().lines().toList()).as(launched.output())
                .satisfies(lines -> assertThat(Integer.parseInt(lines.get(0))).isPositive())
                .contains("oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:30000");
    }

    private static Result bash(Map<String, String> env, String script) throws IOException, InterruptedException {
        return run(env, "bash", "-c", script);
    }

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("LD_PRELOAD", "MALLOC_CONF", "GROUNDFLOW_ALLOCATOR"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        return new Result(process.exitValue(), output.strip());
    }

    private record Result(int code, String output) {
    }
}
