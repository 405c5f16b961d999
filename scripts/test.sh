#!/usr/bin/env bash
# Runs every test: the Swift suites (core and ABI conformance), the C tests and
# examples under ctest (including an installed out-of-tree consumer), and the
# Python tests under pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build
swift test

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
ctest --test-dir build --output-on-failure

python3 -m pip install --quiet -e bindings/python
SWIFTVI_LIBRARY="$PWD/build/libswiftvi.so" python3 -m pytest bindings/python/tests
