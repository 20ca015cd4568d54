#!/usr/bin/python3
"""deploy/bench.sh seg, the baseline: the same BINARY SEG encoded with Debian's pydicom and numpy.

Usage: seg_pydicom.py WORK [REPETITIONS]

Reads WORK/seg-spec.json (written by the Java side: geometry, UIDs, segments as integer inequalities), builds the
same masks with numpy, then REPETITIONS times (after a warm-up) encodes them from the masks in memory to Part 10
bytes in memory: frames for every (segment, slice) with a voxel, bits packed with numpy (little bit order, frames
back to back), the same modules and functional groups as Groundflow's encoder, written with pydicom. Checks that
its frames and packed pixel data equal those of WORK/groundflow-seg.dcm, and prints one JSON line.
"""
import io
import json
import statistics
import sys
import time

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

SEG_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return Sequence([item])


def masks(spec):
    rows, columns, slices = spec["rows"], spec["columns"], spec["slices"]
    pq, sq = spec["pixelQuarters"], spec["sliceQuarters"]
    k, j, i = np.ogrid[0:slices, 0:rows, 0:columns]
    out = []
    for ci, cj, ck, radius in spec["spheres"]:
        di = (i - ci).astype(np.int64) * pq
        dj = (j - cj).astype(np.int64) * pq
        dk = (k - ck).astype(np.int64) * sq
        out.append(di * di + dj * dj + dk * dk <= radius * radius)
    return out


