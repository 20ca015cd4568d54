package org.groundflow.dicomweb.seg;

import com.pixelmed.utils.ColorUtilities;

/** An sRGB display colour, 0..255 per channel; DICOM stores it as scaled CIELab (PCS). */
public record RgbColour(int red, int green, int blue) {

    public RgbColour {
        requireChannel("red", red);
        requireChannel("green", green);
        requireChannel("blue", blue);
    }

    /** Recommended Display CIELab Value (0062,000D): L*, a*, b* scaled to 0..65535 as PS3.3 C.10.7.1.1 says. */
    public int[] toCieLab() {
        return ColorUtilities.getIntegerScaledCIELabPCSFromSRGB(new int[] {red, green, blue});
    }

    /** The nearest sRGB colour of a scaled CIELab value. */
    public static RgbColour fromCieLab(int[] scaledLab) {
        if (scaledLab == null || scaledLab.length != 3) {
            throw new IllegalArgumentException("scaledLab must have 3 values");
        }
        int[] rgb = ColorUtilities.getSRGBFromIntegerScaledCIELabPCS(scaledLab);
        return new RgbColour(clamp(rgb[0]), clamp(rgb[1]), clamp(rgb[2]));
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static void requireChannel(String name, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(name + " must be 0..255, got " + value);
        }
    }
}
