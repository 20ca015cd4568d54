package org.groundflow.workflow.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.dicomweb.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With {@code groundflow.demo.enabled=true} (as {@code deploy/run.sh} starts it): stores the synthetic demo study in
 * the PACS unless it is there already, and writes its Study Instance UID to {@code <work-dir>/demo-study-uid}.
 */
@Component
@ConditionalOnProperty(name = "groundflow.demo.enabled", havingValue = "true")
public class DemoStudyLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoStudyLoader.class);

    private final DicomWebClient pacs;
    private final GroundflowProperties properties;

    public DemoStudyLoader(DicomWebClient pacs, GroundflowProperties properties) {
        this.pacs = pacs;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
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
