#!/usr/bin/env bash
# deploy/bench.sh inference [SLICES] [REPETITIONS] [THREADS]
#
# The in-process model path on a SLICES-slice (default 64) 256 x 256 CT phantom, both sides in one JVM
# (org.groundflow.inference.InterpretationBenchmark, inference test sources): the whole interpretation
# (GroundedInterpreter: windowing, tensors, forward passes, softmax/argmax, labels back, components, measurements,
# sentences) against the bare DJL forward passes of the same TorchScript file on the same input tensors, REPETITIONS
# (default 7) alternating runs each after 2 warm-ups, medians; plus the first call after the JVM starts (engine start
# and model load, then the first whole interpretation). Then Debian's Python torch on the same TorchScript file and the
# same tensors with the same explicit thread count (deploy/bench/inference_torch.py). THREADS defaults to nproc and
# goes to DJL (-Dai.djl.pytorch.num_threads, one inter-op thread) and to torch.set_num_threads.
# Ends with "inference: ratio=X.XX (whole interpretation vs bare DJL forward, ...)". Needs Java 17, Maven,
# /usr/bin/python3 with torch and numpy (Debian python3-torch). Also prints the parts of one prediction, each timed on
# its own (org.groundflow.inference.PredictionPartsBenchmark: input, forward, softmax, best label, labels back, findings).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
slices=${1:-64}
repetitions=${2:-7}
threads=${3:-$(nproc)}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-inference}
rm -rf "$work"
mkdir -p "$work"

/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null \
  || { echo "inference: /usr/bin/python3 with torch and numpy is missing (deploy/setup.sh)" >&2; exit 1; }

cd "$root"
echo "inference: building inference and its test classes" >&2
. "$here/lib.bash"
test_classpath inference

# Every JVM here runs on the native allocator deploy/launch.sh gives the application (deploy/allocator.bash:
# jemalloc unless GROUNDFLOW_ALLOCATOR=system); `deploy/bench.sh allocator` compares the two
. "$root/deploy/allocator.bash"
groundflow_allocator
echo "inference: Groundflow + DJL ($slices slices of 256x256, $repetitions runs, $threads threads," \
  "allocator ${GROUNDFLOW_ALLOCATOR:-jemalloc})" >&2
java -Xms1g -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" org.groundflow.inference.InterpretationBenchmark "$work" "$slices" "$repetitions" >"$work/java.log" 2>&1 \
  || { cat "$work/java.log" >&2; exit 1; }
echo "inference: the parts of one prediction, each timed on its own" >&2
java -Xms1g -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" org.groundflow.inference.PredictionPartsBenchmark "$slices" "$repetitions" >"$work/parts.log" 2>&1 \
  || { cat "$work/parts.log" >&2; exit 1; }
echo "inference: Debian Python torch on the same TorchScript file" >&2
# Python torch on the system allocator: on jemalloc configured for the JVM its forward passes took twice as long
env -u LD_PRELOAD -u MALLOC_CONF /usr/bin/python3 "$here/inference_torch.py" "$root/inference/target/classes/org/groundflow/inference/demo-model/model.pt" \
  "$work/input.f32" "$slices" "$threads" "$repetitions" 8 > "$work/torch.json"

property() { sed -n "s/^$1=//p" "$work/groundflow.properties"; }
torch_() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/torch.json" "$1"; }
whole=$(property whole.median.s)
forward=$(property forward.median.s)
py=$(torch_ median_s)
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: whole interpretation $whole s (min $(property whole.min.s) s; of which model.predict $(property segment.median.s) s," \
     "findings $(property extract.median.s) s), bare DJL forward $forward s (min $(property forward.min.s) s)," \
     "$(property findings) findings, $slices slices, DJL PyTorch $(property engine) on $(property device), $(property threads) threads," \
     "allocator ${GROUNDFLOW_ALLOCATOR:-jemalloc}"
echo "figures: Debian Python torch $(torch_ torch) forward $py s (min $(torch_ min_s) s, $(torch_ threads) threads) vs DJL $forward s:" \
     "python/djl=$(/usr/bin/python3 -c "print('%.2f' % ($py / $forward))")"
echo "figures: first call after start: JVM start to first result $(property first.since.jvm.start.s) s" \
     "(engine start + model load $(property first.open.s) s, first whole interpretation $(property first.interpretation.s) s" \
     "vs steady $whole s); Python: load $(torch_ load_s) s, first forward $(torch_ first_forward_s) s vs steady $py s"
echo "figures: the parts of one prediction (PredictionPartsBenchmark, medians of $repetitions):"
grep -E '^[a-z]+ +[0-9.]+ ms' "$work/parts.log" | sed 's/^/  /'
ratio=$(/usr/bin/python3 -c "print('%.2f' % ($whole / $forward))")
echo "inference: ratio=$ratio (whole interpretation vs bare DJL forward, medians, $cores cores, ${cpu:-unknown CPU})"
