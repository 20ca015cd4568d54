package org.groundflow.workflow.read;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.InterpretationResult;
import org.groundflow.inference.Interpreter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Runs the model on a read's series and answers the draft: findings, masks and the series' geometry. Where the draft
 * is kept is the caller's matter (it is handed to the engine with the interpretation task's completion), so this runs
 * alike in the engine's application and in a worker process without a database.
 */
@Service
public class ReadInterpretation {

    private static final Logger log = LoggerFactory.getLogger(ReadInterpretation.class);

    private final Interpreter interpreter;
    private final SourceVolumes volumes;
    private final ObjectProvider<MeterRegistry> meters;

    public ReadInterpretation(Interpreter interpreter, SourceVolumes volumes, ObjectProvider<MeterRegistry> meters) {
        this.interpreter = interpreter;
        this.volumes = volumes;
        this.meters = meters;
    }

    public Draft interpret(ReadSeries series) {
        ImageVolume volume = volumes.load(series);
        long start = System.nanoTime();
        InterpretationResult result = interpreter.interpret(volume);
        MeterRegistry meters = this.meters.getIfAvailable();
        if (meters != null) {
            Timer.builder("groundflow.model.latency").description("whole interpretation of a series by the model")
                    .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        log.info("read {}: {} finding(s) in series {} ({} ms)", series.readId(),
                result.interpretation().findings().size(), volume.seriesInstanceUid(),
                (System.nanoTime() - start) / 1_000_000);
        return new Draft(result.interpretation(), result.masks(), volume.geometry());
    }
}
