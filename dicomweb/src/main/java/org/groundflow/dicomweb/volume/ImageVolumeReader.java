package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.StudyContext;
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

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * Decodes the files of one series into an {@link ImageVolume}: single-frame images (CT, MR, ...) or enhanced
 * multi-frame images (Enhanced CT/MR, frames placed by their functional groups), uncompressed or compressed in what
 * PixelMed and Java ImageIO decode here (RLE, JPEG baseline and 8-bit extended, JPEG lossless; not JPEG 2000 or
 * JPEG-LS). Slices are ordered by their position along the slice normal (not by InstanceNumber), rescale slope and
 * intercept are applied per slice, geometry is checked. Reads headers first, then one file's pixels at a time, so
 * memory stays near the size of the volume. Whatever cannot become one regular volume is a {@link VolumeException}
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

    /** As {@link #read(List)}, with the instance and frame each slice came from. */
    public static SourcedVolume readSourced(List<Path> files) {
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
        List<SliceHeader> sorted = SliceGeometry.sorted(headers);
        SliceHeader first = sorted.get(0);
        String series = first.seriesInstanceUid();
        int perSlice = first.rows() * first.columns();
        float[] voxels = allocate(series, first, sorted.size());
        StudyContext study = decode(sorted, series, perSlice, voxels);
        List<double[]> positions = sorted.stream().map(SliceHeader::position).toList();
        List<Uid> sopInstances = sorted.stream().map(slice -> uid(slice.sopInstanceUid(), series, "SOPInstanceUID")).toList();
        List<SliceSource> sources = sorted.stream()
                .map(slice -> new SliceSource(uid(slice.sopInstanceUid(), series, "SOPInstanceUID"), slice.frameIndex() + 1))
                .toList();
        ImageVolume volume = new ImageVolume(
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
                positions,
                sopInstances,
                voxels,
                study);
        log.debug("Read series {}: {}x{}x{} from {} files", series, volume.columns(), volume.rows(), volume.slices(),
                files.size());
        return new SourcedVolume(volume, sources);
    }

    /** Reads each file once (in the order of its first slice) and decodes each of its frames into place. */
    private static StudyContext decode(List<SliceHeader> sorted, String series, int perSlice, float[] voxels) {
        Map<Path, List<Integer>> slicesByFile = new LinkedHashMap<>();
        for (int z = 0; z < sorted.size(); z++) {
            slicesByFile.computeIfAbsent(sorted.get(z).file(), file -> new ArrayList<>()).add(z);
        }
        StudyContext study = null;
        for (Map.Entry<Path, List<Integer>> entry : slicesByFile.entrySet()) {
            SliceHeader any = sorted.get(entry.getValue().get(0));
            AttributeList list = readFully(any, series);
            if (study == null) {
                study = studyContext(list);
            }
            PixelDecoder pixels = PixelDecoder.of(list, series, any.sopInstanceUid());
            for (int z : entry.getValue()) {
                SliceHeader slice = sorted.get(z);
                pixels.decodeFrame(slice.frameIndex(), perSlice, slice.rescaleSlope(), slice.rescaleIntercept(), voxels,
                        z * perSlice);
            }
        }
        return study;
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

    private static StudyContext studyContext(AttributeList list) {
        return new StudyContext(
                SliceHeader.text(list, TagFromName.PatientName),
                SliceHeader.text(list, TagFromName.PatientID),
                SliceHeader.text(list, TagFromName.PatientBirthDate),
                SliceHeader.text(list, TagFromName.PatientSex),
                SliceHeader.text(list, TagFromName.StudyDate),
                SliceHeader.text(list, TagFromName.StudyTime),
                SliceHeader.text(list, TagFromName.StudyID),
                SliceHeader.text(list, TagFromName.AccessionNumber),
                SliceHeader.text(list, TagFromName.ReferringPhysicianName),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDescription).strip(),
                SliceHeader.text(list, TagFromName.IssuerOfPatientID));
    }

    private static Uid uid(String value, String series, String name) {
        try {
            return Uid.of(value);
        } catch (IllegalArgumentException e) {
            throw new VolumeException(series, "malformed " + name + ": " + e.getMessage(), e);
        }
    }
}
