#!/usr/bin/python3
"""Trains the Groundflow demo model on synthetic phantoms (PHANTOM.md) and writes its model package.

Run with Debian's Python (python3-torch 1.13, CPU):  /usr/bin/python3 inference/training/train_demo_model.py
Writes model.pt (TorchScript, traced) and model.json (the model card) to
inference/src/main/resources/org/groundflow/inference/demo-model/ and the report to inference/training/EVALUATION.md.
Deterministic: fixed seeds, two threads (same weights on every run); 5-10 minutes on two cores.
"""
import argparse
import json
import math
import pathlib
import time
import uuid

import numpy as np
import torch
from torch.nn import functional as F

import evaluate as ev
import phantom as ph
from unet import UNet

NAME, VERSION = "groundflow-demo-chest-ct", "1.0.0"
SEED = 20240917
EVAL_SEED = 777001
WINDOWS = [{"name": "lung", "center": -300.0, "width": 1400.0},
           {"name": "soft-tissue", "center": 40.0, "width": 400.0}]
LABELS = {ph.NODULE: "nodule", ph.CYST: "cyst"}
BASE_CHANNELS = 8
CASES, CASE_SLICES, CASE_Z0 = 800, 32, -40.0
BATCH, CROP = 16, 96
LESION_CROP_SHARE = 0.8
RESAMPLED_SHARE, RESAMPLED_SPACING_MM = 0.4, (0.5, 2.0)  # crops scanned at another spacing and resampled to 1.5 mm
LEARNING_RATE, WARMUP_STEPS = 3e-3, 50
EVAL_CASES, EVAL_SLICES, EVAL_Z0 = 20, 48, -60.0
EVAL_RESAMPLED_CASES, EVAL_RESAMPLED_SPACING = 10, 0.75  # 512 x 512 at 0.75 mm, resampled as Java does

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_DIR = HERE.parent / "src/main/resources/org/groundflow/inference/demo-model"


def crop_window(rng, centre_px):
    """Rows and columns of a CROP x CROP window around centre_px (row, col), kept inside the image."""
    half = CROP // 2
    r0 = int(np.clip(centre_px[0] - half, 0, ph.SIZE - CROP))
    c0 = int(np.clip(centre_px[1] - half, 0, ph.SIZE - CROP))
    return slice(r0, r0 + CROP), slice(c0, c0 + CROP)


def mm_to_px(v):
    return (v - ph.ORIGIN_MM) / ph.PIXEL_MM


def draw_sample(rng, phantom, windows):
    """One training crop: a slice through a lesion (most of the time) or any slice, cropped near a lesion or anywhere."""
    lesion_slices = phantom.lesion_slices()
    if lesion_slices and rng.random() < LESION_CROP_SHARE:
        k = int(rng.choice(lesion_slices))
        z = phantom.slice_z(k)
        cut = [les for les in phantom.lesions if abs(z - les[3]) <= les[4]]
        _, cx, cy, _, _ = cut[int(rng.integers(len(cut)))]
        centre = (mm_to_px(cy) + rng.uniform(-36, 36), mm_to_px(cx) + rng.uniform(-36, 36))
    else:
        k = int(rng.integers(phantom.slices))
        centre = (rng.uniform(20, ph.SIZE - 20), rng.uniform(0, ph.SIZE))
    rows, cols = crop_window(rng, centre)
    if rng.random() < RESAMPLED_SHARE:
        coords = ph.ORIGIN_MM + ph.PIXEL_MM * np.arange(ph.SIZE)
        spacing = rng.uniform(*RESAMPLED_SPACING_MM)
        hu, labels, _ = ph.render_resampled(rng, phantom, phantom.slice_z(k), coords[cols], coords[rows], spacing)
    else:
        hu, labels, _ = ph.render_slice(rng, phantom, k, rows, cols)
    if rng.random() < 0.5:  # left-right mirror: the phantom is symmetric but lesions are not
        hu, labels = hu[:, ::-1], labels[:, ::-1]
    return ph.window(hu, windows), labels.astype(np.int64)


def loss_fn(logits, target):
    """Cross-entropy plus soft Dice of the lesion classes, so that small nodules weigh as much as large cysts."""
    ce = F.cross_entropy(logits, target)
    prob = logits.softmax(dim=1)
    dice_losses = []
    for c in (ph.NODULE, ph.CYST):
        p, t = prob[:, c], (target == c).float()
        dice_losses.append(1.0 - (2.0 * (p * t).sum() + 1.0) / (p.sum() + t.sum() + 1.0))
    return ce + sum(dice_losses) / len(dice_losses)


