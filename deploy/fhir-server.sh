#!/usr/bin/env bash
# The FHIR sandbox server (HAPI FHIR JPA R4 on H2, module deploy/fhir-server) as a background process on loopback.
#   deploy/fhir-server.sh start    builds the module if needed, starts the server, waits until GET /fhir/metadata
#                                  answers, prints "fhir-server: ready at http://127.0.0.1:PORT/fhir (pid N)"
#   deploy/fhir-server.sh stop     stops it by the PID in its run folder (TERM, then KILL after 20 s)
#   deploy/fhir-server.sh status   says whether it runs and where
#   deploy/fhir-server.sh url      prints the base URL
# Environment: FHIR_PORT (8091), GROUNDFLOW_RUN_DIR (deploy/.run; state in its fhir/ folder), FHIR_DB (file: kept
# between runs in the run folder, or mem), FHIR_START_TIMEOUT (seconds, 180), FHIR_SERVER_HEAP (512m), FHIR_JAVA_OPTS
# (more JVM options). The server listens on 127.0.0.1 only.
# The same server by hand: java -Xmx512m -cp deploy/fhir-server/target/classes:$(cat deploy/fhir-server/target/fhir-server.classpath) \
#   org.groundflow.fhirserver.FhirSandboxServer --server.address=127.0.0.1 --server.port=8091 \
#   --groundflow.fhir-server.jdbc-url=jdbc:h2:file:/path/fhir
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
module="$here/fhir-server"
port="${FHIR_PORT:-8091}"
run_dir="${GROUNDFLOW_RUN_DIR:-$here/.run}/fhir"
pid_file="$run_dir/server.pid"
log="$run_dir/server.log"
url="http://127.0.0.1:$port/fhir"

running_pid() {
  [ -s "$pid_file" ] || return 1
  local pid
  pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

build_if_needed() {
  if [ -s "$module/target/fhir-server.classpath" ] && [ -d "$module/target/classes/org" ]; then
    return 0
  fi
  echo "fhir-server: building deploy/fhir-server (and fhir-mapping, whose test fixtures its tests use)" >&2
  (cd "$root" && mvn -B -q -pl deploy/fhir-server -am -DskipTests install >"$run_dir/build.log" 2>&1) \
    || { cat "$run_dir/build.log" >&2; exit 1; }
}

start() {
  mkdir -p "$run_dir"
  if pid=$(running_pid); then
    echo "fhir-server: already running at $url (pid $pid)"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "fhir-server: port $port on 127.0.0.1 is already in use; set FHIR_PORT to a free port" >&2
    exit 1
  fi
  build_if_needed
  local jdbc
  case "${FHIR_DB:-file}" in
    file) mkdir -p "$run_dir/db"; jdbc="jdbc:h2:file:$run_dir/db/fhir" ;;
    mem) jdbc="jdbc:h2:mem:fhir;DB_CLOSE_DELAY=-1" ;;
    *) echo "fhir-server: FHIR_DB must be file or mem, got ${FHIR_DB}" >&2; exit 2 ;;
  esac
  local classpath
  classpath="$module/target/classes:$(cat "$module/target/fhir-server.classpath")"
  local start_time=$SECONDS
  # shellcheck disable=SC2086 # FHIR_JAVA_OPTS: options separated by spaces
  java "-Xmx${FHIR_SERVER_HEAP:-512m}" ${FHIR_JAVA_OPTS:-} -cp "$classpath" org.groundflow.fhirserver.FhirSandboxServer \
    --server.address=127.0.0.1 --server.port="$port" --groundflow.fhir-server.jdbc-url="$jdbc" >"$log" 2>&1 &
  local pid=$!
  echo "$pid" > "$pid_file"
  local timeout="${FHIR_START_TIMEOUT:-180}"
  while (( SECONDS - start_time < timeout )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "fhir-server: exited before it was ready; the end of $log:" >&2
      tail -n 30 "$log" >&2
      rm -f "$pid_file"
      exit 1
    fi
    if curl -fsS -o /dev/null "$url/metadata" 2>/dev/null; then
      echo "fhir-server: ready at $url (pid $pid, $((SECONDS - start_time)) s)"
      return 0
    fi
    sleep 1
  done
  echo "fhir-server: not ready within $timeout s; stopping it (log: $log)" >&2
  stop >&2
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pid_file"
    echo "fhir-server: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  echo "fhir-server: stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "fhir-server: running at $url (pid $pid)"; else echo "fhir-server: not running"; exit 3; fi ;;
  url) echo "$url" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
