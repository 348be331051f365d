#!/bin/bash
# Two runs into one --out that does not exist yet, started together, PAIRS times: every pair must end with both runs
# exiting 0 and --out exactly one run's complete output (results.json and report.html of the same method, no leftovers).
#
# usage: concurrent_out.sh CLI_DLL PAIRS [strace]
#   strace: pca's move into --out is held back 6 s at the system call (its second rename, the first putting maps.npy in
#   place, or its first renameat2), so rdx commits while pca has already found --out missing: "both commit at the same
#   moment", which plain concurrent starts almost never hit. (helper 111: before 24 of 30 such pairs failed; after 0.)
cli=$(realpath "$1"); pairs=$2; mode=$3
root=$(mktemp -d); cd "$root" || exit 1
/usr/bin/python3 -c "
import numpy as np
r = np.random.default_rng(0)
a = r.normal(size=(80, 8)).astype(np.float32)
b = (a @ r.normal(size=(8, 6))).astype(np.float32) + 0.1 * r.normal(size=(80, 6)).astype(np.float32)
np.save('a.npy', a); np.save('b.npy', b)"
bad=0; failed=0
for i in $(seq 1 "$pairs"); do
  out=r$i
  if [ "$mode" = strace ]; then
    strace -f -qq --seccomp-bpf -o /dev/null -e trace=rename,renameat2 -e inject=rename:delay_enter=6000000:when=2 \
      -e inject=renameat2:delay_enter=6000000 dotnet "$cli" pca a.npy b.npy --out $out >o-pca$i 2>e-pca$i & p1=$!
    sleep 0.5
  else
    dotnet "$cli" pca a.npy b.npy --out $out >o-pca$i 2>e-pca$i & p1=$!
  fi
  dotnet "$cli" rdx a.npy b.npy --out $out >o-rdx$i 2>e-rdx$i & p2=$!
  wait $p1; c1=$?; wait $p2; c2=$?
  files=$(ls -A $out 2>/dev/null | tr '\n' ' ')
  m=$(grep -o '"method": "[a-z]*"' $out/results.json 2>/dev/null | head -1 | cut -d'"' -f4)
  t=$(grep -o '<title>RepDiff [a-z]*' $out/report.html 2>/dev/null | cut -d' ' -f2)
  left=$(ls -A | grep -c repdiff)
  verdict=ok
  if [ $c1 != 0 ] || [ $c2 != 0 ]; then failed=$((failed+1)); verdict=FAIL; fi
  if [ "$files" != "maps.npy report.html results.json " ] || [ -z "$m" ] || [ "$m" != "$t" ] || [ "$left" != 0 ]; then bad=$((bad+1)); verdict="$verdict NOT-WHOLE"; fi
  echo "pair $i: pca=$c1 rdx=$c2 files=[$files] results=$m report=$t leftovers=$left $verdict"
  [ $c1 != 0 ] && tail -n1 e-pca$i
  [ $c2 != 0 ] && tail -n1 e-rdx$i
done
echo "SUMMARY mode=${mode:-plain} pairs=$pairs a-run-failed=$failed not-whole=$bad"
rm -rf "$root"
