package io.chainscore.batch.scoring;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.validation.CalibrationInTheLarge;
import io.chainscore.validation.DeLong;
import io.chainscore.validation.Discrimination;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitoring of a model over a series of score runs (nightly or monthly): for each run, the
 * population stability of its scores (the reference run's score deciles) and grades against a
 * reference run, the characteristic stability (CSI) of every feature where the runs kept their
 * feature tables, the grade migration from the reference, and, where outcomes have arrived
 * (labels keyed by supplier and as-of date), a back-test of that vintage: AUC with its DeLong 95%
 * interval and calibration-in-the-large. Thresholds turn the figures into alerts.
 *
 * <p>Alerts (the level a scheduler acts on) come from the population: score or grade PSI at or
 * above the alert threshold, and from a back-test: the AUC's upper 95% bound below the AUC floor,
 * or the realised defaults significantly above the PDs (one-sided exact p below the calibration
 * level). For a segmented model every segment gets the same figures over the rows routed to it (the
 * score table's {@code segment} column), each against the reference run's rows of that segment; a
 * segment's CSI warns for the features its own model reads.
 * Warnings: PSI, or the CSI of a feature the model reads, at or above the warning threshold. CSI is diagnostic
 * only (it says which characteristic moved the scores): features drift naturally as suppliers age,
 * so CSI alone never raises an alert.
 *
 * <p>Thread safety: stateless.
 */
public final class Monitoring {
  private Monitoring() {}

  /**
   * Alert and warning thresholds.
   *
   * @param psiWarning PSI (scores or grades) from which a run is flagged (0.10 by convention)
   * @param psiAlert PSI from which an alert fires (0.25 by convention)
   * @param csiWarning a feature's CSI from which it is flagged
   * @param aucFloor an alert fires when a back-test's AUC upper 95% bound is below this
   * @param calibrationLevel an alert fires when the exact one-sided p of the realised defaults
   *     given the PDs is below this
   * @param quarantineWarning share of a run's rows quarantined (of the rows it read) from which
   *     the run is flagged: a data-quality warning, as a drifting feature's
   */
  public record Thresholds(double psiWarning, double psiAlert, double csiWarning, double aucFloor,
      double calibrationLevel, double quarantineWarning) {
    /** The thresholds with the default quarantine warning, 1% of the rows read. */
    public Thresholds(double psiWarning, double psiAlert, double csiWarning, double aucFloor,
        double calibrationLevel) {
      this(psiWarning, psiAlert, csiWarning, aucFloor, calibrationLevel, 0.01);
    }

    /** Checks the thresholds. */
    public Thresholds {
      if (!(quarantineWarning > 0 && quarantineWarning <= 1)) {
        throw new IllegalArgumentException("quarantine warning: expected a share in (0, 1], got " + quarantineWarning);
      }
      if (!(psiWarning > 0 && psiWarning <= psiAlert) || Double.isInfinite(psiAlert)) {
        throw new IllegalArgumentException("PSI thresholds: expected 0 < warning <= alert, got " + psiWarning + " and "
            + psiAlert);
      }
      if (!(csiWarning > 0) || Double.isInfinite(csiWarning)) {
        throw new IllegalArgumentException("CSI warning threshold: expected a positive number, got " + csiWarning);
      }
      if (!(aucFloor >= 0.5 && aucFloor < 1)) {
        throw new IllegalArgumentException("AUC floor: expected a value in [0.5, 1), got " + aucFloor);
      }
      if (!(calibrationLevel > 0 && calibrationLevel < 0.5)) {
        throw new IllegalArgumentException("calibration level: expected a value in (0, 0.5), got " + calibrationLevel);
      }
    }

    /** PSI 0.10 / 0.25, CSI 0.10, AUC floor 0.60, calibration at the 1% level, quarantine 1%. */
    public static Thresholds defaults() {
      return new Thresholds(0.10, 0.25, 0.10, 0.60, 0.01, 0.01);
    }
  }

  /**
   * What a run's manifest says of the rows it could not score.
   *
   * @param read the feature rows the run read, good and bad, or -1 when the manifest does not say
   *     (the Spark job's: its rows read are the suppliers scored and the rows quarantined)
   * @param quarantined the feature rows it quarantined
   * @param byColumn those rows by the column at fault ({@link io.chainscore.batch.engine.BatchJob#WHOLE_ROW}
   *     for no one column), or null when
   *     the manifest does not say (runs before 2026-12-06, the Spark job's)
   * @param transactionsQuarantined trade-table rows refused before the features were computed
   *     ({@code score --transactions}, the Spark job), or -1 when the run read a feature table
   */
  public record RowCounts(long read, long quarantined, Map<String, Long> byColumn, long transactionsQuarantined) {}

  /**
   * One score run.
   *
   * @param name how the run is named in the output (its folder)
   * @param scores its score table
   * @param features its feature table and the column identifying its rows, or null when the run
   *     did not keep it (no CSI then)
   * @param rows what its manifest counts of the rows it quarantined, or null
   */
  public record Run(String name, Path scores, FeatureRows.Table features, RowCounts rows) {
    /** A run whose manifest's row counts are not given (no data-quality figures then). */
    public Run(String name, Path scores, FeatureRows.Table features) {
      this(name, scores, features, null);
    }
  }

  /**
   * The monitoring report of {@code runs} against {@code runs.get(reference)}.
   *
   * @param labels outcomes by supplier id and then as-of date ({@code true} = defaulted), or null
   * @return the report as ordered maps (runs in the order given, then the alerts), ready for JSON
   */
  public static Map<String, Object> report(List<Run> runs, int reference, ModelBundle bundle,
      Map<String, Map<LocalDate, Boolean>> labels, Thresholds thresholds) throws IOException {
    if (runs.isEmpty() || reference < 0 || reference >= runs.size()) {
      throw new IllegalArgumentException("monitoring: expected at least one run and a reference among them");
    }
    List<String> grades = new ArrayList<>();
    bundle.masterScale().grades().forEach(g -> grades.add(g.name()));
    Run ref = runs.get(reference);
    java.util.Set<String> used = usedFeatures(bundle);
    Map<String, ScoreSummary.Scored> refScores = ScoreSummary.readScores(ref.scores());
    List<String> segments = bundle.segments().stream().map(ModelBundle.Segment::name).toList();
    boolean segmented = !segments.isEmpty();
    Map<String, String> refSegmentOf = segmented ? readSegments(ref.scores()) : null;
    Map<String, double[]> refFeatures = ref.features() == null ? null
        : FeatureRows.readScored(ref.features(), bundle, refScores.keySet());
    // the reference's feature rows of the suppliers it scored, the CSI's baseline for every run
    Map<String, double[]> refScoredFeatures = refFeatures == null ? null : rowsOf(refFeatures, refScores);
    Map<String, java.util.Set<String>> usedBySegment = new java.util.HashMap<>();
    for (ModelBundle.Segment segment : bundle.segments()) {
      usedBySegment.put(segment.name(), usedFeatures(segment.bundle()));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Run run : runs) {
      Map<String, ScoreSummary.Scored> scores = ScoreSummary.readScores(run.scores());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("run", run.name());
      r.put("as_of_date", scores.isEmpty() ? null
          : LocalDate.ofEpochDay(scores.values().iterator().next().asOfDay()).toString());
      r.put("suppliers", scores.size());
      r.put("mean_pd", scores.isEmpty() ? null
          : scores.values().stream().mapToDouble(ScoreSummary.Scored::pd).average().getAsDouble());
      boolean quarantineWarning = dataQuality(r, run.rows(), scores.size(), thresholds);
      Map<String, double[]> features = run.features() == null || refFeatures == null ? null
          : run == ref ? refFeatures : FeatureRows.readScored(run.features(), bundle, scores.keySet());
      // A run that scored no supplier (every row quarantined: its data-quality figures say why), or a
      // reference that scored none, has no distribution to compare: no PSI, CSI or migration, no PSI
      // alert, as a segment without rows (until 2026-12-07 such a run stopped monitor with "stability
      // index: actual counts are all zero", exit 2, no report)
      boolean comparable = !scores.isEmpty() && !refScores.isEmpty();
      // CSI over the suppliers the PSI counts (those scored), as each segment's is
      Map<String, Object> stability = !comparable ? Map.of()
          : ScoreSummary.stabilityOfRows(scores, refScores, grades, bundle,
              features == null ? null : rowsOf(features, scores), features == null ? null : refScoredFeatures);
      Double psiScores = (Double) stability.get("psi_score_deciles");
      Double psiGrades = (Double) stability.get("psi_grades");
      r.put("psi_score_deciles", psiScores);
      r.put("psi_grades", psiGrades);
      String status = !comparable ? "ok" : psiStatus(run.name(), null, psiScores, psiGrades, thresholds, alerts);
      @SuppressWarnings("unchecked")
      Map<String, Double> csi = (Map<String, Double>) stability.get("csi");
      r.put("csi", csi);
      List<String> drifting = drifting(csi, used, thresholds);
      if ((!drifting.isEmpty() || quarantineWarning) && status.equals("ok")) {
        status = "warning";
      }
      r.put("csi_warnings", drifting);
      r.put("grade_migration_from_reference", stability.get("grade_migration"));
      Map<String, Object> backtest = labels == null ? null : backtest(scores, labels);
      status = worst(status, backtestStatus(run.name(), null, backtest, thresholds, alerts));
      r.put("backtest", backtest);
      if (segmented) {
        // the same figures per segment, each against the reference run's rows of that segment
        Map<String, String> segmentOf = readSegments(run.scores());
        List<Map<String, Object>> bySegment = new ArrayList<>();
        for (String segment : segments) {
          Map<String, ScoreSummary.Scored> mine = ofSegment(scores, segmentOf, segment);
          Map<String, ScoreSummary.Scored> theirs = ofSegment(refScores, refSegmentOf, segment);
          Map<String, Object> sr = new LinkedHashMap<>();
          sr.put("segment", segment);
          sr.put("suppliers", mine.size());
          sr.put("reference_suppliers", theirs.size());
          // null, as a run's, for a segment no supplier of the run reached (until 2026-12-07 the text "NaN")
          sr.put("mean_pd", mine.isEmpty() ? null
              : mine.values().stream().mapToDouble(ScoreSummary.Scored::pd).average().getAsDouble());
          String segmentStatus = "ok";
          if (mine.isEmpty() || theirs.isEmpty()) {
            // no distribution to compare: no PSI, no alert
            sr.put("psi_score_deciles", null);
            sr.put("psi_grades", null);
          } else {
            Map<String, Object> st = ScoreSummary.stabilityOfRows(mine, theirs, grades, bundle, null, null);
            double ps = (Double) st.get("psi_score_deciles");
            double pg = (Double) st.get("psi_grades");
            sr.put("psi_score_deciles", ps);
            sr.put("psi_grades", pg);
            segmentStatus = psiStatus(run.name(), segment, ps, pg, thresholds, alerts);
          }
          // each segment's characteristics against the reference run's rows routed to the same segment
          Map<String, double[]> mineRows = features == null ? Map.of() : rowsOf(features, mine);
          Map<String, double[]> theirRows = features == null ? Map.of() : rowsOf(refFeatures, theirs);
          Map<String, Double> segmentCsi = mineRows.isEmpty() || theirRows.isEmpty() ? null
              : ScoreSummary.csi(bundle, theirRows, mineRows);
          sr.put("csi", segmentCsi);
          List<String> segmentDrifting = drifting(segmentCsi, usedBySegment.get(segment), thresholds);
          sr.put("csi_warnings", segmentDrifting);
          if (!segmentDrifting.isEmpty() && segmentStatus.equals("ok")) {
            segmentStatus = "warning";
          }
          Map<String, Object> sb = labels == null || mine.isEmpty() ? null : backtest(mine, labels);
          segmentStatus = worst(segmentStatus, backtestStatus(run.name(), segment, sb, thresholds, alerts));
          sr.put("backtest", sb);
          sr.put("status", segmentStatus);
          status = worst(status, segmentStatus);
          bySegment.add(sr);
        }
        r.put("segments", bySegment);
      }
      ChampionChallenger.Challenged challenger = ChampionChallenger.read(run.scores());
      if (challenger != null) {
        // informational: a challenger's standing never raises an alert, the champion's figures do
        r.put("champion_challenger", ChampionChallenger.compare(scores, challenger, labels));
      }
      r.put("status", status);
      out.add(r);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("id", bundle.modelId());
    model.put("version", bundle.modelVersion());
    model.put("sha256", bundle.sha256());
    report.put("model", model);
    report.put("reference", ref.name());
    report.put("thresholds", thresholds);
    report.put("runs", out);
    report.put("alerts", alerts);
    return report;
  }

  /**
   * Puts the run's data-quality figures into {@code r}: the rows it quarantined, their share of the
   * rows it read (of the suppliers scored and the rows quarantined when the manifest does not count
   * the rows read), by column, and the trade-table rows refused; null each when not known. Returns
   * whether the share is at or above the warning.
   */
  private static boolean dataQuality(Map<String, Object> r, RowCounts rows, int scored, Thresholds thresholds) {
    if (rows == null) {
      r.put("rows_quarantined", null);
      r.put("quarantined_share", null);
      r.put("quarantined_by_column", null);
      r.put("transaction_rows_quarantined", null);
      r.put("quarantine_warning", null);
      return false;
    }
    long read = rows.read() >= 0 ? rows.read() : scored + rows.quarantined();
    double share = read == 0 ? 0 : (double) rows.quarantined() / read;
    r.put("rows_quarantined", rows.quarantined());
    r.put("quarantined_share", share);
    r.put("quarantined_by_column", rows.byColumn());
    r.put("transaction_rows_quarantined", rows.transactionsQuarantined() < 0 ? null : rows.transactionsQuarantined());
    boolean warning = share >= thresholds.quarantineWarning();
    r.put("quarantine_warning", warning);
    return warning;
  }

  /**
   * The features the model reads: a scorecard's characteristics, a logistic model's terms, the
   * split features of a tree ensemble. Only their CSI flags a run; the others drift without
   * moving the score (tenure grows every month).
   */
  static java.util.Set<String> usedFeatures(ModelBundle bundle) {
    java.util.Set<String> used = new java.util.TreeSet<>();
    for (int c : io.chainscore.scoring.spi.ModelView.usedColumns(bundle)) {
      used.add(bundle.schema().feature(c).name());
    }
    return used;
  }

  /** The features of {@code used} whose CSI is at or above the warning, in CSI order; none without CSI. */
  private static List<String> drifting(Map<String, Double> csi, java.util.Set<String> used, Thresholds thresholds) {
    List<String> drifting = new ArrayList<>();
    if (csi != null) {
      csi.forEach((feature, v) -> {
        if (v >= thresholds.csiWarning() && used.contains(feature)) {
          drifting.add(feature);
        }
      });
    }
    return drifting;
  }

  /** The feature rows of the suppliers of {@code scored} (those the feature table holds). */
  private static Map<String, double[]> rowsOf(Map<String, double[]> features, Map<String, ScoreSummary.Scored> scored) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String id : scored.keySet()) {
      double[] row = features.get(id);
      if (row != null) {
        out.put(id, row);
      }
    }
    return out;
  }

  /** The status of a run's (or a segment's) PSI figures, adding their alerts. */
  private static String psiStatus(String run, String segment, double psiScores, double psiGrades,
      Thresholds thresholds, List<Map<String, Object>> alerts) {
    String status = "ok";
    for (Object[] m : new Object[][] {{"psi_score_deciles", psiScores}, {"psi_grades", psiGrades}}) {
      double v = (Double) m[1];
      if (v >= thresholds.psiAlert()) {
        alerts.add(alert(run, segment, (String) m[0], v, thresholds.psiAlert(), "alert"));
        status = "alert";
      } else if (v >= thresholds.psiWarning() && !status.equals("alert")) {
        status = "warning";
      }
    }
    return status;
  }

  /** The status of a back-test (ok without one), adding its alerts. */
  private static String backtestStatus(String run, String segment, Map<String, Object> backtest,
      Thresholds thresholds, List<Map<String, Object>> alerts) {
    String status = "ok";
    if (backtest != null) {
      Double aucUpper = (Double) backtest.get("auc_upper");
      if (aucUpper != null && aucUpper < thresholds.aucFloor()) {
        alerts.add(alert(run, segment, "auc_upper", aucUpper, thresholds.aucFloor(), "alert"));
        status = "alert";
      }
      double p = (Double) backtest.get("calibration_p_value");
      if (p < thresholds.calibrationLevel()) {
        alerts.add(alert(run, segment, "calibration_p_value", p, thresholds.calibrationLevel(), "alert"));
        status = "alert";
      }
    }
    return status;
  }

  private static String worst(String a, String b) {
    List<String> order = List.of("ok", "warning", "alert");
    return order.indexOf(a) >= order.indexOf(b) ? a : b;
  }

  /** The score table's segment column, by supplier (a segmented bundle's run). */
  private static final io.chainscore.tables.TableSchema SEGMENTS = new io.chainscore.tables.TableSchema("segments",
      List.of(io.chainscore.tables.TableSchema.required("supplier_id", io.chainscore.tables.ColumnType.STRING),
          io.chainscore.tables.TableSchema.required("segment", io.chainscore.tables.ColumnType.STRING)));

  private static Map<String, String> readSegments(Path scores) throws IOException {
    Map<String, String> out = new java.util.HashMap<>();
    try (io.chainscore.batch.io.TableReader r = io.chainscore.batch.io.TableReader.open(scores, SEGMENTS,
        io.chainscore.batch.io.BadRowHandler.STRICT)) {
      io.chainscore.batch.io.ColumnBatch b = new io.chainscore.batch.io.ColumnBatch(SEGMENTS, 65_536);
      while (r.next(b)) {
        for (int i = 0; i < b.size(); i++) {
          out.put(b.strings(0)[i], b.strings(1)[i]);
        }
      }
    }
    return out;
  }

  private static Map<String, ScoreSummary.Scored> ofSegment(Map<String, ScoreSummary.Scored> scores,
      Map<String, String> segmentOf, String segment) {
    Map<String, ScoreSummary.Scored> out = new LinkedHashMap<>();
    scores.forEach((id, s) -> {
      if (segment.equals(segmentOf.get(id))) {
        out.put(id, s);
      }
    });
    return out;
  }

  private static Map<String, Object> alert(String run, String segment, String metric, double value, double threshold,
      String level) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("run", run);
    if (segment != null) {
      a.put("segment", segment);
    }
    a.put("metric", metric);
    a.put("value", value);
    a.put("threshold", threshold);
    a.put("level", level);
    return a;
  }

  /** Back-test of the rows whose (supplier, as-of date) has a label; null when none has. */
  private static Map<String, Object> backtest(Map<String, ScoreSummary.Scored> scores,
      Map<String, Map<LocalDate, Boolean>> labels) {
    List<double[]> rows = new ArrayList<>();
    for (Map.Entry<String, ScoreSummary.Scored> e : scores.entrySet()) {
      Map<LocalDate, Boolean> byDate = labels.get(e.getKey());
      Boolean defaulted = byDate == null ? null : byDate.get(LocalDate.ofEpochDay(e.getValue().asOfDay()));
      if (defaulted != null) {
        rows.add(new double[] {e.getValue().pd(), defaulted ? 1 : 0});
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    double[] pd = new double[rows.size()];
    int[] y = new int[rows.size()];
    int defaults = 0;
    for (int i = 0; i < pd.length; i++) {
      pd[i] = Math.min(1 - 1e-12, Math.max(1e-12, rows.get(i)[0]));
      y[i] = (int) rows.get(i)[1];
      defaults += y[i];
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("labelled", pd.length);
    b.put("defaults", defaults);
    b.put("default_rate", defaults / (double) pd.length);
    double meanPd = 0;
    for (double p : pd) {
      meanPd += p / pd.length;
    }
    b.put("mean_pd", meanPd);
    // As validate leaves them out: the AUC needs both classes, DeLong's interval two of each (its
    // variance divides by m - 1 and n - 1). Until 2026-12-07 a run with one labelled default stopped
    // monitor (exit 2, no report), and one without a default wrote the text "NaN" for the AUC and
    // its lower bound beside an upper bound of 1.
    b.put("auc", defaults > 0 && defaults < pd.length ? Discrimination.auc(pd, y) : null);
    if (defaults >= 2 && pd.length - defaults >= 2) {
      DeLong.Interval auc = DeLong.interval(pd, y, 0.95);
      b.put("auc_lower", auc.lower());
      b.put("auc_upper", auc.upper());
    } else {
      b.put("auc_lower", null);
      b.put("auc_upper", null);
    }
    CalibrationInTheLarge citl = CalibrationInTheLarge.of(pd, y);
    b.put("expected_defaults", citl.expected());
    b.put("calibration_p_value", citl.exactPValue());
    return b;
  }
}
