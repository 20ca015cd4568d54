#!/usr/bin/python3
"""Reads Groundflow's DICOM-SEG and TID 1500 SR with Debian's pydicom and numpy, as a third-party reader would.

Usage: check_results.py EXPECTED.json SEG.dcm SR.dcm [SR.dcm ...]

EXPECTED.json: {"study", "source": {"series"}, "seg": {"series", "instance"},
                "segments": [{"number", "label", "voxels", "slices": {sopInstanceUid: voxels}}],
                "sentences": {segmentNumber: sentence}}
Checks the SEG (BINARY, pixel data unpacked by pydicom and by numpy alike, every frame's segment and source image,
voxel counts per segment and source image) and each SR (Comprehensive 3D SR, TID 1500, one measurement group per
segment whose Referenced Segment names the SEG and whose TEXT finding is the signed sentence). Prints one JSON line;
exits 1 with the problems otherwise.
"""
import json
import sys

import numpy as np
import pydicom

SEG_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"
COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34"


def concept(item):
    if "ConceptNameCodeSequence" not in item:
        return None
    code = item.ConceptNameCodeSequence[0]
    return code.CodingSchemeDesignator, code.CodeValue


def children(item, name=None, value_type=None):
    return [c for c in item.get("ContentSequence", [])
            if (name is None or concept(c) == name) and (value_type is None or c.ValueType == value_type)]


def check_seg(path, expected, problems):
    ds = pydicom.dcmread(path)
    if ds.SOPClassUID != SEG_STORAGE or ds.SegmentationType != "BINARY" or ds.BitsAllocated != 1:
        problems.append(f"{path}: not a BINARY segmentation")
        return {}
    if ds.StudyInstanceUID != expected["study"]:
        problems.append(f"{path}: study {ds.StudyInstanceUID}, expected {expected['study']}")
    if ds.ReferencedSeriesSequence[0].SeriesInstanceUID != expected["source"]["series"]:
        problems.append(f"{path}: ReferencedSeriesSequence does not name the source series")
    frames = int(ds.NumberOfFrames)
    pixels = ds.pixel_array.reshape(frames, ds.Rows, ds.Columns)
    raw = np.frombuffer(ds.PixelData, dtype=np.uint8)
    unpacked = np.unpackbits(raw, bitorder="little")[: frames * ds.Rows * ds.Columns]
    if not np.array_equal(unpacked.reshape(pixels.shape), pixels):
        problems.append(f"{path}: pydicom's pixel_array differs from numpy's bit unpacking")
    counts = {}
    for index, group in enumerate(ds.PerFrameFunctionalGroupsSequence):
        number = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        source = group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        voxels = int(pixels[index].sum())
        counts.setdefault(number, {})
        counts[number][source] = counts[number].get(source, 0) + voxels
    labels = {int(s.SegmentNumber): str(s.SegmentLabel) for s in ds.SegmentSequence}
    for segment in expected["segments"]:
        number = segment["number"]
        if labels.get(number) != segment["label"]:
            problems.append(f"segment {number}: label {labels.get(number)!r}, expected {segment['label']!r}")
        got = counts.get(number, {})
        if got != segment["slices"]:
            problems.append(f"segment {number}: voxels per source image {sum(got.values())} on {len(got)} images, "
                            f"expected {segment['voxels']} on {len(segment['slices'])}")
    if sorted(labels) != sorted(s["number"] for s in expected["segments"]):
        problems.append(f"segments {sorted(labels)}, expected {[s['number'] for s in expected['segments']]}")
    return {str(n): sum(c.values()) for n, c in counts.items()}


def check_sr(path, expected, problems):
    ds = pydicom.dcmread(path)
    if ds.SOPClassUID != COMPREHENSIVE_3D_SR:
        problems.append(f"{path}: SOP class {ds.SOPClassUID} is not Comprehensive 3D SR")
        return 0
    if concept(ds) != ("DCM", "126000") or ds.ContentTemplateSequence[0].TemplateIdentifier != "1500":
        problems.append(f"{path}: root is not a TID 1500 Imaging Measurement Report")
    if (ds.CompletionFlag, ds.VerificationFlag, ds.PreliminaryFlag) != ("COMPLETE", "VERIFIED", "FINAL"):
        problems.append(f"{path}: flags {ds.CompletionFlag}/{ds.VerificationFlag}/{ds.PreliminaryFlag}")
    measurements = children(ds, ("DCM", "126010"), "CONTAINER")
    groups = children(measurements[0], ("DCM", "125007"), "CONTAINER") if measurements else []
    seen = set()
    for group in groups:
        segment = children(group, ("DCM", "121191"), "IMAGE")[0].ReferencedSOPSequence[0]
        number = int(segment.ReferencedSegmentNumber)
        seen.add(number)
        if segment.ReferencedSOPInstanceUID != expected["seg"]["instance"]:
            problems.append(f"{path}: group of segment {number} references {segment.ReferencedSOPInstanceUID}")
        sentence = [t.TextValue for t in children(group, ("DCM", "121071"), "TEXT")]
        if sentence != [expected["sentences"][str(number)]]:
            problems.append(f"{path}: segment {number} has sentence {sentence}")
        units = [n.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodingSchemeDesignator
                 for n in children(group, value_type="NUM")]
        if not units or set(units) != {"UCUM"}:
            problems.append(f"{path}: segment {number} has measurements in {units}")
    if seen != {s["number"] for s in expected["segments"]}:
        problems.append(f"{path}: groups reference segments {sorted(seen)}")
    return len(groups)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        expected = json.load(f)
    problems = []
    voxels = check_seg(argv[2], expected, problems)
    groups = [check_sr(path, expected, problems) for path in argv[3:]]
    print(json.dumps({"ok": not problems, "check": "pydicom", "pydicom": pydicom.__version__,
                      "numpy": np.__version__, "voxels": voxels, "groups": groups, "problems": problems}))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
