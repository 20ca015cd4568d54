"""The synthetic chest phantom of PHANTOM.md, drawn at random.

Everything here follows PHANTOM.md; change both together. No patient data: every phantom comes from these numbers.
"""
import math

import numpy as np

# Geometry (PHANTOM.md "Geometry")
SIZE = 256
PIXEL_MM = 1.5
SLICE_MM = 2.5
ORIGIN_MM = -191.25  # x and y of pixel (0, 0)

# Intensities in HU before noise (PHANTOM.md "Intensities")
AIR_HU, BODY_HU, LUNG_HU, SPINE_HU, NODULE_HU, CYST_HU = -1000.0, 40.0, -850.0, 400.0, 35.0, 0.0
NOISE_SIGMA_HU = 12.0
BODY_AXES = (170.0, 120.0)
LUNG_CENTRES = ((-75.0, -5.0), (75.0, -5.0))
LUNG_AXES = (55.0, 80.0)
SPINE_CENTRE, SPINE_RADIUS = (0.0, 95.0), 18.0
NODULE_RADIUS, NODULE_MARGIN = (4.0, 12.0), 3.0
CYST_RADIUS, CYST_MARGIN = (8.0, 20.0), 4.0

NODULE, CYST = 1, 2
LESION_GAP_MM = 3.0  # lesions drawn in one phantom keep at least this much apart

_ANGLES = np.linspace(0.0, 2.0 * math.pi, 2048, endpoint=False)


