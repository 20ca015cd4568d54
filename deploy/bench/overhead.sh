#!/usr/bin/env bash
# deploy/bench.sh overhead [STUDIES] [SLICES]
#
# The whole automated path of a read against the sum of its irreducible parts, on the same studies in the same run
# (org.groundflow.workflow.OverheadBenchmark, workflow test sources). Groundflow: the application on its embedded
# defaults (H2 file, the in-process demo model and interpretation worker, as run.sh) with a real Orthanc and the FHIR
# sandbox (bundles validated, as by default); per study the time from POST /api/reads until the review task exists
# plus the time from the sign-off through the API (sent as soon as the task exists: the human's time is left out)
# until the process ends (retrieve, interpret, publish SEG + SR and FHIR). Bare, in the same JVM: the WADO-RS download
# of the same series with a plain HTTP client, the bare DJL forward passes of the same model over the same volume, one
# STOW-RS of a SEG and SR made from the same draft and decisions, one FHIR transaction of their bundle (plain POST).
# STUDIES (default 7) studies of SLICES (default 48) 256 x 256 slices after 2 warm-up studies, sides alternating per
# study; medians. Prints the breakdown per step (where the extra time goes) and ends with the ratio of the medians.
# Goal: at most 1.10. Needs: Java 17, Maven, Orthanc (deploy/setup.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
root=$(dirname "$deploy")
studies=${1:-7}
slices=${2:-48}
[[ "$studies" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "overhead: STUDIES must be a whole number from 1 to 999, got: $studies" >&2; exit 2; }
[[ "$slices" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "overhead: SLICES must be a whole number from 1 to 9999, got: $slices" >&2; exit 2; }
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-overhead}
rm -rf "$work"
mkdir -p "$work"
cd "$root"
. "$here/lib.bash"
echo "overhead: building deploy/fhir-server and the workflow module" >&2
mvn_quiet -pl deploy/fhir-server -am -DskipTests package
rm -f "$root/workflow/target/overhead-table.txt" "$root/workflow/target/overhead.properties"
echo "overhead: $studies studies of $slices slices after 2 warm-up studies" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Both sides run libtorch in one JVM from two threads (the node's interpretation worker; the bare forward's own
# thread), each the master of its own OpenMP team. With libgomp's default (active) waiting the idle team spins after
# each parallel region and, on few cores, slows whichever side runs next: on 2 cores the bare forward took 1.64-1.70 s
# on its own thread against 1.35 s for the whole interpretation, and 1.24 s against 1.60 s when moved to the main
# thread. Passive waiting gives both sides the same conditions (1.52 s against 1.53 s).
export OMP_WAIT_POLICY=PASSIVE
mvn_quiet -pl workflow -am test -Dtest=OverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgroundflow.overhead.studies="$studies" -Dgroundflow.overhead.slices="$slices"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
results="$root/workflow/target/overhead.properties"
[ -s "$results" ] || { echo "overhead: no results in $results" >&2; exit 1; }
property() { sed -n "s/^$1=//p" "$results"; }
cat "$root/workflow/target/overhead-table.txt"
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: groundflow $(property groundflow.median.ms) ms vs bare parts $(property bare.median.ms) ms per study" \
     "(medians of $(property studies) studies of $(property slices) slices, sides alternating);" \
     "load average before/after: $load_before / $load_after; OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
printf 'overhead: ratio=%.2f (groundflow path vs sum of bare parts, medians, %s cores, %s)\n' "$(property ratio)" \
  "$cores" "${cpu:-unknown CPU}"
