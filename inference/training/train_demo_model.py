#!/usr/bin/python3
"""Trains the Groundflow demo model on synthetic phantoms (PHANTOM.md) and writes its model package.

Run with Debian's Python (python3-torch 1.13, CPU):  /usr/bin/python3 inference/training/train_demo_model.py
Writes model.pt (TorchScript, traced) and model.json (the model card) to
inference/src/main/resources/org/groundflow/inference/demo-model/ and the report to inference/training/EVALUATION.md.
Deterministic: fixed seeds; one thread computes, one worker process draws the crops in a fixed order, so two cores
are busy and every run gives the same weights. Two stages: STEPS steps of 96-pixel crops, half through lesions and half anywhere in the body (lesion-free
patients and regions teach what is not a finding), then CONTEXT_STAGE_STEPS steps of larger crops at a lower rate.
Every LOG_EVERY steps the log shows the loss and the Dice of each class on the crops just trained on. About 15
minutes on two idle cores (0.4 s a step), longer when other work shares them.
"""
import argparse
import json
import math
import multiprocessing
import pathlib
import time
import uuid

import numpy as np
import torch
from torch.nn import functional as F

import evaluate as ev
import report
import phantom as ph
from unet import UNet

NAME, VERSION = "groundflow-demo-chest-ct", "2.0.0"
SEED = 20240917
EVAL_SEED = 777001
WINDOWS = [{"name": "lung", "center": -300.0, "width": 1400.0},
           {"name": "soft-tissue", "center": 40.0, "width": 400.0}]
LABELS = {ph.NODULE: "nodule", ph.LIVER_LESION: "liver lesion", ph.LUNG: "lung", ph.LIVER: "liver"}
BASE_CHANNELS = 8
STEPS, BATCH, CROP = 1200, 8, 96
LESION_CROP_SHARE = 0.6
Z_RANGE = (-160.0, 170.0)  # slice heights drawn for training, relative to the right hemidiaphragm
LEARNING_RATE, WARMUP_STEPS = 3e-3, 50
# Lesions are 0.1-0.4 % of the pixels: without large weights the model learns the organs and never the lesions
CLASS_WEIGHTS = (1.0, 200.0, 50.0, 1.0, 1.0)
DICE_WEIGHTS = (2.0, 2.0, 1.0, 1.0)  # nodule, liver lesion, lung, liver: the small findings count double
# Context stage: from the first stage's weights, larger crops (more of the body around each lesion) at a lower rate
CONTEXT_STAGE_STEPS, CONTEXT_STAGE_SHARE, CONTEXT_STAGE_CROP, CONTEXT_STAGE_BATCH = 300, 0.5, 160, 4
CONTEXT_STAGE_RATE, CONTEXT_STAGE_WEIGHTS = 8e-4, (1.0, 50.0, 15.0, 1.0, 1.0)  # fewer false positives
LOG_EVERY = 100
EVAL_CASES, EVAL_SLICES, EVAL_Z0 = 6, 48, -70.0

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_DIR = HERE.parent / "src/main/resources/org/groundflow/inference/demo-model"


def draw_sample(rng, windows, lesion_share=LESION_CROP_SHARE, crop=CROP):
    """One training crop of a new random phantom: through a lesion most of the time, else anywhere in the body."""
    phantom = ph.draw_phantom(rng)
    acq = ph.draw_acquisition(rng)
    if phantom.lesions and rng.random() < lesion_share:
        label, x, y, z, radii, _ = phantom.lesions[int(rng.integers(len(phantom.lesions)))]
        z += rng.uniform(-0.7, 0.7) * radii[2]
        x, y = phantom.to_patient(x, y)
        cx, cy = x + rng.uniform(-25, 25), y + rng.uniform(-25, 25)
    else:
        z = rng.uniform(*Z_RANGE)
        cx, cy = rng.uniform(-0.7, 0.7) * phantom.ax, phantom.cy + rng.uniform(-0.7, 0.7) * phantom.ay
    offsets = ph.grid_mm(crop, ph.PIXEL_MM)
    hu, labels, _ = ph.render(rng, phantom, cx + offsets, cy + offsets, z, acq)
    return ph.window(hu, windows), labels.astype(np.uint8)


def _batches(seed, steps, windows, share, crop, batch_size, queue):
    """Worker process: draws the crops of every step in order from its own random stream."""
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        batch = [draw_sample(rng, windows, share, crop) for _ in range(batch_size)]
        queue.put((np.stack([b[0] for b in batch]), np.stack([b[1] for b in batch])))


