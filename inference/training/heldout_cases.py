#!/usr/bin/python3
"""Writes the first held-out evaluation cases with the Python figures, for the Java re-check (HeldOutDiceTest).

    /usr/bin/python3 inference/training/heldout_cases.py --package DIR --out DIR [--cases 3]

Runs evaluate.evaluate() on the first CASES phantoms of the held-out set (seed, slices and z0 of
train_demo_model.py) with the package's TorchScript model, then draws the same phantoms again from the same seed and
writes, per case, its HU volume (case-N.hu: float32 little-endian [slices, 256, 256]) and lesion instances
(case-N.truth: uint8, 0 = none, i + 1 = lesion i), plus cases.json with the geometry, the lesions and the Python
Dice of each lesion. Nothing here changes the evaluation: it reads evaluate.py and phantom.py as they are.
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

    per_label, min_voxels = ev.evaluate(model, windows, tdm.EVAL_SEED, args.cases, tdm.EVAL_SLICES, tdm.EVAL_Z0)
    names = {l["value"]: l["name"] for l in card["labels"]}
    taken = {label: 0 for label in per_label}
    rng = np.random.default_rng(tdm.EVAL_SEED)  # the same draws, in the same order, as evaluate()
    cases = []
    for c in range(args.cases):
        phantom = ph.draw_phantom(rng, tdm.EVAL_SLICES, tdm.EVAL_Z0)
        hu, _, instances = ph.render_volume(rng, phantom)
        hu.astype("<f4").tofile(out / f"case-{c}.hu")
        instances.astype(np.uint8).tofile(out / f"case-{c}.truth")
        lesions = []
        for i, (label, x, y, z, r) in enumerate(phantom.lesions):
            dice = per_label[label]["dice"][taken[label]]
            taken[label] += 1
            lesions.append({"instance": i + 1, "label": names[label], "x": x, "y": y, "z": z, "radius": r,
                            "dice": float(dice)})
        cases.append({"hu": f"case-{c}.hu", "truth": f"case-{c}.truth", "lesions": lesions})
    (out / "cases.json").write_text(json.dumps({
        "seed": tdm.EVAL_SEED, "slices": tdm.EVAL_SLICES, "z0": tdm.EVAL_Z0, "size": ph.SIZE,
        "pixelMm": ph.PIXEL_MM, "sliceMm": ph.SLICE_MM, "originMm": ph.ORIGIN_MM, "minimumVoxels": min_voxels,
        "cases": cases, "summary": ev.summary(per_label, names, args.cases)}, indent=1))


if __name__ == "__main__":
    main()
