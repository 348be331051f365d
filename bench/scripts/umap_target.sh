#!/usr/bin/env bash
# The UMAP target of issue 16 in one run: RepDiff's UMAP of Fashion-MNIST's 10,000 test images (784-d)
# three times as whole processes, then scikit-learn's t-SNE on the same data and the trustworthiness (k = 10)
# of both layouts by scikit-learn. Needs Debian's dataset-fashion-mnist, python3-sklearn and python3-numpy.
# usage: bash bench/scripts/umap_target.sh [WORKDIR]   (from the repository root)
set -euo pipefail
work=${1:-/tmp/repdiff-umap-target}
mkdir -p "$work"
/usr/bin/python3 - "$work" <<'PY'
import gzip, sys, numpy as np
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
np.save(sys.argv[1] + '/fmnist10k.npy', x)
PY
dotnet build -c Release bench/RepDiff.Bench >/dev/null
bench=bench/RepDiff.Bench/bin/Release/net10.0/RepDiff.Bench.dll
for round in 1 2 3; do
  uptime
  /usr/bin/time -f "process wall %e s, user %U s, sys %S s" dotnet "$bench" umap "$work/fmnist10k.npy" "$work/umap$round.npy"
done
dotnet "$bench" umap-check "$work/fmnist10k.npy" "$work/umap1.npy"
uptime
/usr/bin/time -f "process wall %e s, user %U s" /usr/bin/python3 bench/scripts/umap_reference.py "$work/fmnist10k.npy" "$work/umap1.npy"
uptime
