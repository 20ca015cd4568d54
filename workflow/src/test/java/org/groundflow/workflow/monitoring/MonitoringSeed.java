package org.groundflow.workflow.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.AcquisitionHeader;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.Decision;
import org.groundflow.review.FindingDecision;
import org.groundflow.review.Review;
import org.groundflow.review.SignOff;

/**
 * Sign-offs and retrieved series of known figures, recorded through {@link SignOffOutcomes} and {@link ReadInputs}.
 * Model {@code seed-TAG} signs four reads in the week from {@code weekStart} and one ten days before it:
 * <pre>
 * read  version  task created → signed          findings (label decision)                  series retrieved
 * 1     1.0      day 1 09:50 → 10:00 (600 s)    nodule accept, nodule reject, cyst edit      GE LightSpeed-TAG, CHEST, 0.7 mm, 1.25 mm
 * 2     1.0      day 2 09:40 → 10:00 (1200 s)   nodule accept, cyst accept                   GE LightSpeed-TAG, CHEST, 0.8 mm, 1.25 mm
 * 3     1.0      day 2 11:30 → 12:00 (1800 s)   none                                         Siemens Force-TAG, ABDOMEN, 0.6 mm, 3 mm
 * 4     2.0      day 3 09:59 → 10:00 (60 s)     nodule reject, reject, accept, edit          nothing stated but a 5 mm thickness
 * 5     2.0      day -10 09:00 → 09:05 (300 s)  nodule accept                                Philips Ingenuity-TAG, CHEST, 1 mm, 2 mm
 * </pre>
 */
public final class MonitoringSeed {

    public static final String VERSION_1 = "1.0";
    public static final String VERSION_2 = "2.0";

    private static final CodedConcept NODULE = CodedConcept.sct("27925004", "Nodule");
    private static final CodedConcept CYST = CodedConcept.sct("441457006", "Cyst");

    private MonitoringSeed() {
    }

    /** The model name of the seed tagged {@code tag}. */
    public static String model(String tag) {
        return "seed-" + tag;
    }

    /** The week the seed's first four reads lie in. */
    public static TimeRange week(Instant weekStart) {
        return new TimeRange(weekStart, weekStart.plus(Duration.ofDays(7)));
    }

    /** Records the seed; {@code weekStart} is a UTC midnight. */
    public static void seed(SignOffOutcomes outcomes, ReadInputs inputs, String tag, Instant weekStart) {
        Instant day1 = weekStart.plus(Duration.ofDays(1));
        Instant day2 = weekStart.plus(Duration.ofDays(2));
        Instant day3 = weekStart.plus(Duration.ofDays(3));
        Instant before = weekStart.minus(Duration.ofDays(10));
        String model = model(tag);
        sign(outcomes, model, VERSION_1, at(day1, "09:50"), at(day1, "10:00"), "nodule accept", "nodule reject", "cyst edit");
        sign(outcomes, model, VERSION_1, at(day2, "09:40"), at(day2, "10:00"), "nodule accept", "cyst accept");
        sign(outcomes, model, VERSION_1, at(day2, "11:30"), at(day2, "12:00"));
        sign(outcomes, model, VERSION_2, at(day3, "09:59"), at(day3, "10:00"), "nodule reject", "nodule reject",
                "nodule accept", "nodule edit");
        sign(outcomes, model, VERSION_2, at(before, "09:00"), at(before, "09:05"), "nodule accept");
        retrieved(inputs, at(day1, "09:00"), "GE", "LightSpeed-" + tag, "chest", 0.7, 1.25);
        retrieved(inputs, at(day2, "09:00"), "GE", "LightSpeed-" + tag, "CHEST", 0.8, 1.25);
        retrieved(inputs, at(day2, "11:00"), "Siemens", "Force-" + tag, "ABDOMEN", 0.6, 3.0);
        retrieved(inputs, at(day3, "09:00"), "", "", "", null, 5.0);
        retrieved(inputs, at(before, "08:00"), "Philips", "Ingenuity-" + tag, "CHEST", 1.0, 2.0);
    }

    private static Instant at(Instant day, String time) {
        return Instant.parse(day.toString().substring(0, 10) + "T" + time + ":00Z");
    }

    /** One read of {@code model} {@code version}, its findings given as "label decision". */
    private static void sign(SignOffOutcomes outcomes, String model, String version, Instant created, Instant signed,
                             String... findings) {
        String readId = UUID.randomUUID().toString();
        List<Finding> draft = new ArrayList<>();
        List<FindingDecision> decisions = new ArrayList<>();
        for (int n = 1; n <= findings.length; n++) {
            String[] parts = findings[n - 1].split(" ");
            String text = "A " + parts[0] + " seen by the model, number " + n + ".";
            draft.add(new Finding(n, parts[0], parts[0].equals("cyst") ? CYST : NODULE, text, parts[0], n, 0.8, null,
                    "right middle zone", null, null));
            decisions.add(new FindingDecision(n, Decision.parse(parts[1]),
                    parts[1].equals("edit") ? "Reworded by the radiologist, number " + n + "." : null));
        }
        Interpretation interpretation = new Interpretation(Uid.of("2.25." + Math.abs(readId.hashCode())),
                Uid.of("2.25.1" + Math.abs(readId.hashCode())), new ModelIdentity(model, version, Uid.of("2.25.77"),
                "Groundflow"), draft, "Seeded impression.");
        SignOff signOff = Review.sign(readId, interpretation, decisions, "Seeded impression.", "seed-radiologist", signed);
        outcomes.record(signOff, created);
    }

    private static void retrieved(ReadInputs inputs, Instant at, String manufacturer, String scannerModel,
                                  String bodyPart, Double spacing, Double thickness) {
        inputs.record(UUID.randomUUID().toString(), Uid.of("2.25.9" + Math.abs(at.hashCode())), new AcquisitionHeader(
                manufacturer, scannerModel, bodyPart, spacing == null ? OptionalDouble.empty() : OptionalDouble.of(spacing),
                thickness == null ? OptionalDouble.empty() : OptionalDouble.of(thickness)), at);
    }
}
