#!/bin/sh
# run-tests.sh — installs what is missing, builds Sésame and runs the whole
# test suite under a virtual display, a private session bus and a keyring;
# then the families' pages and CAS in headless Chromium (suite browser);
# then the same suite again built with clang under AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer, and each fuzz target of
# fuzz/ for a short while. Any failure, sanitizer report or fuzzer crash,
# leak or timeout fails the whole run.
#
# Environment:
#   SESAME_BUILDDIR        the normal build (default _build)
#   SESAME_SANITIZE_BUILDDIR  the sanitizer and fuzzer build (default _build-sanitize)
#   SESAME_SANITIZE=0      skip the sanitizer build, its tests and the fuzzers
#   SESAME_FUZZ_SECONDS    how long each fuzz target runs (default 60; 0 skips)
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${SESAME_BUILDDIR:-"$top/_build"}
sanitize_builddir=${SESAME_SANITIZE_BUILDDIR:-"$top/_build-sanitize"}
sanitize=${SESAME_SANITIZE:-1}
fuzz_seconds=${SESAME_FUZZ_SECONDS:-60}

"$top/build-aux/install-deps.sh"

stage() {
  printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"
}

# The tests need a display (GTK), a session bus and an unlocked keyring
# (SMTP password); they start their own SMTP server.
run_suite() {
  dir=$1
  shift
  xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- "$top/build-aux/with-keyring.sh" \
    meson test -C "$dir" --print-errorlogs --num-processes 2 --no-suite browser "$@"
}

stage "Build"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top"
fi
ninja -C "$builddir"

stage "Tests"
run_suite "$builddir" "$@"

# The browser tests start their own servers (sesame-server, a mail server,
# Apache) and Chromium, one test at a time; here a missing browser is a
# failure, not a skip.
stage "Browser tests"
SESAME_BROWSER_REQUIRED=1 meson test -C "$builddir" --print-errorlogs --num-processes 1 --suite browser

if [ "$sanitize" = 0 ]; then
  exit 0
fi

# Sanitizers: every error stops the program that made it (UBSan too), and
# LeakSanitizer reports what is left at exit, but for the system
# libraries' caches listed in fuzz/lsan.supp. Debian's GLib has no frame
# pointers: only the slow unwinder gives whole stacks, which the
# suppressions and a reader need. GLib's slice allocator would hide
# leaks: plain malloc instead.
export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$top/fuzz/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc
# GTK draws with cairo: Mesa's software GL compiles shaders with LLVM,
# which registers unwind tables under the lock the sanitizers' unwinder
# takes, and the window tests would hang.
export GSK_RENDERER=cairo

stage "Sanitizer build"
if [ ! -f "$sanitize_builddir/build.ninja" ]; then
  CC=clang meson setup "$sanitize_builddir" "$top" \
    -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true
elif ! grep -q 'fuzz/fuzz-import:' "$sanitize_builddir/build.ninja"; then
  # A folder set up by hand without the fuzz targets.
  meson configure "$sanitize_builddir" -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true
fi
ninja -C "$sanitize_builddir"

stage "Tests under AddressSanitizer and UndefinedBehaviorSanitizer"
run_suite "$sanitize_builddir" --timeout-multiplier 4 "$@"

if [ "$fuzz_seconds" -le 0 ]; then
  exit 0
fi

# Each target starts afresh from its seeds and reproducers in the tree (and
# the real AAF samples beside the clone, when there), so that a run takes
# the same time wherever it runs; what it finds on the way is left in
# $sanitize_builddir/fuzz-corpus until the next run. A crash, a leak or an
# input slower than 30 s is written to $sanitize_builddir/fuzz-artifacts
# and fails.
samples="$top/../shared/samples/aaf"
# The fast unwinder here: a fuzzer allocates millions of times.
fuzz_asan_options="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
for target in aaf-filter aaf-reader import letters mail search smtp-reply; do
  stage "Fuzzing $target for $fuzz_seconds s"
  corpus="$sanitize_builddir/fuzz-corpus/$target"
  artifacts="$sanitize_builddir/fuzz-artifacts/$target"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts"
  case $target in
    aaf-*) seeds="$top/fuzz/corpus/aaf $top/tests/data/aaf"
           if [ -d "$samples" ]; then seeds="$seeds $samples"; fi ;;
    *)     seeds="$top/fuzz/corpus/$target" ;;
  esac
  if [ -d "$top/fuzz/reproducers/$target" ]; then
    seeds="$seeds $top/fuzz/reproducers/$target"
  fi
  # shellcheck disable=SC2086
  if ! ASAN_OPTIONS="$fuzz_asan_options" "$sanitize_builddir/fuzz/fuzz-$target" -max_total_time="$fuzz_seconds" -timeout=30 \
      -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" $seeds > "$artifacts.log" 2>&1; then
    tail -n 60 "$artifacts.log"
    echo "fuzz-$target failed: the input is in $artifacts/ (see fuzz/README.md to replay it)" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done|DONE' "$artifacts.log" | tail -n 2
done
