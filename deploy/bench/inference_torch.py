#!/usr/bin/python3
"""deploy/bench.sh inference, the Python side: Debian's torch on the same TorchScript file and the same input tensor.

    inference_torch.py MODEL_PT INPUT_F32 SLICES THREADS REPETITIONS BATCH

Loads the model (timed), runs the first forward pass over all slices (timed: first-call latency), then WARM_UP and
REPETITIONS passes over all slices in batches of BATCH, with THREADS intra-op threads and one inter-op thread, like
the Java side. Prints one JSON object.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch

WARM_UP = 2


def main():
    model_pt, input_f32, slices, threads, repetitions, batch = sys.argv[1:7]
    slices, threads, repetitions, batch = int(slices), int(threads), int(repetitions), int(batch)
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    x = torch.from_numpy(np.fromfile(input_f32, dtype="<f4").reshape(slices, -1, 256, 256))
    batches = [x[s:s + batch].contiguous() for s in range(0, slices, batch)]
    started = time.perf_counter()
    model = torch.jit.load(model_pt, map_location="cpu").eval()
    loaded = time.perf_counter()

    def forward():
        with torch.no_grad():
            for b in batches:
                model(b)

    forward()
    first = time.perf_counter()
    for _ in range(WARM_UP):
        forward()
    times = []
    for _ in range(repetitions):
        t = time.perf_counter()
        forward()
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "load_s": round(loaded - started, 4), "first_forward_s": round(first - loaded, 4),
        "median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4),
    }))


if __name__ == "__main__":
    main()
