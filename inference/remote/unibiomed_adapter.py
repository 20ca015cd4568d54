"""UniBiomed (Wu et al. 2025, github.com/Luffy03/UniBiomed) behind the contract of CONTRACT.md.

UniBiomed couples a multimodal LLM with SAM 2: `model.predict_forward(image=..., text=..., tokenizer=...)` (or
`video=[frames]`) returns {"prediction": the decoded answer, special tokens kept, "prediction_masks": one boolean
array [frames, height, width] per [SEG] token of the answer, in order}. This adapter
  1. windows each CT slice to an 8-bit RGB image (the card's three input windows, one per channel; three equal
     windows give the grey image UniBiomed saw in training, replicated into R, G and B),
  2. sends the slices as a video in chunks (only the first five frames of a chunk reach the LLM, all frames reach
     SAM 2, so every slice gets a mask) with, per task,
       "segment" (default): one prompt per label of the card, "<image>Please segment {label} in {modality}.", the
                 form of UniBiomed's segmentation demos; the answer is a bare "Sure, [SEG]." for that label;
       "report": the request's own prompt, e.g. "Could you describe the abnormality in this image? Please output
                 with interleaved segmentation masks for the corresponding phrases.", answered with phrases tagged
                 "<p> phrase </p> [SEG]";
  3. pairs the i-th [SEG] token with the i-th mask, takes the token's phrase from its <p> tag (or the label asked
     for), maps the phrase to a label of the card by its name or synonyms, and unions the masks of a label over all
     chunks into regions (26-connected components).
A mismatch between tokens and masks drops that chunk's masks with a warning: a mask never gets a guessed phrase.
Parsing needs numpy (and SciPy, for the components); torch, transformers and PIL are imported when the model is
loaded.
"""
import json
import re
from dataclasses import dataclass

import numpy as np

import grounding

SEG = "[SEG]"
_PHRASE_SEG = re.compile(r"<p>\s*(.*?)\s*</p>\s*\[SEG\]", re.S)
_SPECIAL = re.compile(r"<s>|</s>|<\|end\|>|<\|endoftext\|>|<\|im_end\|>|<\|im_start\|>")


@dataclass
class Grounded:
    """One [SEG] token of an answer: its phrase, the answer's sentence text and its mask [frames, h, w]."""
    phrase: str
    text: str
    mask: np.ndarray


def clean_answer(prediction):
    """The assistant's words: chat template and special tokens removed, [SEG] and <p> tags kept."""
    text = prediction.split("ASSISTANT:")[-1]
    return " ".join(_SPECIAL.sub(" ", text).split())


def plain_text(answer):
    """The answer as a report sentence: tags and [SEG] tokens removed, spaces tidied."""
    text = re.sub(r"</?p>", "", answer).replace(SEG, "")
    text = re.sub(r"\s+([.,;:])", r"\1", " ".join(text.split()))
    return text.strip()


def parse(prediction, masks, target=None):
    """Pairs each [SEG] token with its mask; an untagged token outlines `target` (the label asked for), if any.

    Returns (grounded list, warnings)."""
    answer = clean_answer(prediction)
    tokens = answer.count(SEG)
    masks = list(masks or [])
    if tokens != len(masks):
        return [], [f"the answer has {tokens} [SEG] token(s) but {len(masks)} mask(s); its masks are dropped"]
    text = plain_text(answer)
    grounded, warnings = [], []
    tagged = {m.end(): m.group(1).strip() for m in _PHRASE_SEG.finditer(answer)}
    ends = [m.end() for m in re.finditer(re.escape(SEG), answer)]
    for i, end in enumerate(ends):
        phrase = tagged.get(end) or target
        if not phrase:
            warnings.append(f"[SEG] token {i + 1} has no <p> phrase; its mask is dropped")
            continue
        sentence = text if phrase.lower() in text.lower() and text else f"Segmented {phrase}."
        start = sentence.lower().find(phrase.lower())
        grounded.append(Grounded(sentence[start:start + len(phrase)], sentence, np.asarray(masks[i], dtype=bool)))
    return grounded, warnings


