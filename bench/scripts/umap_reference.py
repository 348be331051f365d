"""Reference figures for the UMAP benchmark (docs/benchmarks.md), with Debian's python3-sklearn.

usage: /usr/bin/python3 umap_reference.py DATA.npy [LAYOUT.npy ...]

Runs scikit-learn's t-SNE (defaults, random_state 0) on DATA, times it, and prints the trustworthiness
(k = 10) of the t-SNE layout and of every given layout (e.g. RepDiff's UMAP written by `umap FILE OUT`),
so RepDiff's own trustworthiness figure can be cross-checked against scikit-learn's.
"""
import json
import sys
import time

import numpy as np
from sklearn.manifold import TSNE, trustworthiness

data = np.load(sys.argv[1]).astype(np.float32)
start = time.perf_counter()
tsne = TSNE(n_components=2, random_state=0).fit_transform(data)
tsne_seconds = time.perf_counter() - start
print(json.dumps({"layout": "sklearn-tsne", "seconds": tsne_seconds,
                  "trustworthiness_k10": trustworthiness(data, tsne, n_neighbors=10)}), flush=True)
for path in sys.argv[2:]:
    layout = np.load(path)
    print(json.dumps({"layout": path, "trustworthiness_k10": trustworthiness(data, layout, n_neighbors=10)}), flush=True)
