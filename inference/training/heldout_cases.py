#!/usr/bin/python3
"""Writes the first held-out evaluation cases with the Python figures, for the Java re-check (HeldOutDiceTest).

    /usr/bin/python3 inference/training/heldout_cases.py --package DIR --out DIR [--cases 3]

Draws the first CASES phantoms of the held-out set (seed, slices and z0 of train_demo_model.py, the same draws as
evaluate.collect()), scores the package's TorchScript model on them with evaluate.py and writes, per case, its HU volume (case-N.hu: float32 little-endian [slices, 256, 256]) and lesion instances
(case-N.truth: uint8, 0 = none, i + 1 = lesion i), plus cases.json with the geometry, the lesions and the Python
Dice of each lesion. Nothing here changes the evaluation: it uses evaluate.py and phantom.py as they are.
"""
import argparse
import json
import pathlib

import numpy as np
import torch

import evaluate as ev
import phantom as ph
import train_demo_model as tdm


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", required=True, help="model package folder (model.json + model.pt)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--cases", type=int, default=3)
    args = parser.parse_args()
    package, out = pathlib.Path(args.package), pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    card = json.loads((package / "model.json").read_text())
    windows = [(w["center"], w["width"]) for w in card["input"]["windows"]]
    torch.set_num_threads(1)
    model = torch.jit.load(str(package / card["file"]), map_location="cpu").eval()

    voxel_ml = ph.PIXEL_MM * ph.PIXEL_MM * ph.SLICE_MM / 1000.0
    min_voxels = int(np.ceil(ev.MIN_COMPONENT_ML / voxel_ml))
    names = {l["value"]: l["name"] for l in card["labels"]}
    rng = np.random.default_rng(tdm.EVAL_SEED)  # the same draws, in the same order, as evaluate.collect()
    total = ev.new_tally()
    cases = []
    for c in range(args.cases):
        phantom = ph.draw_phantom(rng)
        hu, _, instances = ph.render_volume(rng, phantom, tdm.EVAL_SLICES, tdm.EVAL_Z0)
        hu.astype("<f4").tofile(out / f"case-{c}.hu")
        instances.astype(np.uint8).tofile(out / f"case-{c}.truth")
        present = [(i, les) for i, les in enumerate(phantom.lesions) if np.any(instances == i + 1)]
        found = ev.findings(ev.predict_volume(model, hu, windows, card["input"].get("neighbourSlices") or 0), min_voxels)
        scored = ev.counts(found, [(les[0], instances == i + 1) for i, les in present])
        tally = ev.new_tally()
        ev.score(tally, *scored)
        ev.score(total, *scored)
        taken = {label: 0 for label in ph.FINDINGS}
        lesions = []
        for i, (label, x, y, z, radii, _) in present:
            dice = tally["perLabel"][label]["dice"][taken[label]]
            taken[label] += 1
            px, py = phantom.to_patient(x, y)
            lesions.append({"instance": i + 1, "label": names[label], "x": px, "y": py, "z": z,
                            "radius": float(max(radii)), "dice": float(dice)})
        cases.append({"hu": f"case-{c}.hu", "truth": f"case-{c}.truth", "lesions": lesions})
    (out / "cases.json").write_text(json.dumps({
        "seed": tdm.EVAL_SEED, "slices": tdm.EVAL_SLICES, "z0": tdm.EVAL_Z0, "size": ph.SIZE,
        "pixelMm": ph.PIXEL_MM, "sliceMm": ph.SLICE_MM, "originMm": ph.ORIGIN_MM, "minimumVoxels": min_voxels,
        "cases": cases, "summary": ev.summary(total, names)}, indent=1))


if __name__ == "__main__":
    main()
