#!/usr/bin/env bash
# Builds the standalone linux-x64 `repdiff` binary: dist/linux-x64/repdiff (no .NET needed to run it).
#
#   ./build/publish-linux-x64.sh            Native AOT, for any x86-64 CPU with AVX2 and FMA (x86-64-v3), 2013 on
#   ./build/publish-linux-x64.sh native     Native AOT for this machine's CPU (AVX-512 here); runs only on CPUs like it
#   ./build/publish-linux-x64.sh single-file  self-contained single file (ReadyToRun + JIT: picks AVX-512 at run time)
#
# Native AOT needs a C toolchain to link (clang or gcc, and the libc headers: `apt-get install clang`). Without
# one, or when the AOT build fails, it says why and builds the single-file binary instead. The binary appears
# only when a build succeeded: it is built in a temporary folder and moved into place.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-portable}
case "$mode" in
  portable) isa=x86-64-v3 ;;
  native) isa=native ;;
  single-file) isa= ;;
  *) echo "usage: $0 [portable|native|single-file]" >&2; exit 2 ;;
esac

out=dist/linux-x64
mkdir -p dist
work=$(mktemp -d dist/.publish.XXXXXX)
trap 'rm -rf "$work"' EXIT

single_file() {
  dotnet publish src/RepDiff.Cli -c Release -r linux-x64 --self-contained \
    -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -o "$work/bin" >"$work/log" 2>&1 || { tail -n 20 "$work/log" >&2; echo "error: the single-file build failed" >&2; exit 1; }
  kind="self-contained single file (ReadyToRun)"
}

if [ -z "$isa" ]; then
  single_file
elif ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  echo "note: Native AOT needs clang or gcc to link (apt-get install clang); building the self-contained single file instead" >&2
  single_file
elif dotnet publish src/RepDiff.Cli -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet="$isa" \
       -o "$work/bin" >"$work/log" 2>&1; then
  kind="Native AOT ($isa)"
else
  grep -E "error|Error" "$work/log" | sort -u | tail -n 5 >&2 || true
  echo "note: the Native AOT build failed (above); building the self-contained single file instead" >&2
  rm -rf "$work/bin"
  single_file
fi

# The binary and the native libraries it loads beside it (ONNX Runtime, Skia for `repdiff embed`); no symbols or
# debug files. The folder is assembled aside and swapped in, so a failed build leaves the previous one whole.
staged="$work/dist"
mkdir -p "$staged"
mv "$work/bin/RepDiff.Cli" "$staged/repdiff"
find "$work/bin" -maxdepth 1 -name '*.so' -exec mv {} "$staged/" \;
"$staged/repdiff" --version >/dev/null || { echo "error: the built binary does not start" >&2; exit 1; }
rm -rf "$out.old"
[ -e "$out" ] && mv "$out" "$out.old"
mv "$staged" "$out"
rm -rf "$out.old"
echo "built $out/repdiff: $kind, $(du -h "$out/repdiff" | cut -f1) (+ $(ls "$out" | grep -c '\.so$') native libraries beside it)"
"$out/repdiff" --version
