#!/bin/sh
# Tools that a build referencing TorchSharp-cpu needs on Linux (see LibTorchFix.targets; imported by the
# conformance generator and the benchmarks, never by the default test command):
#   patchelf - adds the ios_base_library_init shim as a NEEDED entry of the copied libLibTorchSharp.so
#              and clears the version of that one symbol reference,
#   g++      - compiles the shim and the small ELF tool that marks the GLIBCXX_3.4.32 need weak.
# Only Linux systems whose libstdc++ predates GCC 13 (Debian 12) need them; elsewhere the build skips the fix.
# Idempotent; run as root (CI containers are). Called from .ci/run.
set -eu
missing=""
command -v patchelf >/dev/null 2>&1 || missing="$missing patchelf"
command -v g++ >/dev/null 2>&1 || missing="$missing g++"
if [ -n "$missing" ]; then
    apt-get update
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
