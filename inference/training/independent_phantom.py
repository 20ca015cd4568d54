#!/usr/bin/python3
"""Generator B, the independent evaluation set of PHANTOM.md: DICOM CT series and their ground truth.

    /usr/bin/python3 inference/training/independent_phantom.py --out DIR [--studies 24] [--seed 424242]

Written apart from the training generator (phantom.py) and sharing no code with it: its own anatomy model (a body
outline from a Fourier series with a flat back, organs as thresholded sums of Gaussian kernels, vessels as chains of
beads, ribs as bands of the chest wall, a stomach with an air-fluid level), its own intensities and its own noise
(ramp-filtered, scaled with body size, plus cupping). Each study is written as real DICOM CT files in DIR/study-NNN/
with its own geometry: pixel spacing 0.5-1.0 mm on a 512 matrix, slice thickness 0.625-5 mm, flipped, rotated and
tilted orientations, reversed instance order, signed or unsigned pixels with their rescale intercept. DIR/truth.json
lists per study its folder and lesions (label, centre in patient mm LPS, semi-axes and axis directions, diameter).
"""
import argparse
import json
import math
import pathlib

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
UID_ROOT = "1.2.826.0.1.3680043.8.498."  # pydicom's example root: these UIDs identify nothing real
THICKNESSES = (0.625, 1.0, 1.25, 2.0, 2.5, 3.0, 5.0)
LESION_FREE_SHARE = 0.3
COARSE = 4  # the smooth fields are computed on every COARSE-th point of the drawing grid
SUBSLAB_MM = 2.0  # a slice is the mean of sub-slices this far apart across its thickness


def _window(p, frame, centre, radius):
    """Index window of the slice grid p that a ball touches, or None; without a frame, every point."""
    if frame is None:
        return (slice(None), slice(None)) if np.any(np.sum((p - centre) ** 2, axis=-1) <= radius * radius) else None
    base, row, col, spacing = frame
    d = centre - base
    if abs(d @ np.cross(row, col)) > radius:
        return None
    i, j, n = d @ row / spacing, d @ col / spacing, radius / spacing + 1
    m = p.shape[0]
    rows = slice(max(0, int(j - n)), min(m, int(j + n) + 2))
    cols = slice(max(0, int(i - n)), min(m, int(i + n) + 2))
    return (rows, cols) if rows.start < rows.stop and cols.start < cols.stop else None


class Blobs:
    """A smooth solid: points where a sum of Gaussian kernels exceeds 1/2."""

    def __init__(self, centres, sigmas, weights):
        self.c, self.s, self.w = np.asarray(centres, float), np.asarray(sigmas, float), np.asarray(weights, float)

    def field(self, p):
        f = np.zeros(p.shape[:-1])
        for c, s, w in zip(self.c, self.s, self.w):
            f += w * np.exp(-np.sum((p - c) ** 2, axis=-1) / (2 * s * s))
        return f

    def inside(self, p):
        return self.field(p) > 0.5


