package org.groundflow.dicomweb.sr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;

/**
 * One numeric measurement of a segment (TID 1419 row "Measurement"): what was measured, the value in a UCUM unit,
 * and how it was derived (e.g. the mean over the segment), if at all. The value is kept as DICOM stores it (a
 * decimal string of at most 16 characters, 10 significant digits), so a report read back compares equal.
 *
 * @param derivation a modifier from CID 7464 such as {@link ReportCodes#MEAN}; null when none
 */
public record Measurement(CodedConcept concept, double value, CodedConcept unit, CodedConcept derivation) {

    private static final MathContext SIGNIFICANT = new MathContext(10);

    public Measurement {
        Objects.requireNonNull(concept, "concept");
        Objects.requireNonNull(unit, "unit");
        if (!"UCUM".equals(unit.scheme())) {
            throw new IllegalArgumentException("unit of " + concept.meaning() + " must be a UCUM code, got scheme "
                    + unit.scheme() + " (" + unit.value() + ")");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(concept.meaning() + " must be a finite number, got " + value);
        }
        value = Double.parseDouble(decimalString(value));
    }

    /** Longest in-plane diameter in millimetres. */
    public static Measurement longAxisMm(double millimetres) {
        return new Measurement(ReportCodes.LONG_AXIS, millimetres, ReportCodes.MILLIMETRE, null);
    }

    /** Volume of the segment in millilitres. */
    public static Measurement volumeMl(double millilitres) {
        return new Measurement(ReportCodes.VOLUME, millilitres, ReportCodes.MILLILITRE, null);
    }

    /** Mean attenuation over the segment in Hounsfield units. */
    public static Measurement meanAttenuationHu(double hounsfieldUnits) {
        return new Measurement(ReportCodes.ATTENUATION_COEFFICIENT, hounsfieldUnits, ReportCodes.HOUNSFIELD_UNIT,
                ReportCodes.MEAN);
    }

    /** The model's confidence in the finding (0..1), the mean probability of its label over the segment. */
    public static Measurement modelConfidence(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("model confidence must be in 0..1, got " + probability);
        }
        return new Measurement(ReportCodes.MODEL_CONFIDENCE, probability, ReportCodes.UNITY, ReportCodes.MEAN);
    }

    /** The value as a DICOM DS: plain notation, 10 significant digits, at most 16 characters. */
    public String decimalString() {
        return decimalString(value);
    }

    static String decimalString(double value) {
        BigDecimal rounded = new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros();
        String text = rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
        if (text.length() > 16) {
            text = String.format(java.util.Locale.ROOT, "%.9E", value).replace("E+", "E");
        }
        return text.equals("-0") ? "0" : text;
    }
}
