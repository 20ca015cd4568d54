package org.groundflow.workflow.intake;

import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * The intake's configuration as the {@code study-intake} process model names it: {@code ${intakeSchedule.cycle}}
 * for its timer, {@code ${intakeSchedule.modality}} and the like as defaults of the find step's inputs. Checked at
 * startup, so a bad filter in the configuration stops the application instead of failing every pass.
 */
@Component("intakeSchedule")
public class IntakeSchedule {

    private final IntakeProperties properties;
    private final IntakeFilter filter;

    public IntakeSchedule(IntakeProperties properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
        if (properties.cycle() == null || properties.cycle().isBlank()) {
            throw new IllegalArgumentException("groundflow.intake.cycle is required (e.g. R/PT1M), got: '"
                    + properties.cycle() + "'");
        }
        try {
            this.filter = IntakeFilter.parse(properties.modality(), properties.bodyPart(), properties.station(),
                    properties.stableFor() == null ? null : properties.stableFor().toString(), properties.lookBack());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("groundflow.intake: " + e.getMessage(), e);
        }
    }

    public boolean isEnabled() {
        return properties.enabled();
    }

    public String getCycle() {
        return properties.cycle().strip();
    }

    /** The configured filter, the same as the process's inputs give when left at their defaults. */
    public IntakeFilter filter() {
        return filter;
    }

    public String getModality() {
        return filter.modality();
    }

    public String getBodyPart() {
        return filter.bodyPart();
    }

    public String getStation() {
        return filter.station();
    }

    /** ISO 8601 duration, e.g. PT2M. */
    public String getStableFor() {
        return filter.stableFor().toString();
    }

    /** ISO 8601 period, e.g. P1D; empty for no date limit. */
    public String getLookBack() {
        return filter.lookBack().map(Object::toString).orElse("");
    }
}
