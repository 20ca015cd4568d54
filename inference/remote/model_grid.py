"""The model's canonical grid over a series, as Java's ImageGeometry and ModelGrid compute it, in numpy.

Axial slices on the patient's LPS axes (columns to the patient's left, rows to the posterior, slices to the head),
`columns x rows` pixels of the card's in-plane spacing centred on the centre of the series, and slices at the card's
`sliceSpacingMm` (else at the series' own slice spacing) spanning every source voxel along the head-feet axis.
Images go to the canonical grid by trilinear interpolation of the source voxels (values below PADDING_HU read as air,
OUTSIDE_HU beyond the series); labels come back per source voxel from the canonical voxel nearest its centre. When the
two grids coincide nothing is resampled. Every sum and product is taken in Java's order, so that the same doubles
come out and a voxel centre halfway between two canonical voxels rounds the same way on both sides.

Numpy only (no torch), so the tests can check it alone.
"""
import math

import numpy as np

import contract

OUTSIDE_HU = -1000.0   # model pixels outside the series
PADDING_HU = -1024.0   # source values below this are padding outside the field of view: read as air
SAME = 1e-4            # ModelGrid.SAME: mm and index tolerance for "the grids coincide"
SAME_AXIS = 1e-4       # ImageGeometry.SAME_AXIS


def java_round(x):
    """Java's Math.round on doubles: the nearest integer, ties towards positive infinity (int64)."""
    x = np.asarray(x, dtype=np.float64)
    low = np.floor(x)
    return (low + (x - low >= 0.5)).astype(np.int64)


class ImageGeometry:
    """A series' voxel grid as an affine map between voxel index (x, y, z) and patient position (mm, LPS): columns
    along the row direction, rows along the column direction, slices along the step from the first slice's position
    to the last's (one slice: the slice normal times the slice spacing)."""

    def __init__(self, series):
        self.columns, self.rows, self.slices = series.columns, series.rows, series.slices
        self.column_spacing, self.row_spacing = series.column_spacing, series.row_spacing
        self.slice_spacing = series.slice_spacing
        r, c = [float(v) for v in series.orientation[:3]], [float(v) for v in series.orientation[3:]]
        self.origin = [float(v) for v in series.positions[0]]
        if self.slices > 1:
            last = series.positions[-1]
            z_step = [(float(last[i]) - self.origin[i]) / (self.slices - 1) for i in range(3)]
        else:
            normal = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]]
            z_step = [v * self.slice_spacing for v in normal]
        self.axes = [[v * self.column_spacing for v in r], [v * self.row_spacing for v in c], z_step]
        self.inverse = _invert(self.axes)

    def position(self, x, y, z):
        """Patient position (three arrays, or floats) of the continuous voxel index (x, y, z)."""
        a = self.axes
        return tuple(self.origin[i] + (x * a[0][i] + y * a[1][i] + z * a[2][i]) for i in range(3))

    def direction(self, dx, dy, dz):
        """Change of voxel index (three arrays, or floats) for a displacement of (dx, dy, dz) mm."""
        m = self.inverse
        return tuple(m[i][0] * dx + m[i][1] * dy + m[i][2] * dz for i in range(3))

    def index(self, px, py, pz):
        """Continuous voxel index of a patient position."""
        return self.direction(px - self.origin[0], py - self.origin[1], pz - self.origin[2])

    def z_range(self):
        """Lowest and highest patient z (head-feet) of any voxel centre."""
        zs = [self.position(0 if corner & 1 == 0 else self.columns - 1, 0 if corner & 2 == 0 else self.rows - 1,
                            0 if corner & 4 == 0 else self.slices - 1)[2] for corner in range(8)]
        return min(zs), max(zs)

    def along_patient_axes(self):
        """Whether columns, rows and slices already run along the patient's x, y and z, each the positive way."""
        for a in range(3):
            axis = self.axes[a]
            length = math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2])
            if abs(axis[a] / length - 1) > SAME_AXIS:
                return False
        return True


