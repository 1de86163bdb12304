#!/usr/bin/env bash
# The paths users wait on, against their peers on the same files, in alternating rounds; prints one
# markdown table (issue #17). Usage, from the repository root:
#
#   benchmarks/run-user-paths.sh [SUPPLIERS] [ROUNDS]        (defaults: 200000 suppliers, 3 rounds)
#
# Environment: DATA (where the generated portfolios go; default /tmp/chainscore-user-paths),
# THREADS (default 2), AS_OF (default 2024-12-31), PATHS (space-separated subset of the path
# names below), BASELINE_JAR (an older chainscore.jar: its features output on the same Parquet
# files is timed too, through the launcher as this build is, and compared byte for byte with this
# build's).
#
# Every path is one command in a fresh JVM, timed with /usr/bin/time from outside (JVM start-up
# included on every side): wall seconds, CPU seconds (user + sys) and peak RSS. Paths:
#   cs-features-parquet / cs-features-arrow  ./chainscore features, --threads $THREADS, the launcher's
#                                            default heap (FEATURES_JAVA_OPTS=-Xmx1g to try another)
#   duck-sql-parquet / duck-sql-arrow        DuckDB, SET threads=$THREADS, the project's feature SQL
#                                            (FilesSideBySide sql), COPY ... TO parquet
#   duck-tuned-parquet / duck-tuned-arrow    the same query with its shared CTEs MATERIALIZED
#   duck-scan-parquet / duck-scan-arrow      DuckDB's bare scan: invoices grouped by supplier, summed
#                                            (Arrow: DuckDB first imports the tables through the
#                                            Arrow C stream interface, included in its time)
#   cs-nightly-parquet                       ./chainscore score --transactions (Parquet) --reasons
#                                            codes, duplicate check on, -Xmx2g (NIGHTLY_JAVA_OPTS): files to scores
#   cs-score-codes / cs-score-none           ./chainscore score --features (the features written by
#                                            this invocation's nightly run, which runs once untimed
#                                            first when it is not among PATHS) with the default
#                                            scorecard, reason codes on / off
#   cs-trees-codes / cs-trees-none           target 2: ./chainscore score --features rows.csv (TREE_ROWS
#                                            rows, default 100000, 20 features, 10% missing) with the
#                                            300-tree depth-6 XGBoost model wrapped by chainscore import
#                                            xgboost; reason codes on / off; --restamp-as-of, since
#                                            rows.csv has no as_of_date column (score refuses such a
#                                            table without it, exit 2)
#   xgb-trees-contrib / xgb-trees-predict    the same CSV through xgboost4j 3.4 (TreeReasonsFiles):
#                                            predictContrib and the top four positive contributions,
#                                            or predict only; nthread=$THREADS; same columns out
# After the table, unless IN_PROCESS=0: targets 2 and 3 in one JVM by thread CPU time
# (TreeReasonsCpuTime: TreeSHAP batch vs predictContrib, the tree batch path vs its mask kernel and
# xgboost4j predict at 65,536 rows; ScorecardCpuTime: the scorecard at 65,536-row batches, with and
# without reason codes).
# Exit code 3 (rows quarantined: the generated portfolios hold a few refused rows on purpose)
# counts as success for the score paths. A run that fails otherwise is named on stderr with the
# first lines of its error output, left out of the table, listed under it as FAILED, and the script
# exits 1 once the report is printed.
# The machine's load average is recorded before and after: on a shared machine prefer the minimum
# and the CPU seconds to the median.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suppliers="${1:-200000}"
rounds="${2:-3}"
threads="${THREADS:-2}"
asof="${AS_OF:-2024-12-31}"
data="${DATA:-/tmp/chainscore-user-paths}"
paths="${PATHS:-cs-features-parquet duck-sql-parquet duck-tuned-parquet duck-scan-parquet cs-features-arrow duck-sql-arrow duck-tuned-arrow duck-scan-arrow cs-nightly-parquet cs-score-codes cs-score-none cs-trees-codes xgb-trees-contrib cs-trees-none xgb-trees-predict}"
tree_rows="${TREE_ROWS:-100000}"
bench_jar="$here/benchmarks/target/benchmarks.jar"
cli="$here/chainscore"
mkdir -p "$data/out"
log="$data/times.tsv"
: > "$log"

