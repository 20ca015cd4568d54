package org.groundflow.dicomweb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * Decodes the files of one series of single-frame images (CT, MR, ...) into an {@link ImageVolume}: slices ordered
 * by their position along the slice normal (not by InstanceNumber), rescale slope and intercept applied, geometry
 * checked. Reads headers first and then one file's pixels at a time, so memory stays near the size of the volume.
 */
public final class ImageVolumeReader {

    private static final Logger log = LoggerFactory.getLogger(ImageVolumeReader.class);

    private ImageVolumeReader() {
    }

    /**
     * @param files the instances of one series, in any order
     * @throws VolumeException naming the series and the reason when the files do not form one regular volume
     */
    public static ImageVolume read(List<Path> files) {
        Objects.requireNonNull(files, "files");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must not be empty");
        }
        List<SliceHeader> headers = new ArrayList<>(files.size());
        Set<String> instances = new HashSet<>();
        for (Path file : files) {
            SliceHeader header = SliceHeader.read(Objects.requireNonNull(file, "file"));
            if (!instances.add(header.sopInstanceUid())) {
                throw new VolumeException(header.seriesInstanceUid(), "instance " + header.sopInstanceUid()
                        + " appears more than once");
            }
            headers.add(header);
        }
        List<SliceHeader> sorted = SliceGeometry.sorted(headers);
        SliceHeader first = sorted.get(0);
        String series = first.seriesInstanceUid();
        int perSlice = first.rows() * first.columns();
        float[] voxels = new float[Math.multiplyExact(perSlice, sorted.size())];
        StudyContext study = null;
        for (int z = 0; z < sorted.size(); z++) {
            AttributeList list = readFully(sorted.get(z), series);
            if (z == 0) {
                study = studyContext(list);
            }
            PixelDecoder.decode(list, series, sorted.get(z).sopInstanceUid(), perSlice, voxels, z * perSlice);
        }
        List<double[]> positions = sorted.stream().map(SliceHeader::position).toList();
        List<Uid> sopInstances = sorted.stream().map(slice -> uid(slice.sopInstanceUid(), series, "SOPInstanceUID")).toList();
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
        log.debug("Read series {}: {}x{}x{}", series, volume.columns(), volume.rows(), volume.slices());
        return volume;
    }

    private static AttributeList readFully(SliceHeader slice, String series) {
        AttributeList list = new AttributeList();
        try {
            list.read(slice.file().toFile());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new VolumeException(series, "undecodable pixel data in instance " + slice.sopInstanceUid() + ": "
                    + e.getMessage(), e);
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
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDescription).strip());
    }

    private static Uid uid(String value, String series, String name) {
        try {
            return Uid.of(value);
        } catch (IllegalArgumentException e) {
            throw new VolumeException(series, "malformed " + name + ": " + e.getMessage(), e);
        }
    }
}