def _invert(cols):
    """Inverse of the matrix whose columns are cols[0..2], by cofactors as Java's ImageGeometry.invert."""
    a, b, c = cols[0][0], cols[1][0], cols[2][0]
    d, e, f = cols[0][1], cols[1][1], cols[2][1]
    g, h, k = cols[0][2], cols[1][2], cols[2][2]
    det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g)
    if abs(det) < 1e-12:
        raise contract.bad("fields 'series.slices.orientation' and 'series.slices.instances[].position': the "
                           f"series' row, column and slice directions do not span patient space (determinant {det})")
    return [[(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det],
            [(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det],
            [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det]]


class ModelGrid:
    """The canonical grid of a card's input over one series (Java's ModelGrid.over)."""

    def __init__(self, series, columns, rows, spacing, slice_spacing_mm=None):
        source = ImageGeometry(series)
        self.source, self.columns, self.rows, self.spacing = source, columns, rows, spacing
        self.slice_spacing = slice_spacing_mm if slice_spacing_mm is not None else source.slice_spacing
        centre = source.position((source.columns - 1) / 2.0, (source.rows - 1) / 2.0, (source.slices - 1) / 2.0)
        low, high = source.z_range()
        self.slices = max(1, int(java_round((high - low) / self.slice_spacing - 1e-6)) + 1)
        self.origin = (centre[0] - (columns - 1) / 2.0 * spacing, centre[1] - (rows - 1) / 2.0 * spacing,
                       (low + high) / 2.0 - (self.slices - 1) / 2.0 * self.slice_spacing)
        self.identity = self._identical()

    def _identical(self):
        s = self.source
        if not s.along_patient_axes() or (s.columns, s.rows, s.slices) != (self.columns, self.rows, self.slices):
            return False
        first = s.index(*self.origin)
        return (abs(s.column_spacing - self.spacing) < SAME and abs(s.row_spacing - self.spacing) < SAME
                and abs(s.slice_spacing - self.slice_spacing) < SAME and all(abs(f) < SAME for f in first))

    def patient_position(self, u, v, w):
        """Patient position (mm, LPS) of canonical voxel (u, v, w)."""
        o = self.origin
        return o[0] + u * self.spacing, o[1] + v * self.spacing, o[2] + w * self.slice_spacing

    def sample(self, values, w):
        """HU of canonical slice w, [rows, columns] float32, interpolated from the source values [slices, rows,
        columns] (float32); on the identity grid the source slice itself."""
        if self.identity:
            return values[w]
        step = self.source.direction(self.spacing, 0.0, 0.0)
        px, py, pz = self.patient_position(0.0, np.arange(self.rows, dtype=np.float64), float(w))
        start = self.source.index(px, py, pz)
        u = np.arange(self.columns, dtype=np.float64)[None, :]
        x, y, z = (np.broadcast_to(start[i], (self.rows,))[:, None] + u * step[i] for i in range(3))
        return _trilinear(values, x, y, z)

    def back(self, labels, confidence):
        """Canonical labels and probabilities [slices, rows, columns] on the source voxels: each takes the canonical
        voxel nearest its centre; a source voxel beyond the canonical grid is background with probability 1."""
        if self.identity:
            return labels.copy(), confidence.copy()
        s = self.source
        out = np.zeros((s.slices, s.rows, s.columns), dtype=labels.dtype)
        best = np.ones((s.slices, s.rows, s.columns), dtype=confidence.dtype)
        a = s.position(0.0, 0.0, 0.0)
        b = s.position(1.0, 0.0, 0.0)
        step = ((b[0] - a[0]) / self.spacing, (b[1] - a[1]) / self.spacing, (b[2] - a[2]) / self.slice_spacing)
        ys = np.arange(s.rows, dtype=np.float64)
        xs = np.arange(s.columns, dtype=np.float64)[None, :]
        for z in range(s.slices):
            start = self.canonical_index(*s.position(np.zeros(s.rows), ys, float(z)))
            u, v, w = (java_round(start[i][:, None] + xs * step[i]) for i in range(3))
            inside = (u >= 0) & (u < self.columns) & (v >= 0) & (v < self.rows) & (w >= 0) & (w < self.slices)
            out[z][inside] = labels[w[inside], v[inside], u[inside]]
            best[z][inside] = confidence[w[inside], v[inside], u[inside]]
        return out, best

    def canonical_index(self, px, py, pz):
        """Continuous canonical index (u, v, w) of a patient position."""
        o = self.origin
        return (px - o[0]) / self.spacing, (py - o[1]) / self.spacing, (pz - o[2]) / self.slice_spacing


def _value(values):
    """Source values as the interpolation reads them, in doubles: below PADDING_HU is air (OUTSIDE_HU)."""
    values = values.astype(np.float64)
    return np.where(values < PADDING_HU, OUTSIDE_HU, values)


def _trilinear(values, x, y, z):
    """Java's ModelGrid.trilinear at continuous source indices x, y, z (arrays of one shape), in doubles, as float32."""
    ss, sr, sc = values.shape
    outside = (x < -0.5) | (y < -0.5) | (z < -0.5) | (x > sc - 0.5) | (y > sr - 0.5) | (z > ss - 0.5)
    cx, cy, cz = np.clip(x, 0, sc - 1), np.clip(y, 0, sr - 1), np.clip(z, 0, ss - 1)
    x0 = np.minimum(cx.astype(np.int64), sc - 1)
    y0 = np.minimum(cy.astype(np.int64), sr - 1)
    z0 = np.minimum(cz.astype(np.int64), ss - 1)
    x1, y1, z1 = np.minimum(x0 + 1, sc - 1), np.minimum(y0 + 1, sr - 1), np.minimum(z0 + 1, ss - 1)
    fx, fy, fz = cx - x0, cy - y0, cz - z0

    def bilinear(zi):
        top = _value(values[zi, y0, x0]) * (1 - fx) + _value(values[zi, y0, x1]) * fx
        bottom = _value(values[zi, y1, x0]) * (1 - fx) + _value(values[zi, y1, x1]) * fx
        return top * (1 - fy) + bottom * fy

    near = bilinear(z0)
    far = bilinear(z1)
    out = np.where(fz == 0, near, near * (1 - fz) + far * fz).astype(np.float32)
    out[outside] = np.float32(OUTSIDE_HU)
    return out