# The peers' side (DuckDB's feature SQL, from risk-core's test resources; the agreement check's
# schema; xgboost4j's runner) is in this jar: rebuilt when missing or older than a source, as the
# launcher rebuilds the command-line jar, so that both sides are of the same sources.
if [ ! -f "$bench_jar" ] || [ -n "$(find "$here/pom.xml" "$here"/*/pom.xml "$here"/*/src/main \
    "$here/risk-core/src/test/resources" -newer "$bench_jar" -print -quit 2>/dev/null)" ]; then
  (cd "$here" && mvn -B -ntp -o -q -Pbench -pl benchmarks -am package -DskipTests)
fi
"$cli" --version > /dev/null   # builds the command-line jar when needed, outside the timings
# Every run uses this copy of the jar: editing or rebuilding the sources meanwhile changes nothing.
mkdir -p "$data"
cp "$here/cli/target/chainscore.jar" "$data/chainscore.jar"
export CHAINSCORE_JAR="$data/chainscore.jar"
# The launcher archives a command's classes on its first run after a build (class data sharing) and
# later runs start from the archive: what a user has from the second run on. Each command timed here
# runs once first, untimed, on a small portfolio, so that no timed run is a first run.
"$cli" generate --suppliers 300 --seed 5 --format parquet --out "$data/warm-up" --overwrite > /dev/null
"$cli" features --transactions "$data/warm-up" --as-of "$asof" --out "$data/warm-up/f.arrow" --overwrite --quiet > /dev/null || [ $? -eq 3 ]
"$cli" score --features "$data/warm-up/f.arrow" --as-of "$asof" --out "$data/warm-up/s.csv" --overwrite --quiet > /dev/null || [ $? -eq 3 ]
if [ -n "${BASELINE_JAR:-}" ]; then
  # the baseline runs as this build does: through the launcher (same JVM flags and heap), from a copy
  # beside which its own class archive is written by this untimed first run
  cp "$BASELINE_JAR" "$data/baseline.jar"
  CHAINSCORE_JAR="$data/baseline.jar" "$cli" features --transactions "$data/warm-up" --as-of "$asof" \
    --out "$data/warm-up/f-baseline.arrow" --overwrite --quiet > /dev/null || [ $? -eq 3 ]
fi

for fmt in parquet arrow; do
  dir="$data/p$suppliers-$fmt"
  if [ ! -f "$dir/invoices.$fmt" ]; then
    "$cli" generate --suppliers "$suppliers" --seed 5 --format "$fmt" --out "$dir" --overwrite > /dev/null
  fi
done
pq="$data/p$suppliers-parquet"
ar="$data/p$suppliers-arrow"
trees="$data/trees$tree_rows"
if [[ " $paths " == *" cs-trees-"* || " $paths " == *" xgb-trees-"* ]] && [ ! -f "$trees/bundle.json" ]; then
  (cd "$here" && java -cp "$bench_jar" io.chainscore.bench.trees.TreeReasonsFiles prepare "$trees" "$tree_rows")
  "$cli" import xgboost --source "$trees/model.json" --out "$trees/bundle.json" --max-missing-share 1 --overwrite > /dev/null
fi

