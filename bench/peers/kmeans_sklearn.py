"""scikit-learn KMeans on the data and starting centres written by `HpcLearn.Bench kmeans`.

usage: kmeans_sklearn.py DIR N D K ITERS
Reads DIR/data.f32 and DIR/init.f32 (raw float32, row-major), runs KMeans(init=centres, n_init=1,
max_iter=ITERS, tol=0) with algorithm lloyd and elkan, five fits each, and prints per algorithm:
  algorithm=... iterations=... time_s=<median> inertia=<sklearn's inertia_> inertia64=<recomputed in float64>
Threads: the caller sets OMP_NUM_THREADS.
"""
import sys
import time

import numpy as np
from sklearn.cluster import KMeans

d_, n, d, k, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(f"{d_}/data.f32", dtype=np.float32).reshape(n, d)
C = np.fromfile(f"{d_}/init.f32", dtype=np.float32).reshape(k, d)
for algo in ("lloyd", "elkan"):
    times = []
    for _ in range(5):
        km = KMeans(n_clusters=k, init=C, n_init=1, max_iter=iters, tol=0, algorithm=algo)
        t0 = time.perf_counter()
        km.fit(X)
        times.append(time.perf_counter() - t0)
    diff = X.astype(np.float64) - km.cluster_centers_.astype(np.float64)[km.labels_]
    inertia64 = float(np.einsum("ij,ij->", diff, diff))
    print(f"algorithm={algo} iterations={km.n_iter_} time_s={sorted(times)[2]:.4f} inertia={km.inertia_!r} inertia64={inertia64!r}")
