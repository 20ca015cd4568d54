"""Per-lesion scoring of predicted label volumes, shared by the training generator's held-out set and the benchmark.

Definitions (EVALUATION.md): a finding is a 26-connected component of a finding label (1 nodule, 2 liver lesion) of
at least MIN_COMPONENT_ML. A lesion is detected when a finding of its own label overlaps it; its label is right when
the finding that overlaps it most has its label. A false positive is a finding that overlaps no lesion. Dice per
lesion: the lesion against the union of the findings of its label that overlap it (0 when missed).
"""
import math

import numpy as np
import torch
from scipy import ndimage, spatial

import phantom as ph

MIN_COMPONENT_ML = 0.05  # Java's FindingExtractor drops smaller components
_CONNECTIVITY = np.ones((3, 3, 3), bool)


def predict_volume(model, hu, windows, neighbours, batch=8):
    """Argmax labels [slices, rows, columns] of one HU volume on the model's grid (each slice seen with `neighbours`
    slices on either side)."""
    x = ph.with_neighbours(ph.window(hu, windows), neighbours)
    out = []
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            out.append(model(torch.from_numpy(x[i:i + batch])).argmax(dim=1).numpy().astype(np.uint8))
    return np.concatenate(out)


def findings(predicted, min_voxels):
    """(label, boolean mask) of each finding component."""
    found = []
    for label in ph.FINDINGS:
        components, n = ndimage.label(predicted == label, structure=_CONNECTIVITY)
        sizes = np.bincount(components.ravel(), minlength=n + 1)
        for c in range(1, n + 1):
            if sizes[c] >= min_voxels:
                found.append((label, components == c))
    return found


def new_tally():
    return {"studies": 0, "lesionFree": 0, "lesionFreeClean": 0, "falsePositives": 0,
            "perLabel": {label: {"lesions": 0, "detected": 0, "rightLabel": 0, "overlapped": 0, "dice": []}
                         for label in ph.FINDINGS}}


def score(tally, found, lesions):
    """Adds one study. found: (label value, voxels, overlap with each lesion) per finding; lesions: (label value,
    voxels) per lesion of the study."""
    tally["studies"] += 1
    if not lesions:
        tally["lesionFree"] += 1
        tally["lesionFreeClean"] += int(not found)
    for i, (label, truth_voxels) in enumerate(lesions):
        stats = tally["perLabel"][label]
        stats["lesions"] += 1
        overlaps = [(f[2][i], j) for j, f in enumerate(found) if f[2][i] > 0]
        if overlaps:
            stats["overlapped"] += 1
            stats["rightLabel"] += int(found[max(overlaps)[1]][0] == label)
        own = [j for _, j in overlaps if found[j][0] == label]
        if not own:
            stats["dice"].append(0.0)
            continue
        stats["detected"] += 1
        both = sum(found[j][2][i] for j in own)
        stats["dice"].append(2.0 * both / (sum(found[j][1] for j in own) + truth_voxels))
    tally["falsePositives"] += sum(1 for f in found if not any(n > 0 for n in f[2]))


def counts(found, truths):
    """score()'s inputs from boolean masks: found = [(label, mask)], truths = [(label, mask)]."""
    return ([(label, int(np.count_nonzero(mask)), [int(np.count_nonzero(mask & t)) for _, t in truths])
             for label, mask in found],
            [(label, int(np.count_nonzero(t))) for label, t in truths])


def summary(tally, names):
    per = tally["perLabel"]
    lesions = sum(s["lesions"] for s in per.values())
    overlapped = sum(s["overlapped"] for s in per.values())
    dices = [d for s in per.values() for d in s["dice"]]
    return {
        "studies": tally["studies"], "lesions": lesions,
        "lesionSensitivity": round(sum(s["detected"] for s in per.values()) / max(lesions, 1), 4),
        "perLabelSensitivity": {names[k]: round(s["detected"] / max(s["lesions"], 1), 4) for k, s in per.items()},
        "perLabelLesions": {names[k]: s["lesions"] for k, s in per.items()},
        "meanDice": round(float(np.mean(dices)) if dices else 0.0, 4),
        "perLabelDice": {names[k]: round(float(np.mean(s["dice"])) if s["dice"] else 0.0, 4) for k, s in per.items()},
        "labelAccuracy": round(sum(s["rightLabel"] for s in per.values()) / max(overlapped, 1), 4),
        "falsePositivesPerStudy": round(tally["falsePositives"] / max(tally["studies"], 1), 3),
        "lesionFreeStudies": tally["lesionFree"],
        "lesionFreeWithoutFinding": round(tally["lesionFreeClean"] / max(tally["lesionFree"], 1), 4),
    }


