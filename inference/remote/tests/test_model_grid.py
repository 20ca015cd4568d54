"""The canonical grid of model_grid.py: identity, reorientation, slices along z, padding, Java's rounding."""
import unittest

import numpy as np

import contract
from model_grid import OUTSIDE_HU, ModelGrid, java_round


def series(values, spacing=2.0, slice_spacing=2.5, row=(1, 0, 0), column=(0, 1, 0), positions=None):
    """A series of values [slices, rows, columns]; by default axial, centred in plane, slices from z = 0 up."""
    slices, rows, columns = values.shape
    if positions is None:
        first = [-(columns - 1) / 2.0 * spacing, -(rows - 1) / 2.0 * spacing]
        positions = [first + [k * slice_spacing] for k in range(slices)]
    return contract.Series("2.25.1", "2.25.2", "CT", rows, columns, spacing, spacing, slice_spacing,
                           list(row) + list(column), positions, [f"2.25.3.{k}" for k in range(slices)],
                           np.asarray(values, dtype=np.float32))


def ramp(slices=6, rows=8, columns=10):
    """Values that tell every voxel apart and vary linearly along each axis."""
    z, y, x = np.meshgrid(np.arange(slices), np.arange(rows), np.arange(columns), indexing="ij")
    return (100.0 * z + 10.0 * y + x - 500.0).astype(np.float32)


def mirrored(s):
    """The same voxels stored with columns to the patient's right, slices head to feet (normal -z)."""
    values = s.values[::-1, :, ::-1].copy()
    positions = [[-p[0], p[1], p[2]] for p in s.positions[::-1]]
    return series(values, s.column_spacing, s.slice_spacing, (-1, 0, 0), (0, 1, 0), positions)


class ModelGridTest(unittest.TestCase):

    def test_a_series_on_the_models_own_grid_is_not_resampled(self):
        s = series(ramp())
        grid = ModelGrid(s, 10, 8, 2.0, 2.5)
        self.assertTrue(grid.identity)
        np.testing.assert_array_equal(grid.sample(s.values, 3), s.values[3])
        self.assertFalse(ModelGrid(s, 10, 8, 2.0, 1.25).identity)

    def test_a_mirrored_series_stored_head_first_gives_the_same_canonical_slices(self):
        s = series(ramp())
        grid, flipped = ModelGrid(s, 12, 12, 1.5, 2.5), ModelGrid(mirrored(s), 12, 12, 1.5, 2.5)
        self.assertFalse(flipped.identity)
        self.assertEqual(flipped.slices, grid.slices)
        for w in range(grid.slices):
            np.testing.assert_allclose(flipped.sample(mirrored(s).values, w), grid.sample(s.values, w), atol=1e-3)

    def test_labels_come_back_to_the_same_patient_voxels_whichever_way_the_series_runs(self):
        s = series(ramp())
        grid, flipped = ModelGrid(s, 12, 12, 1.5, 2.5), ModelGrid(mirrored(s), 12, 12, 1.5, 2.5)
        labels = (np.arange(grid.slices * 144).reshape(grid.slices, 12, 12) % 7).astype(np.uint8)
        confidence = labels.astype(np.float32) / 10
        mine, best = grid.back(labels, confidence)
        theirs, theirs_best = flipped.back(labels, confidence)
        np.testing.assert_array_equal(theirs[::-1, :, ::-1], mine)
        np.testing.assert_array_equal(theirs_best[::-1, :, ::-1], best)

    def test_thin_slices_are_resampled_to_the_cards_slice_spacing(self):
        s = series(ramp(slices=9), slice_spacing=1.25)
        grid = ModelGrid(s, 10, 8, 2.0, 2.5)
        self.assertEqual(grid.slices, 5)
        np.testing.assert_allclose(grid.sample(s.values, 1), s.values[2], atol=1e-3)
        labels = np.arange(5, dtype=np.uint8)[:, None, None] * np.ones((1, 8, 10), dtype=np.uint8)
        back, _ = grid.back(labels, np.ones(labels.shape, dtype=np.float32))
        # source slice k lies at canonical w = k / 2: a slice halfway rounds up, as Java's Math.round
        self.assertEqual([int(back[k, 0, 0]) for k in range(9)], [0, 1, 1, 2, 2, 3, 3, 4, 4])

    def test_padding_and_pixels_beyond_the_series_are_air(self):
        values = np.full((2, 4, 4), 40.0, dtype=np.float32)
        values[:, 0, 0] = -2000.0
        grid = ModelGrid(series(values, spacing=2.0), 8, 8, 2.0, 2.5)
        slice0 = grid.sample(values, 0)
        self.assertEqual(slice0[0, 0], OUTSIDE_HU)
        self.assertEqual(slice0[2, 2], OUTSIDE_HU)
        self.assertEqual(slice0[3, 3], np.float32(40.0))

    def test_java_rounding_takes_ties_upwards(self):
        self.assertEqual(java_round([-1.5, -0.5, 0.5, 1.5, 0.49999999999999994, 2.4]).tolist(), [-1, 0, 1, 2, 0, 2])

    def test_directions_that_do_not_span_space_are_a_bad_request(self):
        with self.assertRaises(contract.ContractError) as refused:
            ModelGrid(series(ramp(), row=(1, 0, 0), column=(1, 0, 0), positions=[[0, 0, 0]] * 6), 8, 8, 2.0, 2.5)
        self.assertEqual(refused.exception.status, 400)
        self.assertIn("do not span patient space", refused.exception.message)


if __name__ == "__main__":
    unittest.main()
