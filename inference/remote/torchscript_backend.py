"""Serves a Groundflow model package (model.json + TorchScript model.pt) the way Java's SegmentationModel runs it:
the series put on the model's canonical grid (model_grid.py, Java's ModelGrid: axial LPS slices at the card's pixel
spacing and `sliceSpacingMm`, whatever way the series runs), windowing, neighbouring canonical slices as more channels
(the card's `neighbourSlices`, the nearest canonical slice beyond either end), batches of slices, softmax and argmax,
labels mapped back to the source voxels from the nearest canonical voxel, then the components of grounding.py."""
import json
import logging
import pathlib

import numpy as np
import torch

import grounding
from model_grid import ModelGrid

log = logging.getLogger("groundflow.remote.torchscript")


class TorchScriptBackend:
    """One loaded package; read() is called under the server's lock (one forward at a time, threads set once)."""

    def __init__(self, package, threads, batch=8):
        package = pathlib.Path(package)
        self.card_bytes = (package / "model.json").read_bytes()
        self.card = json.loads(self.card_bytes)
        torch.set_num_threads(threads)
        self.model = torch.jit.load(str(package / self.card["file"]), map_location="cpu").eval()
        self.batch = batch
        self.input = self.card["input"]
        self.logits = self.card["output"]["kind"] == "logits"
        self.labels = {l["value"]: l["name"] for l in self.card["labels"]}
        log.info("loaded %s %s from %s (%d threads)", self.card["name"], self.card["version"], package, threads)

    def window(self, hu):
        """One channel per window: clip((HU - lower) / width, 0, 1) in float32, as Java computes it."""
        channels = []
        for w in self.input["windows"]:
            lower = np.float32(w["center"] - w["width"] / 2.0)
            channels.append(np.clip((hu - lower) / np.float32(w["width"]), 0.0, 1.0))
        return np.stack(channels, axis=-3).astype(np.float32)

    def label_map(self, series):
        """Labels and probabilities of every source voxel, [slices, rows, columns]."""
        grid = ModelGrid(series, self.input["columns"], self.input["rows"], self.input["pixelSpacingMm"],
                         self.input.get("sliceSpacingMm"))
        labels = np.zeros((grid.slices, grid.rows, grid.columns), dtype=np.uint8)
        confidence = np.zeros(labels.shape, dtype=np.float32)
        context = self.input.get("neighbourSlices") or 0
        with torch.no_grad():
            for first in range(0, grid.slices, self.batch):
                last = min(first + self.batch, grid.slices)
                # each canonical slice with `context` canonical slices on either side, the nearest one beyond its ends
                windowed = {k: self.window(grid.sample(series.values, min(max(k, 0), grid.slices - 1)))
                            for k in range(first - context, last + context)}
                x = np.stack([np.concatenate([windowed[k + d] for d in range(-context, context + 1)])
                              for k in range(first, last)])
                scores = self.model(torch.from_numpy(x))
                p = torch.softmax(scores, dim=1) if self.logits else scores
                best, classes = p.max(dim=1)
                labels[first:last] = classes.numpy().astype(np.uint8)
                confidence[first:last] = best.numpy()
        return grid.back(labels, confidence)

    def read(self, request):
        """Regions of one request (the prompt is not used: this model always outlines every label of its card)."""
        series = request.series
        labels, confidence = self.label_map(series)
        regions = []
        for value, name in self.labels.items():
            for voxels in grounding.components(labels == value):
                if grounding.large_enough(len(voxels), series):
                    mean = float(np.mean(confidence.ravel()[voxels], dtype=np.float64))
                    regions.append(grounding.Region(name, value, voxels, min(1.0, max(0.0, mean))))
        return regions, []
