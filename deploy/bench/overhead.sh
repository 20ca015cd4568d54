#!/usr/bin/env bash
# deploy/bench.sh overhead [STUDIES] [SLICES] [WARM_UP]
#
# The whole automated path of a read against the sum of its irreducible parts, on the same studies in the same run
# (org.groundflow.workflow.OverheadBenchmark, workflow test sources). Groundflow: the application on its embedded
# defaults (H2 file, the in-process demo model and interpretation worker, as run.sh) with a real Orthanc and the FHIR
# sandbox (bundles validated, as by default); per study the time from POST /api/reads until the review task exists
# plus the time from the sign-off through the API (sent as soon as the task exists: the human's time is left out)
# until the process ends (retrieve, interpret, publish SEG + SR and FHIR); all studies are made and stored before the
# first read, so that the node reads them with nothing else of the benchmark running. Bare, after all reads, each made
# from the node's draft: the WADO-RS download of the same series with a plain HTTP client, one STOW-RS of a SEG and SR made from the
# same draft and decisions, one FHIR transaction of their bundle (plain POST), and the bare DJL forward passes of the
# same model over the same model input in a JVM of their own (median of 3). STUDIES (default 7) studies of SLICES
# (default 48) 256 x 256 slices after WARM_UP (default 100, as in a node that has been reading for a while: after 2 the JIT
# compiler is still at work on the validator and the rest) warm-up studies; medians. Prints the breakdown per step
# (where the extra time goes) and ends with the ratio of the medians.
# Every process of the benchmark, the node's JVM and the bare forward's JVM among them, runs on the native allocator
# that deploy/launch.sh gives the application (deploy/allocator.bash: jemalloc unless GROUNDFLOW_ALLOCATOR=system).
# Goal: at most 1.10. Needs: Java 17, Maven, Orthanc (deploy/setup.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
root=$(dirname "$deploy")
studies=${1:-7}
slices=${2:-48}
warm_up=${3:-100}
[[ "$studies" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "overhead: STUDIES must be a whole number from 1 to 999, got: $studies" >&2; exit 2; }
[[ "$slices" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "overhead: SLICES must be a whole number from 1 to 9999, got: $slices" >&2; exit 2; }
[[ "$warm_up" =~ ^[0-9]{1,3}$ ]] || { echo "overhead: WARM_UP must be a whole number from 0 to 999, got: $warm_up" >&2; exit 2; }
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-overhead}
rm -rf "$work"
mkdir -p "$work"
cd "$root"
. "$here/lib.bash"
echo "overhead: building deploy/fhir-server and the workflow module" >&2
mvn_quiet -pl deploy/fhir-server -am -DskipTests package
rm -f "$root/workflow/target/overhead-table.txt" "$root/workflow/target/overhead.properties"
. "$deploy/allocator.bash"
groundflow_allocator
echo "overhead: $studies studies of $slices slices after $warm_up warm-up studies," \
  "allocator ${GROUNDFLOW_ALLOCATOR:-jemalloc}" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The bare forward passes run in a JVM of their own and the bare parts are made from the node's own drafts, so that
# only the node's worker runs libtorch in its JVM: two threads running it in one JVM each lead an OpenMP team, and with
# libgomp's default (active) waiting the idle team spins and slows the other (on 2 cores a bare forward on a thread of
# its own took 1.64-1.70 s against 1.35 s for the node's whole interpretation; on the main thread 1.24 s against 1.60 s).
mvn_quiet -pl workflow -am test -Dtest=OverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgroundflow.overhead.studies="$studies" -Dgroundflow.overhead.slices="$slices" \
  -Dgroundflow.overhead.warm-up="$warm_up"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
results="$root/workflow/target/overhead.properties"
[ -s "$results" ] || { echo "overhead: no results in $results" >&2; exit 1; }
property() { sed -n "s/^$1=//p" "$results"; }
cat "$root/workflow/target/overhead-table.txt"
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: groundflow $(property groundflow.median.ms) ms vs bare parts $(property bare.median.ms) ms per study" \
     "(medians of $(property studies) studies of $(property slices) slices, bare parts after all reads;" \
     "allocator ${GROUNDFLOW_ALLOCATOR:-jemalloc} for both);" \
     "load average before/after: $load_before / $load_after"
printf 'overhead: ratio=%.2f (groundflow path vs sum of bare parts, medians, %s cores, %s)\n' "$(property ratio)" \
  "$cores" "${cpu:-unknown CPU}"
