#!/usr/bin/env bash
# Runs Groundflow on its embedded defaults: installs what is missing, builds, starts Orthanc (the PACS), the FHIR
# sandbox, the OHIF viewer and the application, all on loopback (launch lines: deploy/launch.sh, deploy/fhir-server.sh),
# loads the synthetic demo study, starts a grounded read of it and prints where to look.
# Ctrl-C stops everything this script started. State (Orthanc storage, engine database, read store) is kept in
# deploy/.run/ (or $GROUNDFLOW_RUN_DIR), so a second run reuses it. Passwords never go on a command line: the
# application reads them from a mode-600 file in the run folder (see deploy/launch.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
run_dir="${GROUNDFLOW_RUN_DIR:-$here/.run}"
orthanc_port="${ORTHANC_PORT:-8042}"
app_port="${GROUNDFLOW_PORT:-8080}"
fhir_port="${FHIR_PORT:-8091}"
ohif_port="${OHIF_PORT:-3000}"
fhir_url="http://127.0.0.1:$fhir_port/fhir"
export GROUNDFLOW_RUN_DIR="$run_dir" FHIR_PORT="$fhir_port" FHIR_URL="$fhir_url" ORTHANC_PORT="$orthanc_port" \
  GROUNDFLOW_PORT="$app_port" OHIF_PORT="$ohif_port"

"$here/setup.sh"

pids=()
fhir_started=""
stop_all() {
  trap "" INT TERM; trap - EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo "run: stopping ${pids[*]}"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  [ -z "$fhir_started" ] || "$here/fhir-server.sh" stop || true
}
trap stop_all INT TERM EXIT

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # url, what, seconds
  for _ in $(seq 1 "$3"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "run: $2 did not answer at $1 within $3 s" >&2
  return 1
}

for port in "$orthanc_port" "$app_port" "$fhir_port" "$ohif_port"; do
  if port_busy "$port"; then
    echo "run: port $port on 127.0.0.1 is already in use; set ORTHANC_PORT / GROUNDFLOW_PORT / FHIR_PORT / OHIF_PORT to free ports" >&2
    exit 1
  fi
done

echo "run: building (tests skipped; deploy/test.sh runs them)"
(cd "$root" && mvn -B -q -DskipTests install)

mkdir -p "$run_dir"
"$here/launch.sh" orthanc >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$orthanc_port/system" "Orthanc" 30

# OHIF (npm @ohif/app's prebuilt viewer, unpacked by setup.sh) with a same-origin proxy to Orthanc's DICOMweb
"$here/launch.sh" ohif >"$run_dir/ohif.log" 2>&1 &
pids+=($!)

echo "run: starting the FHIR sandbox server (HAPI FHIR JPA, H2) on port $fhir_port"
fhir_started=yes
"$here/fhir-server.sh" start

# Demo users get random passwords on the first run, kept (mode 600) in the run folder for the next runs.
"$here/launch.sh" credentials
admin_password=$(sed -n 's/^admin_password=//p' "$run_dir/demo-credentials")
radiologist_password=$(sed -n 's/^radiologist_password=//p' "$run_dir/demo-credentials")
rm -f "$run_dir/app/demo-study-uid"
"$here/launch.sh" app &
pids+=($!)
wait_for "http://127.0.0.1:$app_port/actuator/health" "Groundflow" 180
for _ in $(seq 1 60); do [ -s "$run_dir/app/demo-study-uid" ] && break; sleep 1; done
study=$(cat "$run_dir/app/demo-study-uid")

api="http://127.0.0.1:$app_port/api"
# the password goes to curl on its standard input (-K -), not on its command line
answer=$(curl -sS -w '\n%{http_code}' -K - -H 'Content-Type: application/json' \
  -d "{\"studyInstanceUid\": \"$study\"}" "$api/reads" <<<"user = \"radiologist:$radiologist_password\"")
code=$(tail -n 1 <<<"$answer"); body=$(head -n -1 <<<"$answer")
echo "run: POST $api/reads -> $code $body"
read_id=$(sed -n 's/.*"readId" *: *"\([^"]*\)".*/\1/p' <<<"$body")

cat <<TXT

Groundflow is running (Ctrl-C stops it). Demo users, created for this run:
  radiologist / $radiologist_password      (reviews and signs)
  admin / $admin_password            (Cockpit, Admin, deployments)

  Demo study      $study
  Review UI       http://127.0.0.1:$app_port/review/        (sign in as radiologist)
  The read        $api/reads/${read_id:-<see the message above>}
  Review tasks    $api/reviews       (REST: see README.md)
  Cockpit         http://127.0.0.1:$app_port/camunda/app/cockpit/   (sign in as admin)
  Tasklist        http://127.0.0.1:$app_port/camunda/app/tasklist/
  Health          http://127.0.0.1:$app_port/actuator/health      metrics: /actuator/prometheus (admin)
  OHIF viewer     http://127.0.0.1:$ohif_port/viewer?StudyInstanceUIDs=$study
  Orthanc         http://127.0.0.1:$orthanc_port/app/explorer.html   (DICOMweb at /dicom-web)
  FHIR server     $fhir_url   the signed report, once published:
                  $fhir_url/DiagnosticReport?identifier=urn:groundflow:read|${read_id:-READ_ID}
  Log             $run_dir/app/groundflow.log
TXT
wait "${pids[@]}"
