#!/usr/bin/env python3
"""The model developer's training path, timed beside the tool the issue measures against (#18.3).

Runs, alternating, ROUNDS times each, one fresh process per run (start-up in on both sides):
  ChainScore: ./chainscore train --model-type gbdt --data CSV --target TARGET [--exclude DROP]
              --threads THREADS --out OUT/model.json
              (reads the CSV, holds out 30% stratified, chooses the tree shape among five on a
              held-out 20% of the rest, trains 100 trees on the 70%, writes the bundle with its
              golden rows and prints the training and test figures);
  HGB:        python3: the same CSV read with the csv module (what benchmarks/scripts/gbdt_vs_hgb.py
              does; pandas is not installed here), the same columns dropped, text columns
              ordinal-coded, a stratified 70/30 split, HistGradientBoostingClassifier() with
              default settings (OMP_NUM_THREADS=THREADS), test AUC printed, the model pickled.
Prints wall and CPU seconds (user + system of the process) per run, then min / median per side.

Usage (with the Python that has scikit-learn, /usr/bin/python3 here):
  train_path_vs_hgb.py CSV TARGET DROP(comma list or '-') THREADS ROUNDS OUT_DIR
"""
import os, resource, statistics, subprocess, sys, time
from pathlib import Path

HGB = r'''
import csv, pickle, sys
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
path, target, drop, out = sys.argv[1], sys.argv[2], set(sys.argv[3].split(",")), sys.argv[4]
with open(path, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
t = header.index(target)
y = np.array([int(r[t]) for r in body])
cols = []
for c, h in enumerate(header):
    if c == t or h in drop or (h == "" and "column_1" in drop):
        continue
    cells = [r[c] for r in body]
    try:
        cols.append(np.array([np.nan if v in ("", "NA") else float(v) for v in cells]))
    except ValueError:
        levels = sorted(set(v for v in cells if v not in ("", "NA")))
        index = {v: i for i, v in enumerate(levels)}
        cols.append(np.array([np.nan if v in ("", "NA") else float(index[v]) for v in cells]))
x = np.column_stack(cols)
xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, stratify=y, random_state=1)
model = HistGradientBoostingClassifier().fit(xtr, ytr)
print("test AUC %.4f" % roc_auc_score(yte, model.predict_proba(xte)[:, 1]))
with open(out, "wb") as f:
    pickle.dump(model, f)
'''


def timed(command, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    auc = [l for l in done.stdout.splitlines() if "AUC" in l and l.startswith(("test", "test:"))]
    return wall, cpu, (auc[0] if auc else "")


def main():
    csv_path, target, drop, threads, rounds, out = sys.argv[1:7]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parents[2]
    chainscore = [str(root / "chainscore"), "train", "--model-type", "gbdt", "--data", csv_path,
                  "--target", target, "--threads", threads, "--out", str(out / "model.json"), "--overwrite"]
    if drop != "-":
        chainscore += ["--exclude", drop]
    hgb = [sys.executable, "-c", HGB, csv_path, target, drop, str(out / "hgb.pickle")]
    env = dict(os.environ, OMP_NUM_THREADS=threads)
    results = {"chainscore train": [], "HGB": []}
    for r in range(int(rounds)):
        for name, command in (("chainscore train", chainscore), ("HGB", hgb)) if r % 2 == 0 else \
                (("HGB", hgb), ("chainscore train", chainscore)):
            wall, cpu, auc = timed(command, env)
            results[name].append((wall, cpu))
            print(f"round {r + 1} {name}: {wall:.2f} s wall, {cpu:.2f} CPU-s; {auc}", flush=True)
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        print(f"{name}: wall {min(walls):.2f} / {statistics.median(walls):.2f} s,"
              f" CPU {min(cpus):.2f} / {statistics.median(cpus):.2f} s (min / median of {len(runs)})")


if __name__ == "__main__":
    main()