def train(epochs, windows, log):
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    cases = [ph.draw_phantom(rng, CASE_SLICES, CASE_Z0) for _ in range(CASES)]
    model = UNet(BASE_CHANNELS)
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    steps_per_epoch = CASES // BATCH
    total = epochs * steps_per_epoch
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(CASES)
        model.train()
        losses = []
        for s in range(steps_per_epoch):
            batch = [draw_sample(rng, cases[i], windows) for i in order[s * BATCH:(s + 1) * BATCH]]
            x = torch.from_numpy(np.stack([b[0] for b in batch]))
            y = torch.from_numpy(np.stack([b[1] for b in batch]))
            warm = min(1.0, (step + 1) / WARMUP_STEPS)
            lr = LEARNING_RATE * warm * 0.5 * (1.0 + math.cos(math.pi * step / total))
            for group in optimiser.param_groups:
                group["lr"] = max(lr, 1e-5)
            optimiser.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
            step += 1
        log(f"epoch {epoch + 1}/{epochs}: loss {np.mean(losses):.4f}")
    return model.eval()


def card_uid():
    """2.25 UID (ISO/IEC 9834-8) from a name-based UUID of name and version: the same model always gets the same UID."""
    return "2.25." + str(uuid.uuid3(uuid.NAMESPACE_URL, f"urn:groundflow:model:{NAME}:{VERSION}").int)


def model_card(epochs, seconds, evaluation):
    return {
        "name": NAME, "version": VERSION, "uid": card_uid(), "manufacturer": "Groundflow", "modality": "CT",
        "file": "model.pt",
        "input": {
            "layout": "NCHW", "channels": 2, "rows": ph.SIZE, "columns": ph.SIZE, "pixelSpacingMm": ph.PIXEL_MM,
            "spacingPolicy": "Each axial slice is resampled in-plane to 1.5 mm pixels on a 256 x 256 grid centred on "
                             "the slice before inference (bilinear); labels map back to the source pixels by nearest "
                             "neighbour. Slices are read one by one, so slice spacing is free.",
            "windows": WINDOWS,
            "normalisation": "One channel per window, in the order listed: "
                             "clip((HU - (center - width / 2)) / width, 0, 1), float32.",
        },
        "output": {"layout": "NCHW", "classes": 3, "kind": "logits"},
        "labels": [
            {"value": 1, "name": "nodule", "color": [230, 159, 0],
             "code": {"system": "http://snomed.info/sct", "dicomScheme": "SCT", "code": "27925004",
                      "display": "Nodule"},
             "site": {"system": "http://snomed.info/sct", "dicomScheme": "SCT", "code": "39607008",
                      "display": "Lung"}},
            {"value": 2, "name": "cyst", "color": [86, 180, 233],
             "code": {"system": "http://snomed.info/sct", "dicomScheme": "SCT", "code": "441457006",
                      "display": "Cyst"},
             "site": {"system": "http://snomed.info/sct", "dicomScheme": "SCT", "code": "51185008",
                      "display": "Chest"}},
        ],
        "intendedUse": "Synthetic demonstration only: trained and evaluated on synthetic chest phantoms "
                       "(inference/training/PHANTOM.md). Not a medical device; not for clinical use.",
        "license": "Apache-2.0",
        "training": {"script": "inference/training/train_demo_model.py", "seed": SEED, "cases": CASES,
                     "epochs": epochs, "seconds": round(seconds, 1)},
        "evaluation": {k: evaluation[k] for k in ("heldOutCases", "lesionSensitivity", "perLabelSensitivity",
                                                 "meanDice", "perLabelDice")},
    }


def _table(title, evaluation, per_label):
    lines = ["", f"## {title}", "",
             "| label | lesions | detected | sensitivity | mean Dice | radius range (mm) | false-positive components |",
             "|---|---|---|---|---|---|---|"]
    for k, s in per_label.items():
        radii = f"{min(s['radii']):.1f}-{max(s['radii']):.1f}" if s["radii"] else "-"
        lines.append(f"| {LABELS[k]} | {s['lesions']} | {s['detected']} | {s['detected'] / max(s['lesions'], 1):.3f} "
                     f"| {np.mean(s['dice']) if s['dice'] else 0.0:.3f} | {radii} | {s['fp']} |")
    lines += ["", f"All {evaluation['lesions']} lesions: sensitivity **{evaluation['lesionSensitivity']:.3f}**, mean Dice "
                  f"**{evaluation['meanDice']:.3f}**, {evaluation['falsePositivesPerCase']} false-positive components "
                  f"per case."]
    return lines


