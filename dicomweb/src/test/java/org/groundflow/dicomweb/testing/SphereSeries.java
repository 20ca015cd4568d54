package org.groundflow.dicomweb.testing;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A CT series of one bright sphere (300 HU) in a soft-tissue cylinder (0 HU) in air, written as single-frame DICOM
 * files in any geometry: spacing, thickness, row and column directions (flipped, rotated, oblique), slices written
 * feet first or head first with shuffled instance numbers, pixels signed or unsigned with an intercept, and padding
 * outside the circular field of view. The sphere's patient position is known, so a reader can be checked to find it.
 *
 * @param centre      patient position (mm, LPS) of the centre of the voxel grid
 * @param sphere      patient position of the sphere's centre
 * @param unsigned    PixelRepresentation 0 with RescaleIntercept -1024 (padding stored as 0); else signed, intercept
 *                    0, padding stored as -3024
 * @param headFirst   files and instance numbers run from the last slice along the normal to the first
 */
public record SphereSeries(int columns, int rows, int slices, double columnSpacing, double rowSpacing,
                           double sliceSpacing, double sliceThickness, double[] rowDirection,
                           double[] columnDirection, double[] centre, double[] sphere, double radius,
                           boolean unsigned, boolean headFirst, String bodyPart, String modality, long seed) {

    public static final double SPHERE_HU = 300;
    public static final double BODY_RADIUS_MM = 140;

    /** 64 x 64 at 4 mm, 24 slices of 4 mm, axial, sphere of 15 mm radius off centre. */
    public static SphereSeries axial() {
        return new SphereSeries(64, 64, 24, 4, 4, 4, 4, new double[] {1, 0, 0}, new double[] {0, 1, 0},
                new double[] {10, -20, 30}, new double[] {-30, 12, 40}, 15, false, false, "CHEST", "CT", 1);
    }

    public SphereSeries withGrid(int columns, int rows, int slices, double columnSpacing, double rowSpacing,
                                 double sliceSpacing, double sliceThickness) {
        return new SphereSeries(columns, rows, slices, columnSpacing, rowSpacing, sliceSpacing, sliceThickness,
                rowDirection, columnDirection, centre, sphere, radius, unsigned, headFirst, bodyPart, modality, seed);
    }

    public SphereSeries withDirections(double[] rowDirection, double[] columnDirection) {
        return new SphereSeries(columns, rows, slices, columnSpacing, rowSpacing, sliceSpacing, sliceThickness,
                rowDirection, columnDirection, centre, sphere, radius, unsigned, headFirst, bodyPart, modality, seed);
    }

    public SphereSeries withEncoding(boolean unsigned, boolean headFirst) {
        return new SphereSeries(columns, rows, slices, columnSpacing, rowSpacing, sliceSpacing, sliceThickness,
                rowDirection, columnDirection, centre, sphere, radius, unsigned, headFirst, bodyPart, modality, seed);
    }

    public SphereSeries withLabels(String bodyPart, String modality) {
        return new SphereSeries(columns, rows, slices, columnSpacing, rowSpacing, sliceSpacing, sliceThickness,
                rowDirection, columnDirection, centre, sphere, radius, unsigned, headFirst, bodyPart, modality, seed);
    }

    /** Another series (other UIDs) of the same content. */
    public SphereSeries withSeed(long seed) {
        return new SphereSeries(columns, rows, slices, columnSpacing, rowSpacing, sliceSpacing, sliceThickness,
                rowDirection, columnDirection, centre, sphere, radius, unsigned, headFirst, bodyPart, modality, seed);
    }

    /** UID root of the series' study, series, frame of reference and instances. */
    public String uidRoot() {
        return "2.25." + Math.abs(new Random(seed).nextLong() % 1_000_000_000L) + "." + slices;
    }

    public String studyInstanceUid() {
        return uidRoot() + ".1";
    }

    public String seriesInstanceUid() {
        return uidRoot() + ".2";
    }

    /** Directions rotated by {@code degreesX} about the patient's x axis, then {@code degreesY} about y. */
    public static double[][] tilted(double[] rowDirection, double[] columnDirection, double degreesX, double degreesY) {
        return new double[][] {rotate(rotate(rowDirection, 0, degreesX), 1, degreesY),
            rotate(rotate(columnDirection, 0, degreesX), 1, degreesY)};
    }

    public double[] normal() {
        double[] r = rowDirection;
        double[] c = columnDirection;
        return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    }

    /** Patient position of voxel (x, y, k) with k counted along the normal. */
    public double[] position(double x, double y, double k) {
        double[] n = normal();
        double[] p = new double[3];
        for (int i = 0; i < 3; i++) {
            p[i] = centre[i] + (x - (columns - 1) / 2.0) * columnSpacing * rowDirection[i]
                    + (y - (rows - 1) / 2.0) * rowSpacing * columnDirection[i]
                    + (k - (slices - 1) / 2.0) * sliceSpacing * n[i];
        }
        return p;
    }

    /** Writes the series into {@code dir} (file names in shuffled order) and answers the files. */
    public List<Path> writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            String root = uidRoot();
            List<Integer> names = new ArrayList<>();
            for (int k = 0; k < slices; k++) {
                names.add(k);
            }
            Collections.shuffle(names, new Random(seed + 7));
            List<Path> files = new ArrayList<>();
            for (int k = 0; k < slices; k++) {
                int instance = headFirst ? slices - k : k + 1;
                Path file = dir.resolve(String.format(Locale.ROOT, "f%04d.dcm", names.get(k)));
                write(slice(root, k, instance), file);
                files.add(file);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    private AttributeList slice(String root, int k, int instance) throws DicomException {
        AttributeList list = new AttributeList();
        put(list, "SOPClassUID", SOPClass.CTImageStorage);
        put(list, "SOPInstanceUID", root + ".3." + (k + 1));
        put(list, "StudyInstanceUID", root + ".1");
        put(list, "SeriesInstanceUID", root + ".2");
        put(list, "FrameOfReferenceUID", root + ".4");
        put(list, "Modality", modality);
        if (bodyPart != null) {
            put(list, "BodyPartExamined", bodyPart);
        }
        put(list, "PatientID", "SPHERE");
        put(list, "PatientName", "Sphere^Test");
        put(list, "InstanceNumber", Integer.toString(instance));
        double[] origin = position(0, 0, k);
        put(list, "ImagePositionPatient", decimals(origin));
        double[] r = rowDirection;
        double[] c = columnDirection;
        put(list, "ImageOrientationPatient", decimals(new double[] {r[0], r[1], r[2], c[0], c[1], c[2]}));
        put(list, "PixelSpacing", decimals(new double[] {rowSpacing, columnSpacing}));
        put(list, "SliceThickness", decimals(new double[] {sliceThickness}));
        put(list, "SamplesPerPixel", "1");
        put(list, "PhotometricInterpretation", "MONOCHROME2");
        put(list, "Rows", Integer.toString(rows));
        put(list, "Columns", Integer.toString(columns));
        put(list, "BitsAllocated", "16");
        put(list, "BitsStored", "16");
        put(list, "HighBit", "15");
        put(list, "PixelRepresentation", unsigned ? "0" : "1");
        put(list, "RescaleIntercept", unsigned ? "-1024" : "0");
        put(list, "RescaleSlope", "1");
        short[] pixels = new short[rows * columns];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                pixels[y * columns + x] = (short) stored(x, y, k);
            }
        }
        OtherWordAttribute data = new OtherWordAttribute(TagFromName.PixelData);
        data.setValues(pixels);
        list.put(data);
        return list;
    }

    private int stored(int x, int y, int k) {
        double fx = (x - (columns - 1) / 2.0) * columnSpacing;
        double fy = (y - (rows - 1) / 2.0) * rowSpacing;
        double fov = Math.min(columns * columnSpacing, rows * rowSpacing) / 2.0;
        if (fx * fx + fy * fy > fov * fov) {
            return unsigned ? 0 : -3024; // padding outside the reconstructed circle
        }
        double[] p = position(x, y, k);
        double hu = -1000;
        double bx = p[0] - centre[0];
        double by = p[1] - centre[1];
        if (bx * bx + by * by <= BODY_RADIUS_MM * BODY_RADIUS_MM) {
            hu = 0;
        }
        double dx = p[0] - sphere[0];
        double dy = p[1] - sphere[1];
        double dz = p[2] - sphere[2];
        if (dx * dx + dy * dy + dz * dz <= radius * radius) {
            hu = SPHERE_HU;
        }
        return (int) Math.round(hu) + (unsigned ? 1024 : 0);
    }

    private static String[] decimals(double[] values) {
        String[] text = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            text[i] = String.format(Locale.ROOT, "%.6f", values[i]).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    private static void put(AttributeList list, String keyword, String... values) throws DicomException {
        AttributeTag tag = AttributeList.getDictionary().getTagFromName(keyword);
        com.pixelmed.dicom.Attribute attribute = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        for (String value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    private static void write(AttributeList list, Path file) throws DicomException, IOException {
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "GROUNDFLOW");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static double[] rotate(double[] v, int axis, double degrees) {
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        return axis == 0
                ? new double[] {v[0], v[1] * cos - v[2] * sin, v[1] * sin + v[2] * cos}
                : new double[] {v[0] * cos + v[2] * sin, v[1], -v[0] * sin + v[2] * cos};
    }
}