class Patient:
    """Anatomy, intensities and lesions of one study of generator B (patient mm, LPS, z head-wards)."""

    def __init__(self, rng):
        u = rng.uniform
        self.rng = rng
        self.half_width, self.half_depth = u(135, 195), u(95, 140)
        self.back = self.half_depth * u(0.75, 0.9)  # the table flattens the back
        self.wobble = [(k, u(-0.035, 0.035), u(0, 2 * math.pi)) for k in range(2, 6)]
        self.wall = u(10, 30)  # subcutaneous fat
        contrast = rng.choice(["none", "arterial", "venous"], p=[0.3, 0.3, 0.4])
        self.contrast = str(contrast)
        self.values = {"fat": u(-110, -60), "muscle": u(20, 48), "lung": u(-880, -720),
                       "liver": {"none": u(45, 65), "arterial": u(65, 90), "venous": u(95, 140)}[self.contrast],
                       "blood": {"none": u(30, 45), "arterial": u(250, 420), "venous": u(140, 200)}[self.contrast],
                       "bone": u(250, 500), "air": u(-1010, -985)}
        self.values["spleen"] = self.values["liver"] + u(-20, 20)
        self.cupping = u(0, 18)
        self.dose = u(0.5, 1.6)
        w, d = self.half_width, self.half_depth
        self.lungs = [Blobs([(s * w * u(0.38, 0.5), -d * u(0.0, 0.15), z) for z in (u(10, 30), u(60, 80), u(110, 130))]
                            + [(s * w * u(0.45, 0.55), d * u(0.1, 0.25), u(-10, 10))],
                            [u(36, 48), u(42, 55), u(30, 40), u(25, 35)], [u(0.9, 1.2)] * 4) for s in (-1, 1)]
        self.heart = Blobs([(w * u(0.05, 0.2), -d * u(0.2, 0.35), u(40, 70))], [u(30, 38)], [1.0])
        self.liver = Blobs([(-w * u(0.3, 0.45), d * u(-0.05, 0.15), -u(30, 50)),
                            (-w * u(0.05, 0.2), -d * u(0.2, 0.35), -u(20, 40)),
                            (-w * u(0.35, 0.5), d * u(0.0, 0.2), -u(80, 100))],
                           [u(40, 52), u(25, 33), u(30, 40)], [1.0, u(0.8, 1.0), u(0.7, 1.0)])
        self.spleen = Blobs([(w * u(0.5, 0.62), d * u(0.25, 0.45), -u(30, 60))], [u(20, 28)], [1.0])
        self.stomach = (w * u(0.15, 0.35), -d * u(0.1, 0.3), -u(30, 60), u(25, 40), u(0.3, 0.6))
        self.spine = (0.0, d * u(0.45, 0.58), u(15, 22))
        self.aorta = (w * u(0.05, 0.15), self.spine[1] - self.spine[2] - u(10, 20), u(9, 14))
        self.rib_period, self.rib_width = u(22, 32), u(6, 10)
        self.beads = self._vessel_beads(rng)
        self.lesions = []
        if rng.random() >= LESION_FREE_SHARE:
            for label, count in (("nodule", int(rng.integers(0, 3))), ("liver lesion", int(rng.integers(0, 3)))):
                for _ in range(count):
                    self._add_lesion(rng, label)
            if not self.lesions:
                self._add_lesion(rng, "nodule" if rng.random() < 0.5 else "liver lesion")

    def _vessel_beads(self, rng):
        beads = []
        for lung in self.lungs:
            for _ in range(int(rng.integers(4, 9))):
                p = lung.c[int(rng.integers(len(lung.c)))] * np.array([0.6, 1.0, 1.0])
                step = rng.normal(size=3)
                r = rng.uniform(1.5, 2.8)
                for _ in range(int(rng.integers(8, 20))):
                    step = 0.7 * step + 0.3 * rng.normal(size=3)
                    p = p + 3.0 * step / np.linalg.norm(step)
                    r = max(0.6, r * 0.95)
                    beads.append((p.copy(), r))
        return beads

    def outline(self, x, y):
        """Inside the body at inset 0, and the distance-like inset of each point (mm inside the outline)."""
        phi = np.arctan2(y / self.half_depth, x / self.half_width)
        scale = 1.0 + sum(a * np.cos(k * phi + ph) for k, a, ph in self.wobble)
        rho = np.hypot(x / self.half_width, y / self.half_depth) / scale
        inset = (1.0 - rho) * min(self.half_width, self.half_depth)
        return np.minimum(inset, self.back - y)

    def fields(self, p):
        """The smooth quantities at points p [..., 3]: depth inside the outline and the organs' kernel sums."""
        return {"inset": self.outline(p[..., 0], p[..., 1]), "liver": self.liver.field(p), "heart": self.heart.field(p),
                "lung": np.maximum(self.lungs[0].field(p), self.lungs[1].field(p)), "spleen": self.spleen.field(p)}

    def organs(self, p, f=None):
        """Region masks at points p [..., 3]; f: their fields when already known."""
        f = f or self.fields(p)
        x, y = p[..., 0], p[..., 1]
        inset = f["inset"]
        inner = inset > self.wall
        liver = (f["liver"] > 0.5) & inner
        heart = (f["heart"] > 0.5) & inner & ~liver
        lung = (f["lung"] > 0.5) & (inset > self.wall + 8) & ~liver & ~heart
        sx, sy, sr = self.spine
        spine = np.maximum(np.abs(x - sx), np.abs(y - sy)) ** 2 * 0.6 + ((x - sx) ** 2 + (y - sy) ** 2) * 0.4 <= sr * sr
        lung &= ~spine
        return inset, inner, liver, heart, lung, spine

    def hu(self, p, f=None, frame=None):
        """HU and labels (nodule 1, liver lesion 2, lung 3, liver 4) at points p [..., 3] before noise.

        frame (base, row, column, spacing) says p is a slice's pixel grid, so small objects touch only their window.
        """
        v = self.values
        x, y, z = p[..., 0], p[..., 1], p[..., 2]
        f = f or self.fields(p)
        inset, inner, liver, heart, lung, spine = self.organs(p, f)
        out = np.full(x.shape, v["air"])
        out[inset > 0] = v["fat"]
        out[inner] = v["muscle"]
        rib = (inset > self.wall) & (inset < self.wall + self.rib_width) & (np.mod(z + 0.3 * y, self.rib_period) < 7) & (z > -60)
        out[rib] = v["bone"] * 1.4
        spleen = (f["spleen"] > 0.5) & inner & ~lung
        out[spleen] = v["spleen"]
        sx, sy, sz, sr, level = self.stomach
        stomach = ((x - sx) ** 2 + (y - sy) ** 2 + ((z - sz) * 1.3) ** 2 <= sr * sr) & inner & ~liver
        out[stomach] = np.where(y[stomach] < sy - sr * (1 - 2 * level), v["air"], 10.0)
        out[lung] = v["lung"]
        out[liver] = v["liver"]
        out[heart] = v["blood"] * 0.85
        ax, ay, ar = self.aorta
        out[((x - ax) ** 2 + (y - ay) ** 2 <= ar * ar) & inner] = v["blood"]
        out[spine] = v["bone"]
        for c, r in self.beads:
            win = _window(p, frame, c, r)
            if win is not None:
                bead = np.sum((p[win] - c) ** 2, axis=-1) <= r * r
                out[win][bead & lung[win]] = v["blood"] * 0.7
        labels = np.where(liver, 4, np.where(lung, 3, 0)).astype(np.uint8)
        for lesion in self.lesions:
            win = _window(p, frame, np.asarray(lesion["centreMm"]), 1.4 * max(lesion["semiAxesMm"]))
            if win is None:
                continue
            d = self._ellipsoid_radius(p[win], lesion)
            edge = 1.0 / (1.0 + np.exp((d - 1.0) / 0.06))
            part, lab = out[win], labels[win]
            near = d < 1.4
            part[near] = part[near] + (lesion["hu"] - part[near]) * edge[near]
            lab[d <= 1.0] = 1 if lesion["label"] == "nodule" else 2
            out[win], labels[win] = part, lab
        r = np.hypot(x / self.half_width, y / self.half_depth)
        out[inner] -= self.cupping * (1.0 - np.clip(r[inner], 0, 1) ** 2)
        return out, labels

    @staticmethod
    def _ellipsoid_radius(p, lesion):
        q = (p - np.asarray(lesion["centreMm"])) @ np.asarray(lesion["axes"]).T
        return np.sqrt(np.sum((q / np.asarray(lesion["semiAxesMm"])) ** 2, axis=-1))

    def _add_lesion(self, rng, label):
        for _ in range(300):
            if label == "nodule":
                lung = self.lungs[int(rng.integers(2))]
                centre = lung.c[int(rng.integers(len(lung.c)))] + rng.normal(0, 20, size=3)
                r = rng.uniform(3.0, 12.0)
            else:
                centre = self.liver.c[int(rng.integers(len(self.liver.c)))] + rng.normal(0, 20, size=3)
                r = rng.uniform(5.0, 22.0)
            semi = r * rng.uniform(0.8, 1.2, size=3)
            axes, _ = np.linalg.qr(rng.normal(size=(3, 3)))
            probe = centre + rng.normal(size=(40, 3)) * 0 + _sphere_points(40) * (semi.max() + 3.0)
            regions = self.organs(np.vstack([centre[None], probe]))
            organ = regions[4] if label == "nodule" else regions[2]
            if not organ.all():
                continue
            if any(np.linalg.norm(centre - np.asarray(o["centreMm"])) < semi.max() + max(o["semiAxesMm"]) + 4
                   for o in self.lesions):
                continue
            if label == "nodule":
                value = rng.uniform(-20, 100)
            elif self.contrast == "arterial" and rng.random() < 0.25:
                value = self.values["liver"] + rng.uniform(40, 80)
            else:
                value = self.values["liver"] - rng.uniform(20, 90)
            self.lesions.append({"label": label, "centreMm": [round(float(c), 3) for c in centre],
                                 "semiAxesMm": [round(float(s), 3) for s in semi], "axes": axes.T.round(6).tolist(),
                                 "diameterMm": round(2 * float(semi.max()), 2), "hu": round(float(value), 1)})
            return


