# Shared by the benchmarks (sourced, not run): building a module's test classes and its test classpath.
# Needs $root (repository root) and $work (the benchmark's scratch folder).

# Maven, quiet; online first, offline when no registry answers; on failure shows the log and stops.
mvn_quiet() {
  mvn -B -q "$@" >"$work/mvn.log" 2>&1 || mvn -B -q -o "$@" >"$work/mvn.log" 2>&1 || { cat "$work/mvn.log" >&2; exit 1; }
}

# test_classpath MODULE: compiles MODULE and the modules it needs (-am: a fresh clone has none installed) with their
# tests and sets $classpath to its test classpath (reactor modules resolve to their target folders).
test_classpath() {
  mvn_quiet -pl "$1" -am test-compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test
  classpath="$root/$1/target/test-classes:$root/$1/target/classes:$(cat "$work/classpath.txt")"
}
