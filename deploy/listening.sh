#!/usr/bin/env bash
# Lists the listening TCP sockets of the given processes and of their descendants, one "PID ADDRESS PORT" a line
# (ADDRESS as 127.0.0.1, 0.0.0.0, ::1 or ::), read from /proc: no root and no ss needed for one's own processes.
#   deploy/listening.sh PID...
#   deploy/listening.sh $(cat deploy/.run/fhir/server.pid)
# Exits 2 when a PID does not exist.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 PID..." >&2; exit 2; }

with_descendants() {
  local pid child
  for pid in "$@"; do
    echo "$pid"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      with_descendants "$child"
    done
  done
}

for pid in "$@"; do
  [ -d "/proc/$pid" ] || { echo "listening: no process $pid" >&2; exit 2; }
done

# "inode pid" for every socket the processes hold open
owners=$(for pid in $(with_descendants "$@"); do
  for fd in /proc/"$pid"/fd/*; do
    link=$(readlink "$fd" 2>/dev/null) || continue
    case "$link" in socket:\[*\]) inode=${link#socket:[}; echo "${inode%]} $pid" ;; esac
  done
done)

# /proc/net/tcp{,6}: local address as hex words in host (little-endian) byte order, state 0A = LISTEN, inode in $10
awk -v owners="$owners" '
  BEGIN { n = split(owners, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, " "); pid[f[1]] = f[2] } }
  function num(hex,   i, n) { n = 0; for (i = 1; i <= length(hex); i++) n = n * 16 + index("0123456789abcdef", tolower(substr(hex, i, 1))) - 1; return n }
  function byte(hex, i) { return num(substr(hex, i, 2)) }
  function word(hex, at,   s) { s = substr(hex, at, 8); return substr(s, 7, 2) substr(s, 5, 2) substr(s, 3, 2) substr(s, 1, 2) }
  function v4(hex,   w) { w = word(hex, 1); return byte(w, 1) "." byte(w, 3) "." byte(w, 5) "." byte(w, 7) }
  function v6(hex,   w, i, groups, out, g) {
    w = word(hex, 1) word(hex, 9) word(hex, 17) word(hex, 25)
    if (w == "00000000000000000000FFFF" substr(w, 25, 8)) return v4(substr(hex, 25, 8))
    for (i = 0; i < 8; i++) groups[i] = sprintf("%x", num(substr(w, 4 * i + 1, 4)))
    out = ""; for (i = 0; i < 8; i++) out = out (i ? ":" : "") groups[i]
    if (out == "0:0:0:0:0:0:0:0") return "::"
    if (out == "0:0:0:0:0:0:0:1") return "::1"
    return out
  }
  FNR > 1 && $4 == "0A" && ($10 in pid) {
    split($2, local, ":")
    address = length(local[1]) == 8 ? v4(local[1]) : v6(local[1])
    print pid[$10], address, num(local[2])
  }
' /proc/net/tcp /proc/net/tcp6
