package org.groundflow.dicomweb.seg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TransferSyntax;

/**
 * A DICOM Segmentation (Segmentation Storage, BINARY) of a series ({@link VolumeGeometry}: its geometry is enough, no
 * pixel values are needed), made in one call: patient, study
 * and frame of reference come from the source, so they cannot mismatch.
 *
 * <pre>{@code
 * Segmentation seg = Segmentation.builder(volume)
 *         .seriesInstanceUid(seriesUid).sopInstanceUid(sopUid).seriesNumber(300)
 *         .algorithm("groundflow-demo-unet", "1.0.0", "Groundflow", deviceUid)
 *         .segments(List.of(new SegmentDescription(1, "Nodule", SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
 *                 SegmentCodes.NODULE, SegmentAlgorithmType.AUTOMATIC, new RgbColour(230, 159, 0))),
 *                 List.of(VoxelMask.on(volume, noduleVoxels)))
 *         .build();
 * seg.write(file);
 * }</pre>
 *
 * BINARY, one frame per (segment, source slice) where the segment's mask is not empty, each with its plane position
 * and a reference to its source image; the algorithm is named in every segment and, as IHE AI Results asks, in the
 * Contributing Equipment. {@link Builder#build()} refuses masks off the source grid, in another frame of reference,
 * empty masks and an empty segment list, naming the segment and the values.
 */
public final class Segmentation {

    /** Segmentation Storage. */
    public static final Uid SOP_CLASS_UID = Uid.of(com.pixelmed.dicom.SOPClass.SegmentationStorage);

    private final Uid sopInstanceUid;
    private final Uid seriesInstanceUid;
    private final Uid studyInstanceUid;
    private final List<SegmentDescription> segments;
    private final int frameCount;
    private final AttributeList dataSet;

    private Segmentation(Builder builder, AttributeList dataSet, int frameCount) {
        this.sopInstanceUid = builder.sopInstanceUid;
        this.seriesInstanceUid = builder.seriesInstanceUid;
        this.studyInstanceUid = builder.source.studyInstanceUid();
        this.segments = builder.segments.stream().map(SegmentMask::description).toList();
        this.frameCount = frameCount;
        this.dataSet = dataSet;
    }

    public static Builder builder(VolumeGeometry source) {
        return new Builder(source);
    }

    /** As {@link #builder(VolumeGeometry)}, on a decoded volume's geometry. */
    public static Builder builder(ImageVolume source) {
        return builder(Objects.requireNonNull(source, "source").geometry());
    }

    public Uid sopInstanceUid() {
        return sopInstanceUid;
    }

    public Uid seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public Uid studyInstanceUid() {
        return studyInstanceUid;
    }

    public List<SegmentDescription> segments() {
        return segments;
    }

    public int frameCount() {
        return frameCount;
    }

