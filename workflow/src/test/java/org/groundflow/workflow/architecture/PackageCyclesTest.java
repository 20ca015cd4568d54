package org.groundflow.workflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * No package cycle in Groundflow's main code: {@code jdeps} reads the compiled classes of every Groundflow module on
 * this test's class path (reactor folders or jars, never test classes), and the package graph must be acyclic.
 */
class PackageCyclesTest {

    private static final String PREFIX = "org.groundflow.";
    /** One package of each module whose code must be in the graph, so that a class path without them fails. */
    private static final List<String> EXPECTED = List.of("org.groundflow.dicomweb", "org.groundflow.inference",
            "org.groundflow.fhir.mapping", "org.groundflow.review", "org.groundflow.workflow.read");

    @Test
    void groundflowMainCodeHasNoPackageCycle() throws IOException {
        List<Path> roots = mainCodeRoots();
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none", "-e", "org\\.groundflow\\..*"));
        roots.forEach(root -> args.add(root.toString()));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("this JDK has no jdeps tool"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertThat(status).as("jdeps %s: %s", args, err).isZero();

        PackageGraph graph = PackageGraph.parseJdeps(out.toString(), PREFIX);
        assertThat(graph.packages()).as("packages read from %s", roots).containsAll(EXPECTED);
        assertThat(graph.cycles()).as("package cycles in %s", roots).isEmpty();
    }

    @Test
    void aCycleIsFoundAndNamedWithTheClassesThatMakeIt() {
        PackageGraph graph = new PackageGraph()
                .add("x.api.Controller", "x.read.Service")
                .add("x.read.Service", "x.process.Names")
                .add("x.process.Step", "x.read.Service")
                .add("x.read.Other", "x.read.Service")
                .add("x.config.Settings", "x.api.Controller");

        assertThat(graph.cycles()).singleElement().satisfies(cycle -> assertThat(cycle)
                .containsAnyOf("x.read -> x.process -> x.read", "x.process -> x.read -> x.process")
                .contains("Service -> Names").contains("Step -> Service"));
    }

    @Test
    void aGraphWithoutCycleHasNone() {
        PackageGraph graph = new PackageGraph()
                .add("x.a.A", "x.b.B").add("x.b.B", "x.c.C").add("x.a.A", "x.c.C").add("x.c.C", "x.c.D");

        assertThat(graph.cycles()).isEmpty();
        assertThat(graph.packages()).containsExactly("x.a", "x.b", "x.c");
    }

    @Test
    void twoSeparateCyclesAreBothReported() {
        PackageGraph graph = new PackageGraph()
                .add("x.a.A", "x.b.B").add("x.b.B", "x.a.A")
                .add("x.c.C", "x.d.D").add("x.d.D", "x.e.E").add("x.e.E", "x.c.C");

        assertThat(graph.cycles()).hasSize(2);
    }

    @Test
    void jdepsClassLinesBecomePackageEdges() {
        String output = String.join("\n",
                "groundflow-workflow.jar -> groundflow-dicomweb.jar",
                "   org.groundflow.workflow.read (groundflow-workflow.jar)",
                "      -> org.groundflow.dicomweb                             groundflow-dicomweb.jar",
                "   org.groundflow.workflow.read.ReviewEscalation      -> org.groundflow.workflow.process.ReadVariables classes",
                "   org.groundflow.workflow.process.RetrieveStudyStep  -> org.groundflow.workflow.read.StudyRetrieval     classes",
                "   org.groundflow.workflow.process.RetrieveStudyStep  -> java.lang.String                                java.base");

        PackageGraph graph = PackageGraph.parseJdeps(output, PREFIX);

        assertThat(graph.packages()).containsExactly("org.groundflow.workflow.process", "org.groundflow.workflow.read");
        assertThat(graph.cycles()).singleElement().asString().contains("ReviewEscalation -> ReadVariables");
    }

    /** The class folders and jars of Groundflow's main code that this test's class loader sees. */
    private static List<Path> mainCodeRoots() throws IOException {
        TreeSet<Path> roots = new TreeSet<>();
        for (URL url : Collections.list(PackageCyclesTest.class.getClassLoader().getResources("org/groundflow"))) {
            Path root = root(url);
            String name = root.getFileName().toString();
            boolean testCode = name.equals("test-classes") || name.endsWith("-tests.jar");
            if (!testCode && (name.equals("classes") || name.startsWith("groundflow-"))) {
                roots.add(root);
            }
        }
        return List.copyOf(roots);
    }

    /** The folder or jar that holds the {@code org/groundflow} entry at {@code url}. */
    private static Path root(URL url) throws IOException {
        try {
            if ("jar".equals(url.getProtocol())) {
                return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            }
            return Path.of(url.toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IOException("not a file URL: " + url, e);
        }
    }
}