def evaluation_report(card, sets, min_voxels, parameters, size_bytes):
    """sets: (title, summary, per-label statistics) of each held-out set, the card's set first."""
    lines = [
        f"# Evaluation of {NAME} {VERSION}", "",
        "Synthetic demonstration model; not for clinical use. Written by `train_demo_model.py`: do not edit by hand.", "",
        f"- Held-out sets: random phantoms (PHANTOM.md) of {EVAL_SLICES} slices, 0-3 nodules and 0-2 cysts each, "
        f"seeds {EVAL_SEED} and {EVAL_SEED + 1}; never seen in training (seed {SEED}). The first set is on the model's "
        f"grid (256 x 256 at 1.5 mm) and gives the card's figures; the second is scanned at "
        f"{EVAL_RESAMPLED_SPACING} mm ({int(round(256 * 1.5 / EVAL_RESAMPLED_SPACING))} x "
        f"{int(round(256 * 1.5 / EVAL_RESAMPLED_SPACING))}) and resampled bilinearly to the model's grid, as the Java "
        f"runner does.",
        f"- Prediction: argmax per pixel, slice by slice; 26-connected components per label; components under "
        f"{ev.MIN_COMPONENT_ML} mL ({min_voxels} voxels) dropped, as the Java FindingExtractor does.",
        "- A lesion is detected when a predicted component of its label overlaps it. Dice per lesion: the lesion "
        "against the union of the overlapping components (0 when missed); the mean is over lesions. A false "
        "positive is a predicted component that overlaps no lesion of its label.",
    ]
    for title, evaluation, per_label in sets:
        lines += _table(title, evaluation, per_label)
    lines += [
        "", "## Model and training", "",
        f"- 2D U-Net, base {BASE_CHANNELS} channels, {parameters} parameters, TorchScript {size_bytes / 1e6:.2f} MB.",
        f"- {CASES} phantoms of {CASE_SLICES} slices, {card['training']['epochs']} epochs of one {CROP} x {CROP} crop "
        f"per phantom (batch {BATCH}); {int(RESAMPLED_SHARE * 100)} % of crops scanned at "
        f"{RESAMPLED_SPACING_MM[0]}-{RESAMPLED_SPACING_MM[1]} mm and resampled; loss cross-entropy + soft Dice.",
        f"- Whole run (training and evaluation) {card['training']['seconds']} s on {torch.get_num_threads()} threads, "
        f"torch {torch.__version__}.",
        "", "Targets: lesion sensitivity >= 0.9 and mean Dice >= 0.8.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--package-dir", type=pathlib.Path, default=PACKAGE_DIR)
    parser.add_argument("--report", type=pathlib.Path, default=HERE / "EVALUATION.md")
    parser.add_argument("--eval-cases", type=int, default=EVAL_CASES)
    parser.add_argument("--resampled-cases", type=int, default=EVAL_RESAMPLED_CASES)
    args = parser.parse_args()
    started = time.time()
    torch.set_num_threads(2)
    torch.set_flush_denormal(True)  # tiny late-training gradients are otherwise denormal and slow the CPU 4x
    torch.use_deterministic_algorithms(True)

    def log(message):
        print(f"[{time.time() - started:7.1f} s] {message}", flush=True)

    windows = [(w["center"], w["width"]) for w in WINDOWS]
    model = train(args.epochs, windows, log)
    log("evaluating")
    per_label, min_voxels = ev.evaluate(model, windows, EVAL_SEED, args.eval_cases, EVAL_SLICES, EVAL_Z0)
    evaluation = ev.summary(per_label, LABELS, args.eval_cases)
    log(f"evaluation: {json.dumps(evaluation)}")
    per_label_resampled, _ = ev.evaluate(model, windows, EVAL_SEED + 1, args.resampled_cases, EVAL_SLICES, EVAL_Z0,
                                         EVAL_RESAMPLED_SPACING)
    resampled = ev.summary(per_label_resampled, LABELS, args.resampled_cases)
    log(f"evaluation of resampled scans: {json.dumps(resampled)}")

    args.package_dir.mkdir(parents=True, exist_ok=True)
    traced = torch.jit.trace(model, torch.zeros(1, 2, ph.SIZE, ph.SIZE))
    check = torch.rand(3, 2, ph.SIZE, ph.SIZE)
    with torch.no_grad():
        assert torch.allclose(traced(check), model(check), atol=1e-5), "traced model differs from the eager model"
    model_path = args.package_dir / "model.pt"
    traced.save(str(model_path))
    seconds = time.time() - started
    card = model_card(args.epochs, seconds, evaluation)
    (args.package_dir / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    parameters = sum(p.numel() for p in model.parameters())
    sets = [("Model grid (256 x 256 at 1.5 mm)", evaluation, per_label),
            (f"Resampled from {EVAL_RESAMPLED_SPACING} mm", resampled, per_label_resampled)]
    args.report.write_text(evaluation_report(card, sets, min_voxels, parameters, model_path.stat().st_size))
    log(f"wrote {model_path} ({model_path.stat().st_size} bytes), model.json and {args.report.name}")


if __name__ == "__main__":
    main()
