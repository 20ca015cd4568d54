"""Generator A, the training generator of PHANTOM.md: random chest-abdomen CT phantoms on the model's grid.

Every phantom is a set of numbers drawn here; no patient data. A phantom is built from superellipse and ellipsoid
primitives (body, fat, lungs, heart, liver, spleen, kidneys, spine, ribs, aorta, lung vessels as tubes, bowel gas) with
lung nodules (label 1) and liver lesions (label 2); the lungs (3) and the liver (4) are labelled too. Images are
rendered on the model's canonical grid (axial, LPS, 1.5 mm, slices 2.5 mm apart) as a resampled scan would look:
slab averaging for the slice thickness, blur, correlated noise, sub-pixel phase. The evaluation generator
(independent_phantom.py) shares nothing with this file.
"""
import math

import numpy as np
from scipy import ndimage

# The model's grid (model card "input")
SIZE = 256
PIXEL_MM = 1.5
SLICE_MM = 2.5
ORIGIN_MM = -(SIZE - 1) * PIXEL_MM / 2.0  # x and y of pixel (0, 0): the grid is centred on the slice

BACKGROUND, NODULE, LIVER_LESION, LUNG, LIVER = 0, 1, 2, 3, 4
CLASSES = 5
FINDINGS = (NODULE, LIVER_LESION)
AIR_HU = -1000.0

NODULE_RADIUS_MM = (2.5, 13.0)
LIVER_LESION_RADIUS_MM = (4.0, 24.0)
THICKNESS_MM = (0.625, 5.0)
LESION_FREE_SHARE = 0.25
PHASES = ("plain", "arterial", "portal")


def grid_mm(n, spacing):
    """Pixel centres (mm) of n pixels of `spacing` centred on 0."""
    return (np.arange(n) - (n - 1) / 2.0) * spacing


