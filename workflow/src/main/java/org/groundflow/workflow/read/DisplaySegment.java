package org.groundflow.workflow.read;

/**
 * Where a finding's segment lies in its volume, for the review UI: its colour, the slices it spans and the slice to
 * jump to. Indices are 0-based voxel indices of the volume (x = column, y = row, z = slice from the first slice).
 *
 * @param finding       the finding's number
 * @param segmentNumber the segment that grounds the finding
 * @param label         the model's label name
 * @param colour        display colour as {@code #rrggbb}; the overlay draws the segment in exactly this colour
 * @param firstSlice    lowest slice with a voxel of the segment
 * @param lastSlice     highest slice with a voxel of the segment
 * @param centroidSlice slice nearest the segment's centroid that holds a voxel of it
 * @param centroidColumn x of the centroid of the segment's voxels on {@code centroidSlice}
 * @param centroidRow    y of the centroid of the segment's voxels on {@code centroidSlice}
 * @param minColumn     bounding box over all slices
 * @param voxelCount    number of voxels
 */
public record DisplaySegment(int finding, int segmentNumber, String label, String colour,
                             int firstSlice, int lastSlice, int centroidSlice, int centroidColumn, int centroidRow,
                             int minColumn, int maxColumn, int minRow, int maxRow, long voxelCount) {
}
