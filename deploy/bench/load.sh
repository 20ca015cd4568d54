#!/usr/bin/env bash
# deploy/bench.sh load [N...]
#
# Engine and plumbing time per study: N reads (default 100, 300 and 1,000) queued through POST /api/reads on one
# node whose PACS, model and FHIR server are stubs that answer at once (the study exists, one series is chosen, a
# one-finding draft, a SEG UID, a DiagnosticReport id); the job executor and the in-process worker at their defaults.
# Measured: the wall time from the first request until all N wait at review, plus the wall time from the first
# sign-off through the API (POST /api/reviews/{taskId}, four clients) until all N are published; their sum divided by
# N is the time per study. Beside it, the CPU time per study of the node's JVM (its HTTP clients included) and of
# the PostgreSQL server, which a loaded machine inflates less than the wall time. Each N runs on a fresh database,
# embedded H2 (a file, as run.sh) and a throwaway PostgreSQL (cluster profile), in the same run and after 100
# unmeasured reads on the same node (-Dgroundflow.load.warm-up); before the first round one unmeasured round of 300
# reads on each database (-Dgroundflow.load.jvm-warm-up) lets the JIT compiler compile what every round runs, as in a
# node that has been serving; every read must end published without incident (org.groundflow.workflow.QueuedReadsLoadBenchmark,
# workflow test sources; the suite runs it with N = 10).
# Prints the table N x database and ends with the growth on PostgreSQL: ms per study at the largest N against the
# smallest. Goal: at most 50 ms per study, flat in N.
# Needs: Java 17, Maven, PostgreSQL (deploy/setup.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
root=$(dirname "$deploy")
[ $# -ge 1 ] || set -- 100 300 1000
for n in "$@"; do
  [[ "$n" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "load: N must be a whole number from 1 to 99999, got: $n" >&2; exit 2; }
done
studies=$(IFS=,; echo "$*")
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-load}
rm -rf "$work"
mkdir -p "$work"
cd "$root"
. "$here/lib.bash"
echo "load: building and running QueuedReadsLoadBenchmark with N = $studies" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mvn_quiet -pl workflow -am test -Dtest=QueuedReadsLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgroundflow.load.studies="$studies"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
results="$root/workflow/target/load-result.tsv"
[ -s "$results" ] || { echo "load: no results in $results" >&2; exit 1; }
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
python3 - "$results" "$cores" "${cpu:-unknown CPU}" "$load_before" "$load_after" <<'PY'
import sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
per = {}
print(f"{'database':<12}{'N':>6}{'to review s':>13}{'to published s':>16}{'total s':>9}{'ms/study':>10}"
      f"{'CPU ms/study (JVM + PostgreSQL)':>33}")
for database, n, review, published, jvm_cpu, db_cpu in rows:
    n, review, published = int(n), int(review) / 1000, int(published) / 1000
    ms = (review + published) * 1000 / n
    per.setdefault(database, []).append((n, ms))
    cpu = f"{(int(jvm_cpu) + int(db_cpu)) / n:.1f} ({int(jvm_cpu) / n:.1f} + {int(db_cpu) / n:.1f})"
    print(f"{database:<12}{n:>6}{review:>13.1f}{published:>16.1f}{review + published:>9.1f}{ms:>10.1f}{cpu:>33}")
for database, figures in per.items():
    figures.sort()
    (small, at_small), (large, at_large) = figures[0], figures[-1]
    print(f"growth {database}: {at_large:.1f} ms/study at N={large} vs {at_small:.1f} at N={small}:"
          f" {at_large / at_small:.2f}; worst {max(ms for _, ms in figures):.1f} ms/study (goal <= 50, flat)")
print(f"figures: one run per N and database, engine and plumbing only (PACS, model and FHIR stubbed);"
      f" load average before/after: {sys.argv[4]} / {sys.argv[5]}")
database = "postgresql" if "postgresql" in per else next(iter(per))
(small, at_small), (large, at_large) = per[database][0], per[database][-1]
print(f"load: ratio={at_large / at_small:.2f} (ms per study at N={large} vs N={small}, {database}, one run each,"
      f" {sys.argv[2]} cores, {sys.argv[3]})")
PY