# The Java step's rules on the model grid, for choosing and reporting the operating point the card declares
SHELL_VOXELS = 2  # Java's Anatomy.SHELL_VOXELS
SITES = {ph.NODULE: ph.LUNG, ph.LIVER_LESION: ph.LIVER}  # each finding label's withinAnatomy
# each finding label's maxElongation (Java's Morphometry.elongation): a liver lesion is round, and a segment more than
# three times as long as it is wide along its principal axes is mostly a sliver along the liver's edge. Nodules have
# none: on generator A's held-out studies the rule removed as many confident false nodules as it let through once the
# nodule's confidence was chosen again without them
MAX_ELONGATION = {ph.LIVER_LESION: 3.0}
# each finding label's maxDiameterMm: the Java step drops a larger segment (the demo card names no larger word; the
# training generator draws nodules up to 26 mm, so a larger "nodule" is outside what the model has seen)
MAX_DIAMETER_MM = {ph.NODULE: 30.0, ph.LIVER_LESION: 100.0}


def greatest_diameter_mm(mask):
    """A segment's longest distance between two voxel centres on one slice, or its height along the slices if more
    (Java's FindingExtractor.greatestDiameterMm on the model grid)."""
    slices = np.nonzero(mask.any(axis=(1, 2)))[0]
    longest = (slices[-1] - slices[0]) * ph.SLICE_MM
    for z in slices:
        points = np.stack(np.nonzero(mask[z]), axis=1) * ph.PIXEL_MM
        if len(points) > 2:
            try:
                points = points[spatial.ConvexHull(points).vertices]
            except spatial.QhullError:  # all on one line
                pass
        if len(points) > 1:
            longest = max(longest, float(spatial.distance.pdist(points).max()))
    return float(longest)
_GRID_BOX = np.diag([ph.SLICE_MM ** 2, ph.PIXEL_MM ** 2, ph.PIXEL_MM ** 2]) / 12.0


def elongation(mask):
    """Square root of the largest over the smallest eigenvalue of the covariance (mm) of a segment on the model grid,
    each voxel counted as a box of the grid's spacing, as Java's Morphometry.elongation on the source series."""
    points = np.stack(np.nonzero(mask), axis=1) * np.array([ph.SLICE_MM, ph.PIXEL_MM, ph.PIXEL_MM])
    covariance = (np.cov(points.T, bias=True) if len(points) > 1 else np.zeros((3, 3))) + _GRID_BOX
    eigen = np.linalg.eigvalsh(covariance)
    return float(np.sqrt(eigen[-1] / eigen[0]))


def predict_probabilities(model, hu, windows, neighbours, batch=8):
    """Argmax labels and the softmax probability of each finding label [label][slices, rows, columns]."""
    x = ph.with_neighbours(ph.window(hu, windows), neighbours)
    labels, probs = [], {label: [] for label in ph.FINDINGS}
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            p = model(torch.from_numpy(x[i:i + batch])).softmax(dim=1)
            labels.append(p.argmax(dim=1).numpy().astype(np.uint8))
            for label in ph.FINDINGS:
                probs[label].append(p[:, label].numpy())
    return np.concatenate(labels), {label: np.concatenate(v) for label, v in probs.items()}


