#!/usr/bin/env bash
# deploy/bench.sh retrieval [SLICES] [SIZE] [REPETITIONS]
#
# WADO-RS retrieval of one CT series (default 300 slices of 512 x 512, about 150 MB) from a private Orthanc on
# loopback: Groundflow's DicomWebClient.retrieveSeries (one file per instance, heap fixed at 256 MB) against curl
# fetching the same series URL into one file, alternately in the same run (5 warm-up rounds, then REPETITIONS;
# medians of wall time, CPU time reported too); then decoding the retrieved series into an ImageVolume (time per
# slice, median of 3). Other load on the machine skews the ratio against the JVM: the load average is printed.
# The Java side is org.groundflow.dicomweb.bench.RetrievalBenchmark (dicomweb test sources); it starts and stops
# Orthanc by PID. Needs: Orthanc + DICOMweb plugin, curl, Java 17, Maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
slices=${1:-300}
size=${2:-512}
repetitions=${3:-11}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-retrieval}
mkdir -p "$work"

command -v curl >/dev/null || { echo "retrieval: curl is not installed" >&2; exit 1; }
[ -x /usr/sbin/Orthanc ] || { echo "retrieval: Orthanc is not installed (deploy/setup.sh)" >&2; exit 1; }

cd "$root"
echo "retrieval: building dicomweb and its test classes" >&2
. "$here/lib.bash"
test_classpath dicomweb

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
java -Xms256m -Xmx256m -cp "$classpath" org.groundflow.dicomweb.bench.RetrievalBenchmark retrieve "$work" "$slices" "$size" "$repetitions"
java -Xmx1g -cp "$classpath" org.groundflow.dicomweb.bench.RetrievalBenchmark decode "$work" 3

property() { sed -n "s/^$1=//p" "$work/retrieval.properties"; }
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: groundflow $(property groundflow.median.s) s (cpu $(property groundflow.cpu.median.s) s)," \
     "curl $(property curl.median.s) s (cpu $(property curl.cpu.median.s) s) for $(property response.mb) MB;" \
     "load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg);" \
     "heap peak $(property heap.peak.mb) MB (pool peaks $(property heap.poolpeaks.mb) MB, -Xmx256m)," \
     "$(property allocated.median.mb) MB allocated per retrieval;" \
     "decode $(property decode.ms.per.slice) ms per slice"
printf 'retrieval: ratio=%.2f (groundflow vs curl, medians, %s cores, %s)\n' "$(property ratio)" "$cores" "${cpu:-unknown CPU}"
