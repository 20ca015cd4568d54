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
        if (labels.length != (long) columns * rows * slices) {
            throw new IllegalArgumentException("label count " + labels.length + " does not match "
                    + columns + "x" + rows + "x" + slices);
        }
        BitSet seen = new BitSet(labels.length);
        List<int[]> components = new ArrayList<>();
        int[] queue = new int[64];
        int perSlice = columns * rows;
        for (int start = 0; start < labels.length; start++) {
            if (labels[start] != label || seen.get(start)) {
                continue;
            }
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
            components.add(component);
        }
        return components;
    }
}
