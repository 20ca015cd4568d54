package org.groundflow.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of a read, written from what the extractor measured and coded: where a finding lies, its sentence, the
 * phrase tied to its segment and the impression. Nothing reads codes back from these words.
 */
final class FindingWording {

    private FindingWording() {
    }

    /** "right", "left", "bilateral", or "midline" for a finding on neither side. */
    static String side(Laterality laterality) {
        return switch (laterality) {
            case RIGHT -> "right";
            case LEFT -> "left";
            case BILATERAL -> "bilateral";
            case NONE -> "midline";
        };
    }

    /** "upper", "middle" or "lower" by thirds of the scanned z extent (higher z is superior). */
    static String zone(double z, double zMin, double zMax) {
        if (zMax - zMin <= 0) {
            return "middle";
        }
        double f = (z - zMin) / (zMax - zMin);
        if (f > 2.0 / 3.0) {
            return "upper";
        }
        return f < 1.0 / 3.0 ? "lower" : "middle";
    }

    /** "right middle zone": the side and the zone. */
    static String location(Laterality laterality, String zone) {
        return side(laterality) + " " + zone + " zone";
    }

    /** "12 mm nodule": the part of the sentence that the segment grounds. */
    static String phrase(String label, double diameterMm) {
        return Math.max(1, Math.round(diameterMm)) + " mm " + label;
    }

    /** "A 12 mm nodule in the right middle zone (0.8 mL)." */
    static String sentence(String phrase, String location, double volumeMl) {
        String article = anBefore(phrase) ? "An " : "A ";
        return article + phrase + " in the " + location + " (" + millilitres(volumeMl) + ").";
    }

    static String millilitres(double volumeMl) {
        String format = volumeMl < 0.095 ? "%.2f mL" : "%.1f mL";
        return String.format(Locale.ROOT, format, volumeMl);
    }

    /**
     * "2 nodules and 1 cyst; see findings." or, with nothing found, "No nodule or cyst detected.".
     *
     * @param counts findings per label name, in the card's label order (zero counts included)
     */
    static String impression(Map<String, Integer> counts) {
        List<String> found = new ArrayList<>();
        counts.forEach((label, n) -> {
            if (n > 0) {
                found.add(n + " " + (n == 1 ? label : plural(label)));
            }
        });
        if (found.isEmpty()) {
            return "No " + join(new ArrayList<>(counts.keySet()), " or ") + " detected.";
        }
        return join(found, " and ") + "; see findings.";
    }

    private static String join(List<String> parts, String last) {
        if (parts.size() <= 1) {
            return parts.isEmpty() ? "" : parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + last + parts.get(parts.size() - 1);
    }

    private static String plural(String noun) {
        boolean sibilant = noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") || noun.endsWith("sh");
        return noun + (sibilant ? "es" : "s");
    }

    /** English says "an 8 mm", "an 11 mm", "an 18 mm", "an 80 mm". */
    private static boolean anBefore(String phrase) {
        String number = phrase.substring(0, phrase.indexOf(' '));
        return number.startsWith("8") || number.equals("11") || number.equals("18");
    }
}
