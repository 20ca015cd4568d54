package org.groundflow.inference;

/**
 * Measurements of one segment, from the volume geometry.
 *
 * @param longestAxialDiameterMm longest in-plane diameter on any axial slice, in mm
 * @param volumeMl               segment volume in millilitres
 * @param meanIntensity          mean voxel value (HU for CT)
 */
public record Measurements(double longestAxialDiameterMm, double volumeMl, double meanIntensity) {
}
