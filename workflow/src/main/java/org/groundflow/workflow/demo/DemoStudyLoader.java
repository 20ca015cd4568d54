package org.groundflow.workflow.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.security.IdentitySetup;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With {@code groundflow.demo.enabled=true} (as {@code deploy/run.sh} starts it): creates the demo radiologist when
 * {@code groundflow.demo.radiologist-password} is given, stores the synthetic demo study in the PACS unless it is
 * there already, and writes its Study Instance UID to {@code <work-dir>/demo-study-uid}.
 */
@Component
@ConditionalOnProperty(name = "groundflow.demo.enabled", havingValue = "true")
public class DemoStudyLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoStudyLoader.class);

    /** The demo radiologist's user id; {@code deploy/run.sh} prints it with its password. */
    public static final String DEMO_RADIOLOGIST = "radiologist";

    private final DicomWebClient pacs;
    private final GroundflowProperties properties;
    private final IdentitySetup identity;
    private final String radiologistPassword;

    public DemoStudyLoader(DicomWebClient pacs, GroundflowProperties properties, IdentitySetup identity,
                           @Value("${groundflow.demo.radiologist-password:}") String radiologistPassword) {
        this.pacs = pacs;
        this.properties = properties;
        this.identity = identity;
        this.radiologistPassword = radiologistPassword;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!radiologistPassword.isBlank()) {
            identity.ensureUser(DEMO_RADIOLOGIST, radiologistPassword, List.of(ReadVariables.RADIOLOGISTS));
        }
        SyntheticStudy demo = SyntheticStudy.demo();
        if (pacs.findStudy(demo.studyInstanceUid()).isPresent()) {
            log.info("demo study {} is already in the PACS", demo.studyInstanceUid());
        } else {
            Path dir = Files.createTempDirectory("groundflow-demo");
            try {
                List<Path> files = demo.writeTo(dir);
                pacs.store(files).requireAllStored();
                log.info("demo study {} stored in the PACS ({} instances)", demo.studyInstanceUid(), files.size());
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        Files.createDirectories(properties.workDir());
        Files.writeString(properties.workDir().resolve("demo-study-uid"), demo.studyInstanceUid().value());
    }
}
