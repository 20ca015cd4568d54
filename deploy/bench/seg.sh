#!/usr/bin/env bash
# deploy/bench.sh seg [SLICES] [SIZE] [SEGMENTS] [REPETITIONS]
#
# Encoding a BINARY DICOM-SEG of a 512 x 512 x 300 CT volume with 5 segments (defaults), from masks in memory to the
# Part 10 bytes in memory: Groundflow's Segmentation builder (org.groundflow.dicomweb.bench.SegmentationBenchmark,
# dicomweb test sources; 3 warm-up runs in the JVM) against the same SEG encoded with Debian's python3-pydicom and
# numpy (deploy/bench/seg_pydicom.py: same masks, same frames, np.packbits, one warm-up run), in the same run;
# REPETITIONS (default 7) each, medians. The pydicom side checks that its frames and packed pixel data equal
# Groundflow's. Needs: Java 17, Maven, /usr/bin/python3 with pydicom and numpy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
slices=${1:-300}
size=${2:-512}
segments=${3:-5}
repetitions=${4:-7}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-seg}
rm -rf "$work"
mkdir -p "$work"

/usr/bin/python3 -c 'import pydicom, numpy' 2>/dev/null \
  || { echo "seg: /usr/bin/python3 with pydicom and numpy is missing (deploy/setup.sh)" >&2; exit 1; }

cd "$root"
echo "seg: building dicomweb and its test classes" >&2
. "$here/lib.bash"
test_classpath dicomweb

echo "seg: Groundflow ($slices slices of ${size}x${size}, $segments segments, $repetitions runs)" >&2
java -Xms2g -Xmx2g -cp "$classpath" org.groundflow.dicomweb.bench.SegmentationBenchmark "$work" "$slices" "$size" \
  "$segments" "$repetitions"
echo "seg: pydicom + numpy" >&2
/usr/bin/python3 "$here/seg_pydicom.py" "$work" "$repetitions" > "$work/pydicom.json" \
  || { echo "seg: the pydicom side failed or differs from Groundflow's frames:" >&2; cat "$work/pydicom.json" >&2; exit 1; }

property() { sed -n "s/^$1=//p" "$work/groundflow.properties"; }
pydicom() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/pydicom.json" "$1"; }
gf=$(property groundflow.median.s)
py=$(pydicom median_s)
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: groundflow $gf s (min $(property groundflow.min.s) s), $(property groundflow.bytes) bytes," \
     "$(property groundflow.frames) frames; pydicom $(pydicom pydicom) + numpy $(pydicom numpy) $py s" \
     "(min $(pydicom min_s) s), $(pydicom bytes) bytes, $(pydicom frames) frames; same frames and pixel data:" \
     "$(pydicom same_frames)/$(pydicom same_pixel_data)"
ratio=$(/usr/bin/python3 -c "print('%.2f' % ($gf / $py))")
echo "seg: ratio=$ratio (groundflow vs pydicom, medians, $cores cores, ${cpu:-unknown CPU})"
