"""The HTTP + JSON contract of CONTRACT.md, Python side: reading a request, run-length codes, answers and errors.

Standard library and numpy only, so that every server backend (TorchScript, UniBiomed) and the tests share it.
"""
import base64
import binascii
import json
from dataclasses import dataclass

import numpy as np

ENCODING = "float32-le-base64"


class ContractError(Exception):
    """A request the server refuses: HTTP status, contract error code and a message naming the field."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class Series:
    """One series sent as slices: HU (or rescaled) values [slices, rows, columns] and their geometry."""
    study_uid: str
    series_uid: str
    modality: str
    rows: int
    columns: int
    row_spacing: float      # mm between rows (along the column direction)
    column_spacing: float   # mm between columns (along the row direction)
    slice_spacing: float
    orientation: list
    positions: list
    sop_uids: list
    values: np.ndarray

    @property
    def slices(self):
        return self.values.shape[0]

    def voxel_ml(self):
        """Volume of one voxel in mL, multiplied in the order Java's Morphometry uses (same doubles)."""
        return self.column_spacing * self.row_spacing * self.slice_spacing / 1000.0


@dataclass
class Request:
    request_id: str
    prompt: str
    series: Series


def bad(message, code="bad-request", status=400):
    return ContractError(status, code, message)


def _field(node, name, kind, path):
    value = node.get(name) if isinstance(node, dict) else None
    if kind is str:
        ok = isinstance(value, str) and value.strip() != ""
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise bad(f"field '{path}' must be {_kind_name(kind)}, got {json.dumps(value)[:80]}")
    return value


def _kind_name(kind):
    return {str: "a non-blank string", int: "an integer", float: "a number", dict: "an object",
            list: "an array"}.get(kind, str(kind))


def _numbers(node, name, count, path, positive=False):
    values = _field(node, name, list, path)
    if len(values) != count or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise bad(f"field '{path}' must hold {count} numbers, got {json.dumps(values)[:80]}")
    if positive and not all(v > 0 for v in values):
        raise bad(f"field '{path}' must hold positive numbers, got {values}")
    return [float(v) for v in values]


def parse_request(body):
    """Checks a POST /v1/interpret body and decodes its slices; raises ContractError naming the broken rule."""
    try:
        root = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise bad(f"the body is not valid JSON: {e}")
    if not isinstance(root, dict):
        raise bad("the body must be a JSON object")
    request_id = _field(root, "requestId", str, "requestId")
    task = _field(root, "task", dict, "task")
    prompt = _field(task, "prompt", str, "task.prompt")
    modality = root.get("modality") or ""
    series = _field(root, "series", dict, "series")
    study = _field(series, "studyInstanceUid", str, "series.studyInstanceUid")
    uid = _field(series, "seriesInstanceUid", str, "series.seriesInstanceUid")
    sources = [k for k in ("slices", "dicomweb") if k in series]
    if len(sources) != 1:
        raise bad(f"field 'series' must hold exactly one of 'slices' and 'dicomweb', got {sources or 'neither'}")
    if sources[0] == "dicomweb":
        raise ContractError(422, "unsupported-source",
                            "this server reads series sent as slices only; it does not fetch from DICOMweb")
    s = _field(series, "slices", dict, "series.slices")
    rows = _field(s, "rows", int, "series.slices.rows")
    columns = _field(s, "columns", int, "series.slices.columns")
    if rows < 1 or columns < 1:
        raise bad(f"fields 'series.slices.rows' and 'columns' must be >= 1, got {rows} x {columns}")
    row_spacing, column_spacing = _numbers(s, "pixelSpacing", 2, "series.slices.pixelSpacing", positive=True)
    slice_spacing = float(_field(s, "sliceSpacing", float, "series.slices.sliceSpacing"))
    if slice_spacing <= 0:
        raise bad(f"field 'series.slices.sliceSpacing' must be positive, got {slice_spacing}")
    orientation = _numbers(s, "orientation", 6, "series.slices.orientation")
    encoding = _field(s, "encoding", str, "series.slices.encoding")
    if encoding != ENCODING:
        raise ContractError(422, "unsupported-encoding", f"field 'series.slices.encoding' must be '{ENCODING}', "
                                                         f"got '{encoding}'")
    instances = _field(s, "instances", list, "series.slices.instances")
    if not instances:
        raise bad("field 'series.slices.instances' must hold at least one slice")
    values = np.empty((len(instances), rows, columns), dtype=np.float32)
    positions, uids = [], []
    for k, instance in enumerate(instances):
        path = f"series.slices.instances[{k}]"
        sop = _field(instance, "sopInstanceUid", str, path + ".sopInstanceUid")
        if sop in uids:
            raise bad(f"field '{path}.sopInstanceUid' repeats {sop}")
        uids.append(sop)
        positions.append(_numbers(instance, "position", 3, path + ".position"))
        try:
            raw = base64.b64decode(_field(instance, "data", str, path + ".data"), validate=True)
        except (binascii.Error, ValueError) as e:
            raise bad(f"field '{path}.data' is not base64: {e}")
        if len(raw) != rows * columns * 4:
            raise bad(f"field '{path}.data' holds {len(raw)} bytes, a {rows} x {columns} float32 slice has "
                      f"{rows * columns * 4}")
        values[k] = np.frombuffer(raw, dtype="<f4").reshape(rows, columns)
    return Request(request_id, prompt, Series(study, uid, modality, rows, columns, row_spacing, column_spacing,
                                              slice_spacing, orientation, positions, uids, values))


def encode_rle(mask):
    """Run lengths of a 2D boolean mask in row-major order: alternating runs starting with background."""
    flat = np.asarray(mask, dtype=bool).ravel()
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], changes, [flat.size]))
    counts = np.diff(bounds).tolist()
    if flat.size and flat[0]:
        counts.insert(0, 0)
    return [int(c) for c in counts]


def decode_rle(counts, rows, columns):
    """The inverse of encode_rle; raises ValueError when the counts break the code."""
    size = rows * columns
    flat = np.zeros(size, dtype=bool)
    at = 0
    for i, c in enumerate(counts):
        if c < 0 or (c == 0 and i > 0):
            raise ValueError(f"run {i} has length {c}")
        if i % 2 == 1:
            flat[at:at + c] = True
        at += c
    if at != size:
        raise ValueError(f"runs cover {at} pixels, the slice has {size}")
    return flat.reshape(rows, columns)


def segment_json(number, label, confidence, mask, sop_uids):
    """A segment of the answer: mask [slices, rows, columns] as run lengths for the slices it touches."""
    rle = [{"sopInstanceUid": sop_uids[k], "counts": encode_rle(mask[k])}
           for k in range(mask.shape[0]) if mask[k].any()]
    segment = {"number": number, "label": label, "rle": rle}
    if confidence is not None:
        segment["confidence"] = round(float(confidence), 6)
    return segment


def error_json(code, message):
    return {"error": {"code": code, "message": message}}
