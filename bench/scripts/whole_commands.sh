#!/usr/bin/env bash
# Whole-command benchmarks of issue 12: the wall clock (and CPU seconds, peak RSS) of `repdiff ...` as a user runs
# it, for several builds of the same commit, run interleaved round by round so every build sees the same load.
#
#   bash bench/scripts/whole_commands.sh build WORK          publish the builds into WORK (jit, r2r, aot)
#   bash bench/scripts/whole_commands.sh inputs WORK         write the benchmark inputs into WORK/data
#   bash bench/scripts/whole_commands.sh run WORK ROUNDS SUITE...   time the suites; one line per command and build
#
# Builds: jit = the .NET tool's code (framework-dependent IL, JIT with tiered PGO); jit-notiered = the same with
# DOTNET_TieredCompilation=0 (everything compiled fully optimized once, no profile); jit-nopgo = tiered without
# dynamic PGO (DOTNET_TieredPGO=0); r2r = ReadyToRun for x86-64-v4
# (Vector512 paths precompiled); r2r-nopgo = the same with DOTNET_TieredPGO=0; aot = ./build/publish-linux-x64.sh
# native (Native AOT, AVX-512). Suites: version, rdx, spec, stream, compare. Run from the repository root.
set -euo pipefail
cmd=$1; work=$2; shift 2
mkdir -p "$work"
bench() { dotnet bench/RepDiff.Bench/bin/Release/net10.0/linux-x64/RepDiff.Bench.dll "$@"; }

case "$cmd" in
build)
  dotnet publish src/RepDiff.Cli -c Release -r linux-x64 --self-contained false -o "$work/jit" >"$work/jit.log" 2>&1
  dotnet publish src/RepDiff.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -p:PublishReadyToRunCrossgen2ExtraArgs=--instruction-set:x86-64-v4 -o "$work/r2r" >"$work/r2r.log" 2>&1
  ./build/publish-linux-x64.sh native
  rm -rf "$work/aot" && cp -r dist/linux-x64 "$work/aot"
  dotnet build -c Release bench/RepDiff.Bench >"$work/bench.log" 2>&1
  ;;
inputs)
  for n in 500 2000 4000; do bench write-pair rdx $n "$work/data/rdx$n"; done
  for n in 2000 10000; do bench write-pair spec $n "$work/data/spec$n"; done
  for n in 10000 100000 1000000; do
    bench write-npy $n 768 "$work/data/stream$n-a.npy" 1
    bench write-npy $n 768 "$work/data/stream$n-b.npy" 2
  done
  bench write-npy 20000 768 "$work/data/compare-a.npy" 3
  bench write-npy 20000 512 "$work/data/compare-b.npy" 4
  ;;
run)
  rounds=$1; shift
  builds=${BUILDS:-"jit jit-notiered r2r r2r-nopgo aot"}
  exe() {
    case "$1" in
      jit) echo "$work/jit/RepDiff.Cli" ;;
      jit-notiered) echo "env DOTNET_TieredCompilation=0 $work/jit/RepDiff.Cli" ;;
      jit-nopgo) echo "env DOTNET_TieredPGO=0 $work/jit/RepDiff.Cli" ;;
      r2r) echo "$work/r2r/RepDiff.Cli" ;;
      r2r-nopgo) echo "env DOTNET_TieredPGO=0 $work/r2r/RepDiff.Cli" ;;
      aot) echo "${AOT:-$work/aot/repdiff}" ;;
    esac
  }
  # One timed command: wall, user, sys, peak RSS, and the peak of anonymous (non-file) memory sampled from /proc.
  timed() {
    local label=$1; shift
    local out=$work/out.$$
    rm -rf "$out"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.$$" "$@" --out "$out" >/dev/null 2>"$work/err.$$" &
    local pid=$! anon=0 a child
    while kill -0 $pid 2>/dev/null; do
      child=$(pgrep -P $pid | head -n1 || true)
      if [ -n "$child" ]; then
        a=$(awk '/^RssAnon:/ {print $2}' /proc/$child/status 2>/dev/null || echo 0)
        [ "${a:-0}" -gt "$anon" ] && anon=$a
      fi
      sleep 0.2
    done
    wait $pid || { echo "$label FAILED: $(tail -n 3 "$work/err.$$")"; return 0; }
    read -r wall user sys rss <"$work/time.$$"
    local total
    total=$(grep -o '"total": *[0-9.]*' "$out/results.json" | tail -n1 | grep -o '[0-9.]*$' || echo -)
    echo "$label wall=${wall}s cpu=$(echo "$user + $sys" | bc)s peak_rss=$((rss / 1024))MB peak_anon=$((anon / 1024))MB load=$(cut -d' ' -f1 /proc/loadavg)"
    cp "$out/results.json" "$work/last-$(echo "$label" | tr ' /' '__').json" 2>/dev/null || true
    rm -rf "$out"
  }
  for round in $(seq 1 "$rounds"); do
    for suite in "$@"; do
      for build in $builds; do
        e=$(exe "$build")
        case "$suite" in
          version)
            s=$(date +%s.%N); $e --version >/dev/null; t=$(date +%s.%N)
            echo "version $build round=$round wall=$(echo "$t - $s" | bc)s load=$(cut -d' ' -f1 /proc/loadavg)" ;;
          rdx)
            for n in ${RDX_N:-500 2000 4000}; do
              timed "rdx n=$n $build round=$round" $e rdx "$work/data/rdx$n/a.npy" "$work/data/rdx$n/b.npy" --gamma 0.05
            done ;;
          spec)
            timed "spec n=2000 r=1000 $build round=$round" $e spec "$work/data/spec2000/a.npy" "$work/data/spec2000/b.npy" --route rff --rff-dim 1000
            timed "spec n=2000 r=3000 $build round=$round" $e spec "$work/data/spec2000/a.npy" "$work/data/spec2000/b.npy" --route rff --rff-dim 3000
            timed "spec n=10000 r=1000 $build round=$round" $e spec "$work/data/spec10000/a.npy" "$work/data/spec10000/b.npy" --route rff --rff-dim 1000 ;;
          stream)
            for n in ${STREAM_N:-10000 100000 1000000}; do
              timed "stream n=$n $build round=$round" $e spec "$work/data/stream$n-a.npy" "$work/data/stream$n-b.npy" --route rff --rff-dim 1000
            done ;;
          compare)
            timed "compare n=20000 $build round=$round" $e compare "$work/data/compare-a.npy" "$work/data/compare-b.npy" ;;
        esac
      done
    done
  done
  ;;
esac
