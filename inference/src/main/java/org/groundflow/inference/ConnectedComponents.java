package org.groundflow.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** 3D connected components of one label in a label volume, 26-connected (voxels touching by a face, edge or corner). */
final class ConnectedComponents {

    private ConnectedComponents() {
    }

    /**
     * Components of voxels with {@code label}, each as its ascending voxel indices ({@code (z * rows + y) * columns + x}),
     * in order of their first voxel.
     */
    static List<int[]> of(byte[] labels, int columns, int rows, int slices, int label) {
        return of(labels, columns, rows, slices, new int[] {label}).get(0);
    }

    /**
     * The components of each of {@code values} (distinct labels), in that order, from one pass over the volume: as
     * {@link #of(byte[], int, int, int, int)} gives them label by label.
     */
    static List<List<int[]>> of(byte[] labels, int columns, int rows, int slices, int[] values) {
        if (labels.length != (long) columns * rows * slices) {
            throw new IllegalArgumentException("label count " + labels.length + " does not match "
                    + columns + "x" + rows + "x" + slices);
        }
        List<List<int[]>> components = new ArrayList<>();
        int[] slotOf = new int[256]; // by byte value + 128: the index in values, else -1
        Arrays.fill(slotOf, -1);
        for (int i = 0; i < values.length; i++) {
            components.add(new ArrayList<>());
            if (values[i] < Byte.MIN_VALUE || values[i] > Byte.MAX_VALUE) {
                continue; // no voxel has it
            }
            if (slotOf[values[i] + 128] >= 0) {
                throw new IllegalArgumentException("values must be distinct, got " + Arrays.toString(values));
            }
            slotOf[values[i] + 128] = i;
        }
        BitSet seen = new BitSet(labels.length);
        int[] queue = new int[64];
        int perSlice = columns * rows;
        for (int start = 0; start < labels.length; start++) {
            int slot = slotOf[labels[start] + 128];
            if (slot < 0 || seen.get(start)) {
                continue;
            }
            byte label = labels[start];
            seen.set(start);
            queue[0] = start;
            int head = 0;
            int tail = 1;
            while (head < tail) {
                int v = queue[head++];
                int z = v / perSlice;
                int y = (v % perSlice) / columns;
                int x = v % columns;
                for (int dz = -1; dz <= 1; dz++) {
                    int nz = z + dz;
                    if (nz < 0 || nz >= slices) {
                        continue;
                    }
                    for (int dy = -1; dy <= 1; dy++) {
                        int ny = y + dy;
                        if (ny < 0 || ny >= rows) {
                            continue;
                        }
                        for (int dx = -1; dx <= 1; dx++) {
                            int nx = x + dx;
                            if (nx < 0 || nx >= columns) {
                                continue;
                            }
                            int n = (nz * rows + ny) * columns + nx;
                            if (labels[n] == label && !seen.get(n)) {
                                seen.set(n);
                                if (tail == queue.length) {
                                    queue = Arrays.copyOf(queue, queue.length * 2);
                                }
                                queue[tail++] = n;
                            }
                        }
                    }
                }
            }
            int[] component = Arrays.copyOf(queue, tail);
            Arrays.sort(component);
            components.get(slot).add(component);
        }
        return components;
    }
}