class Phantom:
    """One random patient: anatomy, intensities and lesions, all in patient mm (LPS, z head-wards)."""

    def __init__(self, rng, lesions=True):
        u = rng.uniform
        self.phase = PHASES[int(rng.integers(len(PHASES)))]
        self.zd = 0.0  # top of the right hemidiaphragm
        self.theta = math.radians(u(-8, 8))  # residual roll after reorientation
        self.cy = u(-12, 12)
        self.ax, self.ay, self.power = u(115, 200), u(85, 145), u(1.8, 3.0)
        self.back = self.ay * (u(0.72, 0.95) if rng.random() < 0.6 else 1.0)  # the table flattens the back
        self.ax_slope = u(-0.08, 0.08)  # body width change per mm along z
        self.fat = u(4, 32)
        # Intensities (HU), drawn within physical ranges, shifted by the contrast phase
        enh = {"plain": 0.0, "arterial": 1.0, "portal": 0.6}[self.phase]
        self.hu = {
            "fat": u(-130, -55), "soft": u(15, 62), "lung": u(-920, -700),
            "liver": u(40, 72) + (u(10, 30) if self.phase == "arterial" else u(30, 75) if self.phase == "portal" else 0),
            "blood": u(28, 50) + enh * u(100, 380),
            "kidney": u(28, 40) + enh * u(80, 180),
            "bone": u(180, 520), "cortex": u(450, 1100), "gas": u(-1010, -900),
        }
        self.hu["spleen"] = self.hu["liver"] + u(-22, 22)
        self.hu["vessel"] = self.hu["blood"] * u(0.55, 1.0)
        self.hu["heart"] = self.hu["blood"] * u(0.8, 1.0)
        self.cupping = u(0, 22) if rng.random() < 0.6 else 0.0  # darker centre of the body (beam hardening)
        # Lungs: ellipsoids per side (centre x, y, z, semi-axes), the left base a little lower
        self.lungs = []
        for side in (-1.0, 1.0):
            hz = u(95, 135)
            base = self.zd - u(0.1, 0.3) * hz - (u(5, 20) if side > 0 else 0.0)
            self.lungs.append((side * self.ax * u(0.38, 0.5), self.cy + u(-12, 6), base + hz,
                               self.ax * u(0.27, 0.36), self.ay * u(0.55, 0.72), hz))
        self.heart = (u(5, 30), self.cy - self.ay * u(0.1, 0.25), self.zd + u(35, 60), u(45, 65), u(38, 52), u(45, 60))
        self.liver = (-self.ax * u(0.2, 0.4), self.cy + u(-12, 8), self.zd - u(45, 65), u(70, 105), u(55, 85), u(65, 90))
        self.spleen = (self.ax * u(0.45, 0.6), self.cy + self.ay * u(0.3, 0.45), self.zd - u(40, 70), u(22, 35),
                       u(35, 55), u(35, 55))
        self.kidneys = [(s * u(45, 70), self.cy + self.ay * u(0.35, 0.5), self.zd - u(95, 125), u(22, 32), u(28, 38),
                         u(45, 60)) for s in (-1, 1)]
        self.spine = (u(-4, 4), self.cy + min(self.ay * u(0.45, 0.62), self.back - 28), u(14, 22))
        self.aorta = (self.spine[0] + u(10, 25), self.spine[1] - self.spine[2] - u(12, 22), u(9, 15))
        self.ribs = [(a, u(3.0, 6.5), u(-0.02, 0.02)) for a in np.sort(rng.uniform(0, 2 * math.pi, int(rng.integers(8, 16))))]
        self.vessels = [segment for _ in range(int(rng.integers(12, 40)))
                        for segment in self._vessel(rng, self.lungs[int(rng.integers(2))])]
        # stomach: (x, y, z, radius, share of the height filled with gas, fluid HU), on the patient's left
        self.stomach = ((u(0.1, 0.35) * self.ax, self.cy - self.ay * u(0.05, 0.3), self.zd - u(25, 65), u(18, 40),
                         u(0.2, 0.65), u(0, 30)) if rng.random() < 0.7 else None)
        self.gas = [(u(-0.6, 0.6) * self.ax, self.cy + u(-0.6, 0.3) * self.ay, self.zd - u(60, 200), u(4, 18))
                    for _ in range(int(rng.integers(0, 10)))]
        self.lesions = []  # (label, x, y, z, (rx, ry, rz), hu)
        if lesions and rng.random() >= LESION_FREE_SHARE:
            counts = (int(rng.integers(0, 4)), int(rng.integers(0, 3)))
            if counts == (0, 0):
                counts = (1, 0) if rng.random() < 0.5 else (0, 1)
            for _ in range(counts[0]):
                self._place(rng, NODULE)
            for _ in range(counts[1]):
                self._place(rng, LIVER_LESION)

    def _vessel(self, rng, lung):
        """A vessel from near the hilum outwards, bending and tapering: tube segments (start, unit direction, length,
        radius)."""
        x, y, z, ax, ay, az = lung
        start = np.array([x - math.copysign(ax * 0.6, x), y, z + rng.uniform(-0.4, 0.4) * az])
        d = rng.normal(size=3)
        d /= np.linalg.norm(d)
        radius = rng.uniform(0.6, 3.0) * (1 if rng.random() < 0.7 else 0.6)
        segments = []
        for _ in range(int(rng.integers(1, 5))):
            length = rng.uniform(12, 45)
            segments.append((start, d, length, radius))
            start = start + length * d
            d = d + rng.uniform(0.2, 0.8) * rng.normal(size=3)
            d /= np.linalg.norm(d)
            radius = max(0.5, radius * rng.uniform(0.75, 0.95))
        return segments

    def _place(self, rng, label):
        lo, hi = NODULE_RADIUS_MM if label == NODULE else LIVER_LESION_RADIUS_MM
        for _ in range(200):
            r = math.exp(rng.uniform(math.log(lo), math.log(hi)))
            radii = tuple(r * rng.uniform(0.78, 1.22, size=3))
            if label == NODULE:
                x, y, z, ax, ay, az = self.lungs[int(rng.integers(2))]
                p = np.array([x, y, z]) + rng.uniform(-1, 1, size=3) * np.array([ax, ay, az]) * 0.9
            else:
                x, y, z, ax, ay, az = self.liver
                p = np.array([x, y, z]) + rng.uniform(-1, 1, size=3) * np.array([ax, ay, az]) * 0.8
            if not self._fits(label, p, max(radii)):
                continue
            if any(np.linalg.norm(p - np.array(o[1:4])) < max(radii) + max(o[4]) + 3 for o in self.lesions):
                continue
            if label == NODULE:
                hu = rng.uniform(-40, 80) + (rng.uniform(0, 30) if self.phase != "plain" else 0)
            elif rng.random() < (0.3 if self.phase == "arterial" else 0.08):
                hu = self.hu["liver"] + rng.uniform(30, 90)
            else:
                hu = self.hu["liver"] - rng.uniform(18, 95)
            self.lesions.append((label, float(p[0]), float(p[1]), float(p[2]), radii, hu))
            return

    def _fits(self, label, p, r):
        """Every point of a ball of radius r + margin around p lies in the lesion's organ."""
        offsets = np.array([[0, 0, 0]] + [list(v) for v in np.eye(3)] + [list(-v) for v in np.eye(3)]
                           + [[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)], float)
        offsets[7:] /= math.sqrt(3)
        pts = p + offsets * (r + 2.0)
        x, y, z = pts[:, 0], pts[:, 1], pts[:, 2]
        lab = np.array([self._regions(x[i:i + 1], y[i:i + 1], z[i])[0][0] for i in range(len(pts))])
        return np.all(lab == (LUNG if label == NODULE else LIVER))

    # -- geometry ---------------------------------------------------------------------------------------------------
    def _frame(self, x, y):
        """Query points in the anatomy's frame (the phantom is rolled by theta around (0, cy))."""
        c, s = math.cos(self.theta), math.sin(self.theta)
        dy = y - self.cy
        return c * x + s * dy, -s * x + c * dy + self.cy

    def to_patient(self, x, y):
        """Patient (x, y) of a point given in the anatomy's frame: the inverse of _frame."""
        c, s = math.cos(self.theta), math.sin(self.theta)
        dy = y - self.cy
        return c * x - s * dy, s * x + c * dy + self.cy

    def _body(self, x, y, z, inset=0.0):
        ax = self.ax * (1 + self.ax_slope * (z - self.zd) / 100.0) - inset
        return ((np.abs(x / ax) ** self.power + np.abs((y - self.cy) / (self.ay - inset)) ** self.power <= 1.0)
                & (y - self.cy <= self.back - inset))

    @staticmethod
    def _ellipsoid(x, y, z, e):
        return ((x - e[0]) / e[3]) ** 2 + ((y - e[1]) / e[4]) ** 2 + ((z - e[2]) / e[5]) ** 2 <= 1.0

    def labels_at(self, x, y, z):
        """Anatomy labels (0, LUNG, LIVER) at points (x, y) of height z, without lesions."""
        x, y = self._frame(x, y)
        return self._regions(x, y, z)[0]

    def _regions(self, x, y, z):
        inner = self._body(x, y, z, self.fat)
        lung = np.zeros(x.shape, bool)
        for e in self.lungs:
            lung |= self._ellipsoid(x, y, z, e)
        liver = self._ellipsoid(x, y, z, self.liver) & inner
        heart = self._ellipsoid(x, y, z, self.heart) & ~liver
        spine = (x - self.spine[0]) ** 2 + (y - self.spine[1]) ** 2 <= self.spine[2] ** 2
        aorta = (x - self.aorta[0]) ** 2 + (y - self.aorta[1]) ** 2 <= self.aorta[2] ** 2
        lung &= inner & ~liver & ~heart & ~spine & ~aorta
        labels = np.where(liver, LIVER, np.where(lung, LUNG, BACKGROUND)).astype(np.uint8)
        return labels, inner, lung, liver, heart, spine, aorta

    def render_point_hu(self, x, y, z):
        """Noise-free HU at points (x, y) of height z, lesions included; also labels and lesion instances."""
        x, y = self._frame(x, y)
        labels, inner, lung, liver, heart, spine, aorta = self._regions(x, y, z)
        h = self.hu
        hu = np.full(x.shape, AIR_HU)
        hu[self._body(x, y, z)] = h["fat"]
        hu[inner] = h["soft"]
        if z < self.zd - 40:
            for gx, gy, gz, gr in self.gas:
                if abs(z - gz) < gr:
                    rr = math.sqrt(gr * gr - (z - gz) ** 2)
                    hu[((x - gx) ** 2 + (y - gy) ** 2 <= rr * rr) & inner & ~liver] = h["gas"]
        for e in self.kidneys:
            hu[self._ellipsoid(x, y, z, e) & inner] = h["kidney"]
        hu[self._ellipsoid(x, y, z, self.spleen) & inner & ~lung] = h["spleen"]
        if self.stomach is not None:
            sx, sy, sz, sr, gas, fluid = self.stomach
            if abs(z - sz) < sr:
                inside = ((x - sx) ** 2 + (y - sy) ** 2 <= sr * sr - (z - sz) ** 2) & inner & ~liver & ~lung
                hu[inside] = np.where(y[inside] < sy - sr * (1 - 2 * gas), h["gas"], fluid)
        hu[lung] = h["lung"]
        hu[liver] = h["liver"]
        hu[heart & inner] = h["heart"]
        if z > self.zd - 70:  # ribs around the chest and upper abdomen
            a = self.ax * (1 + self.ax_slope * (z - self.zd) / 100.0) - self.fat - 6
            b = self.ay - self.fat - 6
            for angle, r, twist in self.ribs:
                t = angle + twist * z
                rx, ry = a * math.cos(t), self.cy + b * math.sin(t)
                hu[(x - rx) ** 2 + (y - ry) ** 2 <= r * r] = h["cortex"] * 0.7
        for start, d, length, radius in self.vessels:
            self._tube(hu, lung, x, y, z, start, d, length, radius)
        ring = (x - self.spine[0]) ** 2 + (y - self.spine[1]) ** 2 >= (self.spine[2] - 2.5) ** 2
        hu[spine] = np.where(ring[spine], h["cortex"], h["bone"])
        hu[aorta] = h["blood"]
        instances = np.zeros(x.shape, np.uint8)
        for i, (label, lx, ly, lz, (rx, ry, rz), lhu) in enumerate(self.lesions):
            if abs(z - lz) > rz:
                continue
            inside = ((x - lx) / rx) ** 2 + ((y - ly) / ry) ** 2 + ((z - lz) / rz) ** 2 <= 1.0
            hu[inside] = lhu
            labels[inside] = label
            instances[inside] = i + 1
        if self.cupping:
            r2 = (x / self.ax) ** 2 + ((y - self.cy) / self.ay) ** 2
            hu[inner] -= self.cupping * (1.0 - np.minimum(r2[inner], 1.0))
        return hu, labels, instances

    def _tube(self, hu, lung, x, y, z, start, d, length, radius):
        """Paints the part of a vessel tube that crosses height z (points within radius of the segment)."""
        if abs(d[2]) > 1e-3:
            t1, t2 = sorted(((z - radius - start[2]) / d[2], (z + radius - start[2]) / d[2]))
        else:
            t1, t2 = (0.0, length) if abs(z - start[2]) <= radius else (1.0, 0.0)
        t1, t2 = max(t1, 0.0), min(t2, length)
        if t1 > t2:
            return
        ends = np.array([start + t1 * d, start + t2 * d])
        lo, hi = ends.min(axis=0) - radius, ends.max(axis=0) + radius
        near = np.nonzero((x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]) & lung)
        if near[0].size == 0:
            return
        vx, vy, vz = x[near] - start[0], y[near] - start[1], z - start[2]
        t = np.clip(vx * d[0] + vy * d[1] + vz * d[2], 0, length)
        dist2 = (vx - t * d[0]) ** 2 + (vy - t * d[1]) ** 2 + (vz - t * d[2]) ** 2
        inside = dist2 <= radius * radius
        hu[near[0][inside], near[1][inside]] = self.hu["vessel"]

    def lesion_z(self):
        return [les[3] for les in self.lesions]


