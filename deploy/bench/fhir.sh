#!/usr/bin/env bash
# deploy/bench.sh fhir [REPETITIONS] [WARM_UP]
#
# Publishing one signed read to the FHIR sandbox server (HAPI FHIR JPA on H2, started here on a free loopback port,
# in-memory database): Groundflow's FhirPublisher (mapping + base-R4 validation + the transaction + reading the
# answer) against curl POSTing the same kind of transaction bundle, already serialised as compact JSON like
# Groundflow's (the server does the same work for both), alternately in the same run (WARM_UP unmeasured repetitions each,
# default 300, as in a node that has been publishing, then REPETITIONS, default 30; medians; Groundflow's mapping and validation timed in the same loop). The Java side is
# org.groundflow.fhirserver.bench.FhirPublicationBenchmark (deploy/fhir-server test sources). Needs: curl, Java 17, Maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
root=$(dirname "$deploy")
repetitions=${1:-30}
warm_up=${2:-300}
[[ "$repetitions" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "fhir: REPETITIONS must be 1 to 99999, got: $repetitions" >&2; exit 2; }
[[ "$warm_up" =~ ^[0-9]{1,5}$ ]] || { echo "fhir: WARM_UP must be 0 to 99999, got: $warm_up" >&2; exit 2; }
work=${BENCH_WORK:-${TMPDIR:-/tmp}/groundflow-bench-fhir}
rm -rf "$work"
mkdir -p "$work"

command -v curl >/dev/null || { echo "fhir: curl is not installed" >&2; exit 1; }

cd "$root"
echo "fhir: building fhir-mapping and deploy/fhir-server" >&2
. "$here/lib.bash"
test_classpath deploy/fhir-server # in the reactor (-am): nothing is installed into the Maven repository

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 18093)
server() { FHIR_PORT="$port" GROUNDFLOW_RUN_DIR="$work" FHIR_DB=mem "$deploy/fhir-server.sh" "$@"; }
trap 'server stop >/dev/null 2>&1 || true' EXIT
server start >&2

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
java -Xmx512m -cp "$classpath" org.groundflow.fhirserver.bench.FhirPublicationBenchmark \
  "$(server url)" "$work" "$repetitions" "$warm_up" >"$work/bench.log" 2>&1 || { cat "$work/bench.log" >&2; exit 1; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
server stop >/dev/null 2>&1 || true

property() { sed -n "s/^$1=//p" "$work/fhir.properties"; }
cores=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "figures: groundflow $(property groundflow.median.ms) ms per read (mapping $(property mapping.median.ms) ms," \
     "validation $(property validation.median.ms) ms, timed in the same loop; $(property unvalidated.median.ms) ms" \
     "without validation, of which $(property client.median.ms) ms beyond mapping and curl's exchange)," \
     "curl $(property curl.median.ms) ms for the same kind of bundle (the same conditional entries, compact JSON:" \
     "$(property curl.bytes) bytes by curl, $(property groundflow.bytes) by Groundflow);" \
     "$(property repetitions) repetitions each after $(property warm.up) unmeasured; validator built in $(property validator.build.ms) ms;" \
     "load average before/after: $load_before / $load_after"
printf 'fhir: ratio=%.2f (groundflow vs curl, medians, %s cores, %s)\n' "$(property ratio)" "$cores" "${cpu:-unknown CPU}"