def label_of(phrase, card):
    """The card label whose name or one of whose synonyms occurs as a word in the phrase, or None."""
    words = phrase.lower()
    for label in sorted(card["labels"], key=lambda l: l["value"]):
        for name in [label["name"]] + list(label.get("synonyms", [])):
            if re.search(r"\b" + re.escape(name.lower()) + r"s?\b", words):
                return label
    return None


def to_rgb(hu, windows):
    """An 8-bit RGB image [rows, columns, 3] of one slice: channel c is window c, clip((HU - lower) / width, 0, 1)."""
    if len(windows) != 3:
        raise ValueError(f"UniBiomed reads RGB: the card needs 3 input windows, it has {len(windows)}")
    channels = [np.clip((hu - (w["center"] - w["width"] / 2.0)) / w["width"], 0.0, 1.0) for w in windows]
    return np.rint(np.stack(channels, axis=-1) * 255.0).astype(np.uint8)


class UniBiomedBackend:
    """The adapter as a server backend; `predict` is `model.predict_forward` bound to its tokenizer."""

    def __init__(self, card_bytes, predict, task="segment", chunk=32):
        if task not in ("segment", "report"):
            raise ValueError(f"task must be 'segment' or 'report', got '{task}'")
        self.card_bytes = card_bytes
        self.card = json.loads(card_bytes)
        self.predict = predict
        self.task = task
        self.chunk = chunk

    def prompts(self, request):
        """(prompt, label asked for) pairs sent for every chunk of slices."""
        if self.task == "report":
            text = request.prompt if "<image>" in request.prompt else "<image>" + request.prompt
            return [(text, None)]
        return [(f"<image>Please segment {label['name']} in {self.card['modality']}.", label["name"])
                for label in sorted(self.card["labels"], key=lambda l: l["value"])]

    @classmethod
    def load(cls, model_path, card_path, task="segment", chunk=32):
        """Loads UniBiomed as its README shows (bfloat16, flash attention, remote code, on the GPU)."""
        import torch
        from transformers import AutoModel, AutoTokenizer
        model = AutoModel.from_pretrained(model_path, torch_dtype=torch.bfloat16, low_cpu_mem_usage=True,
                                          use_flash_attn=True, trust_remote_code=True).eval().cuda()
        tokenizer = AutoTokenizer.from_pretrained(model_path, trust_remote_code=True)

        def predict(frames, text):
            with torch.inference_mode():
                return model.predict_forward(video=frames, text=text, tokenizer=tokenizer)

        with open(card_path, "rb") as f:
            return cls(f.read(), predict, task, chunk)

    def read(self, request):
        from PIL import Image
        series = request.series
        windows = self.card["input"]["windows"]
        union = {}  # label value -> boolean volume
        warnings = []
        for first in range(0, series.slices, self.chunk):
            ks = range(first, min(first + self.chunk, series.slices))
            frames = [Image.fromarray(to_rgb(series.values[k], windows), "RGB") for k in ks]
            grounded = []
            for prompt, target in self.prompts(request):
                out = self.predict(frames, prompt)
                found, notes = parse(out.get("prediction", ""), out.get("prediction_masks"), target)
                grounded += found
                warnings += [f"slices {first + 1}-{ks[-1] + 1}: {n}" for n in notes]
            for g in grounded:
                label = label_of(g.phrase, self.card)
                if label is None:
                    warnings.append(f"phrase '{g.phrase}' names no label of the card; its mask is dropped")
                    continue
                if g.mask.shape != (len(ks), series.rows, series.columns):
                    warnings.append(f"mask of '{g.phrase}' has shape {g.mask.shape}, expected "
                                    f"{(len(ks), series.rows, series.columns)}; dropped")
                    continue
                volume = union.setdefault(label["value"], (label, np.zeros(series.values.shape, dtype=bool), []))
                volume[1][first:first + len(ks)] |= g.mask
                volume[2].append(g)
        regions = []
        for value, (label, mask, said) in sorted(union.items()):
            for voxels in grounding.components(mask):
                if grounding.large_enough(len(voxels), series):
                    regions.append(grounding.Region(label["name"], value, voxels, None, said[0].text, said[0].phrase))
        return regions, warnings
