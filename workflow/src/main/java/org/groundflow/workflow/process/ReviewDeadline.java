package org.groundflow.workflow.process;

import java.time.Clock;
import java.util.Date;
import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.stereotype.Component;

/** Due date and escalation delay of review tasks, named in the process model as {@code ${reviewDeadline.…}}. */
@Component("reviewDeadline")
public class ReviewDeadline {

    private final GroundflowProperties.Review review;
    private final Clock clock;

    public ReviewDeadline(GroundflowProperties properties) {
        this.review = properties.review();
        this.clock = Clock.systemUTC();
    }

    /** When a review created now is due. */
    public Date getDueDate() {
        return Date.from(clock.instant().plus(review.due()));
    }

    /** The boundary timer's duration, ISO 8601 (e.g. PT24H). */
    public String getEscalateAfter() {
        return review.escalateAfter().toString();
    }
}
