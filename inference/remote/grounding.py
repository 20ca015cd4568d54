"""From masks to the answer of CONTRACT.md: 26-connected components, segments numbered like Java's FindingExtractor
(by label value, then largest first), one grounded sentence per segment and an impression."""
from dataclasses import dataclass

import numpy as np

import contract

# Java's FindingExtractor drops components under this volume; the server does the same so both count alike.
MINIMUM_VOLUME_ML = 0.05
_OFFSETS = [(dz, dy, dx) for dz in (-1, 0, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dz, dy, dx) != (0, 0, 0)]


@dataclass
class Region:
    """Voxels (flat indices into [slices, rows, columns]) that one segment outlines, and what the model said.

    confidence is None when the model gives none (UniBiomed's masks are thresholded)."""
    label: str
    value: int
    voxels: np.ndarray
    confidence: float
    text: str = None
    phrase: str = None


def components(mask):
    """26-connected components of a boolean [z, y, x] mask, each as its ascending flat voxel indices."""
    slices, rows, columns = mask.shape
    todo = set(np.flatnonzero(mask).tolist())
    found = []
    plane = rows * columns
    while todo:
        seed = todo.pop()
        stack, members = [seed], [seed]
        while stack:
            v = stack.pop()
            z, rest = divmod(v, plane)
            y, x = divmod(rest, columns)
            for dz, dy, dx in _OFFSETS:
                nz, ny, nx = z + dz, y + dy, x + dx
                if 0 <= nz < slices and 0 <= ny < rows and 0 <= nx < columns:
                    n = (nz * rows + ny) * columns + nx
                    if n in todo:
                        todo.remove(n)
                        stack.append(n)
                        members.append(n)
        found.append(np.array(sorted(members), dtype=np.int64))
    return found


def _join(parts, last):
    """Java FindingWording.join: "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + last + parts[-1]


def large_enough(voxel_count, series):
    """The test of Java's FindingExtractor, in the same floating-point order."""
    return voxel_count * series.column_spacing * series.row_spacing * series.slice_spacing / 1000.0 >= MINIMUM_VOLUME_ML


def answer(request_id, card, series, regions, warnings=()):
    """The JSON answer for regions of one series: segments, findings, impression (CONTRACT.md "Response")."""
    ordered = sorted(regions, key=lambda r: (r.value, -len(r.voxels)))
    segments, findings = [], []
    counts = {label["name"]: 0 for label in sorted(card["labels"], key=lambda l: l["value"])}
    shape = series.values.shape
    for number, region in enumerate(ordered, start=1):
        mask = np.zeros(shape, dtype=bool)
        mask.ravel()[region.voxels] = True
        segments.append(contract.segment_json(number, region.label, region.confidence, mask, series.sop_uids))
        ml = len(region.voxels) * series.voxel_ml()
        phrase = region.phrase or region.label
        text = region.text or f"A {phrase} of {ml:.2f} mL, outlined by segment {number}."
        findings.append({"label": region.label, "text": text, "phrase": phrase, "segment": number})
        counts[region.label] = counts.get(region.label, 0) + 1
    found = [f"{n} {name}{'' if n == 1 else 's'}" for name, n in counts.items() if n > 0]
    impression = (_join(found, " and ") + "; see findings.") if found else "No " + _join(list(counts), " or ") + " detected."
    return {
        "requestId": request_id,
        "model": {"name": card["name"], "version": card["version"], "uid": card["uid"]},
        "segments": segments,
        "findings": findings,
        "impression": impression,
        "warnings": list(warnings),
    }
