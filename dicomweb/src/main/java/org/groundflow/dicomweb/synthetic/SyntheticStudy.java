package org.groundflow.dicomweb.synthetic;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.Uid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;

/**
 * The synthetic chest-abdomen CT of {@code inference/training/PHANTOM.md} as a series of CT Image Storage files. The demo
 * instance ({@link #demo()}, {@link #write(Path)}) is the same on every run: fixed lesions, fixed noise seed, UIDs
 * derived from fixed names. {@link #builder()} makes variants (slice count, matrix size, lesions, seed, a variant
 * name that gives the variant UIDs of its own). No patient data: the patient is "Groundflow^Demo".
 */
public final class SyntheticStudy {

    private static final Logger log = LoggerFactory.getLogger(SyntheticStudy.class);

    public static final String PATIENT_NAME = "Groundflow^Demo";
    public static final String PATIENT_ID = "GF-DEMO-0001";
    public static final String ACCESSION_NUMBER = "GFDEMO0001";
    public static final String STUDY_DESCRIPTION = "Synthetic chest CT (Groundflow demo)";
    public static final int DEMO_SLICES = 48;
    /** Rows and columns of the demo slices. */
    public static final int DEMO_SIZE = Phantom.SIZE;
    public static final double DEMO_Z0 = -60;
    public static final long DEMO_SEED = 20240611L;
    /** Nodule A (right lung), nodule B (left lung), the liver lesion, as PHANTOM.md fixes them. */
    public static final List<Lesion> DEMO_LESIONS = List.of(
            Lesion.nodule(-80, -20, 20, 9),
            Lesion.nodule(85, 30, 40, 6),
            Lesion.liverLesion(-60, 10, -40, 12));

    private static final SyntheticStudy DEMO = builder().build();
    public static final Uid STUDY_INSTANCE_UID = DEMO.studyInstanceUid();
    public static final Uid SERIES_INSTANCE_UID = DEMO.seriesInstanceUid();
    public static final Uid FRAME_OF_REFERENCE_UID = DEMO.frameOfReferenceUid();

    private final String variant;
    private final int slices;
    private final int size;
    private final double z0;
    private final List<Lesion> lesions;
    private final long seed;

    private SyntheticStudy(Builder builder) {
        this.variant = builder.variant;
        this.slices = builder.slices;
        this.size = builder.size;
        this.z0 = builder.z0;
        this.lesions = List.copyOf(builder.lesions);
        this.seed = builder.seed;
    }

    /** The fixed demo study: 48 slices from z = -60 mm, the three demo lesions. */
    public static SyntheticStudy demo() {
        return DEMO;
    }

