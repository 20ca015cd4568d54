"""Per-lesion evaluation on held-out 3D phantoms: 26-connected components, detection and Dice per lesion."""
import numpy as np
import torch

import phantom as ph

# Java's FindingExtractor drops smaller predicted components; the evaluation does the same.
MIN_COMPONENT_ML = 0.05
_NEIGHBOURS = [(dz, dy, dx) for dz in (-1, 0, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dz, dy, dx) != (0, 0, 0)]


def components(mask):
    """26-connected components of a boolean [z, y, x] mask, as a list of (k, 3) voxel index arrays."""
    todo = {tuple(p) for p in np.argwhere(mask)}
    found = []
    while todo:
        seed = todo.pop()
        stack, members = [seed], [seed]
        while stack:
            z, y, x = stack.pop()
            for dz, dy, dx in _NEIGHBOURS:
                n = (z + dz, y + dy, x + dx)
                if n in todo:
                    todo.remove(n)
                    stack.append(n)
                    members.append(n)
        found.append(np.array(members))
    return found


def predict_volume(model, hu, windows, batch=8):
    """Argmax labels [slices, 256, 256] of one HU volume."""
    x = ph.window(hu, windows)
    out = []
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            out.append(model(torch.from_numpy(x[i:i + batch])).argmax(dim=1).numpy().astype(np.uint8))
    return np.concatenate(out)


def evaluate(model, windows, seed, cases, slices, z0, source_spacing=None):
    """Per-lesion sensitivity and Dice; false-positive components per volume."""
    rng = np.random.default_rng(seed)
    voxel_ml = ph.PIXEL_MM * ph.PIXEL_MM * ph.SLICE_MM / 1000.0
    min_voxels = int(np.ceil(MIN_COMPONENT_ML / voxel_ml))
    per_label = {ph.NODULE: {"lesions": 0, "detected": 0, "dice": [], "fp": 0, "radii": []},
                 ph.CYST: {"lesions": 0, "detected": 0, "dice": [], "fp": 0, "radii": []}}
    for _ in range(cases):
        phantom = ph.draw_phantom(rng, slices, z0)
        hu, _, instances = ph.render_volume(rng, phantom, source_spacing)
        predicted = predict_volume(model, hu, windows)
        for label, stats in per_label.items():
            comps = [c for c in components(predicted == label) if len(c) >= min_voxels]
            comp_masks = []
            for c in comps:
                m = np.zeros(predicted.shape, dtype=bool)
                m[c[:, 0], c[:, 1], c[:, 2]] = True
                comp_masks.append(m)
            used = [False] * len(comps)
            for i, (lesion_label, _, _, _, r) in enumerate(phantom.lesions):
                if lesion_label != label:
                    continue
                truth = instances == i + 1
                hits = [j for j, m in enumerate(comp_masks) if np.any(m & truth)]
                stats["lesions"] += 1
                stats["radii"].append(r)
                if not hits:
                    stats["dice"].append(0.0)
                    continue
                stats["detected"] += 1
                union = np.zeros(predicted.shape, dtype=bool)
                for j in hits:
                    used[j] = True
                    union |= comp_masks[j]
                stats["dice"].append(2.0 * np.sum(union & truth) / (np.sum(union) + np.sum(truth)))
            stats["fp"] += used.count(False)
    return per_label, min_voxels


def summary(per_label, names, cases):
    lesions = sum(s["lesions"] for s in per_label.values())
    detected = sum(s["detected"] for s in per_label.values())
    dices = [d for s in per_label.values() for d in s["dice"]]
    return {
        "heldOutCases": cases,
        "lesions": lesions,
        "lesionSensitivity": round(detected / max(lesions, 1), 4),
        "perLabelSensitivity": {names[k]: round(s["detected"] / max(s["lesions"], 1), 4) for k, s in per_label.items()},
        "meanDice": round(float(np.mean(dices)) if dices else 0.0, 4),
        "perLabelDice": {names[k]: round(float(np.mean(s["dice"])) if s["dice"] else 0.0, 4)
                         for k, s in per_label.items()},
        "falsePositivesPerCase": round(sum(s["fp"] for s in per_label.values()) / cases, 3),
    }