    /** The Part 10 file (Explicit VR Little Endian). */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTo(out);
        return out.toByteArray();
    }

    /** Writes the Part 10 file, creating parent directories. @return the file */
    public Path write(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                writeTo(out);
            }
        } catch (IOException e) {
            throw new DicomWebException("cannot write segmentation " + sopInstanceUid + " to " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private void writeTo(OutputStream out) {
        try {
            dataSet.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (IOException | DicomException e) {
            throw new DicomWebException("cannot encode segmentation " + sopInstanceUid + ": " + e.getMessage(), e);
        }
    }

    /**
     * A segment and its mask, bit {@code (z * rows + y) * columns + x} of the source volume.
     *
     * @param declared the mask's own grid and frame of reference when the caller gave them, else null
     */
    record SegmentMask(SegmentDescription description, BitSet mask, VoxelMask declared) {
    }

    /** Collects the parts of a Segmentation; {@link #build()} checks them all and encodes. */
    public static final class Builder {
        private static final Pattern CONTENT_LABEL = Pattern.compile("[A-Z0-9_ ]{1,16}");

        final VolumeGeometry source;
        Uid seriesInstanceUid;
        Uid sopInstanceUid;
        Integer seriesNumber;
        int instanceNumber = 1;
        String seriesDescription = "AI segmentation";
        String contentLabel = "SEGMENTATION";
        String contentDescription = "";
        String contentCreatorName = "";
        String algorithmName;
        String algorithmVersion;
        String manufacturer;
        Uid deviceUid;
        String deviceSerialNumber = "0";
        LocalDateTime contentDateTime;
        final List<SegmentMask> segments = new ArrayList<>();

        private Builder(VolumeGeometry source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder seriesInstanceUid(Uid uid) {
            this.seriesInstanceUid = Objects.requireNonNull(uid, "seriesInstanceUid");
            return this;
        }

        public Builder sopInstanceUid(Uid uid) {
            this.sopInstanceUid = Objects.requireNonNull(uid, "sopInstanceUid");
            return this;
        }

        public Builder seriesNumber(int number) {
            this.seriesNumber = DicomAttributes.seriesNumber(number);
            return this;
        }

        public Builder instanceNumber(int number) {
            this.instanceNumber = DicomAttributes.instanceNumber(number);
            return this;
        }

        public Builder seriesDescription(String text) {
            this.seriesDescription = longString("seriesDescription", text);
            return this;
        }

        /** Content Label (CS): upper-case letters, digits, space, underscore, at most 16. Default SEGMENTATION. */
        public Builder contentLabel(String label) {
            if (label == null || !CONTENT_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("contentLabel must be 1-16 of A-Z, 0-9, space, underscore, got: " + label);
            }
            this.contentLabel = label;
            return this;
        }

        public Builder contentDescription(String text) {
            this.contentDescription = longString("contentDescription", text);
            return this;
        }

        /** Content Creator's Name (PN), e.g. {@code Groundflow^AI}; empty by default. */
        public Builder contentCreatorName(String name) {
            this.contentCreatorName = longString("contentCreatorName", name);
            return this;
        }

        /**
         * The algorithm that made the segments: Segment Algorithm Name, and the Enhanced General Equipment and
         * Contributing Equipment (Manufacturer, Manufacturer's Model Name = name, Software Versions = version).
         */
        public Builder algorithm(String name, String version, String manufacturer) {
            this.algorithmName = longString("algorithm name", requireText("algorithm name", name));
            this.algorithmVersion = longString("algorithm version", requireText("algorithm version", version));
            this.manufacturer = longString("manufacturer", requireText("manufacturer", manufacturer));
            return this;
        }

        public Builder algorithm(String name, String version, String manufacturer, Uid deviceUid) {
            algorithm(name, version, manufacturer);
            this.deviceUid = Objects.requireNonNull(deviceUid, "deviceUid");
            return this;
        }

        /** Device Serial Number of the Enhanced General Equipment (Type 1); default "0". */
        public Builder deviceSerialNumber(String serial) {
            this.deviceSerialNumber = longString("deviceSerialNumber", requireText("deviceSerialNumber", serial));
            return this;
        }

        /** Content, series and instance creation date and time; default the time of {@link #build()}. */
        public Builder contentDateTime(LocalDateTime dateTime) {
            this.contentDateTime = Objects.requireNonNull(dateTime, "contentDateTime");
            return this;
        }

        /**
         * Adds a segment drawn on the source volume's grid; bit {@code (z * rows + y) * columns + x} of the mask
         * marks voxel (x, y, z).
         */
        public Builder segment(SegmentDescription description, BitSet mask) {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(mask, "mask");
            segments.add(new SegmentMask(description, (BitSet) mask.clone(), null));
            return this;
        }

        /** Adds a segment; {@link #build()} refuses it unless its grid and frame of reference are the source's. */
        public Builder segment(SegmentDescription description, VoxelMask mask) {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(mask, "mask");
            segments.add(new SegmentMask(description, mask.bits(), mask));
            return this;
        }

        /**
         * Adds one segment per description, each with the mask at the same position, as highdicom's
         * {@code Segmentation(source_images, pixel_array, ..., segment_descriptions)} pairs them.
         */
        public Builder segments(List<SegmentDescription> descriptions, List<VoxelMask> masks) {
            Objects.requireNonNull(descriptions, "descriptions");
            Objects.requireNonNull(masks, "masks");
            if (descriptions.size() != masks.size()) {
                throw new IllegalArgumentException("segment descriptions and masks must pair up one to one, got "
                        + descriptions.size() + " descriptions and " + masks.size() + " masks");
            }
            for (int i = 0; i < descriptions.size(); i++) {
                segment(descriptions.get(i), masks.get(i));
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the rule and the value when a part is missing or does not fit
         */
        public Segmentation build() {
            SegmentationRules.check(this);
            LocalDateTime when = contentDateTime == null ? LocalDateTime.now() : contentDateTime;
            SegmentationEncoder.Encoded encoded = SegmentationEncoder.encode(this, when);
            return new Segmentation(this, encoded.dataSet(), encoded.frameCount());
        }

        private static String requireText(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static String longString(String name, String value) {
            return DicomAttributes.longString(name, value);
        }
    }
}
