"""The contract's request reader, run-length code, components and answer."""
import base64
import json
import unittest

import numpy as np

import contract
import grounding


def request(**changes):
    values = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) - 1000
    body = {
        "requestId": "r1",
        "task": {"prompt": "Find and outline every nodule in this CT series."},
        "modality": "CT",
        "series": {
            "studyInstanceUid": "2.25.1", "seriesInstanceUid": "2.25.2",
            "slices": {
                "rows": 3, "columns": 4, "pixelSpacing": [0.8, 0.7], "sliceSpacing": 2.5,
                "orientation": [1, 0, 0, 0, 1, 0], "units": "HU", "encoding": contract.ENCODING,
                "instances": [{"sopInstanceUid": f"2.25.3.{k}", "position": [0, 0, 2.5 * k],
                               "data": base64.b64encode(values[k].astype("<f4").tobytes()).decode()}
                              for k in range(2)]}}}
    for path, value in changes.items():
        node = body
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[key]
        if value is None:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
    return json.dumps(body).encode(), values


class RequestTest(unittest.TestCase):

    def test_slices_decode_to_values_and_geometry(self):
        body, values = request()
        r = contract.parse_request(body)
        self.assertEqual((r.request_id, r.series.series_uid, r.series.slices), ("r1", "2.25.2", 2))
        self.assertEqual((r.series.row_spacing, r.series.column_spacing), (0.8, 0.7))
        np.testing.assert_array_equal(r.series.values, values)
        self.assertEqual(r.series.sop_uids, ["2.25.3.0", "2.25.3.1"])

    def assertRefused(self, status, code, text, **changes):
        body, _ = request(**changes)
        with self.assertRaises(contract.ContractError) as caught:
            contract.parse_request(body)
        self.assertEqual((caught.exception.status, caught.exception.code), (status, code))
        self.assertIn(text, caught.exception.message)

    def test_dicomweb_references_are_refused_as_unsupported(self):
        self.assertRefused(422, "unsupported-source", "slices only", **{
            "series.slices": None, "series.dicomweb": {"baseUrl": "http://pacs/dicom-web"}})

    def test_exactly_one_source_is_required(self):
        self.assertRefused(400, "bad-request", "exactly one of", **{"series.dicomweb": {"baseUrl": "http://x"}})

    def test_a_slice_of_the_wrong_size_is_refused(self):
        body, _ = request()
        doc = json.loads(body)
        doc["series"]["slices"]["instances"][1]["data"] = base64.b64encode(b"\0" * 8).decode()
        with self.assertRaises(contract.ContractError) as caught:
            contract.parse_request(json.dumps(doc).encode())
        self.assertIn("instances[1].data' holds 8 bytes", caught.exception.message)

    def test_other_encodings_and_missing_fields_are_named(self):
        self.assertRefused(422, "unsupported-encoding", "float32-le-base64", **{"series.slices.encoding": "int16"})
        self.assertRefused(400, "bad-request", "'task.prompt'", **{"task.prompt": None})
        self.assertRefused(400, "bad-request", "'series.slices.pixelSpacing' must hold positive",
                           **{"series.slices.pixelSpacing": [0, 1]})


class RunLengthTest(unittest.TestCase):

    def test_runs_alternate_from_background_and_cover_the_slice(self):
        mask = np.array([[0, 1, 1], [1, 0, 0]], dtype=bool)
        self.assertEqual(contract.encode_rle(mask), [1, 3, 2])
        self.assertEqual(contract.encode_rle(~mask), [0, 1, 3, 2])
        for m in (mask, ~mask, np.zeros((2, 3), bool), np.ones((2, 3), bool)):
            counts = contract.encode_rle(m)
            self.assertEqual(sum(counts), 6)
            np.testing.assert_array_equal(contract.decode_rle(counts, 2, 3), m)
        self.assertEqual(contract.encode_rle(np.ones((2, 3), bool)), [0, 6])

    def test_broken_counts_are_refused(self):
        with self.assertRaises(ValueError):
            contract.decode_rle([2, 2], 2, 3)
        with self.assertRaises(ValueError):
            contract.decode_rle([1, 0, 5], 2, 3)


def _components_one_voxel_at_a_time(mask):
    """26-connected components by a search from voxel to voxel: what components() must find."""
    slices, rows, columns = mask.shape
    left = {tuple(v) for v in np.argwhere(mask)}
    found = []
    while left:
        stack = [left.pop()]
        members = list(stack)
        while stack:
            z, y, x = stack.pop()
            for dz in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        n = (z + dz, y + dy, x + dx)
                        if n in left:
                            left.remove(n)
                            stack.append(n)
                            members.append(n)
        found.append(sorted((z * rows + y) * columns + x for z, y, x in members))
    return found


class GroundingTest(unittest.TestCase):

    def test_components_are_26_connected(self):
        mask = np.zeros((2, 3, 3), dtype=bool)
        mask[0, 0, 0] = mask[1, 1, 1] = True  # touch by a corner
        mask[0, 2, 2] = True                  # touches (1, 1, 1) by a corner too
        mask[1, 0, 2] = False
        self.assertEqual([c.tolist() for c in grounding.components(mask)], [[0, 8, 13]])
        mask[:] = False
        mask[0, 0, 0] = mask[0, 2, 2] = True
        self.assertEqual(sorted(c.tolist() for c in grounding.components(mask)), [[0], [8]])

    def test_components_match_a_voxel_by_voxel_search_and_come_in_the_order_of_their_first_voxel(self):
        rng = np.random.default_rng(7)
        for density in (0.05, 0.2, 0.35):
            mask = rng.random((5, 7, 9)) < density
            found = [c.tolist() for c in grounding.components(mask)]
            self.assertEqual(sorted(found), sorted(_components_one_voxel_at_a_time(mask)), f"density {density}")
            self.assertEqual([c[0] for c in found], sorted(c[0] for c in found))
            for c in found:
                self.assertEqual(c, sorted(c))
        self.assertEqual(grounding.components(np.zeros((2, 2, 2), dtype=bool)), [])

    def test_answer_numbers_segments_by_label_then_size(self):
        body, _ = request()
        series = contract.parse_request(body).series
        card = {"name": "m", "version": "1", "uid": "2.25.9",
                "labels": [{"value": 1, "name": "nodule"}, {"value": 2, "name": "cyst"}]}
        regions = [grounding.Region("cyst", 2, np.array([0, 1, 2, 3]), 0.9),
                   grounding.Region("nodule", 1, np.array([12]), 0.8),
                   grounding.Region("nodule", 1, np.array([14, 15]), 0.7)]
        a = grounding.answer("r1", card, series, regions)
        self.assertEqual([(s["number"], s["label"]) for s in a["segments"]], [(1, "nodule"), (2, "nodule"), (3, "cyst")])
        self.assertEqual(a["segments"][0]["rle"], [{"sopInstanceUid": "2.25.3.1", "counts": [2, 2, 8]}])
        self.assertEqual(a["segments"][2]["rle"], [{"sopInstanceUid": "2.25.3.0", "counts": [0, 4, 8]}])
        self.assertEqual(a["impression"], "2 nodules and 1 cyst; see findings.")
        for f in a["findings"]:
            self.assertIn(f["phrase"], f["text"])
        self.assertEqual(grounding.answer("r2", card, series, [])["impression"], "No nodule or cyst detected.")


if __name__ == "__main__":
    unittest.main()