def class_dice(logits, target, tally):
    """Adds each class's hard overlap counts (intersection, predicted, true) of one batch to tally [classes, 3]."""
    predicted = logits.argmax(dim=1)
    for c in range(ph.CLASSES):
        p, t = predicted == c, target == c
        tally[c] += ((p & t).sum().item(), p.sum().item(), t.sum().item())


def loss_fn(logits, target, weights):
    """Weighted cross-entropy plus soft Dice of every foreground class (DICE_WEIGHTS), so that small nodules weigh
    more than organs."""
    ce = F.cross_entropy(logits, target, weight=weights)
    prob = logits.softmax(dim=1)
    dice_losses = []
    for c in range(1, ph.CLASSES):
        p, t = prob[:, c], (target == c).float()
        dice_losses.append(1.0 - (2.0 * (p * t).sum() + 1.0) / (p.sum() + t.sum() + 1.0))
    return ce + sum(w * d for w, d in zip(DICE_WEIGHTS, dice_losses)) / sum(DICE_WEIGHTS)


def train(steps, windows, log, stage=None):
    """stage: None for the first stage (random weights), else the first stage's weights, which the context stage goes
    on from (its own random stream, larger crops, lower rate)."""
    torch.manual_seed(SEED)
    model = UNet(BASE_CHANNELS, classes=ph.CLASSES)
    if stage:
        model.load_state_dict(stage)
    rate = CONTEXT_STAGE_RATE if stage else LEARNING_RATE
    optimiser = torch.optim.Adam(model.parameters(), lr=rate)
    weights = torch.tensor(CONTEXT_STAGE_WEIGHTS if stage else CLASS_WEIGHTS)
    share, crop, batch_size = (CONTEXT_STAGE_SHARE, CONTEXT_STAGE_CROP, CONTEXT_STAGE_BATCH) if stage else (
        LESION_CROP_SHARE, CROP, BATCH)
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=6)
    worker = context.Process(target=_batches, daemon=True,
                             args=(SEED + (1 if stage else 0), steps, windows, share, crop, batch_size, queue))
    worker.start()
    model.train()
    losses, tally = [], np.zeros((ph.CLASSES, 3))
    for step in range(steps):
        xs, ys = queue.get()
        x, y = torch.from_numpy(xs), torch.from_numpy(ys.astype(np.int64))
        warm = min(1.0, (step + 1) / WARMUP_STEPS)
        lr = rate * warm * 0.5 * (1.0 + math.cos(math.pi * step / steps))
        for group in optimiser.param_groups:
            group["lr"] = max(lr, 1e-5)
        optimiser.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, y, weights)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
        class_dice(logits.detach(), y, tally)
        if (step + 1) % LOG_EVERY == 0:
            dice = " ".join(f"{LABELS.get(c, 'background')} {2 * i / max(p + t, 1):.3f}" for c, (i, p, t) in
                            enumerate(tally))
            log(f"step {step + 1}/{steps}: loss {np.mean(losses):.4f}; Dice on these crops: {dice}")
            losses, tally = [], np.zeros((ph.CLASSES, 3))
    worker.join()
    return model.eval()


def card_uid():
    """2.25 UID (ISO/IEC 9834-8) from a name-based UUID of name and version: the same model always gets the same UID."""
    return "2.25." + str(uuid.uuid3(uuid.NAMESPACE_URL, f"urn:groundflow:model:{NAME}:{VERSION}").int)


def _sct(code, display):
    return {"system": "http://snomed.info/sct", "dicomScheme": "SCT", "code": code, "display": display}


LUNG_CODE, LIVER_CODE = _sct("39607008", "Lung"), _sct("10200004", "Liver")


