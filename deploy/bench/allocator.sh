#!/usr/bin/env bash
# deploy/bench.sh allocator [SLICES] [ROUNDS] [REPETITIONS]
#
# The native allocator under the in-process model (deploy/allocator.bash): the inference benchmark's JVM
# (org.groundflow.inference.InterpretationBenchmark: the whole interpretation and the bare DJL forward passes of the
# demo model on a SLICES-slice, default 48, 256 x 256 phantom, REPETITIONS runs each after 2 warm-ups, medians) started
# ROUNDS times (default 3) on the C library's malloc and on jemalloc as deploy/launch.sh configures it, alternately, a
# new JVM each time, with the kernel time of each JVM (page faults and zeroing show there). Prints each JVM's figures
# and the medians over the rounds; ends with "allocator: ratio=X.XX (whole interpretation on jemalloc vs glibc malloc,
# ...)": below 1.00 means jemalloc is faster. Needs Java 17, Maven, Debian libjemalloc2 (deploy/setup.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
slices=${1:-48}
rounds=${2:-3}
repetitions=${3:-5}
[[ "$slices" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "allocator: SLICES must be 1 to 9999, got: $slices" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || { echo "allocator: ROUNDS must be 1 to 99, got: $rounds" >&2; exit 2; }
[[ "$repetitions" =~ ^[1-9][0-9]?$ ]] || { echo "allocator: REPETITIONS must be 1 to 99, got: $repetitions" >&2; exit 2; }
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-allocator}
rm -rf "$work"
mkdir -p "$work"

cd "$root"
echo "allocator: building inference and its test classes" >&2
. "$here/lib.bash"
test_classpath inference
. "$root/deploy/allocator.bash"

# the user and system seconds of this shell's finished children: the builtin runs in this shell, not a subshell
children_seconds() {
  times > "$work/times.txt"
  tail -n 1 "$work/times.txt" | sed 's/[ms]/ /g' | awk '{ print $1 * 60 + $2, $3 * 60 + $4 }'
}

# one JVM on ALLOCATOR; appends "whole forward sys" to $work/ALLOCATOR.txt
one() {
  local allocator=$1 out="$work/$1-$2" before after
  children_seconds > "$work/before.txt"
  (GROUNDFLOW_ALLOCATOR=$allocator groundflow_allocator
   exec java -Xms1g -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$(nproc)" \
     -Dai.djl.pytorch.num_interop_threads=1 -cp "$classpath" org.groundflow.inference.InterpretationBenchmark \
     "$out" "$slices" "$repetitions") >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
  children_seconds > "$work/after.txt"
  before=$(cat "$work/before.txt")
  after=$(cat "$work/after.txt")
  local whole forward sys
  whole=$(sed -n 's/^whole.median.s=//p' "$out/groundflow.properties")
  forward=$(sed -n 's/^forward.median.s=//p' "$out/groundflow.properties")
  sys=$(awk -v b="${before#* }" -v a="${after#* }" 'BEGIN { printf "%.2f", a - b }')
  echo "$whole $forward $sys" >> "$work/$allocator.txt"
  echo "allocator: round $2 $allocator: whole interpretation $whole s, bare forward $forward s, kernel time $sys s" >&2
}

for round in $(seq 1 "$rounds"); do
  one system "$round"
  one jemalloc "$round"
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { cut -d' ' -f"$2" "$work/$1.txt" | median; }
sw=$(column system 1); sf=$(column system 2); ss=$(column system 3)
jw=$(column jemalloc 1); jf=$(column jemalloc 2); js=$(column jemalloc 3)
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: glibc malloc: whole interpretation $sw s, bare forward $sf s, kernel time per JVM $ss s;" \
     "jemalloc: whole interpretation $jw s, bare forward $jf s, kernel time per JVM $js s" \
     "(medians of $rounds JVMs each, $slices slices, $repetitions runs per JVM)"
ratio=$(awk -v j="$jw" -v s="$sw" 'BEGIN { printf "%.2f", j / s }')
echo "allocator: ratio=$ratio (whole interpretation on jemalloc vs glibc malloc, medians, $cores cores, ${cpu:-unknown CPU})"
