#!/usr/bin/python3
"""Scores the Java step on the independent set: java-results.json (RobustnessBenchmark) against truth.json.

    /usr/bin/python3 inference/training/robustness.py WORK > WORK/independent.json

Same definitions as the training generator's held-out figures (evaluate.score). A lesion that lies outside the
series the generator wrote (no voxel) is left out; a refused study counts with no findings.
"""
import json
import pathlib
import sys

import evaluate as ev
import phantom as ph

NAMES = {"nodule": ph.NODULE, "liver lesion": ph.LIVER_LESION}


def main():
    work = pathlib.Path(sys.argv[1])
    truth = {s["folder"]: s for s in json.loads((work / "truth.json").read_text())["studies"]}
    results = json.loads((work / "java-results.json").read_text())
    tally = ev.new_tally()
    refused, seconds, geometry = [], [], {}
    for study in results:
        keep = [i for i, les in enumerate(study["lesions"]) if les["voxels"] != 0]
        lesions = [(NAMES[study["lesions"][i]["label"]], study["lesions"][i]["voxels"]) for i in keep]
        found = [(f["label"], f["voxels"], [f["overlaps"][i] for i in keep]) for f in study["findings"]]
        if "refused" in study:
            refused.append(f"{study['folder']}: {study['refused']}")
        else:
            seconds.append(study["seconds"])
        before = tally["perLabel"][ph.NODULE]["detected"] + tally["perLabel"][ph.LIVER_LESION]["detected"]
        ev.score(tally, found, lesions)
        after = tally["perLabel"][ph.NODULE]["detected"] + tally["perLabel"][ph.LIVER_LESION]["detected"]
        kind = truth[study["folder"]]["geometry"]
        g = geometry.setdefault(kind, {"studies": 0, "lesions": 0, "detected": 0})
        g["studies"] += 1
        g["lesions"] += len(lesions)
        g["detected"] += after - before
    summary = ev.summary(tally, {ph.NODULE: "nodule", ph.LIVER_LESION: "liver lesion"})
    summary.update({"generator": "B (independent_phantom.py, DICOM series read by ImageVolumeReader and interpreted "
                                 "by GroundedInterpreter on DJL)",
                    "refusedStudies": refused, "perGeometry": geometry,
                    "medianSecondsPerStudy": sorted(seconds)[len(seconds) // 2] if seconds else None})
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
