package org.groundflow.fhirserver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.web.embedded.EmbeddedWebServerFactoryCustomizerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A HAPI FHIR JPA R4 server on H2, for the demo, the tests and the benchmark: a stand-in for an EHR's FHIR API.
 * Only the web server is auto-configured; everything else is {@link JpaServerConfiguration}, so none of Boot's JPA,
 * Flyway, Quartz or search auto-configuration runs.
 *
 * <p>Run: {@code java -cp target/classes:$(cat target/fhir-server.classpath) org.groundflow.fhirserver.FhirSandboxServer
 * --server.port=8091 --groundflow.fhir-server.jdbc-url=jdbc:h2:file:/path/fhir}; the base URL is
 * {@code http://127.0.0.1:8091/fhir}; it is ready when {@code GET /fhir/metadata} answers 200.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        ServletWebServerFactoryAutoConfiguration.class,
        EmbeddedWebServerFactoryCustomizerAutoConfiguration.class})
@Import(JpaServerConfiguration.class)
public class FhirSandboxServer {

    private static final Logger LOG = LoggerFactory.getLogger(FhirSandboxServer.class);

    public static void main(String[] args) {
        long start = System.nanoTime();
        ConfigurableApplicationContext context = SpringApplication.run(FhirSandboxServer.class, args);
        String port = context.getEnvironment().getProperty("local.server.port");
        String address = context.getEnvironment().getProperty("server.address", "127.0.0.1");
        LOG.info("FHIR sandbox server ready at http://{}:{}/fhir in {} ms (pid {})", address, port,
                (System.nanoTime() - start) / 1_000_000, ProcessHandle.current().pid());
    }
}