duck() { java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$bench_jar" \
  io.chainscore.bench.features.FilesSideBySide "$@" "$threads" > /dev/null 2> "$data/peer.err"; }

run_path() {
  local name="$1" out="$data/out"
  case "$name" in
    cs-features-parquet) CHAINSCORE_JAVA_OPTS="${FEATURES_JAVA_OPTS:-}" "$cli" features --transactions "$pq" --as-of "$asof" \
        --out "$out/cs-parquet.parquet" --threads "$threads" --overwrite --quiet > /dev/null ;;
    cs-features-arrow) CHAINSCORE_JAVA_OPTS="${FEATURES_JAVA_OPTS:-}" "$cli" features --transactions "$ar" --as-of "$asof" \
        --out "$out/cs-arrow.parquet" --threads "$threads" --overwrite --quiet > /dev/null ;;
    cs-features-baseline) CHAINSCORE_JAR="$data/baseline.jar" CHAINSCORE_JAVA_OPTS="${FEATURES_JAVA_OPTS:-}" "$cli" features \
        --transactions "$pq" --as-of "$asof" --out "$out/baseline.parquet" \
        --threads "$threads" --overwrite --quiet > /dev/null ;;
    duck-sql-parquet) duck sql "$pq" "$asof" "$out/duck-sql-parquet.parquet" ;;
    duck-tuned-parquet) duck tuned "$pq" "$asof" "$out/duck-tuned-parquet.parquet" ;;
    duck-scan-parquet) duck scan "$pq" "$asof" "$out/duck-scan-parquet.parquet" ;;
    duck-sql-arrow) duck sql "$ar" "$asof" "$out/duck-sql-arrow.parquet" ;;
    duck-tuned-arrow) duck tuned "$ar" "$asof" "$out/duck-tuned-arrow.parquet" ;;
    duck-scan-arrow) duck scan "$ar" "$asof" "$out/duck-scan-arrow.parquet" ;;
    cs-nightly-parquet) CHAINSCORE_JAVA_OPTS="${NIGHTLY_JAVA_OPTS:--Xmx2g}" "$cli" score --transactions "$pq" --as-of "$asof" \
        --out "$out/nightly.parquet" --reasons codes --threads "$threads" --overwrite --quiet > /dev/null \
        || [ $? -eq 3 ] ;;
    cs-score-codes) "$cli" score --features "$out/nightly.features.arrow" --as-of "$asof" \
        --out "$out/score-codes.parquet" --reasons codes --threads "$threads" --overwrite --quiet > /dev/null \
        || [ $? -eq 3 ] ;;
    cs-score-none) "$cli" score --features "$out/nightly.features.arrow" --as-of "$asof" \
        --out "$out/score-none.parquet" --reasons none --threads "$threads" --overwrite --quiet > /dev/null \
        || [ $? -eq 3 ] ;;
    cs-trees-codes) "$cli" score --features "$trees/rows.csv" --model "$trees/bundle.json" --as-of "$asof" \
        --out "$out/trees-codes.csv" --reasons codes --restamp-as-of --threads "$threads" --overwrite --quiet > /dev/null ;;
    cs-trees-none) "$cli" score --features "$trees/rows.csv" --model "$trees/bundle.json" --as-of "$asof" \
        --out "$out/trees-none.csv" --reasons none --restamp-as-of --threads "$threads" --overwrite --quiet > /dev/null ;;
    xgb-trees-contrib) OMP_NUM_THREADS="$threads" java -cp "$bench_jar" io.chainscore.bench.trees.TreeReasonsFiles \
        xgboost "$trees" "$threads" codes "$out/xgb-contrib.csv" > /dev/null 2> "$data/peer.err" ;;
    xgb-trees-predict) OMP_NUM_THREADS="$threads" java -cp "$bench_jar" io.chainscore.bench.trees.TreeReasonsFiles \
        xgboost "$trees" "$threads" none "$out/xgb-predict.csv" > /dev/null 2> "$data/peer.err" ;;
    *) echo "unknown path $name" >&2; return 2 ;;
  esac
}

if [ -n "${BASELINE_JAR:-}" ]; then
  paths="$paths cs-features-baseline"
