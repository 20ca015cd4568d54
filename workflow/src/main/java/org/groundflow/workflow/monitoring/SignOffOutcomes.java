package org.groundflow.workflow.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.groundflow.inference.Finding;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What radiologists made of the model's drafts, kept for the AI monitoring (tables {@code GF_AI_SIGNOFF} and
 * {@code GF_AI_FINDING}, migration V12): per read, the model that drafted it, the time from the review task's creation
 * to the sign-off, and the decision on each draft finding with the finding's label. Only a read's first sign-off
 * counts: it is the radiologist's answer to the model's draft; a later amendment of the report is not.
 */
@Component
public class SignOffOutcomes {

    /** The decisions on a draft finding, as the monitoring counts them. */
    public static final String ACCEPT = "accept";
    public static final String EDIT = "edit";
    public static final String REJECT = "reject";

    static final int MODEL_NAME_LENGTH = 128;
    static final int MODEL_VERSION_LENGTH = 64;
    static final int LABEL_LENGTH = 64;

    private final JdbcTemplate jdbc;

    public SignOffOutcomes(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /**
     * Records the sign-off of a read whose review task was created at {@code taskCreatedAt}; joins the caller's
     * transaction, so it commits with the sign-off. A read that has a recorded sign-off keeps it.
     *
     * @return whether the sign-off was recorded (false: the read had one)
     */
    public boolean record(SignOff signOff, Instant taskCreatedAt) {
        Objects.requireNonNull(taskCreatedAt, "taskCreatedAt");
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM GF_AI_SIGNOFF WHERE READ_ID = ?", Integer.class,
                signOff.readId());
        if (known != null && known > 0) {
            return false;
        }
        ModelIdentity model = signOff.interpretation().model();
        long millis = Math.max(0, Duration.between(taskCreatedAt, signOff.signedAt()).toMillis());
        jdbc.update("INSERT INTO GF_AI_SIGNOFF (READ_ID, MODEL_NAME, MODEL_VERSION, TASK_CREATED_AT, SIGNED_AT,"
                        + " SIGN_MILLIS, FINDINGS) VALUES (?, ?, ?, ?, ?, ?, ?)", signOff.readId(),
                clip(model.name(), MODEL_NAME_LENGTH), clip(model.version(), MODEL_VERSION_LENGTH), utc(taskCreatedAt),
                utc(signOff.signedAt()), millis, signOff.interpretation().findings().size());
        List<Object[]> rows = new ArrayList<>();
        for (Finding finding : signOff.interpretation().findings()) {
            rows.add(new Object[] {signOff.readId(), finding.number(), clip(finding.label(), LABEL_LENGTH),
                    decision(signOff, finding)});
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO GF_AI_FINDING (READ_ID, FINDING, LABEL, DECISION) VALUES (?, ?, ?, ?)", rows);
        }
        return true;
    }

    /** {@link #ACCEPT}, {@link #EDIT} or {@link #REJECT}: what the sign-off did with a draft finding. */
    public static String decision(SignOff signOff, Finding finding) {
        SignedFinding kept = signOff.kept().stream().filter(k -> k.finding().number() == finding.number())
                .findFirst().orElse(null);
        return kept == null ? REJECT : kept.edited() ? EDIT : ACCEPT;
    }

    static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
