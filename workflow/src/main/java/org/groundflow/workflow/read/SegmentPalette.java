package org.groundflow.workflow.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.groundflow.inference.Finding;
import org.groundflow.inference.ModelCard;

/**
 * The display colour of each finding's segment: its label's colour from the model card, made lighter or darker for
 * the second, third... finding of the same label, so that two nodules can be told apart. The review UI colours a
 * finding's phrase and its overlay with the same colour.
 */
public final class SegmentPalette {

    /** Colour of a label the model card gives no colour for (Okabe-Ito vermillion). */
    static final int FALLBACK_RGB = 0xD55E00;

    /** Per finding of one label, in turn: positive mixes with white, negative with black, by that fraction. */
    private static final double[] SHADES = {0, 0.45, -0.4, 0.7, -0.6, 0.25, -0.2, 0.85};

    private SegmentPalette() {
    }

    /** The colour (0xRRGGBB) of each finding, keyed by finding number. */
    public static Map<Integer, Integer> colours(List<Finding> findings, ModelCard card) {
        List<Finding> ordered = new ArrayList<>(findings);
        ordered.sort((a, b) -> Integer.compare(a.number(), b.number()));
        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, Integer> colours = new HashMap<>();
        for (Finding finding : ordered) {
            int index = seen.merge(finding.label(), 1, Integer::sum) - 1;
            colours.put(finding.number(), shade(labelRgb(finding.label(), card), index));
        }
        return colours;
    }

    /** The {@code index}-th shade (0 = the colour itself) of {@code rgb}. */
    static int shade(int rgb, int index) {
        double amount = SHADES[index % SHADES.length];
        int target = amount >= 0 ? 255 : 0;
        double weight = Math.abs(amount);
        int red = mix((rgb >> 16) & 0xFF, target, weight);
        int green = mix((rgb >> 8) & 0xFF, target, weight);
        int blue = mix(rgb & 0xFF, target, weight);
        return (red << 16) | (green << 8) | blue;
    }

    /** {@code 0xRRGGBB} as CSS writes it: {@code #rrggbb}. */
    public static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xFFFFFF);
    }

    private static int labelRgb(String label, ModelCard card) {
        return card.labels().stream().filter(l -> l.name().equals(label)).findFirst()
                .filter(l -> l.color() != null && l.color().size() == 3)
                .map(l -> (channel(l.color().get(0)) << 16) | (channel(l.color().get(1)) << 8) | channel(l.color().get(2)))
                .orElse(FALLBACK_RGB);
    }

    private static int channel(Integer value) {
        return value == null ? 0 : Math.max(0, Math.min(255, value));
    }

    private static int mix(int channel, int target, double weight) {
        return (int) Math.round(channel + (target - channel) * weight);
    }
}
