package org.groundflow.inference;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * The organs a label map shows (labels of kind anatomy) and where the patient's midline is: what gives a finding its
 * site and its side. The site of a segment is the anatomy label most present in a shell {@value #SHELL_VOXELS}
 * voxels wide around it (ties: the lower label value). The midline is the mean patient x of the lungs where the map
 * shows lungs or other anatomy, else of the body (voxels above {@value #BODY_HU} HU), else x = 0.
 */
final class Anatomy {

    static final int SHELL_VOXELS = 2;
    static final float BODY_HU = -500f;

    private final ImageVolume volume;
    private final LabelMap map;
    private final ModelCard card;
    private final boolean present;
    private final double midlineX;

    private Anatomy(ImageVolume volume, LabelMap map, ModelCard card) {
        this.volume = volume;
        this.map = map;
        this.card = card;
        BitSet anatomy = new BitSet(128);
        card.anatomyLabels().forEach(l -> anatomy.set(l.value()));
        BitSet lungs = new BitSet(128);
        card.anatomyLabels().stream().filter(l -> l.name().toLowerCase(java.util.Locale.ROOT).contains("lung"))
                .forEach(l -> lungs.set(l.value()));
        boolean any = false;
        for (byte label : map.labels()) {
            if (anatomy.get(label & 0xff)) {
                any = true;
                break;
            }
        }
        this.present = any;
        BitSet centreOf = !lungs.isEmpty() && any ? lungs : anatomy;
        double x = any ? meanX(centreOf) : Double.NaN;
        if (Double.isNaN(x)) {
            x = meanXOfBody();
        }
        this.midlineX = Double.isNaN(x) ? 0 : x;
    }

    static Anatomy of(ImageVolume volume, LabelMap map, ModelCard card) {
        return new Anatomy(volume, map, card);
    }

    /** Whether the map shows any organ of the card (a card without anatomy labels, or a model server's map: no). */
    boolean present() {
        return present;
    }

    /** Patient x (mm) of the patient's midline. */
    double midlineX() {
        return midlineX;
    }

    /** The anatomy label most present in the shell around the segment; empty when none is. */
    Optional<ModelCard.Label> site(int[] voxels) {
        if (!present) {
            return Optional.empty();
        }
        int columns = volume.columns();
        int rows = volume.rows();
        int slices = volume.slices();
        BitSet members = new BitSet(map.voxelCount());
        for (int v : voxels) {
            members.set(v);
        }
        BitSet seen = new BitSet(map.voxelCount());
        Map<Integer, Integer> counts = new HashMap<>();
        for (int v : voxels) {
            int x = v % columns;
            int y = (v / columns) % rows;
            int z = v / (columns * rows);
            for (int dz = -SHELL_VOXELS; dz <= SHELL_VOXELS; dz++) {
                for (int dy = -SHELL_VOXELS; dy <= SHELL_VOXELS; dy++) {
                    for (int dx = -SHELL_VOXELS; dx <= SHELL_VOXELS; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        int nz = z + dz;
                        if (nx < 0 || ny < 0 || nz < 0 || nx >= columns || ny >= rows || nz >= slices) {
                            continue;
                        }
                        int n = (nz * rows + ny) * columns + nx;
                        if (!members.get(n) && !seen.get(n)) {
                            seen.set(n);
                            int label = map.labels()[n] & 0xff;
                            card.label(label).filter(ModelCard.Label::anatomy)
                                    .ifPresent(l -> counts.merge(l.value(), 1, Integer::sum));
                        }
                    }
                }
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue()
                        .thenComparing(Map.Entry.<Integer, Integer>comparingByKey().reversed()))
                .flatMap(e -> card.label(e.getKey()));
    }

    /** Mean patient x of the voxels whose label (0..255) is in {@code labels}; NaN when there are none. */
    private double meanX(BitSet labels) {
        boolean[] member = new boolean[256];
        labels.stream().filter(l -> l < 256).forEach(l -> member[l] = true);
        byte[] values = map.labels();
        return meanX(v -> member[values[v] & 0xff]);
    }

    /** Mean patient x of the body (voxels above {@value #BODY_HU} HU); NaN when there are none. */
    private double meanXOfBody() {
        float[] values = volume.voxels();
        return meanX(v -> values[v] > BODY_HU);
    }

    /** Mean patient x of the voxels (by index in the volume's voxel order) {@code inside} accepts; NaN when none. */
    private double meanX(IntPredicate inside) {
        int columns = volume.columns();
        int rows = volume.rows();
        long sx = 0;
        long sy = 0;
        long sz = 0;
        long n = 0;
        for (int z = 0, v = 0; z < volume.slices(); z++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < columns; x++, v++) {
                    if (inside.test(v)) {
                        sx += x;
                        sy += y;
                        sz += z;
                        n++;
                    }
                }
            }
        }
        return meanX(sx, sy, sz, n);
    }

    /** Patient x of the mean voxel position (sums of column, row and slice indices of n voxels). */
    private double meanX(long sx, long sy, long sz, long n) {
        if (n == 0) {
            return Double.NaN;
        }
        return volume.patientPosition((double) sx / n, (double) sy / n, (int) Math.round((double) sz / n))[0];
    }
}
