#!/usr/bin/env bash
# deploy/bench.sh robustness [STUDIES] [SEED]
#
# The demo model on scans it was not trained on: STUDIES (default 24) CT series of the independent generator B
# (inference/training/independent_phantom.py: its own anatomy, intensities and noise, DICOM files with their own
# pixel spacing, slice thickness, orientation, instance order and pixel encoding), each read by dicomweb's
# ImageVolumeReader and interpreted in process by GroundedInterpreter on DJL (org.groundflow.inference.
# RobustnessBenchmark, inference test sources), scored against the generator's truth (inference/training/
# robustness.py): per-label sensitivity, false positives per study, Dice, label accuracy, lesion-free studies with no
# finding. Rewrites the model card's "evaluation" and inference/training/EVALUATION.md from these figures.
# Ends with "robustness: ratio=X.XX (independent-set lesion sensitivity vs the training generator's held-out lesion
# sensitivity, ...)": 1.00 means the model finds lesions on the unfamiliar scans as well as on its own generator's.
# ROBUSTNESS_SET=DIR reuses a set generator B wrote before (independent_phantom.py --out DIR with the same STUDIES
# and SEED, checked in DIR/truth.json) instead of writing it again, which takes most of the time.
# Needs Java 17, Maven, /usr/bin/python3 with torch, numpy, scipy and pydicom (deploy/setup.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
studies=${1:-24}
seed=${2:-424242}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-robustness}
training="$root/inference/training"
card="$root/inference/src/main/resources/org/groundflow/inference/demo-model/model.json"
rm -rf "$work"
mkdir -p "$work"

/usr/bin/python3 -c 'import torch, numpy, scipy, pydicom' 2>/dev/null \
  || { echo "robustness: /usr/bin/python3 with torch, numpy, scipy and pydicom is missing (deploy/setup.sh)" >&2; exit 1; }

if [ -n "${ROBUSTNESS_SET:-}" ]; then
  /usr/bin/python3 -c 'import json, sys; t = json.load(open(sys.argv[1] + "/truth.json"))
sys.exit(0 if t["seed"] == int(sys.argv[2]) and len(t["studies"]) == int(sys.argv[3]) else 1)' \
    "$ROBUSTNESS_SET" "$seed" "$studies" \
    || { echo "robustness: $ROBUSTNESS_SET does not hold $studies studies of seed $seed" >&2; exit 1; }
  echo "robustness: the set generator B wrote in $ROBUSTNESS_SET ($studies studies, seed $seed)" >&2
  set_dir=$(cd "$ROBUSTNESS_SET" && pwd)
  cp "$set_dir/truth.json" "$work/"
  for study in "$set_dir"/study-*; do ln -s "$study" "$work/"; done
else
  echo "robustness: generator B writes $studies studies (seed $seed)" >&2
  /usr/bin/python3 "$training/independent_phantom.py" --out "$work" --studies "$studies" --seed "$seed" >"$work/generator.log"
fi

cd "$root"
echo "robustness: building inference and its test classes" >&2
. "$here/lib.bash"
test_classpath inference

echo "robustness: GroundedInterpreter on each study (DJL, $(nproc) threads)" >&2
java -Xms1g -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$(nproc)" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" org.groundflow.inference.RobustnessBenchmark "$work" >"$work/java.log" 2>&1 \
  || { cat "$work/java.log" >&2; exit 1; }
(cd "$training" && /usr/bin/python3 robustness.py "$work") > "$work/independent.json"
(cd "$training" && /usr/bin/python3 report.py --card "$card" --independent "$work/independent.json" \
  --report "$training/EVALUATION.md")

field() { /usr/bin/python3 -c "import json,sys; e=json.load(open(sys.argv[1]))['evaluation']; print(eval(sys.argv[2], {}, e))" "$card" "$1"; }
sed -n '/^## Independent set/,/^## Training generator/p' "$training/EVALUATION.md" | sed '$d'
echo "figures: training generator (held-out seed): sensitivity $(field "trainingGenerator['lesionSensitivity']")," \
     "false positives/study $(field "trainingGenerator.get('falsePositivesPerStudy')"); refused studies:" \
     "$(field "len(independentSet['refusedStudies'])"); per geometry: $(field "independentSet['perGeometry']")"
ratio=$(field "'%.2f' % (independentSet['lesionSensitivity'] / max(trainingGenerator['lesionSensitivity'], 1e-9))")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "robustness: ratio=$ratio (independent-set lesion sensitivity $(field "independentSet['lesionSensitivity']") vs training-generator held-out $(field "trainingGenerator['lesionSensitivity']"), $studies studies, $(nproc) cores, ${cpu:-unknown CPU})"