def encode(spec, segment_masks):
    rows, columns = spec["rows"], spec["columns"]
    frames = []  # (segment number, slice index)
    for number, mask in enumerate(segment_masks, start=1):
        for z in np.flatnonzero(mask.any(axis=(1, 2))):
            frames.append((number, int(z)))
    stacked = np.stack([segment_masks[n - 1][z] for n, z in frames])
    packed = np.packbits(stacked.reshape(-1), bitorder="little")
    if len(packed) % 2:
        packed = np.append(packed, np.uint8(0))

    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = SEG_STORAGE
    ds.SOPInstanceUID = "2.25.9002"
    ds.InstanceCreationDate, ds.InstanceCreationTime = "20240611", "103000"
    equipment = Dataset()
    equipment.PurposeOfReferenceCodeSequence = code("109102", "DCM", "Processing Equipment")
    equipment.Manufacturer = "Groundflow"
    equipment.ManufacturerModelName = "groundflow-demo-unet"
    equipment.SoftwareVersions = "1.0.0"
    equipment.DeviceUID = "2.25.9003"
    equipment.ContributionDateTime = "20240611103000"
    equipment.ContributionDescription = "Automated segmentation"
    ds.ContributingEquipmentSequence = Sequence([equipment])
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "Groundflow^Benchmark", "GF-BENCH-0001", "", ""
    ds.StudyInstanceUID = spec["study"]
    ds.StudyDate, ds.StudyTime, ds.ReferringPhysicianName = "20240611", "103000", ""
    ds.StudyID, ds.AccessionNumber, ds.StudyDescription = "1", "GFBENCH0001", "SEG benchmark"
    ds.Modality, ds.SeriesInstanceUID, ds.SeriesNumber = "SEG", "2.25.9001", 9001
    ds.SeriesDate, ds.SeriesTime, ds.SeriesDescription = "20240611", "103000", "AI segmentation"
    ds.FrameOfReferenceUID, ds.PositionReferenceIndicator = spec["frameOfReference"], ""
    ds.Manufacturer, ds.ManufacturerModelName = "Groundflow", "groundflow-demo-unet"
    ds.DeviceSerialNumber, ds.SoftwareVersions = "0", "1.0.0"
    ds.ImageType = ["DERIVED", "PRIMARY"]
    ds.InstanceNumber, ds.ContentDate, ds.ContentTime = 1, "20240611", "103000"
    ds.ContentLabel, ds.ContentDescription, ds.ContentCreatorName = "SEGMENTATION", "", ""
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows, ds.Columns = rows, columns
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 1, 0, 0
    ds.LossyImageCompression, ds.SegmentationType = "00", "BINARY"
    ds.NumberOfFrames = len(frames)

    segments = []
    for number in range(1, len(segment_masks) + 1):
        item = Dataset()
        item.SegmentNumber = number
        item.SegmentLabel = f"Finding {number}"
        item.SegmentAlgorithmType = "AUTOMATIC"
        item.SegmentAlgorithmName = "groundflow-demo-unet"
        algorithm = Dataset()
        algorithm.AlgorithmFamilyCodeSequence = code("123110", "DCM", "Artificial Intelligence")
        algorithm.AlgorithmName, algorithm.AlgorithmVersion = "groundflow-demo-unet", "1.0.0"
        item.SegmentationAlgorithmIdentificationSequence = Sequence([algorithm])
        item.SegmentedPropertyCategoryCodeSequence = code("49755003", "SCT", "Morphologically abnormal structure")
        item.SegmentedPropertyTypeCodeSequence = code("27925004", "SCT", "Nodule")
        item.RecommendedDisplayCIELabValue = [43690, 34509, 53406]
        segments.append(item)
    ds.SegmentSequence = Sequence(segments)

    organization = Dataset()
    organization.DimensionOrganizationUID = "2.25.9004"
    ds.DimensionOrganizationSequence = Sequence([organization])
    ds.DimensionOrganizationType = "3D"
    index_segment, index_position = Dataset(), Dataset()
    for item, pointer, group, label in ((index_segment, 0x0062000B, 0x0062000A, "Segment Number"),
                                        (index_position, 0x00200032, 0x00209113, "Image Position Patient")):
        item.DimensionOrganizationUID = "2.25.9004"
        item.DimensionIndexPointer, item.FunctionalGroupPointer = pointer, group
        item.DimensionDescriptionLabel = label
    ds.DimensionIndexSequence = Sequence([index_segment, index_position])
    spacing = spec["pixelQuarters"] / 4.0
    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = [spacing, spacing]
    measures.SliceThickness = measures.SpacingBetweenSlices = spec["sliceQuarters"] / 4.0
    shared.PixelMeasuresSequence = Sequence([measures])
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    shared.PlaneOrientationSequence = Sequence([orientation])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per_frame = []
    for number, z in frames:
        groups = Dataset()
        content = Dataset()
        content.DimensionIndexValues = [number, z + 1]
        groups.FrameContentSequence = Sequence([content])
        position = Dataset()
        position.ImagePositionPatient = spec["positions"][z]
        groups.PlanePositionSequence = Sequence([position])
        segment = Dataset()
        segment.ReferencedSegmentNumber = number
        groups.SegmentIdentificationSequence = Sequence([segment])
        source = Dataset()
        source.ReferencedSOPClassUID = spec["sopClass"]
        source.ReferencedSOPInstanceUID = spec["instances"][z]
        source.PurposeOfReferenceCodeSequence = code("121322", "DCM", "Source image for image processing operation")
        derivation = Dataset()
        derivation.SourceImageSequence = Sequence([source])
        derivation.DerivationCodeSequence = code("113076", "DCM", "Segmentation")
        groups.DerivationImageSequence = Sequence([derivation])
        per_frame.append(groups)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    instances = []
    for uid in spec["instances"]:
        item = Dataset()
        item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID = spec["sopClass"], uid
        instances.append(item)
    series = Dataset()
    series.SeriesInstanceUID = spec["series"]
    series.ReferencedInstanceSequence = Sequence(instances)
    ds.ReferencedSeriesSequence = Sequence([series])
    ds.PixelData = packed.tobytes()

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SEG_STORAGE
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    out = io.BytesIO()
    pydicom.dcmwrite(out, ds, write_like_original=False)
    return out.getvalue(), frames, ds.PixelData


def main(argv):
    work = argv[1]
    repetitions = int(argv[2]) if len(argv) > 2 else 7
    with open(f"{work}/seg-spec.json", encoding="utf-8") as f:
        spec = json.load(f)
    segment_masks = masks(spec)
    encode(spec, segment_masks)
    seconds = []
    for _ in range(repetitions):
        start = time.perf_counter()
        data, frames, pixel_data = encode(spec, segment_masks)
        seconds.append(time.perf_counter() - start)
    groundflow = pydicom.dcmread(f"{work}/groundflow-seg.dcm")
    same_frames = [(int(g.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
                    g.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
                   for g in groundflow.PerFrameFunctionalGroupsSequence] \
        == [(n, spec["instances"][z]) for n, z in frames]
    same_pixels = groundflow.PixelData == pixel_data
    print(json.dumps({"median_s": round(statistics.median(seconds), 4), "min_s": round(min(seconds), 4),
                      "bytes": len(data), "frames": len(frames), "same_frames": same_frames,
                      "same_pixel_data": same_pixels, "pydicom": pydicom.__version__, "numpy": np.__version__,
                      "runs_s": [round(s, 4) for s in seconds]}))
    return 0 if same_frames and same_pixels else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