def _sphere_points(n):
    """n points spread over the unit sphere (Fibonacci lattice)."""
    i = np.arange(n) + 0.5
    polar = np.arccos(1 - 2 * i / n)
    azimuth = math.pi * (1 + 5 ** 0.5) * i
    return np.stack([np.cos(azimuth) * np.sin(polar), np.sin(azimuth) * np.sin(polar), np.cos(polar)], axis=-1)


def draw_geometry(rng, patient):
    """Slice plane, spacing, thickness, coverage, instance order and pixel encoding of one series."""
    fov = rng.uniform(max(250.0, 2 * patient.half_width + 20), 450.0)
    spacing = min(1.0, max(0.5, fov / 512))
    thickness = float(rng.choice(THICKNESSES))
    kind = rng.choice(["axial", "flip-x", "flip-y", "rotated", "tilted"], p=[0.45, 0.15, 0.1, 0.15, 0.15])
    row, col = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    if kind == "flip-x":
        row = -row
    elif kind == "flip-y":
        col = -col
    elif kind == "rotated":
        row, col = np.array([0, 1.0, 0]), np.array([-1.0, 0, 0])
    elif kind == "tilted":
        a = math.radians(rng.uniform(5, 15))
        col = np.array([0, math.cos(a), math.sin(a)])
    normal = np.cross(row, col)
    coverage = rng.uniform(125, 150) if thickness < 1.5 else rng.uniform(140, 190)
    centre = np.array([rng.uniform(-10, 10), rng.uniform(-10, 10), rng.uniform(-40, 0)])
    encoding = rng.choice(["unsigned-1024", "signed-0", "signed-1024"], p=[0.5, 0.3, 0.2])
    return {"kind": str(kind), "row": row, "col": col, "normal": normal, "spacing": spacing, "matrix": 512,
            "thickness": thickness, "slices": int(coverage / thickness) + 1, "centre": centre,
            "reversed": bool(rng.random() < 0.3), "encoding": str(encoding),
            "bodyPart": str(rng.choice(["CHEST", "ABDOMEN", "CHESTABDOMEN"]))}