def candidates(predicted, probabilities, truths, min_voxels):
    """Each component of a finding label of at least min_voxels: label, voxels, mean probability, site (the anatomy
    label most present in a shell of SHELL_VOXELS around it, as Java's Anatomy.site; 0 for none), elongation, greatest
    diameter and its overlap with each truth mask."""
    found = []
    for label in ph.FINDINGS:
        components, n = ndimage.label(predicted == label, structure=_CONNECTIVITY)
        for c, box in enumerate(ndimage.find_objects(components), start=1):
            grown = tuple(slice(max(s.start - SHELL_VOXELS, 0), s.stop + SHELL_VOXELS) for s in box)
            mask = components[grown] == c
            voxels = int(np.count_nonzero(mask))
            if voxels < min_voxels:
                continue
            shell = ndimage.binary_dilation(mask, structure=_CONNECTIVITY, iterations=SHELL_VOXELS) & ~mask
            around = predicted[grown][shell]
            counts = {organ: int(np.count_nonzero(around == organ)) for organ in (ph.LUNG, ph.LIVER)}
            site = max(counts, key=lambda organ: (counts[organ], -organ)) if any(counts.values()) else 0
            found.append({"label": label, "voxels": voxels, "confidence": float(probabilities[label][grown][mask].mean()),
                          "site": site, "elongation": elongation(mask),
                          "diameterMm": greatest_diameter_mm(mask), "overlaps": [int(np.count_nonzero(mask & t[grown])) for _, t in truths]})
    return found


def kept(found, thresholds):
    """The candidates the Java step reports: in their label's organ, round and small enough and at or above its
    confidence threshold."""
    return [f for f in found if f["site"] == SITES[f["label"]] and f["elongation"] <= MAX_ELONGATION.get(f["label"], math.inf)
            and f["diameterMm"] <= MAX_DIAMETER_MM[f["label"]]
            and f["confidence"] >= thresholds.get(f["label"], 0.0)]


def collect(model, windows, neighbours, seed, cases, slices, z0):
    """(lesions, candidates) per held-out study of the training generator drawn from `seed`."""
    rng = np.random.default_rng(seed)
    voxel_ml = ph.PIXEL_MM * ph.PIXEL_MM * ph.SLICE_MM / 1000.0
    min_voxels = int(np.ceil(MIN_COMPONENT_ML / voxel_ml))
    studies = []
    for _ in range(cases):
        phantom = ph.draw_phantom(rng)
        hu, _, instances = ph.render_volume(rng, phantom, slices, z0)
        predicted, probabilities = predict_probabilities(model, hu, windows, neighbours)
        truths = [(les[0], instances == i + 1) for i, les in enumerate(phantom.lesions)]
        truths = [(label, m) for label, m in truths if m.any()]
        studies.append(([(label, int(np.count_nonzero(m))) for label, m in truths],
                        candidates(predicted, probabilities, truths, min_voxels)))
    return studies


def operating_point(studies, budget_per_label):
    """Per finding label the least confidence threshold at which its false positives (after the site and shape rules)
    are at most budget_per_label per study."""
    thresholds = {}
    for label in ph.FINDINGS:
        false = sorted((f["confidence"] for _, found in studies for f in kept(found, {})
                        if f["label"] == label and not any(f["overlaps"])), reverse=True)
        allowed = int(np.floor(budget_per_label * len(studies)))
        # the threshold (in hundredths) sits just above the (allowed + 1)-th most confident false positive
        thresholds[label] = 0.0 if len(false) <= allowed else (math.floor(false[allowed] * 100) + 1) / 100
    return thresholds


def low_confidence_bounds(studies, thresholds):
    """Per finding label the confidence below which its findings are flagged as low: just above the most confident
    false finding that the studies still give at the operating point; a label with none is left out."""
    bounds = {}
    for label in ph.FINDINGS:
        false = [f["confidence"] for _, found in studies for f in kept(found, thresholds)
                 if f["label"] == label and not any(f["overlaps"])]
        if false:
            bounds[label] = min(1.0, (math.floor(max(false) * 100) + 1) / 100)
    return bounds


def score_at(studies, thresholds):
    """The held-out tally of the Java step's findings at these thresholds."""
    tally = new_tally()
    for lesions, found in studies:
        score(tally, [(f["label"], f["voxels"], f["overlaps"]) for f in kept(found, thresholds)], lesions)
    return tally
