#!/usr/bin/env bash
# Installs what the tests need (idempotent), then runs the whole test suite.
# Tests that need Orthanc start their own on a free loopback port and stop it by PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
"$here/setup.sh"
cd "$root"
exec mvn -B verify "$@"
