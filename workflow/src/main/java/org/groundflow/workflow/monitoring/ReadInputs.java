package org.groundflow.workflow.monitoring;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.AcquisitionHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the model is given, kept for the AI monitoring's input drift (table {@code GF_READ_INPUT}, migration V12): the
 * scanner, body part, pixel spacing and slice thickness of the series a read retrieved, from one instance's header
 * ({@link AcquisitionHeader}). Monitoring never stops a read: a header that cannot be read is logged and skipped.
 */
@Component
public class ReadInputs {

    private static final Logger log = LoggerFactory.getLogger(ReadInputs.class);

    private final JdbcTemplate jdbc;

    public ReadInputs(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /**
     * Records the series of read {@code readId}, retrieved at {@code at}, as {@code instance} (one of its files)
     * describes it; replaces what an earlier retrieval of the read recorded.
     */
    public void record(String readId, Uid series, Path instance, Instant at) {
        AcquisitionHeader header;
        try {
            header = AcquisitionHeader.read(instance);
        } catch (RuntimeException e) {
            log.warn("read {}: series {} not recorded for the AI monitoring: {}", readId, series, e.getMessage());
            return;
        }
        record(readId, series, header, at);
    }

    /** Records the series of read {@code readId} as {@code header} describes it. */
    public void record(String readId, Uid series, AcquisitionHeader header, Instant at) {
        Object[] values = {series.value(), SignOffOutcomes.utc(at), text(header.manufacturer(), 64),
                text(header.scannerModel(), 64), text(header.bodyPart(), 16), number(header.pixelSpacing()),
                number(header.sliceThickness()), readId};
        if (jdbc.update("UPDATE GF_READ_INPUT SET SERIES_UID = ?, RETRIEVED_AT = ?, MANUFACTURER = ?, SCANNER_MODEL = ?,"
                + " BODY_PART = ?, PIXEL_SPACING = ?, SLICE_THICKNESS = ? WHERE READ_ID = ?", values) == 0) {
            jdbc.update("INSERT INTO GF_READ_INPUT (SERIES_UID, RETRIEVED_AT, MANUFACTURER, SCANNER_MODEL, BODY_PART,"
                    + " PIXEL_SPACING, SLICE_THICKNESS, READ_ID) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values);
        }
    }

    private static String text(String value, int length) {
        return value.isEmpty() ? null : SignOffOutcomes.clip(value, length);
    }

    private static Double number(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