fi
export cli data pq ar trees asof threads bench_jar BASELINE_JAR="${BASELINE_JAR:-}" FEATURES_JAVA_OPTS="${FEATURES_JAVA_OPTS:-}" \
  NIGHTLY_JAVA_OPTS="${NIGHTLY_JAVA_OPTS:--Xmx2g}"
export -f run_path duck
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
# Only outputs written by this invocation are checked and reported below: files left in $data/out by
# an earlier run with other PATHS are older than this marker.
marker="$data/out/.started"
: > "$marker"
sleep 1
fresh() { [ -f "$1" ] && [ "$1" -nt "$marker" ]; }
failed=""
for r in $(seq 1 "$rounds"); do
  # Alternate the order from round to round so that no path always runs first or last.
  if [ $((r % 2)) -eq 0 ]; then order="$(echo $paths | tr ' ' '\n' | tac | tr '\n' ' ')"; else order="$paths"; fi
  for p in $order; do
    # cs-score-* read the nightly run's features, of this portfolio: written by this invocation
    # (one left by an earlier run may be of another SUPPLIERS or AS_OF)
    if [[ "$p" == cs-score-* ]] && ! fresh "$data/out/nightly.features.arrow"; then run_path cs-nightly-parquet; fi
    : > "$data/peer.err"
    if ! /usr/bin/time -f "%e %U %S %M" -o "$data/time.txt" bash -c "run_path $p"; then
      # the peers' own stderr (DuckDB, xgboost4j) is kept out of the way unless they fail
      grep -v -e '^SLF4J' -e '^[[:space:]]*$' "$data/peer.err" | head -2 >&2 || true
      echo "round $r $p: FAILED ($(tail -1 "$data/time.txt"))" >&2
      failed="$failed $p (round $r);"
      continue
    fi
    read -r wall user sys rss < "$data/time.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$r" "$wall" "$user" "$sys" "$rss" >> "$log"
    echo "round $r $p: ${wall} s wall, $(awk "BEGIN{print $user + $sys}") s CPU, $((rss / 1024)) MB peak RSS" >&2
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# The same features on both sides, and the same bytes from both chainscore inputs.
check=""
if fresh "$data/out/cs-parquet.parquet"; then
  check="$(java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$bench_jar" \
    io.chainscore.bench.features.FilesSideBySide check "$pq" "$asof" "$data/out/cs-parquet.parquet" "$threads" 2>/dev/null | tail -1)"
fi
same=""
if fresh "$data/out/cs-parquet.parquet" && fresh "$data/out/cs-arrow.parquet"; then
  cmp -s "$data/out/cs-parquet.parquet" "$data/out/cs-arrow.parquet" && same="identical" || same="DIFFERENT"
fi
baseline_same=""
if [ -n "${BASELINE_JAR:-}" ] && fresh "$data/out/baseline.parquet" && fresh "$data/out/cs-parquet.parquet"; then
  cmp -s "$data/out/cs-parquet.parquet" "$data/out/baseline.parquet" \
    && cmp -s "$data/out/cs-parquet.quarantine.csv" "$data/out/baseline.quarantine.csv" \
    && baseline_same="identical" || baseline_same="DIFFERENT"
fi
invoices="invoices not counted: no features path in this run"
if fresh "$data/out/cs-parquet.parquet.manifest.json"; then
  invoices="$(python3 -c "import json,sys; print(json.load(open('$data/out/cs-parquet.parquet.manifest.json'))['rows']['invoices'])" 2>/dev/null || echo '?') invoices"
fi

echo "# User paths, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1)."
echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
echo "Portfolio: generate --suppliers $suppliers --seed 5 ($invoices), as of $asof; --threads $threads / SET threads=$threads; $rounds alternating rounds, one fresh JVM per run (start-up included on every side)."
echo
python3 - "$log" <<'EOF'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p, r, wall, user, sys_, rss = line.split('\t')
    rows[p].append((float(wall), float(user) + float(sys_), int(rss)))