def draw_phantom(rng, lesions=True):
    return Phantom(rng, lesions)


def draw_acquisition(rng):
    """How the series was scanned and resampled: slice thickness, in-plane blur, noise and its grain."""
    thickness = math.exp(rng.uniform(math.log(THICKNESS_MM[0]), math.log(THICKNESS_MM[1])))
    return {"thickness": thickness, "blur_px": rng.uniform(0.1, 0.9), "noise": rng.uniform(4, 40),
            "grain_px": rng.uniform(0.0, 1.0), "ramp": rng.random() < 0.4, "source_spacing": rng.uniform(0.5, 1.0)}


def render(rng, phantom, xs, ys, z, acq, noise=True, widen=True):
    """HU (slab average over the slice thickness, blurred, noisy), labels and lesion instances at z on the grid xs x ys.

    Slices thicker than the model's slice spacing are interpolated between acquired slabs, so (widen) the effective
    slab is widened by a random share of one more slice; render_stack interpolates acquired slabs instead.
    """
    xx, yy = np.meshgrid(xs, ys)
    slab = acq["thickness"] * (1.0 + (rng.uniform(0.0, 1.0) if widen and acq["thickness"] > SLICE_MM else 0.0))
    n = max(1, min(5, int(math.ceil(slab / 1.25))))
    offsets = (np.arange(n) - (n - 1) / 2.0) * slab / n
    hu = np.zeros(xx.shape)
    for dz in offsets:
        hu += phantom.render_point_hu(xx, yy, z + dz)[0]
    hu /= n
    _, labels, instances = phantom.render_point_hu(xx, yy, z)
    hu = ndimage.gaussian_filter(hu, acq["blur_px"] + 0.35 * PIXEL_MM / acq["source_spacing"] - 0.35)
    if noise:
        grain = rng.normal(0.0, 1.0, xx.shape)
        if acq.get("ramp"):  # high-pass texture, as a sharp reconstruction kernel gives
            grain = grain - ndimage.gaussian_filter(grain, 0.8 + acq["grain_px"])
            grain /= max(grain.std(), 1e-6)
        elif acq["grain_px"] > 0.2:
            grain = ndimage.gaussian_filter(grain, acq["grain_px"])
            grain /= max(grain.std(), 1e-6)
        hu = hu + grain * acq["noise"]
    return hu.astype(np.float32), labels, instances


