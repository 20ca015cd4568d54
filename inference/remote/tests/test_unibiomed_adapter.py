"""UniBiomed adapter: parsing recorded predict_forward outputs (fixtures/unibiomed_*.json), windowing, the backend."""
import importlib.util
import json
import pathlib
import unittest

import numpy as np

import contract
import unibiomed_adapter as ub

HERE = pathlib.Path(__file__).resolve().parent
CARD = (HERE.parent / "unibiomed" / "model.json").read_bytes()


def fixture(name):
    return json.loads((HERE / "fixtures" / f"unibiomed_{name}.json").read_text())


class ParseTest(unittest.TestCase):

    def test_a_bare_seg_token_outlines_the_label_asked_for(self):
        f = fixture("segment_sure")
        grounded, warnings = ub.parse(f["prediction"], f["prediction_masks"], "nodule")
        self.assertEqual(warnings, [])
        self.assertEqual(len(grounded), 1)
        self.assertEqual(grounded[0].phrase, "nodule")
        self.assertEqual(grounded[0].text, "Segmented nodule.")
        self.assertEqual(grounded[0].mask.shape, (2, 4, 4))
        self.assertEqual(int(grounded[0].mask.sum()), 4)

    def test_tagged_phrases_pair_with_masks_in_token_order(self):
        f = fixture("report_two_phrases")
        grounded, warnings = ub.parse(f["prediction"], f["prediction_masks"])
        self.assertEqual(warnings, [])
        self.assertEqual([g.phrase for g in grounded], ["pulmonary nodule", "cyst"])
        text = "There is a pulmonary nodule in the right lung and a cyst anterior to the spine."
        self.assertTrue(all(g.text == text for g in grounded))
        self.assertTrue(all(g.phrase in g.text for g in grounded))
        self.assertEqual(int(grounded[0].mask.sum()), 8)  # the blob on both frames
        self.assertEqual(int(grounded[1].mask.sum()), 3)  # the corner on frame 2

    def test_a_token_mask_count_mismatch_grounds_nothing(self):
        f = fixture("mismatch")
        grounded, warnings = ub.parse(f["prediction"], f["prediction_masks"])
        self.assertEqual(grounded, [])
        self.assertIn("2 [SEG] token(s) but 1 mask(s)", warnings[0])

    def test_an_answer_without_seg_tokens_grounds_nothing_quietly(self):
        f = fixture("no_finding")
        self.assertEqual(ub.parse(f["prediction"], f["prediction_masks"]), ([], []))

    def test_an_untagged_token_without_a_target_is_dropped(self):
        grounded, warnings = ub.parse("ASSISTANT: It is [SEG].", [np.zeros((1, 2, 2))])
        self.assertEqual(grounded, [])
        self.assertIn("no <p> phrase", warnings[0])

    def test_chat_template_and_special_tokens_are_removed(self):
        self.assertEqual(ub.clean_answer("<s>USER: hi ASSISTANT: A <p> cyst </p> [SEG].<|end|>"),
                         "A <p> cyst </p> [SEG].")
        self.assertEqual(ub.plain_text("A <p> cyst </p> [SEG] here ."), "A cyst here.")


class LabelTest(unittest.TestCase):

    def test_phrases_map_to_card_labels_by_name_or_synonym(self):
        card = json.loads(CARD)
        self.assertEqual(ub.label_of("pulmonary nodule", card)["name"], "nodule")
        self.assertEqual(ub.label_of("Two cysts", card)["name"], "cyst")
        self.assertEqual(ub.label_of("a spiculated mass", card)["name"], "nodule")
        self.assertIsNone(ub.label_of("pleural effusion", card))


class WindowTest(unittest.TestCase):

    def test_three_equal_windows_give_grey_rgb(self):
        windows = json.loads(CARD)["input"]["windows"]
        rgb = ub.to_rgb(np.array([[-2000.0, -1350.0], [-600.0, 150.0]], dtype=np.float32), windows)
        self.assertEqual(rgb.dtype, np.uint8)
        self.assertEqual(rgb.shape, (2, 2, 3))
        self.assertEqual(rgb[:, :, 0].tolist(), [[0, 0], [128, 255]])
        self.assertTrue((rgb[:, :, 0] == rgb[:, :, 2]).all())

    def test_three_windows_are_required(self):
        with self.assertRaises(ValueError):
            ub.to_rgb(np.zeros((2, 2)), [{"center": 0, "width": 1}])


@unittest.skipUnless(importlib.util.find_spec("PIL"), "the backend hands PIL images to UniBiomed (python3-pil)")
class BackendTest(unittest.TestCase):

    def series(self, slices=2):
        values = np.full((slices, 4, 4), -800.0, dtype=np.float32)
        return contract.Series("2.25.1", "2.25.2", "CT", 4, 4, 5.0, 5.0, 5.0, [1, 0, 0, 0, 1, 0],
                               [[0, 0, 5.0 * k] for k in range(slices)], [f"2.25.3.{k}" for k in range(slices)],
                               values)

    def test_segment_task_asks_once_per_label_and_chunk_and_merges_masks(self):
        calls = []
        sure, none = fixture("segment_sure"), fixture("no_finding")

        def predict(frames, text):
            calls.append((len(frames), frames[0].mode, frames[0].size, text))
            if "nodule" in text:
                return {"prediction": sure["prediction"], "prediction_masks": [np.array(sure["prediction_masks"][0][:1])]}
            return none

        backend = ub.UniBiomedBackend(CARD, predict, task="segment", chunk=1)
        regions, warnings = backend.read(contract.Request("r1", "ignored in segment mode", self.series()))
        self.assertEqual(warnings, [])
        self.assertEqual([c[3] for c in calls], ["<image>Please segment nodule in CT.", "<image>Please segment cyst in CT."] * 2)
        self.assertEqual(calls[0][:3], (1, "RGB", (4, 4)))
        self.assertEqual([(r.label, len(r.voxels)) for r in regions], [("nodule", 8)])  # 4 voxels on each slice
        self.assertIsNone(regions[0].confidence)
        self.assertEqual(regions[0].phrase, "nodule")

    def test_report_task_sends_the_request_prompt_and_warns_on_unknown_phrases(self):
        unknown = fixture("unknown_phrase")
        backend = ub.UniBiomedBackend(CARD, lambda frames, text: {
            "prediction": unknown["prediction"], "prediction_masks": [np.array(unknown["prediction_masks"][0])]},
            task="report", chunk=8)
        regions, warnings = backend.read(contract.Request("r2", "Describe the abnormality.", self.series()))
        self.assertEqual(regions, [])
        self.assertEqual(warnings, ["phrase 'pleural effusion' names no label of the card; its mask is dropped"])

    def test_answer_carries_the_phrase_inside_the_text(self):
        report = fixture("report_two_phrases")
        backend = ub.UniBiomedBackend(CARD, lambda frames, text: {
            "prediction": report["prediction"], "prediction_masks": [np.array(m) for m in report["prediction_masks"]]},
            task="report")
        series = self.series()
        regions, warnings = backend.read(contract.Request("r3", "Describe.", series))
        import grounding
        answer = grounding.answer("r3", json.loads(CARD), series, regions, warnings)
        self.assertEqual([s["label"] for s in answer["segments"]], ["nodule", "cyst"])
        self.assertNotIn("confidence", answer["segments"][0])
        for finding in answer["findings"]:
            self.assertIn(finding["phrase"], finding["text"])
        self.assertEqual(answer["findings"][0]["phrase"], "pulmonary nodule")


if __name__ == "__main__":
    unittest.main()
