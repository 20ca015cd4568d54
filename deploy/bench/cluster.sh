#!/usr/bin/env bash
# deploy/bench.sh cluster [STUDIES]
#
# Two engine JVMs (cluster profile) on one throwaway PostgreSQL and one remote interpretation worker JVM, the real
# Orthanc: STUDIES studies (default 50) started through both nodes in turn, each interpreted by the worker, signed
# through the API of the other node and published (org.groundflow.workflow.TwoEngineJvmsTest, workflow test sources;
# the suite runs it with 10). Every study must be read once; prints the wall time and the jobs each node's job
# executor ran, and ends with the share of the busier node against the other's.
# Needs: Java 17, Maven, Orthanc, PostgreSQL (deploy/setup.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
root=$(dirname "$deploy")
studies=${1:-50}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-cluster}
rm -rf "$work"
mkdir -p "$work"
cd "$root"
. "$here/lib.bash"
echo "cluster: building and running TwoEngineJvmsTest with $studies studies" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mvn_quiet -pl workflow -am test -Dtest=TwoEngineJvmsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgroundflow.cluster.studies="$studies"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
result="$root/workflow/target/cluster-result.properties"
property() { sed -n "s/^$1=//p" "$result"; }
a=$(property node-a.jobs)
b=$(property node-b.jobs)
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: $(property studies) studies in $(property millis) ms (start to last publication, the human's time" \
     "excluded); reads $(property reads), published $(property published), FHIR transactions" \
     "$(property fhir-transactions); jobs run: node-a $a, node-b $b; load average before/after: $load_before / $load_after"
python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); print(f'cluster: ratio={max(a, b) / max(1, min(a, b)):.2f} (jobs of the busier node vs the other, {sys.argv[3]} cores, {sys.argv[4]})')" \
  "$a" "$b" "$cores" "${cpu:-unknown CPU}"
