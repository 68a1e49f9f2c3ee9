"""The Python peers' BLAS, threads and measured float32 GEMM speed, for bench/run's header.

blas_info.py THREADS [N]: one line of key=value pairs (values without spaces):
numpy's BLAS as threadpoolctl sees it (library, version, architecture it chose, threading layer),
torch's build setting (BLAS_INFO from torch.__config__.show()) and the BLAS torch actually loaded
(threadpoolctl after a torch matmul), and the best-of-5 GFLOPS of an N x N float32 matmul
(default 2048) through numpy with THREADS BLAS threads (as the scikit-learn peers run) and through
torch with THREADS intra-op threads and the OpenBLAS threads its environment gives
(OPENBLAS_NUM_THREADS; bench/run sets 1 for the PyTorch peers: see its `peer` function).
"""
import re
import sys
import time

threads = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
out = {"threads": threads, "n": n}


def gflops(mm, a, b, reps=5):
    mm(a, b)  # warm-up: thread pool start, page faults
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:
    threadpool_info = None

import numpy as np

a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)


def blas_row(prefix):
    if threadpool_info is None:
        out[prefix + "blas"] = "unknown(apt-get_install_python3-threadpoolctl)"
        return
    blas = [d for d in threadpool_info() if d.get("user_api") == "blas"]
    if not blas:
        out[prefix + "blas"] = "none-seen"
        return
    d = blas[0]
    out[prefix + "blas"] = d.get("internal_api", "?")
    out[prefix + "blas_file"] = d.get("filepath", "?")
    out[prefix + "blas_version"] = d.get("version") or "?"
    out[prefix + "blas_arch"] = d.get("architecture") or "?"
    out[prefix + "blas_threading"] = d.get("threading_layer") or "?"
    out[prefix + "blas_threads"] = d.get("num_threads", "?")


out["numpy"] = np.__version__
if threadpool_info is not None:
    with threadpool_limits(limits=threads, user_api="blas"):
        blas_row("numpy_")
        out["numpy_gflops"] = f"{gflops(np.matmul, a, b):.1f}"
else:
    blas_row("numpy_")
    out["numpy_gflops"] = f"{gflops(np.matmul, a, b):.1f}"

try:
    import torch
    torch.set_num_threads(threads)
    out["torch"] = torch.__version__
    m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    out["torch_blas_info"] = m.group(1) if m else "?"
    out["torch_threads"] = torch.get_num_threads()
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    with torch.no_grad():
        out["torch_gflops"] = f"{gflops(torch.matmul, ta, tb):.1f}"
    blas_row("torch_")  # after a torch matmul: what the process has loaded now
except ImportError:
    out["torch"] = "none"

print(" ".join(f"{k}={v}" for k, v in out.items()))
