package org.groundflow.workflow.read;

import java.util.Arrays;
import java.util.Locale;

/** The intensity windows (HU) the review UI shows CT slices in. */
public enum DisplayWindow {
    /** Lung window: centre -600 HU, width 1500 HU. */
    LUNG(-600, 1500),
    /** Soft-tissue (mediastinal) window: centre 40 HU, width 400 HU. */
    SOFT(40, 400);

    private final double center;
    private final double width;
    /** Grey level of every 16-bit HU value, indexed by {@code hu + 32768}. */
    private final byte[] greyLevels;

    DisplayWindow(double center, double width) {
        this.center = center;
        this.width = width;
        this.greyLevels = new byte[1 << 16];
        double lower = center - width / 2;
        for (int i = 0; i < greyLevels.length; i++) {
            double level = (i - 32768 - lower) * 255.0 / width;
            greyLevels[i] = (byte) Math.round(Math.max(0, Math.min(255, level)));
        }
    }

    public double center() {
        return center;
    }

    public double width() {
        return width;
    }

    /** The grey level (0..255, as an unsigned byte) of {@code hu}. */
    byte grey(short hu) {
        return greyLevels[hu + 32768];
    }

    /** The name the API uses: {@code lung} or {@code soft}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DisplayWindow parse(String name) {
        for (DisplayWindow window : values()) {
            if (window.key().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return window;
            }
        }
        throw new IllegalArgumentException("window must be one of "
                + Arrays.stream(values()).map(DisplayWindow::key).toList() + ", got '" + name + "'");
    }
}
