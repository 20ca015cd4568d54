#!/usr/bin/env bash
# deploy/bench.sh compressed [SLICES] [SIZE] [REPETITIONS]
#
# A CT series stored compressed in a private Orthanc on loopback (default 100 slices of 512 x 512, JPEG-LS lossless
# and JPEG 2000 lossless, compressed with Debian's dcmtk and GDCM tools), retrieved by WADO-RS and decoded into an
# ImageVolume along both paths, alternately in the same run (2 warm-up rounds, then REPETITIONS; medians of wall
# time): "transcoded" asks for Explicit VR Little Endian (Orthanc decompresses, one request), "local" asks for
# transfer-syntax=* (Orthanc sends the JPEG-LS as stored, GDCM decodes here). The JPEG 2000 series is timed with the
# default negotiation too: Orthanc cannot transcode it (500), so it costs one more request and a local decode.
# ratio = transcoded / local (above 1: decoding here is faster). The Java side is
# org.groundflow.dicomweb.bench.CompressedBenchmark (dicomweb test sources). Needs: Orthanc + DICOMweb plugin,
# dcmtk, libgdcm-tools, libgdcm-java, Java 17, Maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
slices=${1:-100}
size=${2:-512}
repetitions=${3:-5}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-compressed}
mkdir -p "$work"

[ -x /usr/sbin/Orthanc ] || { echo "compressed: Orthanc is not installed (deploy/setup.sh)" >&2; exit 1; }
command -v gdcmconv >/dev/null || { echo "compressed: gdcmconv is not installed (deploy/setup.sh)" >&2; exit 1; }

cd "$root"
echo "compressed: building dicomweb and its test classes" >&2
. "$here/lib.bash"
test_classpath dicomweb

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
java -Xmx1g -cp "$classpath" org.groundflow.dicomweb.bench.CompressedBenchmark "$work" "$slices" "$size" "$repetitions"

property() { sed -n "s/^$1=//p" "$work/compressed.properties"; }
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: $(property slices) slices of $(property size)^2, $(property uncompressed.mb) MB uncompressed," \
     "$(property jpegls.mb) MB as JPEG-LS, $(property jpeg2000.mb) MB as JPEG 2000;" \
     "retrieve + decode: transcoded $(property transcoded.median.s) s, local $(property local.median.s) s (JPEG-LS)," \
     "JPEG 2000 with fallback $(property fallback.median.s) s;" \
     "load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'compressed: ratio=%.2f (JPEG-LS series retrieved and decoded: Orthanc transcodes vs GDCM decodes here, medians, %s cores, %s)\n' \
  "$(property ratio)" "$cores" "${cpu:-unknown CPU}"
