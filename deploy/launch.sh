#!/usr/bin/env bash
# The launch line of each service that deploy/run.sh starts, in the foreground (exec: the PID is the service's), each
# listening on loopback only. run.sh and the tests (DemoLaunchTest) call these same lines.
#   deploy/launch.sh credentials     creates the demo users' passwords once, in RUN_DIR/demo-credentials (mode 600)
#   deploy/launch.sh orthanc         Orthanc (the PACS) on 127.0.0.1:ORTHANC_PORT, state in RUN_DIR/orthanc
#   deploy/launch.sh ohif            the OHIF viewer on 127.0.0.1:OHIF_PORT, proxying DICOMweb to Orthanc
#   deploy/launch.sh app [JAVA...]   Groundflow on 127.0.0.1:GROUNDFLOW_PORT; JAVA: the command that starts it
#                                    (default: java -Dai.djl.offline=true -jar workflow/target/groundflow-workflow-*-exec.jar)
# Environment: GROUNDFLOW_RUN_DIR (deploy/.run), ORTHANC_PORT (8042), OHIF_PORT (3000), GROUNDFLOW_PORT (8080),
# FHIR_URL (the EHR's FHIR base URL; empty: bundles go to the work folder), OHIF_DIST (the viewer's dist/ folder),
# GROUNDFLOW_MODEL_URL and GROUNDFLOW_MODEL_TOKEN (a model server instead of the bundled model), GROUNDFLOW_ALLOCATOR
# (the application's native allocator: jemalloc, the default, or system; see deploy/allocator.bash).
# Secrets never go on a command line: the demo passwords and the model token are written to
# RUN_DIR/app/secrets.properties (mode 600, rewritten at each start), which the application imports.
# Orthanc 1.10 (Debian 12) has no bind option and listens on every interface; RemoteAccessAllowed=false makes it
# answer 401 to any client not on loopback. Orthanc versions with HttpBindAddresses listen on 127.0.0.1 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
run_dir="${GROUNDFLOW_RUN_DIR:-$here/.run}"
orthanc_port="${ORTHANC_PORT:-8042}"
ohif_port="${OHIF_PORT:-3000}"
app_port="${GROUNDFLOW_PORT:-8080}"
credentials="$run_dir/demo-credentials"

new_password() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 12; }

ensure_credentials() {
  mkdir -p "$run_dir"
  [ -s "$credentials" ] && return 0
  (umask 077; printf 'admin_password=%s\nradiologist_password=%s\n' "$(new_password)" "$(new_password)" \
    > "$credentials.new" && mv "$credentials.new" "$credentials")
}

# name=value for a Java properties file: backslashes escaped; a value with a line break is refused
property() {
  case "$2" in *$'\n'*|*$'\r'*) echo "launch: the value of $1 contains a line break" >&2; exit 2 ;; esac
  printf '%s=%s\n' "$1" "${2//\\/\\\\}"
}

write_secrets() { # file
  local admin radiologist
  admin=$(sed -n 's/^admin_password=//p' "$credentials")
  radiologist=$(sed -n 's/^radiologist_password=//p' "$credentials")
  (umask 077
   {
     property camunda.bpm.admin-user.password "$admin"
     property groundflow.demo.radiologist-password "$radiologist"
     [ -z "${GROUNDFLOW_MODEL_TOKEN:-}" ] || property groundflow.model.remote-token "$GROUNDFLOW_MODEL_TOKEN"
   } > "$1.new")
  chmod 600 "$1.new"
  mv "$1.new" "$1"
}

case "${1:-}" in
  credentials)
    ensure_credentials
    ;;
  orthanc)
    mkdir -p "$run_dir/orthanc/storage" "$run_dir/orthanc/index"
    sed -e "s#@HTTP_PORT@#$orthanc_port#g" -e "s#@WORK@#$run_dir/orthanc#g" "$here/orthanc.json.template" \
      > "$run_dir/orthanc/orthanc.json"
    exec /usr/sbin/Orthanc --logdir="$run_dir/orthanc" "$run_dir/orthanc/orthanc.json"
    ;;
  ohif)
    exec node "$here/ohif/serve.mjs" --host 127.0.0.1 --port "$ohif_port" --pacs "http://127.0.0.1:$orthanc_port"
    ;;
  app)
    shift
    if [ $# -eq 0 ]; then
      jar=$(ls "$root"/workflow/target/groundflow-workflow-*-exec.jar 2>/dev/null | head -n 1)
      [ -n "$jar" ] || { echo "launch: no workflow/target/groundflow-workflow-*-exec.jar: build first" >&2; exit 1; }
      set -- java -Dai.djl.offline=true -jar "$jar"
    fi
    . "$here/allocator.bash"
    groundflow_allocator
    ensure_credentials
    mkdir -p "$run_dir/app"
    write_secrets "$run_dir/app/secrets.properties"
    model=()
    [ -z "${GROUNDFLOW_MODEL_URL:-}" ] || model=(--groundflow.model.remote-url="$GROUNDFLOW_MODEL_URL")
    unset GROUNDFLOW_MODEL_TOKEN
    exec "$@" \
      --spring.config.import="file:$run_dir/app/secrets.properties" \
      --server.address=127.0.0.1 \
      --server.port="$app_port" \
      --groundflow.work-dir="$run_dir/app" \
      --groundflow.pacs.url="http://127.0.0.1:$orthanc_port/dicom-web" \
      --groundflow.fhir.base-url="${FHIR_URL:-}" \
      --groundflow.viewer.url="http://127.0.0.1:$ohif_port/viewer?StudyInstanceUIDs={studyInstanceUid}" \
      --groundflow.demo.enabled=true \
      --camunda.bpm.admin-user.id=admin \
      --logging.file.name="$run_dir/app/groundflow.log" \
      "${model[@]}"
    ;;
  *)
    echo "usage: $0 credentials|orthanc|ohif|app [JAVA...]" >&2
    exit 2
    ;;
esac
