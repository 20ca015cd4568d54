#!/usr/bin/env bash
# Runs one benchmark by name: deploy/bench.sh NAME [ARGS...] runs deploy/bench/NAME.sh.
# Each benchmark measures Groundflow and its baseline in the same run (several repetitions, medians) and ends with
# exactly one line "NAME: ratio=X.XX (...)". Benchmarks are not tests: run them by hand or in a nightly job.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() {
  echo "usage: $0 NAME [ARGS...]" >&2
  echo "benchmarks:" >&2
  for script in "$here"/bench/*.sh; do
    [ -e "$script" ] && echo "  $(basename "$script" .sh)" >&2
  done
  exit 2
}
[ $# -ge 1 ] || usage
name=$1
shift
case "$name" in
  -h|--help) usage ;;
  */*|.*) echo "bench: invalid name: $name" >&2; usage ;;
esac
script="$here/bench/$name.sh"
[ -f "$script" ] || { echo "bench: no benchmark named $name" >&2; usage; }
# A fresh clone has nothing installed: the same idempotent setup as run.sh and test.sh (apt packages, PixelMed).
"$here/setup.sh" >&2
exec bash "$script" "$@"