def ramp_noise(rng, shape, sigma, cutoff):
    """CT-like noise: white noise shaped by a ramp times a Gaussian roll-off, scaled to sigma."""
    fy, fx = np.meshgrid(np.fft.fftfreq(shape[0]), np.fft.rfftfreq(shape[1]), indexing="ij")
    f = np.hypot(fx, fy)
    spectrum = np.fft.rfft2(rng.normal(size=shape)) * f * np.exp(-(f / cutoff) ** 2)
    noise = np.fft.irfft2(spectrum, s=shape)
    return noise * sigma / max(noise.std(), 1e-9)


def slice_position(g, k):
    m, s = g["matrix"], g["spacing"]
    offset = (k - (g["slices"] - 1) / 2.0) * g["thickness"]
    return g["centre"] - (m - 1) / 2.0 * s * (g["row"] + g["col"]) + offset * g["normal"]


def _upsample(coarse, m, factor):
    """Bilinear upsampling by `factor` of a field sampled on every factor-th pixel (and one beyond) to m x m."""
    index = np.arange(m)
    low, w = index // factor, (index % factor) / factor
    low = np.minimum(low, coarse.shape[0] - 2)
    rows = coarse[low] * (1 - w)[:, None] + coarse[low + 1] * w[:, None]
    return rows[:, low] * (1 - w)[None, :] + rows[:, low + 1] * w[None, :]