def model_card(steps, seconds, training_evaluation, parameters):
    return {
        "name": NAME, "version": VERSION, "uid": card_uid(), "manufacturer": "Groundflow", "modality": "CT",
        "file": "model.pt",
        "input": {
            "layout": "NCHW", "channels": 2, "rows": ph.SIZE, "columns": ph.SIZE, "pixelSpacingMm": ph.PIXEL_MM,
            "sliceSpacingMm": ph.SLICE_MM,
            "spacingPolicy": "The series is reoriented to axial LPS and resampled to 1.5 mm pixels on a 256 x 256 grid "
                             "centred on each slice and to slices 2.5 mm apart; labels map back to the source voxels "
                             "by nearest neighbour.",
            "windows": WINDOWS,
            "normalisation": "One channel per window, in the order listed: "
                             "clip((HU - (center - width / 2)) / width, 0, 1), float32.",
        },
        "output": {"layout": "NCHW", "classes": ph.CLASSES, "kind": "logits"},
        "labels": [
            {"value": ph.NODULE, "name": "nodule", "kind": "finding", "color": [230, 159, 0],
             "code": _sct("27925004", "Nodule"), "site": LUNG_CODE,
             "plausibility": {"maxDiameterMm": 30, "withinAnatomy": "lung",
                              "larger": {"name": "mass", "code": _sct("4147007", "Mass")}}},
            {"value": ph.LIVER_LESION, "name": "liver lesion", "kind": "finding", "color": [86, 180, 233],
             "code": _sct("300331000", "Lesion of liver"), "site": LIVER_CODE,
             "plausibility": {"withinAnatomy": "liver", "maxDiameterMm": 100}},
            {"value": ph.LUNG, "name": "lung", "kind": "anatomy", "color": [0, 158, 115], "code": LUNG_CODE},
            {"value": ph.LIVER, "name": "liver", "kind": "anatomy", "color": [204, 121, 167], "code": LIVER_CODE},
        ],
        "domain": {"modality": "CT", "bodyParts": ["CHEST", "ABDOMEN", "CHESTABDOMEN", "THORAX"],
                   "maxObliquityDeg": 20, "sliceThicknessMm": list(ph.THICKNESS_MM)},
        "confidence": {"lowBelow": 0.7},
        "intendedUse": "Synthetic demonstration only: trained on generator A and evaluated on the independent "
                       "generator B (inference/training/PHANTOM.md). Not a medical device; not for clinical use.",
        "license": "Apache-2.0",
        "training": {"script": "inference/training/train_demo_model.py", "seed": SEED, "cases": steps * BATCH,
                     "epochs": 1, "steps": steps, "batch": BATCH, "crop": CROP, "parameters": parameters,
                     "seconds": round(seconds, 1)},
        "evaluation": report.card_evaluation(training_evaluation, None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--context-steps", type=int, default=CONTEXT_STAGE_STEPS)
    parser.add_argument("--package-dir", type=pathlib.Path, default=PACKAGE_DIR)
    parser.add_argument("--report", type=pathlib.Path, default=HERE / "EVALUATION.md")
    parser.add_argument("--eval-cases", type=int, default=EVAL_CASES)
    args = parser.parse_args()
    started = time.time()
    torch.set_num_threads(1)  # the second core draws the crops
    torch.set_flush_denormal(True)  # tiny late-training gradients are otherwise denormal and slow the CPU 4x
    torch.use_deterministic_algorithms(True)

    def log(message):
        print(f"[{time.time() - started:7.1f} s] {message}", flush=True)

    windows = [(w["center"], w["width"]) for w in WINDOWS]
    model = train(args.steps, windows, log)
    log("context stage")
    model = train(args.context_steps, windows, log, {k: v.clone() for k, v in model.state_dict().items()})
    args.package_dir.mkdir(parents=True, exist_ok=True)
    traced = torch.jit.trace(model, torch.zeros(1, 2, ph.SIZE, ph.SIZE))
    check = torch.rand(3, 2, ph.SIZE, ph.SIZE)
    with torch.no_grad():
        assert torch.allclose(traced(check), model(check), atol=1e-5), "traced model differs from the eager model"
    model_path = args.package_dir / "model.pt"
    traced.save(str(model_path))
    log(f"wrote {model_path} ({model_path.stat().st_size} bytes); evaluating on generator A's held-out set")
    tally, min_voxels = ev.evaluate(model, windows, EVAL_SEED, args.eval_cases, EVAL_SLICES, EVAL_Z0)
    evaluation = ev.summary(tally, LABELS)
    evaluation.update({"generator": "A (training generator, held-out seed)", "seed": EVAL_SEED,
                       "minimumVoxels": min_voxels, "slices": EVAL_SLICES})
    log(f"evaluation: {json.dumps(evaluation)}")
    parameters = sum(p.numel() for p in model.parameters())
    card = model_card(args.steps, time.time() - started, evaluation, parameters)
    (args.package_dir / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    args.report.write_text(report.markdown(card))
    log(f"wrote model.json and {args.report.name}")


if __name__ == "__main__":
    main()
