"""scikit-learn DBSCAN on the data written by `HpcLearn.Bench dbscan`, compared with our labels.

usage: dbscan_sklearn.py DIR N EPS MIN_SAMPLES THREADS
Reads DIR/data.f32 (raw float32, N x 2) and DIR/labels.i32 (our labels), runs
DBSCAN(eps, min_samples, n_jobs=THREADS) (algorithm 'auto': a k-d tree in 2-D) three times and prints
  time_s=<median> clusters=... noise=... identical=<fraction of labels equal to ours> ari=<ARI against ours>
"""
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.metrics import adjusted_rand_score

d_, n, eps, ms, th = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(f"{d_}/data.f32", dtype=np.float32).reshape(n, 2)
ours = np.fromfile(f"{d_}/labels.i32", dtype=np.int32)
times = []
for _ in range(3):
    db = DBSCAN(eps=eps, min_samples=ms, n_jobs=th)
    t0 = time.perf_counter()
    db.fit(X)
    times.append(time.perf_counter() - t0)
lab = db.labels_
print(f"time_s={sorted(times)[1]:.4f} clusters={lab.max() + 1} noise={(lab < 0).sum()} "
      f"identical={(lab == ours).mean():.6f} ari={adjusted_rand_score(lab, ours):.6f}")
