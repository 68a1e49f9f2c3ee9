#!/usr/bin/python3
"""Tabular regression defaults against ridge (docs/tabular.md, "Regression ...").

diabetes: scikit-learn's table (Debian's python3-sklearn, offline), five random 75/25 splits
(random.Random(seed).shuffle of the row indices, seeds 0-4; the first 25 % is data.test_path, the
tool carves its validation rows from the 75 %), each trained with `hpclearn train --threads 1`,
seed 42; Ridge(alpha=1) on standardised features fitted on the same 75 % as the peer.
spend: the built-in regression table (builtin_rows 400, seeds 1-3, and the full 5,000 rows, seed 42),
written out by `HpcLearn.Bench write-spend` (the same rows as `builtin: spend`), with a test file
of 2,000 rows drawn from seed 100 + the run's seed.

    nice -n 19 /usr/bin/python3 bench/tabular/regression_defaults.py [diabetes|spend400|spend] [--set key=value ...]

Prints one line per run (validation R2, test R2) and the mean (min-max). Run folders and the
split files go under $TMPDIR (or /tmp)/hpclearn-regression-bench, never into the repository.
"""
import csv, json, os, random, shutil, subprocess, sys, tempfile

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(tempfile.gettempdir(), "hpclearn-regression-bench")


def hpclearn(config, name, sets):
    path = os.path.join(WORK, name + ".yaml")
    with open(path, "w") as f:
        f.write(config)
    runs = os.path.join(WORK, "runs")
    shutil.rmtree(os.path.join(runs, name), ignore_errors=True)  # this script's own earlier run of the same name
    cmd = [os.path.join(ROOT, "hpclearn"), "train", path, "--threads", "1", "--out", runs]
    for s in sets:
        cmd += ["--set", s]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    for line in out.stdout.splitlines():  # what the run started from and which epoch it kept
        if line.startswith(("model: linear skip", "kept ")):
            print("   ", line)
    summary = json.load(open(os.path.join(runs, name, "summary.json")))
    return summary["r2"], summary.get("test_r2")


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def diabetes(sets, tag):
    d = load_diabetes()
    X, y = d.data, d.target
    header = list(d.feature_names) + ["target"]
    results, ridge = [], []
    for seed in range(5):
        idx = list(range(len(y)))
        random.Random(seed).shuffle(idx)
        # The first quarter of the shuffled rows (110) is the test file, the other 332 the training file.
        cut = len(idx) // 4
        tr, te = idx[cut:], idx[:cut]
        trp, tep = (os.path.join(WORK, f"diabetes-{seed}-{s}.csv") for s in ("train", "test"))
        write(trp, header, [list(X[i]) + [y[i]] for i in tr])
        write(tep, header, [list(X[i]) + [y[i]] for i in te])
        name = f"diabetes-{tag}-{seed}"
        config = f"task: tabular\nname: {name}\nseed: 42\ndata:\n  path: {trp}\n  test_path: {tep}\n  target: target\n  valid_fraction: 0.2\n"
        v, t = hpclearn(config, name, sets)
        sc = StandardScaler().fit(X[tr])
        r = r2_score(y[te], Ridge(alpha=1.0).fit(sc.transform(X[tr]), y[tr]).predict(sc.transform(X[te])))
        print(f"split {seed}: hpclearn valid R2 {v:.4f} test R2 {t:.4f}   Ridge(alpha=1) test R2 {r:.4f}", flush=True)
        results.append((v, t)); ridge.append(r)
    show("hpclearn valid", [v for v, _ in results])
    show("hpclearn test ", [t for _, t in results])
    show("Ridge test    ", ridge)


def spend(sets, tag, rows, seeds):
    bench = os.path.join(ROOT, "bench", "HpcLearn.Bench")
    subprocess.run(["dotnet", "build", bench, "-c", "Release", "-nologo", "-v", "q"], check=True, capture_output=True)
    dll = next(os.path.join(dp, "HpcLearn.Bench.dll") for dp, _, fs in os.walk(os.path.join(bench, "bin", "Release")) if "HpcLearn.Bench.dll" in fs)
    results = []
    for seed in seeds:
        # The test rows: 2,000 more customers drawn from another seed (100 + the run's seed).
        # The training file is the built-in table (builtin: spend, builtin_rows, seed) written out,
        # since data.test_path needs a data.path beside it.
        train, test = (os.path.join(WORK, f"spend{rows}-{seed}-{s}.csv") for s in ("train", "test"))
        subprocess.run(["dotnet", dll, "write-spend", str(rows), str(seed), train], check=True)
        subprocess.run(["dotnet", dll, "write-spend", "2000", str(100 + seed), test], check=True)
        name = f"spend{rows}-{tag}-{seed}"
        config = (f"task: tabular\nname: {name}\nseed: {seed}\ndata:\n  path: {train}\n  target: spend\n"
                  f"  test_path: {test}\n")
        v, t = hpclearn(config, name, sets)
        print(f"spend {rows} rows, seed {seed}: hpclearn valid R2 {v:.4f} test R2 {t:.4f}", flush=True)
        results.append((v, t))
    show("hpclearn valid", [v for v, _ in results])
    show("hpclearn test ", [t for _, t in results])


def show(label, xs):
    print(f"{label}: mean {np.mean(xs):.3f} ({min(xs):.3f}-{max(xs):.3f})", flush=True)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "diabetes"
    sets = [a.split("=", 1)[1] if a.startswith("--set=") else a for a in sys.argv[2:] if a != "--set"]
    tag = os.environ.get("TAG", "run")
    os.makedirs(WORK, exist_ok=True)
    if which == "diabetes": diabetes(sets, tag)
    elif which == "spend400": spend(sets, tag, 400, [1, 2, 3])
    elif which == "spend": spend(sets, tag, 5000, [42])
    else: sys.exit("usage: regression_defaults.py [diabetes|spend400|spend] [--set key=value ...]")
