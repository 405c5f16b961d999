#!/usr/bin/env bash
# The hardening checks of docs/HARDENING.md, after scripts/test.sh:
#   1. the Swift tests of the C ABI under AddressSanitizer and under
#      ThreadSanitizer, and the bad-input matrix against the ASan-built library;
#   2. the C tests built with -fsanitize=address,undefined (CMake option
#      SVI_SANITIZE) against the CMake library in build/;
#   3. the C examples and C tests under valgrind memcheck: no error, nothing
#      definitely or indirectly lost;
#   4. each libFuzzer harness in fuzz/ for FUZZ_SECONDS (default 45) seconds,
#      or FUZZ_RUNS executions when that is set, from its committed corpus.
# Run one part with `scripts/harden.sh swift|c|valgrind|fuzz`; no argument
# runs them all. Each part prints its time (docs/HARDENING.md, "Time in CI").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
FUZZ_SECONDS=${FUZZ_SECONDS:-45}
FUZZ_RUNS=${FUZZ_RUNS:-}
# The Swift toolchain's clang: it has libFuzzer and the sanitizer runtimes.
CLANG=${CLANG:-$(dirname "$(readlink -f "$(command -v swift)")")/clang}
# Swift's own crash handler would hide the sanitizers' reports.
export SWIFT_BACKTRACE=enable=no

timed() {
    local name=$1 start=$SECONDS
    shift
    echo "== $name"
    "$@"
    echo "== $name: $((SECONDS - start)) s"
}

swift_sanitizers() {
    # The Swift tests of the C ABI (ABIConformanceTests: every header function,
    # bad inputs, threads, saved states) built with AddressSanitizer and run,
    # then built with ThreadSanitizer and run. SWIFTVI_SANITIZE=1 leaves the
    # linker's version script out of these builds (see Package.swift: applied
    # to the test runner too, it hid the sanitizer runtime, and ASan stopped
    # at a "bad free" in swift_getTypeName before any test ran), so the test
    # that checks the exported symbols is skipped here. --disable-xctest: the
    # suites are Swift Testing, and an empty XCTest run leaks 144 bytes inside
    # XCTest (swiftlang/swift-corelibs-xctest#521), which LeakSanitizer reports.
    export SWIFTVI_SANITIZE=1
    local sanitizer scratch
    for sanitizer in address thread; do
        scratch=.build-${sanitizer:0:1}san
        echo "-- swift test --sanitize=$sanitizer"
        swift build --build-tests --scratch-path "$scratch" --sanitize=$sanitizer
        # The foreign-caller tests dlopen the library of this build.
        SWIFTVI_LIBRARY="$ROOT/$scratch/debug/libswiftvi.so" \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 TSAN_OPTIONS=halt_on_error=1 \
            swift test --skip-build --scratch-path "$scratch" --sanitize=$sanitizer --disable-xctest \
                --filter ABIConformanceTests --skip "ExportTests|ForeignCallTests"
    done
    # The C thread test (concurrent fits, a shared distribution, per-thread
    # messages) built with -fsanitize=thread against the TSan-built library.
    local runtime
    runtime=$(dirname "$CLANG")/../lib/swift/linux
    "$CLANG" -g -O1 -fsanitize=thread -fuse-ld=lld -I include tests/c/test_threads.c \
        -L .build-tsan/debug -lswiftvi -L "$runtime" -ldispatch -lBlocksRuntime \
        -Wl,-rpath,"$ROOT/.build-tsan/debug" -Wl,-rpath,"$runtime" -lm -lpthread -o .build-tsan/test_threads
    TSAN_OPTIONS=halt_on_error=1 .build-tsan/test_threads
    # The whole bad-input matrix through the ASan-built library, the ASan
    # runtime preloaded into Python (whose own allocations at exit are not ours).
    LD_PRELOAD="$(dirname "$CLANG")/../lib/swift/clang/lib/linux/libclang_rt.asan-x86_64.so" \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 SWIFTVI_LIBRARY="$ROOT/.build-asan/debug/libswiftvi.so" \
        python3 -m pytest -q -p no:cacheprovider bindings/python/tests/test_bad_input_matrix.py
}

c_sanitizers() {
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSVI_SANITIZE=ON >/dev/null
    cmake --build "$BUILD"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --test-dir "$BUILD" -L sanitize --output-on-failure
}

memcheck() {
    cmake --build "$BUILD"
    local failed=0 program
    # Memory the Swift runtime and the library's lazily built tables keep
    # until exit is "still reachable", which is not counted; no suppressions.
    for program in bindings/c/quickstart bindings/c/fit_mixture tests/c/test_abi_errors tests/c/test_seed000_fit; do
        echo "-- valgrind $program"
        if ! valgrind --tool=memcheck --error-exitcode=99 --errors-for-leak-kinds=definite,indirect \
                --leak-check=full --show-leak-kinds=definite,indirect --quiet \
                "$BUILD/$program" >/tmp/svi-valgrind.out 2>&1; then
            cat /tmp/svi-valgrind.out
            echo "valgrind: $program has memory errors or leaks"
            failed=1
        fi
    done
    return $failed
}

fuzz() {
    cmake --build "$BUILD"
    local out=$BUILD/fuzz harness limit
    mkdir -p "$out"
    rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*
    if [ -n "$FUZZ_RUNS" ]; then limit=(-runs="$FUZZ_RUNS"); else limit=(-max_total_time="$FUZZ_SECONDS"); fi
    for harness in calls restore; do
        "$CLANG" -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fuse-ld=lld \
            -I include "fuzz/fuzz_$harness.c" -L "$BUILD" -lswiftvi -Wl,-rpath,"$BUILD" -lm \
            -o "$out/fuzz_$harness"
        # A working copy of the corpus: what the run adds stays out of the tree.
        rm -rf "$out/corpus_$harness" && cp -r "fuzz/corpus/$harness" "$out/corpus_$harness"
        echo "-- fuzz_$harness"
        (cd "$out" && ./"fuzz_$harness" "${limit[@]}" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
            "corpus_$harness" 2>&1 | grep -E '^(stat::|#[0-9]+ +DONE|==|SUMMARY|invariant)' || true)
        # libFuzzer writes crash-*, leak-*, timeout-* or oom-* files for its findings.
        if compgen -G "$out/crash-*" >/dev/null || compgen -G "$out/leak-*" >/dev/null ||
           compgen -G "$out/timeout-*" >/dev/null || compgen -G "$out/oom-*" >/dev/null; then
            echo "fuzz_$harness found a failing input:" "$out"/{crash,leak,timeout,oom}-* 2>/dev/null
            return 1
        fi
    done
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(swift c valgrind fuzz)
total=$SECONDS
for part in "${parts[@]}"; do
    case $part in
        swift) timed "Swift tests under ASan and TSan" swift_sanitizers ;;
        c) timed "C tests under ASan and UBSan" c_sanitizers ;;
        valgrind) timed "C examples and tests under valgrind" memcheck ;;
        fuzz) timed "libFuzzer harnesses" fuzz ;;
        *) echo "unknown part $part (swift, c, valgrind, fuzz)"; exit 2 ;;
    esac
done
echo "== harden.sh: $((SECONDS - total)) s"