    /** Writes the demo study into {@code directory}; see {@link #writeTo(Path)}. */
    public static List<Path> write(Path directory) {
        return DEMO.writeTo(directory);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a builder with this study's settings. */
    public Builder toBuilder() {
        return new Builder().variant(variant).slices(slices).size(size).z0(z0).lesions(lesions).seed(seed);
    }

    public Uid studyInstanceUid() {
        return derivedUid("study");
    }

    public Uid seriesInstanceUid() {
        return derivedUid("series");
    }

    public Uid frameOfReferenceUid() {
        return derivedUid("frame-of-reference");
    }

    /** SOP Instance UID of slice {@code k} (0-based, from the lowest z). */
    public Uid sopInstanceUid(int k) {
        Objects.checkIndex(k, slices);
        return derivedUid("instance-" + k);
    }

    public int slices() {
        return slices;
    }

    public int rows() {
        return size;
    }

    public int columns() {
        return size;
    }

    /** Row and column spacing (mm): the 384 mm field of view over {@link #columns()} pixels. */
    public double pixelSpacing() {
        return Phantom.pixelSpacing(size);
    }

    /** Patient x (and y) in mm of the centre of the first pixel of each slice. */
    public double origin() {
        return Phantom.origin(size);
    }

    /** Patient x (mm) of column {@code i}. */
    public double x(int i) {
        return origin() + pixelSpacing() * i;
    }

    /** Patient y (mm) of row {@code j}. */
    public double y(int j) {
        return origin() + pixelSpacing() * j;
    }

    public double z0() {
        return z0;
    }

    public List<Lesion> lesions() {
        return lesions;
    }

    /** Patient z (mm) of slice {@code k}. */
    public double z(int k) {
        return z0 + Phantom.SLICE_SPACING * k;
    }

    /** Noise-free HU at a patient position (mm, LPS). */
    public double expectedHu(double x, double y, double z) {
        return Phantom.hu(x, y, z, lesions);
    }

    /**
     * The voxels carrying a lesion label (1 nodule, 2 liver lesion), indexed like {@code ImageVolume}: {@code (k * rows + j) *
     * columns + i} with slices from the lowest z.
     */
    public BitSet labelMask(int label) {
        BitSet mask = new BitSet(slices * size * size);
        for (int k = 0; k < slices; k++) {
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    double x = x(i);
                    double y = y(j);
                    if (Phantom.inBody(x, y) && Phantom.label(x, y, z(k), lesions) == label) {
                        mask.set((k * size + j) * size + i);
                    }
                }
            }
        }
        return mask;
    }

    /**
     * Writes one CT Image Storage file per slice ({@code slice-001.dcm} ... from the lowest z) into
     * {@code directory}, created if needed.
     *
     * @return the files, in slice order
     */
    public List<Path> writeTo(Path directory) {
        Objects.requireNonNull(directory, "directory");
        List<Path> files = new ArrayList<>(slices);
        try {
            Files.createDirectories(directory);
            Random noise = new Random(seed);
            for (int k = 0; k < slices; k++) {
                AttributeList list = SyntheticSlice.attributes(this, k, pixels(k, noise));
                Path file = directory.resolve(String.format(Locale.ROOT, "slice-%03d.dcm", k + 1));
                SyntheticSlice.write(list, file);
                files.add(file);
            }
        } catch (IOException | DicomException e) {
            throw new DicomWebException("cannot write synthetic study into " + directory + ": " + e.getMessage(), e);
        }
        log.info("Wrote synthetic study {} ({} slices)", studyInstanceUid(), slices);
        return files;
    }

    /**
     * The voxels of an organ ({@code 3} lung, {@code 4} liver, as the demo model labels them), lesions not counted,
     * indexed like {@link #labelMask(int)}.
     */
    public BitSet anatomyMask(int label) {
        BitSet mask = new BitSet(slices * size * size);
        for (int k = 0; k < slices; k++) {
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    if (Phantom.anatomy(x(i), y(j), z(k)) == label) {
                        mask.set((k * size + j) * size + i);
                    }
                }
            }
        }
        return mask;
    }

    /** Stored values of slice k: HU + noise (inside the body) + 1024, rounded, clamped to 0..4095. */
    private short[] pixels(int k, Random noise) {
        short[] values = new short[size * size];
        double z = z(k);
        for (int j = 0; j < size; j++) {
            double y = y(j);
            for (int i = 0; i < size; i++) {
                double x = x(i);
                double hu = Phantom.hu(x, y, z, lesions);
                if (Phantom.inBody(x, y)) {
                    hu += noise.nextGaussian() * Phantom.NOISE_SIGMA;
                }
                long stored = Math.round(hu) - Phantom.RESCALE_INTERCEPT;
                values[j * size + i] = (short) Math.max(0, Math.min(4095, stored));
            }
        }
        return values;
    }

    String variant() {
        return variant;
    }

    /** 2.25 form of a name-based UUID: the same names give the same UID on every run. */
    private Uid derivedUid(String role) {
        String grid = size == Phantom.SIZE ? "" : "/" + size + "px";
        String name = "groundflow-phantom/" + variant + "/" + slices + grid + "/" + z0 + "/" + seed + "/" + lesions + "/" + role;
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        return Uid.of("2.25." + new BigInteger(1, bytes));
    }

    /** Variants of the phantom; defaults are the demo study. */
    public static final class Builder {
        private String variant = "demo";
        private int slices = DEMO_SLICES;
        private int size = Phantom.SIZE;
        private double z0 = DEMO_Z0;
        private List<Lesion> lesions = DEMO_LESIONS;
        private long seed = DEMO_SEED;

        private Builder() {
        }

        /** A name that, with the other settings, determines the UIDs: different names give different studies. */
        public Builder variant(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("variant must not be blank");
            }
            this.variant = name;
            return this;
        }

        public Builder slices(int count) {
            if (count < 1 || count > 1000) {
                throw new IllegalArgumentException("slices must be between 1 and 1000, got " + count);
            }
            this.slices = count;
            return this;
        }

        /**
         * Rows and columns of each slice (default 256); the field of view stays 384 mm, so the pixel spacing is
         * 384 / size mm. Other sizes give UIDs of their own.
         */
        public Builder size(int pixels) {
            if (pixels < 16 || pixels > 1024) {
                throw new IllegalArgumentException("size must be between 16 and 1024, got " + pixels);
            }
            this.size = pixels;
            return this;
        }

        /** z (mm) of the first slice. */
        public Builder z0(double z) {
            this.z0 = z;
            return this;
        }

        public Builder lesions(List<Lesion> list) {
            this.lesions = List.copyOf(Objects.requireNonNull(list, "lesions"));
            return this;
        }

        public Builder withoutLesions() {
            return lesions(List.of());
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public SyntheticStudy build() {
            return new SyntheticStudy(this);
        }
    }
}
