"""scikit-learn GaussianMixture (diagonal) on the data and start written by `HpcLearn.Bench gmm`.

usage: gmm_sklearn.py DIR N D K ITERS
Reads DIR/data.f32 (raw float32, row-major; given to scikit-learn as float64, its default) and
DIR/init.f64 (weights K, means K x D, variances K x D), runs GaussianMixture(covariance_type='diag',
weights_init, means_init, precisions_init = 1 / variances, init_params='random_from_data' (the given
parameters replace it; the cheapest init), max_iter=ITERS, tol=0, reg_covar=1e-6) three times and prints
  iterations=... time_s=<median> log_likelihood=<score(X), mean log-likelihood per point>
Threads: the caller sets OMP_NUM_THREADS.
"""
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

d_, n, d, k, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(f"{d_}/data.f32", dtype=np.float32).reshape(n, d).astype(np.float64)
init = np.fromfile(f"{d_}/init.f64", dtype=np.float64)
w, m, v = init[:k], init[k:k + k * d].reshape(k, d), init[k + k * d:].reshape(k, d)
warnings.simplefilter("ignore", ConvergenceWarning)
times = []
for _ in range(3):
    g = GaussianMixture(n_components=k, covariance_type="diag", weights_init=w, means_init=m, precisions_init=1 / v,
                        init_params="random_from_data", max_iter=iters, tol=0, reg_covar=1e-6, random_state=0)
    t0 = time.perf_counter()
    g.fit(X)
    times.append(time.perf_counter() - t0)
print(f"iterations={g.n_iter_} time_s={sorted(times)[1]:.4f} log_likelihood={g.score(X)!r}")
