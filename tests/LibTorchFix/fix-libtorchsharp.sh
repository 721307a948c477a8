#!/bin/sh
# fix-libtorchsharp.sh NATIVE_DIR TOOL_DIR
#
# Makes the COPY of libLibTorchSharp.so in NATIVE_DIR (a build output folder, never the NuGet cache) load
# on Linux systems whose libstdc++ predates GCC 13, such as Debian 12 (GCC 12, GLIBCXX_3.4.30).
#
# Why: TorchSharp 0.107.0's libLibTorchSharp.so was built with GCC 13 and records a need for the symbol
# version GLIBCXX_3.4.32, for exactly one symbol, std::ios_base_library_init(). The loader refuses the
# library as soon as one needed version is missing ("version `GLIBCXX_3.4.32' not found"). The fix:
#   1. compile a tiny library defining that function (ios_base_library_init.cpp) into NATIVE_DIR;
#   2. add it as a NEEDED entry of libLibTorchSharp.so (its RUNPATH starts with $ORIGIN, so it is found
#      beside it):              patchelf --add-needed libios_base_library_init.so libLibTorchSharp.so
#   3. bind the reference to any version, i.e. the global index 1 in .gnu.version:
#                                patchelf --clear-symbol-version _ZSt21ios_base_library_initv libLibTorchSharp.so
#   4. mark the GLIBCXX_3.4.32 need weak (VER_FLG_WEAK in its Vernaux of .gnu.version_r), which patchelf
#      cannot do:               weaken_version_need libLibTorchSharp.so GLIBCXX_3.4.32
#
# Does nothing when the system libstdc++ already has GLIBCXX_3.4.32. Idempotent: an already patched
# library (one that needs the shim) is left alone, so the shim is never added twice; a pristine library that
# MSBuild copied over a patched one is patched again, to the same bytes.
# Exit codes: 0 done or not needed, 1 failure, 3 patchelf missing, 4 g++ missing.
set -eu

native_dir=$1
tool_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
library="$native_dir/libLibTorchSharp.so"
shim_name=libios_base_library_init.so
symbol=_ZSt21ios_base_library_initv   # std::ios_base_library_init()
version=GLIBCXX_3.4.32

# The libstdc++ the dynamic loader will pick: the first x86-64 entry of its cache.
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
libstdcxx=$("$ldconfig" -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
[ -n "$libstdcxx" ] || libstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
if [ ! -e "$libstdcxx" ]; then
    echo "fix-libtorchsharp: no libstdc++.so.6 found; leaving $library as shipped"
    exit 0
fi
if grep -q "$version" "$libstdcxx"; then
    exit 0   # GCC 13 or later: libLibTorchSharp.so loads as shipped
fi

if readelf -d "$library" | grep -q "NEEDED.*\[$shim_name\]"; then
    exit 0   # patched by an earlier build
fi

command -v patchelf >/dev/null 2>&1 || exit 3
command -v g++ >/dev/null 2>&1 || exit 4

echo "fix-libtorchsharp: $libstdcxx lacks $version; patching $library"

# 1. The shim, beside the library (kept across builds; MSBuild copies a pristine library over the patched one
#    whenever their sizes differ, i.e. on every build, so steps 2-4 run again but the shim need not).
shim="$native_dir/$shim_name"
if [ ! -f "$shim" ] || [ "$here/ios_base_library_init.cpp" -nt "$shim" ]; then
    g++ -shared -fPIC -O2 -o "$shim" "$here/ios_base_library_init.cpp"
fi

# The ELF tool for step 4, built once per intermediate folder.
mkdir -p "$tool_dir"
weaken="$tool_dir/weaken_version_need"
if [ ! -x "$weaken" ] || [ "$here/weaken_version_need.cpp" -nt "$weaken" ]; then
    g++ -O2 -o "$weaken" "$here/weaken_version_need.cpp"
fi

# Patch a private copy: patchelf and the tool write in place, and the copy in the output folder could be
# a hard link into the NuGet cache (MSBuild's CreateHardLinksForCopyLocalIfPossible).
work="$library.patching"
trap 'rm -f "$work"' EXIT
cp "$library" "$work"
patchelf --add-needed "$shim_name" "$work"            # 2.
patchelf --clear-symbol-version "$symbol" "$work"      # 3.
"$weaken" "$work" "$version"                           # 4.
mv -f "$work" "$library"
