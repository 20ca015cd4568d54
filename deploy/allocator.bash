# Sourced by deploy/launch.sh (the application) and the model benchmarks: the native memory allocator of a JVM that
# runs the model in process. libtorch takes fresh memory for the activations of each layer of each forward pass (tens of
# MB for a batch of 8 slices of 256 x 256). glibc's malloc maps every allocation over 32 MB from the kernel and gives it
# back when it is freed, so each forward pass faults in and zeroes its working set again: up to 450,000 page faults and
# more than a second of kernel time per 48-slice volume on 2 cores, and how many depends on what the process allocated
# before, so the same forward pass took 1.0 s in one JVM and 1.3-2.0 s in another. jemalloc, configured here to keep
# freed memory for 30 s and to serve large allocations from the same arenas, hands the same pages out again
# (deploy/bench.sh allocator measures both).
#
# groundflow_allocator: exports LD_PRELOAD and MALLOC_CONF for the processes started after it, by GROUNDFLOW_ALLOCATOR:
#   jemalloc (default)  libjemalloc.so.2 (Debian libjemalloc2, deploy/setup.sh); when GROUNDFLOW_ALLOCATOR is not set
#                       and the library is missing, a warning and the system allocator. A MALLOC_CONF already set is kept.
#   system              the C library's malloc, nothing exported.
groundflow_allocator() {
  local choice=${GROUNDFLOW_ALLOCATOR:-jemalloc} library
  case "$choice" in
    system) return 0 ;;
    jemalloc) ;;
    *) echo "GROUNDFLOW_ALLOCATOR must be jemalloc or system, got: $choice" >&2; return 2 ;;
  esac
  library=$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2 /usr/lib/libjemalloc.so.2 2>/dev/null | head -n 1 || true)
  if [ -z "$library" ]; then
    if [ -n "${GROUNDFLOW_ALLOCATOR:-}" ]; then
      echo "GROUNDFLOW_ALLOCATOR=jemalloc: libjemalloc.so.2 is not installed (Debian libjemalloc2; deploy/setup.sh)" >&2
      return 1
    fi
    echo "warning: libjemalloc.so.2 is not installed (deploy/setup.sh); the model runs on the system allocator" >&2
    return 0
  fi
  export LD_PRELOAD="$library${LD_PRELOAD:+:$LD_PRELOAD}"
  export MALLOC_CONF="${MALLOC_CONF:-oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:30000}"
}
