package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.InterpretationResult;
import org.groundflow.inference.MaskCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/** Runs the model on a read's series and keeps the draft findings and their masks in the read store. */
@Service
public class ReadInterpretation {

    private static final Logger log = LoggerFactory.getLogger(ReadInterpretation.class);

    private final Interpreter interpreter;
    private final SourceVolumes volumes;
    private final ReadStore store;
    private final ObjectProvider<MeterRegistry> meters;

    public ReadInterpretation(Interpreter interpreter, SourceVolumes volumes, ReadStore store,
                              ObjectProvider<MeterRegistry> meters) {
        this.interpreter = interpreter;
        this.volumes = volumes;
        this.store = store;
        this.meters = meters;
    }

    public Interpretation interpret(String readId, Uid study) {
        ImageVolume volume = volumes.load(readId, study);
        long start = System.nanoTime();
        InterpretationResult result = interpreter.interpret(volume);
        MeterRegistry meters = this.meters.getIfAvailable();
        if (meters != null) {
            Timer.builder("groundflow.model.latency").description("whole interpretation of a series by the model")
                    .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        try {
            MaskCodec.write(result.masks(), store.masksFile(readId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the masks of read " + readId, e);
        }
        store.saveInterpretation(readId, result.interpretation());
        log.info("read {}: {} finding(s) in series {} ({} ms)", readId, result.interpretation().findings().size(),
                volume.seriesInstanceUid(), (System.nanoTime() - start) / 1_000_000);
        return result.interpretation();
    }
}
