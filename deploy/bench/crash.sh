#!/usr/bin/env bash
# deploy/bench.sh crash [REPETITIONS]
#
# Time to resume after a crash: a real engine JVM (PostgreSQL, the real Orthanc, the FHIR sandbox, bundles validated
# as by default) killed abruptly at each step boundary of a read (after retrieval, during interpretation, after
# sign-off, after the STOW, after the FHIR transaction), REPETITIONS times each (default 10), and started again. The
# time to resume is from the restart to the read's next state (its review after a crash before it, its end after one
# after it): the JVM's start plus the rest of the read. Every read must complete with exactly one SEG, one SR and one
# DiagnosticReport (org.groundflow.workflow.CrashRecoveryTest, workflow test sources, counts them through QIDO-RS and
# FHIR search). Prints the median and the longest time per boundary and ends with the median against the 60 s bound.
# Needs: Java 17, Maven, Orthanc, PostgreSQL (deploy/setup.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
root=$(dirname "$deploy")
repetitions=${1:-10}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-crash}
rm -rf "$work"
mkdir -p "$work"
cd "$root"
. "$here/lib.bash"
echo "crash: building deploy/fhir-server and the workflow module" >&2
mvn_quiet -pl deploy/fhir-server -am -DskipTests package
results="$root/workflow/target/crash-resume.tsv"
rm -f "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The test writes each kill's time as it is measured: when it fails (or is interrupted), the table below still shows
# the kills that completed, and the benchmark exits with the test's failure.
status=0
(mvn_quiet -pl workflow -am test -Dtest=CrashRecoveryTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgroundflow.crash.repetitions="$repetitions" -Dgroundflow.crash.validate=true) || status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[ -s "$results" ] || { echo "crash: no results in $results" >&2; exit 1; }
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
python3 - "$results" "$cores" "${cpu:-unknown CPU}" "$load_before" "$load_after" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
by = {}
for boundary, ms in rows:
    by.setdefault(boundary, []).append(int(ms) / 1000)
print(f"{'boundary':<24}{'runs':>6}{'median s':>10}{'max s':>8}")
for boundary, times in by.items():
    print(f"{boundary:<24}{len(times):>6}{statistics.median(times):>10.1f}{max(times):>8.1f}")
every = [t for times in by.values() for t in times]
median = statistics.median(every)
print(f"figures: {len(every)} kills, time to resume median {median:.1f} s, max {max(every):.1f} s (restart to the "
      f"read's next state, JVM start included); load average before/after: {sys.argv[4]} / {sys.argv[5]}")
print(f"crash: ratio={median / 60:.2f} (median time to resume vs the 60 s bound, {sys.argv[2]} cores, {sys.argv[3]})")
PY
exit "$status"
