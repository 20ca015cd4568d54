"""Serves a Groundflow model package (model.json + TorchScript model.pt) the way Java's SegmentationModel runs it:
the same in-plane resampling (ModelGrid), windowing, neighbouring slices as more channels (the card's
`neighbourSlices`), batches of slices, softmax and argmax, labels mapped back to the source pixels by nearest
neighbour, then the components of grounding.py. Unlike Java it keeps the series' own slices (no resampling along the
slice normal), so a slice's neighbours are the series' neighbouring slices."""
import json
import logging
import pathlib

import numpy as np
import torch

import grounding

log = logging.getLogger("groundflow.remote.torchscript")
OUTSIDE_HU = -1000.0
SAME_SPACING_MM = 1e-3


def _source_coordinates(model_size, source_size, scale):
    return (source_size - 1) / 2.0 + (np.arange(model_size, dtype=np.float64) - (model_size - 1) / 2.0) * scale


def _bilinear(image, fx, fy):
    """Java ModelGrid.bilinear over whole rows and columns: samples at fractional columns fx and rows fy."""
    h, w = image.shape
    cx = np.clip(fx, 0, w - 1)
    cy = np.clip(fy, 0, h - 1)
    x0 = np.minimum(cx.astype(np.int64), w - 1)
    y0 = np.minimum(cy.astype(np.int64), h - 1)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    ax = (cx - x0)[None, :]
    ay = (cy - y0)[:, None]
    img = image.astype(np.float64)
    top = img[y0][:, x0] * (1 - ax) + img[y0][:, x1] * ax
    bottom = img[y1][:, x0] * (1 - ax) + img[y1][:, x1] * ax
    out = top * (1 - ay) + bottom * ay
    out[(fy < -0.5) | (fy > h - 0.5), :] = OUTSIDE_HU
    out[:, (fx < -0.5) | (fx > w - 0.5)] = OUTSIDE_HU
    return out.astype(np.float32)


class ModelGrid:
    """The model's grid laid over a source slice grid, both centred on the same point (Java's ModelGrid)."""

    def __init__(self, series, rows, columns, spacing):
        self.rows, self.columns = rows, columns
        self.row_scale = spacing / series.row_spacing
        self.column_scale = spacing / series.column_spacing
        self.identity = (series.columns == columns and series.rows == rows
                         and abs(series.column_spacing - spacing) < SAME_SPACING_MM
                         and abs(series.row_spacing - spacing) < SAME_SPACING_MM)
        self.fx = _source_coordinates(columns, series.columns, self.column_scale)
        self.fy = _source_coordinates(rows, series.rows, self.row_scale)
        # nearest model pixel of each source pixel (Java Math.round is floor(x + 0.5)), -1 outside
        v = np.floor((rows - 1) / 2.0 + (np.arange(series.rows) - (series.rows - 1) / 2.0) / self.row_scale + 0.5)
        u = np.floor((columns - 1) / 2.0 + (np.arange(series.columns) - (series.columns - 1) / 2.0)
                     / self.column_scale + 0.5)
        self.v, self.u = v.astype(np.int64), u.astype(np.int64)
        self.inside = ((self.v >= 0) & (self.v < rows))[:, None] & ((self.u >= 0) & (self.u < columns))[None, :]

    def sample(self, image):
        return image if self.identity else _bilinear(image, self.fx, self.fy)

    def back(self, model_image, fill):
        if self.identity:
            return model_image
        out = model_image[np.clip(self.v, 0, self.rows - 1)][:, np.clip(self.u, 0, self.columns - 1)]
        return np.where(self.inside, out, fill)


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
        grid = ModelGrid(series, self.input["rows"], self.input["columns"], self.input["pixelSpacingMm"])
        labels = np.zeros(series.values.shape, dtype=np.uint8)
        confidence = np.zeros(series.values.shape, dtype=np.float32)
        context = self.input.get("neighbourSlices") or 0
        with torch.no_grad():
            for first in range(0, series.slices, self.batch):
                last = min(first + self.batch, series.slices)
                # each slice with `context` slices of the series on either side, the nearest one beyond its ends
                windowed = {k: self.window(grid.sample(series.values[min(max(k, 0), series.slices - 1)]))
                            for k in range(first - context, last + context)}
                x = np.stack([np.concatenate([windowed[k + d] for d in range(-context, context + 1)])
                              for k in range(first, last)])
                scores = self.model(torch.from_numpy(x))
                p = torch.softmax(scores, dim=1) if self.logits else scores
                best, classes = p.max(dim=1)
                for i, k in enumerate(range(first, last)):
                    labels[k] = grid.back(classes[i].numpy().astype(np.uint8), 0)
                    confidence[k] = grid.back(best[i].numpy(), 1.0)
        return labels, confidence

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