def _ellipse_value(x, y, cx, cy, ax, ay):
    return ((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2


def _distance_to_ellipse(x, y, cx, cy, ax, ay):
    """Distance from (x, y) to the outline of an axis-aligned ellipse (dense sampling, < 0.1 mm error here)."""
    bx = cx + ax * np.cos(_ANGLES)
    by = cy + ay * np.sin(_ANGLES)
    return float(np.min(np.hypot(bx - x, by - y)))


def _fits_in_lung(x, y, r):
    for cx, cy in LUNG_CENTRES:
        if _ellipse_value(x, y, cx, cy, *LUNG_AXES) < 1.0:
            return _distance_to_ellipse(x, y, cx, cy, *LUNG_AXES) >= r + NODULE_MARGIN
    return False


def _fits_in_soft_tissue(x, y, r):
    if _ellipse_value(x, y, 0.0, 0.0, *BODY_AXES) >= 1.0:
        return False
    if _distance_to_ellipse(x, y, 0.0, 0.0, *BODY_AXES) < r + CYST_MARGIN:
        return False
    for cx, cy in LUNG_CENTRES:
        if _ellipse_value(x, y, cx, cy, *LUNG_AXES) <= 1.0:
            return False
        if _distance_to_ellipse(x, y, cx, cy, *LUNG_AXES) < r + CYST_MARGIN:
            return False
    return math.hypot(x - SPINE_CENTRE[0], y - SPINE_CENTRE[1]) >= SPINE_RADIUS + r + CYST_MARGIN


class Phantom:
    """One random phantom: slice count, first slice z, lesions as (label, cx, cy, cz, r) in mm."""

    def __init__(self, slices, z0, lesions):
        self.slices = slices
        self.z0 = z0
        self.lesions = lesions

    def slice_z(self, k):
        return self.z0 + SLICE_MM * k

    def lesion_slices(self):
        """Slice indices that cut at least one lesion."""
        ks = set()
        for _, _, _, cz, r in self.lesions:
            for k in range(self.slices):
                if abs(self.slice_z(k) - cz) <= r:
                    ks.add(k)
        return sorted(ks)


def draw_phantom(rng, slices, z0, max_nodules=3, max_cysts=2):
    """Draws lesion positions per PHANTOM.md: nodules inside a lung, cysts inside soft tissue, none overlapping."""
    z_lo, z_hi = z0, z0 + SLICE_MM * (slices - 1)
    lesions = []
    wanted = [NODULE] * int(rng.integers(0, max_nodules + 1)) + [CYST] * int(rng.integers(0, max_cysts + 1))
    for label in wanted:
        lo, hi = NODULE_RADIUS if label == NODULE else CYST_RADIUS
        for _ in range(200):
            r = float(rng.uniform(lo, hi))
            if z_hi - z_lo < 2 * r:
                break
            x = float(rng.uniform(-170.0, 170.0))
            y = float(rng.uniform(-120.0, 120.0))
            z = float(rng.uniform(z_lo + r, z_hi - r))
            fits = _fits_in_lung(x, y, r) if label == NODULE else _fits_in_soft_tissue(x, y, r)
            apart = all(math.dist((x, y, z), (ox, oy, oz)) >= r + orr + LESION_GAP_MM
                        for _, ox, oy, oz, orr in lesions)
            if fits and apart:
                lesions.append((label, x, y, z, r))
                break
    return Phantom(slices, z0, lesions)


def grid_mm(size, spacing):
    """Pixel-centre coordinates (mm) of a grid of `size` pixels at `spacing`, centred like the recipe's grid."""
    return (np.arange(size, dtype=np.float64) - (size - 1) / 2.0) * spacing


def render(rng, phantom, z, xs, ys, noise=True):
    """HU, label and lesion-instance (0 = none, i + 1 = lesion i) images at pixel centres xs (columns) x ys (rows), mm."""
    ys = np.asarray(ys, dtype=np.float64)[:, None]
    xs = np.asarray(xs, dtype=np.float64)[None, :]
    shape = (ys.shape[0], xs.shape[1])
    hu = np.full(shape, AIR_HU, dtype=np.float64)
    body = _ellipse_value(xs, ys, 0.0, 0.0, *BODY_AXES) <= 1.0
    hu[body] = BODY_HU
    for cx, cy in LUNG_CENTRES:
        hu[_ellipse_value(xs, ys, cx, cy, *LUNG_AXES) <= 1.0] = LUNG_HU
    hu[(xs - SPINE_CENTRE[0]) ** 2 + (ys - SPINE_CENTRE[1]) ** 2 <= SPINE_RADIUS ** 2] = SPINE_HU
    labels = np.zeros(shape, dtype=np.uint8)
    instances = np.zeros(shape, dtype=np.int16)
    for i, (label, cx, cy, cz, r) in enumerate(phantom.lesions):
        dz2 = (z - cz) ** 2
        if dz2 > r * r:
            continue
        inside = (xs - cx) ** 2 + (ys - cy) ** 2 + dz2 <= r * r
        hu[inside] = NODULE_HU if label == NODULE else CYST_HU
        labels[inside] = label
        instances[inside] = i + 1
    if noise:
        hu[body] += rng.normal(0.0, NOISE_SIGMA_HU, size=int(body.sum()))
        # stored as int16 with intercept -1024, clamped to 0..4095
        hu = np.clip(np.rint(hu) + 1024.0, 0.0, 4095.0) - 1024.0
    return hu.astype(np.float32), labels, instances


def render_slice(rng, phantom, k, rows=slice(0, SIZE), cols=slice(0, SIZE)):
    """Slice k on the recipe's grid (256 x 256 at 1.5 mm), or a crop of it."""
    coords = ORIGIN_MM + PIXEL_MM * np.arange(SIZE, dtype=np.float64)
    return render(rng, phantom, phantom.slice_z(k), coords[cols], coords[rows])


def bilinear(image, fx, fy, outside=AIR_HU):
    """Samples image at fractional column fx (vector) and row fy (vector) indices, as Java's ModelGrid does."""
    h, w = image.shape
    out_x = (fx < -0.5) | (fx > w - 0.5)
    out_y = (fy < -0.5) | (fy > h - 0.5)
    cx = np.clip(fx, 0, w - 1)
    cy = np.clip(fy, 0, h - 1)
    x0 = np.minimum(cx.astype(np.int64), w - 1)
    y0 = np.minimum(cy.astype(np.int64), h - 1)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    wx = (cx - x0)[None, :]
    wy = (cy - y0)[:, None]
    top = image[y0][:, x0] * (1 - wx) + image[y0][:, x1] * wx
    bottom = image[y1][:, x0] * (1 - wx) + image[y1][:, x1] * wx
    result = top * (1 - wy) + bottom * wy
    result[out_y, :] = outside
    result[:, out_x] = outside
    return result.astype(np.float32)


def render_resampled(rng, phantom, z, xs, ys, spacing):
    """A slice scanned on a grid of `spacing` mm (random phase), bilinearly resampled to pixel centres xs x ys.

    Labels are the recipe's truth at xs x ys. Teaches the model what resampled scans look like.
    """
    phase_x, phase_y = rng.uniform(0.0, spacing, size=2)
    src_x = np.arange(xs[0] - 2 * spacing + phase_x, xs[-1] + 2 * spacing, spacing)
    src_y = np.arange(ys[0] - 2 * spacing + phase_y, ys[-1] + 2 * spacing, spacing)
    hu_src, _, _ = render(rng, phantom, z, src_x, src_y)
    hu = bilinear(hu_src, (np.asarray(xs) - src_x[0]) / spacing, (np.asarray(ys) - src_y[0]) / spacing)
    _, labels, instances = render(rng, phantom, z, xs, ys, noise=False)
    return hu, labels, instances


def render_scanned(rng, phantom, k, spacing):
    """Slice k scanned on a centred grid of `spacing` mm over the same field of view (e.g. 512 x 512 at 0.75 mm), then
    resampled to the recipe's grid the way Java's ModelGrid does it. Labels are the truth on the recipe's grid."""
    n = int(round(SIZE * PIXEL_MM / spacing))
    source = grid_mm(n, spacing)
    hu_src, _, _ = render(rng, phantom, phantom.slice_z(k), source, source)
    f = (n - 1) / 2.0 + grid_mm(SIZE, PIXEL_MM) / spacing
    _, labels, instances = render(rng, phantom, phantom.slice_z(k), grid_mm(SIZE, PIXEL_MM), grid_mm(SIZE, PIXEL_MM),
                                  noise=False)
    return bilinear(hu_src, f, f), labels, instances


def render_volume(rng, phantom, source_spacing=None):
    """HU, labels and lesion instances of all slices on the recipe's grid, shape [slices, 256, 256]; with
    source_spacing, each slice is first scanned at that spacing and resampled."""
    parts = [render_slice(rng, phantom, k) if source_spacing is None else render_scanned(rng, phantom, k, source_spacing)
             for k in range(phantom.slices)]
    return tuple(np.stack([p[i] for p in parts]) for i in range(3))


def window(hu, windows):
    """Model input channels: clip((HU - (centre - width / 2)) / width, 0, 1) per window."""
    return np.stack([np.clip((hu - (c - w / 2.0)) / w, 0.0, 1.0) for c, w in windows], axis=-3).astype(np.float32)