def render_stack(rng, phantom, xs, ys, zs, acq):
    """HU, labels and lesion instances at the heights zs (ascending), each [len(zs), len(ys), len(xs)], as the model
    grid's slices of one series look after resampling: a series of thin slices gives each height its own slab and
    noise; a series of slices thicker than the model's spacing was acquired as contiguous slabs (at a random phase)
    and each height is the linear interpolation of the two slabs around it, as the Java step resamples, so
    neighbouring heights share their slabs' noise."""
    if acq["thickness"] <= SLICE_MM:
        parts = [render(rng, phantom, xs, ys, z, acq) for z in zs]
        return tuple(np.stack([p[i] for p in parts]) for i in range(3))
    step = acq["thickness"]
    phase = rng.uniform(0.0, step)
    slabs = {}

    def slab(j):
        if j not in slabs:
            slabs[j] = render(rng, phantom, xs, ys, phase + j * step, acq, widen=False)[0]
        return slabs[j]

    xx, yy = np.meshgrid(xs, ys)
    hu, labels, instances = [], [], []
    for z in zs:
        j = math.floor((z - phase) / step)
        f = (z - phase - j * step) / step
        hu.append(((1.0 - f) * slab(j) + f * slab(j + 1)).astype(np.float32))
        _, lab, inst = phantom.render_point_hu(xx, yy, z)
        labels.append(lab)
        instances.append(inst)
    return np.stack(hu), np.stack(labels), np.stack(instances)


def render_volume(rng, phantom, slices, z0, acq=None):
    """HU, labels and lesion instances on the model's grid, shape [slices, SIZE, SIZE], slices SLICE_MM apart."""
    acq = acq or draw_acquisition(rng)
    xs = grid_mm(SIZE, PIXEL_MM)
    return render_stack(rng, phantom, xs, xs, z0 + SLICE_MM * np.arange(slices), acq)


def window(hu, windows):
    """Model input channels: clip((HU - (centre - width / 2)) / width, 0, 1) per window."""
    return np.stack([np.clip((hu - (c - w / 2.0)) / w, 0.0, 1.0) for c, w in windows], axis=-3).astype(np.float32)


def with_neighbours(x, neighbours):
    """Input of each slice of a volume's windowed slices x [slices, windows, rows, columns] with its neighbours:
    [slices, windows x (2 neighbours + 1), rows, columns], the window channels of slice s - neighbours first and of
    s + neighbours last, the nearest slice standing in beyond either end (as Java's SegmentationModel)."""
    n = x.shape[0]
    return np.concatenate([x[np.clip(np.arange(n) + k, 0, n - 1)] for k in range(-neighbours, neighbours + 1)], axis=1)