def m(p, i, f=min):
    return f(x[i] for x in rows[p]) if p in rows else None
print('| path | min wall s | median wall s | min CPU s (user+sys) | peak RSS MB | min wall vs the peer (DuckDB SQL, same format; xgboost4j, same CSV) |')
print('|---|---|---|---|---|---|')
for p in rows:
    fmt = 'arrow' if p.endswith('arrow') else 'parquet'
    ref = m('duck-sql-' + fmt, 0)
    ratio = '%.2fx' % (ref / m(p, 0)) if ref and (p.startswith('cs-features') or p.startswith('duck-')) else ''
    peer = {'cs-trees-codes': 'xgb-trees-contrib', 'cs-trees-none': 'xgb-trees-predict'}.get(p)
    if peer and peer in rows:
        ratio = '%.2fx (CPU %.2fx)' % (m(peer, 0) / m(p, 0), m(peer, 1) / m(p, 1))
    print('| %s | %.1f | %.1f | %.1f | %d | %s |' % (p, m(p, 0), statistics.median(x[0] for x in rows[p]),
          m(p, 1), m(p, 2, max) // 1024, ratio))
EOF
echo
[ -n "$check" ] && echo "Agreement, chainscore features (Parquet) vs the DuckDB SQL: ${check#check: }"
[ -n "$same" ] && echo "chainscore features from Parquet and from Arrow: $same bytes."
[ -n "$baseline_same" ] && echo "chainscore features and quarantine, this build vs BASELINE_JAR: $baseline_same bytes."
if fresh "$data/out/trees-codes.csv" && fresh "$data/out/xgb-contrib.csv"; then
  echo "Tree reason codes, chainscore score vs xgboost4j predictContrib on the same $tree_rows rows: $(java -cp "$bench_jar" \
    io.chainscore.bench.trees.TreeReasonsFiles check "$data/out/trees-codes.csv" "$data/out/xgb-contrib.csv" | sed 's/^check: //')"
fi
for t in trees-none trees-codes; do
  if fresh "$data/out/$t.csv.manifest.json"; then
    echo "Phases of the last cs-$t run (its manifest): $(python3 -c "
import json
m = json.load(open('$data/out/$t.csv.manifest.json'))
print(', '.join('%s %.1f s' % (p['name'], p['seconds']) for p in m.get('phases', [])))")"
  fi
done
if fresh "$data/out/nightly.parquet.manifest.json"; then
  echo
  echo "Phases of the last cs-nightly-parquet run (its manifest):"
  python3 -c "
import json
m = json.load(open('$data/out/nightly.parquet.manifest.json'))
print(', '.join('%s %.1f s' % (p['name'], p['seconds']) for p in m.get('phases', [])))"
fi
if [ "${IN_PROCESS:-1}" != 0 ]; then
  echo
  echo "In one JVM, by thread CPU time (targets 2 and 3; load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo
  echo '```'
  (cd "$here" && OMP_NUM_THREADS=1 java -cp "$bench_jar" io.chainscore.bench.trees.TreeReasonsCpuTime 2048 65536 3 2>/dev/null | grep -v '^SLF4J')
  echo "scorecard, 65,536-row batches, no reason codes:"
  java -cp "$bench_jar" io.chainscore.bench.scoring.ScorecardCpuTime 65536 | tail -3
  echo "scorecard, 65,536-row batches, reason codes:"
  java -cp "$bench_jar" io.chainscore.bench.scoring.ScorecardCpuTime 65536 reasons | tail -3
  echo '```'
fi
if [ -n "$failed" ]; then
  # a failed run is left out of the table above: say so where the table is read, and exit non-zero
  echo
  echo "FAILED, not in the table:$failed"
  echo "run-user-paths.sh: some runs failed:$failed" >&2
  exit 1
fi
