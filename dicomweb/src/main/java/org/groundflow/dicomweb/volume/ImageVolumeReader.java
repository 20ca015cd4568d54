package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.TransferSyntaxNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;

/**
 * Decodes the files of one series into an {@link ImageVolume}: single-frame images (CT, MR, ...) or enhanced
 * multi-frame images (Enhanced CT/MR, frames placed by their functional groups), uncompressed or compressed in what
 * PixelMed and Java ImageIO decode here (RLE, JPEG baseline and 8-bit extended, JPEG lossless; not JPEG 2000 or
 * JPEG-LS). Slices are ordered by their position along the slice normal (not by InstanceNumber), rescale slope and
 * intercept are applied per slice, geometry is checked. Reads headers first, then one file's pixels at a time, so
 * memory stays near the size of the volume; {@link #readGeometry} stops after the headers. Whatever cannot become one regular volume is a {@link VolumeException}
 * naming the series and the reason.
 */
public final class ImageVolumeReader {

    private static final Logger log = LoggerFactory.getLogger(ImageVolumeReader.class);
    /** Heap kept free beyond the voxels themselves (PixelMed's copy of one file's pixels, headers). */
    private static final long HEADROOM_BYTES = 64L * 1024 * 1024;

    private ImageVolumeReader() {
    }

    /**
     * @param files the instances of one series, in any order
     * @throws VolumeException naming the series and the reason when the files do not form one regular volume
     */
    public static ImageVolume read(List<Path> files) {
        return readSourced(files).volume();
    }

    /**
     * The geometry, source instances and study attributes of the series, read from the headers without decoding any
     * pixel data, and checked as {@link #read(List)} checks them.
     *
     * @param files the instances of one series, in any order
     * @throws VolumeException naming the series and the reason when the files do not form one regular volume
     */
    public static VolumeGeometry readGeometry(List<Path> files) {
        return geometry(sortedHeaders(files));
    }

    /**
     * The geometry with the Body Part Examined and Slice Thickness of the series, from the headers alone, checked as
     * {@link #readGeometry(List)} checks them.
     */
    public static SeriesAcquisition readAcquisition(List<Path> files) {
        List<SliceHeader> sorted = sortedHeaders(files);
        SliceHeader first = sorted.get(0);
        return new SeriesAcquisition(geometry(sorted), first.bodyPartExamined(), first.sliceThickness());
    }

    /** As {@link #read(List)}, with the instance and frame each slice came from. */
    public static SourcedVolume readSourced(List<Path> files) {
        List<SliceHeader> sorted = sortedHeaders(files);
        VolumeGeometry geometry = geometry(sorted);
        SliceHeader first = sorted.get(0);
        String series = first.seriesInstanceUid();
        float[] voxels = allocate(series, first, sorted.size());
        decode(sorted, series, first.rows() * first.columns(), voxels);
        List<SliceSource> sources = sorted.stream()
                .map(slice -> new SliceSource(uid(slice.sopInstanceUid(), series, "SOPInstanceUID"), slice.frameIndex() + 1))
                .toList();
        log.debug("Read series {}: {}x{}x{} from {} files", series, geometry.columns(), geometry.rows(),
                geometry.slices(), files.size());
        return new SourcedVolume(new ImageVolume(geometry, voxels), sources);
    }

    /** Every slice's header, checked to form one regular stack and sorted along its normal. */
    private static List<SliceHeader> sortedHeaders(List<Path> files) {
        Objects.requireNonNull(files, "files");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must not be empty");
        }
        List<SliceHeader> headers = new ArrayList<>();
        Map<String, Path> instances = new HashMap<>();
        for (Path file : files) {
            List<SliceHeader> slices = SliceHeader.read(Objects.requireNonNull(file, "file"));
            SliceHeader first = slices.get(0);
            if (instances.putIfAbsent(first.sopInstanceUid(), file) != null) {
                throw new VolumeException(first.seriesInstanceUid(), "instance " + first.sopInstanceUid()
                        + " appears more than once");
            }
            headers.addAll(slices);
        }
        return SliceGeometry.sorted(headers);
    }

    private static VolumeGeometry geometry(List<SliceHeader> sorted) {
        SliceHeader first = sorted.get(0);
        String series = first.seriesInstanceUid();
        return new VolumeGeometry(
                uid(first.studyInstanceUid(), series, "StudyInstanceUID"),
                uid(series, series, "SeriesInstanceUID"),
                first.frameOfReferenceUid().isEmpty() ? null : uid(first.frameOfReferenceUid(), series, "FrameOfReferenceUID"),
                first.sopClassUid().isEmpty() ? null : uid(first.sopClassUid(), series, "SOPClassUID"),
                first.modality(),
                first.columns(),
                first.rows(),
                sorted.size(),
                first.pixelSpacing()[0],
                first.pixelSpacing()[1],
                SliceGeometry.spacing(sorted),
                first.rowDirection(),
                first.columnDirection(),
                sorted.stream().map(SliceHeader::position).toList(),
                sorted.stream().map(slice -> uid(slice.sopInstanceUid(), series, "SOPInstanceUID")).toList(),
                first.study());
    }

    /** Reads each file once (in the order of its first slice) and decodes each of its frames into place. */
    private static void decode(List<SliceHeader> sorted, String series, int perSlice, float[] voxels) {
        Map<Path, List<Integer>> slicesByFile = new LinkedHashMap<>();
        for (int z = 0; z < sorted.size(); z++) {
            slicesByFile.computeIfAbsent(sorted.get(z).file(), file -> new ArrayList<>()).add(z);
        }
        for (Map.Entry<Path, List<Integer>> entry : slicesByFile.entrySet()) {
            SliceHeader any = sorted.get(entry.getValue().get(0));
            PixelDecoder pixels = PixelDecoder.of(readFully(any, series), series, any.sopInstanceUid());
            for (int z : entry.getValue()) {
                SliceHeader slice = sorted.get(z);
                pixels.decodeFrame(slice.frameIndex(), perSlice, slice.rescaleSlope(), slice.rescaleIntercept(), voxels,
                        z * perSlice);
            }
        }
    }

    private static float[] allocate(String series, SliceHeader first, int slices) {
        long count = (long) first.rows() * first.columns() * slices;
        if (count > Integer.MAX_VALUE - 8) {
            throw new VolumeException(series, "the volume would hold " + count + " voxels (" + first.columns() + "x"
                    + first.rows() + "x" + slices + "), more than one array can");
        }
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (count * Float.BYTES + HEADROOM_BYTES > available) {
            throw new VolumeException(series, String.format(java.util.Locale.ROOT,
                    "the volume (%dx%dx%d) needs %d MB; the heap has about %d MB free", first.columns(), first.rows(),
                    slices, count * Float.BYTES >> 20, available >> 20));
        }
        return new float[(int) count];
    }

    private static AttributeList readFully(SliceHeader slice, String series) {
        AttributeList list = new AttributeList();
        try {
            list.read(slice.file().toFile());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException(series, "undecodable pixel data in instance " + slice.sopInstanceUid()
                    + TransferSyntaxNames.describe(slice.transferSyntaxUid()) + ": " + e.getMessage(), e);
        }
        return list;
    }

    private static Uid uid(String value, String series, String name) {
        try {
            return Uid.of(value);
        } catch (IllegalArgumentException e) {
            throw new VolumeException(series, "malformed " + name + ": " + e.getMessage(), e);
        }
    }
}