def render_slice(rng, patient, g, k):
    """One slice, drawn on a grid of twice the pixel spacing (the smooth fields on every fourth point of it) and
    interpolated to the series' pixels, as a reconstruction kernel blurs; then the noise at full resolution."""
    m, s = g["matrix"], g["spacing"]
    half = m // 2 + 1
    j, i = np.meshgrid(np.arange(half), np.arange(half), indexing="ij")
    coarse = np.arange(0, half + COARSE, COARSE)
    cj, ci = np.meshgrid(coarse, coarse, indexing="ij")
    n = max(1, int(math.ceil(g["thickness"] / SUBSLAB_MM)))
    acc = np.zeros((half, half))
    for t in (np.arange(n) - (n - 1) / 2.0) * g["thickness"] / n:
        base = slice_position(g, k) + t * g["normal"]
        p = base + (i[..., None] * 2 * s) * g["row"] + (j[..., None] * 2 * s) * g["col"]
        pc = base + (ci[..., None] * 2 * s) * g["row"] + (cj[..., None] * 2 * s) * g["col"]
        fields = {name: _upsample(value, half, COARSE) for name, value in patient.fields(pc).items()}
        acc += patient.hu(p, fields, (base, g["row"], g["col"], 2 * s))[0]
    hu = _upsample(acc / n, m, 2)
    sigma = 9.0 * patient.dose * (patient.half_width * patient.half_depth / 15000.0) ** 0.5 * (2.5 / g["thickness"]) ** 0.3
    return hu + ramp_noise(rng, (m, m), sigma, 0.18 + 0.12 * (s - 0.5))


def write_series(rng, patient, g, folder, study_index):
    folder.mkdir(parents=True, exist_ok=True)
    study, series, frame = (generate_uid(UID_ROOT, [f"gen-b-{study_index}-{role}"]) for role in ("study", "series", "frame"))
    intercept = {"unsigned-1024": -1024.0, "signed-0": 0.0, "signed-1024": -1024.0}[g["encoding"]]
    signed = g["encoding"].startswith("signed")
    for k in range(g["slices"]):
        stored = np.round(render_slice(rng, patient, g, k) - intercept)
        stored = np.clip(stored, -32768, 32767) if signed else np.clip(stored, 0, 4095)
        number = g["slices"] - k if g["reversed"] else k + 1
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
        ds.SOPInstanceUID = generate_uid(UID_ROOT, [f"gen-b-{study_index}-instance-{k}"])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID = CT_IMAGE_STORAGE
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.PatientName, ds.PatientID, ds.PatientSex, ds.PatientBirthDate = "Independent^Phantom", f"GENB-{study_index:03d}", "O", ""
        ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber, ds.ReferringPhysicianName = "20250101", "120000", "1", f"GENB{study_index:03d}", ""
        ds.Modality, ds.SeriesNumber, ds.InstanceNumber, ds.BodyPartExamined = "CT", 2, number, g["bodyPart"]
        ds.Manufacturer, ds.PatientPosition, ds.ImageType = "Independent generator", "HFS", ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.ImagePositionPatient = [round(float(v), 4) for v in slice_position(g, k)]
        ds.ImageOrientationPatient = [round(float(v), 6) for v in list(g["row"]) + list(g["col"])]
        ds.PixelSpacing = [round(g["spacing"], 5)] * 2
        ds.SliceThickness = g["thickness"]
        ds.Rows = ds.Columns = g["matrix"]
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16 if signed else 12, 15 if signed else 11
        ds.PixelRepresentation = 1 if signed else 0
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = intercept, 1.0, "HU"
        ds.KVP = 120
        ds.PixelData = stored.astype("<i2" if signed else "<u2").tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        pydicom.dcmwrite(str(folder / f"ct-{k:04d}.dcm"), ds, write_like_original=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--studies", type=int, default=24)
    parser.add_argument("--seed", type=int, default=424242)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    studies = []
    for s in range(args.studies):
        patient = Patient(rng)
        g = draw_geometry(rng, patient)
        folder = args.out / f"study-{s:03d}"
        write_series(rng, patient, g, folder, s)
        studies.append({"folder": folder.name, "geometry": g["kind"], "thicknessMm": g["thickness"],
                        "pixelSpacingMm": round(g["spacing"], 4), "slices": g["slices"], "encoding": g["encoding"],
                        "reversed": g["reversed"], "contrast": patient.contrast, "lesions": patient.lesions})
        print(f"study {s}: {g['kind']}, {g['slices']} x {g['thickness']} mm, {g['spacing']:.3f} mm pixels, "
              f"{len(patient.lesions)} lesions", flush=True)
        # after every study, so that the studies written so far can be scored when a run is cut short
        (args.out / "truth.json").write_text(json.dumps({"generator": "B", "seed": args.seed, "studies": studies},
                                                        indent=1))


if __name__ == "__main__":
    main()
