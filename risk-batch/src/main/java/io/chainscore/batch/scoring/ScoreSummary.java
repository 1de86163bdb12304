package io.chainscore.batch.scoring;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.TableReader;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.ResultJson;
import io.chainscore.tables.TableSchema;
import io.chainscore.validation.Stability;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The portfolio summary of a score run: counts by grade, the mean PD (and, with exposures, the
 * exposure by grade and the exposure-weighted PD), the score distribution, and stability against a baseline run (PSI of grades and score
 * bands, CSI per characteristic, the grade migration matrix and the suppliers with the largest
 * moves). Written as {@code OUTPUT.summary.json}.
 *
 * <p>Memory: one entry per supplier (id, score, PD, grade) of the run and of the baseline.
 */
public final class ScoreSummary {
  /** Score bands of the distribution, 20 points wide. */
  static final int BAND = 20;

  private ScoreSummary() {}

  /** One scored supplier, with the run's as-of date as an epoch day. */
  record Scored(double score, double pd, String grade, int asOfDay) {}

  /**
   * The as-of date of a score table (a score run has one): its first row's.
   *
   * @throws IllegalArgumentException naming the file when it has no rows
   */
  public static LocalDate asOf(Path scores) throws IOException {
    try (TableReader r = TableReader.open(scores, FeatureTableScoring.OUTPUT, BadRowHandler.STRICT)) {
      ColumnBatch b = new ColumnBatch(FeatureTableScoring.OUTPUT, 1);
      if (!r.next(b) || b.size() == 0) {
        throw new IllegalArgumentException(scores + ": no rows; expected a score table with as_of_date");
      }
      return LocalDate.ofEpochDay(b.dates(1)[0]);
    }
  }

  /** Reads a score table (as written by {@code chainscore score}) keyed by supplier id, in file order. */
  static LinkedHashMap<String, Scored> readScores(Path file) throws IOException {
    return Rows.read(file).champion;
  }

  /**
   * The columns read from a written score table: a score table's (the champion's), and the
   * challenger's score, PD, grade and model id, which a table without a challenger does not have.
   */
  private static final TableSchema READ_COLUMNS;

  static {
    List<TableSchema.Column> columns = new ArrayList<>(FeatureTableScoring.OUTPUT.columns());
    for (TableSchema.Column c : io.chainscore.tables.PortfolioTables.CHALLENGER_SCORES.columns()) {
      if (c.name().startsWith("challenger_")) {
        columns.add(c);
      }
    }
    READ_COLUMNS = new TableSchema("scores", columns);
  }

  /**
   * A score run's rows as the summary reads them: each supplier's score, PD and grade, and the
   * challenger's where it scored the row, in table order. Gathered from the rows as the batch engine
   * writes them ({@link io.chainscore.batch.engine.BatchJob.Builder#outputObserver}), so that a run
   * is summarised without reading its table back, or read from a written table ({@link #read}); both
   * give the same summary, since a table holds exactly the values written to it.
   *
   * <p>Thread safety: fed by one thread at a time.
   */
  public static final class Rows implements Consumer<ColumnBatch> {
    private final LinkedHashMap<String, Scored> champion = new LinkedHashMap<>();
    private final LinkedHashMap<String, Scored> challenger = new LinkedHashMap<>();
    private String challengerModelId;
    /** The layout the column positions below belong to. */
    private TableSchema layout;
    private int challengerScore = -1;
    private int challengerPd = -1;
    private int challengerGrade = -1;
    private int challengerId = -1;
    /** The model (model_id and model_version) and as-of day of the first row; null before one. */
    private String firstModel;
    private int firstAsOfDay;

    /** An empty set, to be fed the rows of a score table's layout. */
    public Rows() {}

    /** The rows of a written score table, read in one pass through {@link #accept}. */
    public static Rows read(Path scores) throws IOException {
      Rows rows = new Rows();
      try (TableReader r = TableReader.open(scores, READ_COLUMNS, BadRowHandler.STRICT)) {
        ColumnBatch b = new ColumnBatch(READ_COLUMNS, 65_536);
        while (r.next(b)) {
          rows.accept(b);
        }
      }
      return rows;
    }

    /**
     * Adds a batch of score rows (supplier_id, as_of_date, score, pd and grade first, as every
     * score table has them, and the challenger's columns found by name). Rows the challenger did
     * not score (no challenger_model_id) count for the champion only. The one place where a score
     * table's row becomes a {@link Scored}: a run's rows as written and a table read back give the
     * same rows.
     */
    @Override
    public void accept(ColumnBatch b) {
      if (b.schema() != layout) {
        layout = b.schema();
        challengerScore = layout.indexOf("challenger_score");
        challengerPd = layout.indexOf("challenger_pd");
        challengerGrade = layout.indexOf("challenger_grade");
        challengerId = layout.indexOf("challenger_model_id");
      }
      boolean withChallenger = challengerScore >= 0 && challengerPd >= 0 && challengerGrade >= 0 && challengerId >= 0;
      if (firstModel == null && b.size() > 0) {
        int id = layout.indexOf("model_id");
        int version = layout.indexOf("model_version");
        firstModel = (id < 0 ? "" : b.string(id, 0)) + " " + (version < 0 ? "" : b.string(version, 0));
        firstAsOfDay = b.dates(1)[0];
      }
      for (int i = 0; i < b.size(); i++) {
        String supplier = b.string(0, i);
        int asOfDay = b.dates(1)[i];
        champion.put(supplier, new Scored(b.doubles(2)[i], b.doubles(3)[i], b.string(4, i), asOfDay));
        String id = withChallenger ? b.string(challengerId, i) : null;
        if (id != null && !id.isEmpty()) {
          challengerModelId = id;
          challenger.put(supplier, new Scored(b.doubles(challengerScore)[i], b.doubles(challengerPd)[i],
              b.string(challengerGrade, i), asOfDay));
        }
      }
    }

    /** The challenger's model id and rows, or null when no row has a challenger. */
    ChampionChallenger.Challenged challenged() {
      return challengerModelId == null ? null : new ChampionChallenger.Challenged(challengerModelId, challenger);
    }
  }

  /**
   * Builds the summary.
   *
   * @param rows this run's score rows (as written, or {@link Rows#read} from its table)
   * @param exposureBySupplier EAD per supplier, or null to weight every supplier by 1
   * @param bundle the model (grade order, features for CSI)
   * @param features this run's feature table and its id column, or null
   * @param baselineScores the baseline run's score table, or null
   * @param baselineFeatures the baseline run's feature table and its id column, or null
   * @param baselineModelSha256 the SHA-256 of the model the baseline run scored with, as its
   *     manifest records it, or null when not known: {@code stability.baseline.same_model} then
   *     compares the bundles' content too, so that a bundle retrained or edited under the same id
   *     and version is not taken for the same model
   */
  public static Map<String, Object> build(Rows rows, Map<String, Double> exposureBySupplier, ModelBundle bundle,
      FeatureRows.Table features, Path baselineScores, FeatureRows.Table baselineFeatures, String baselineModelSha256)
      throws IOException {
    LinkedHashMap<String, Scored> current = rows.champion;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("suppliers", current.size());
    List<String> gradeNames = new ArrayList<>();
    for (var g : bundle.masterScale().grades()) {
      gradeNames.add(g.name());
    }
    Map<String, long[]> countByGrade = new LinkedHashMap<>();
    Map<String, Double> exposureByGrade = new LinkedHashMap<>();
    for (String g : gradeNames) {
      countByGrade.put(g, new long[1]);
      exposureByGrade.put(g, 0.0);
    }
    double pdSum = 0;
    double weightedPd = 0;
    double totalExposure = 0;
    TreeMap<Integer, Long> bands = new TreeMap<>();
    for (Map.Entry<String, Scored> e : current.entrySet()) {
      Scored s = e.getValue();
      double ead = exposureBySupplier == null ? 1 : exposureBySupplier.getOrDefault(e.getKey(), 0.0);
      countByGrade.computeIfAbsent(s.grade(), k -> new long[1])[0]++;
      exposureByGrade.merge(s.grade(), ead, Double::sum);
      pdSum += s.pd();
      weightedPd += ead * s.pd();
      totalExposure += ead;
      bands.merge((int) Math.floor(s.score() / BAND) * BAND, 1L, Long::sum);
    }
    List<Map<String, Object>> byGrade = new ArrayList<>();
    for (Map.Entry<String, long[]> e : countByGrade.entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("grade", e.getKey());
      row.put("suppliers", e.getValue()[0]);
      if (exposureBySupplier != null) {
        // only with exposures: without them the weight of each supplier is 1, and the sum a count
        row.put("exposure", exposureByGrade.get(e.getKey()));
      }
      byGrade.add(row);
    }
    summary.put("by_grade", byGrade);
    // null rather than NaN for a figure that has no value: no supplier scored, no exposure given
    // (weighted by 1 each, the exposure-weighted PD would only repeat the mean PD), or none in the figures
    summary.put("mean_pd", current.isEmpty() ? null : pdSum / current.size());
    summary.put("exposure", exposureBySupplier == null ? null : totalExposure);
    summary.put("exposure_weighted_pd", exposureBySupplier != null && totalExposure > 0 ? weightedPd / totalExposure
        : null);
    if (exposureBySupplier != null) {
      // what the figures leave out, said rather than dropped: exposures of suppliers not scored
      // (not in the table, or quarantined), and scored suppliers without an exposure (weight 0)
      long unscored = 0;
      double unscoredExposure = 0;
      for (Map.Entry<String, Double> e : new TreeMap<>(exposureBySupplier).entrySet()) {
        if (!current.containsKey(e.getKey())) {
          unscored++;
          unscoredExposure += e.getValue();
        }
      }
      long unexposed = current.keySet().stream().filter(id -> !exposureBySupplier.containsKey(id)).count();
      Map<String, Object> left = new LinkedHashMap<>();
      left.put("suppliers", unscored);
      left.put("exposure", unscoredExposure);
      summary.put("exposure_without_score", left);
      summary.put("suppliers_without_exposure", unexposed);
    }
    List<Map<String, Object>> distribution = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : bands.entrySet()) {
      distribution.add(Map.of("from", e.getKey(), "to", e.getKey() + BAND, "suppliers", e.getValue()));
    }
    summary.put("score_distribution", distribution);
    if (baselineScores != null) {
      Rows baselineRows = Rows.read(baselineScores);
      Map<String, Scored> baseline = baselineRows.champion;
      // which run was compared, said (until 2026-12-07 a baseline of another model, or dated on or
      // after this run's as-of date, was compared in silence: its PSI looked like a night's drift)
      Map<String, Object> of = new LinkedHashMap<>();
      of.put("as_of_date", baselineRows.firstModel == null ? null : LocalDate.ofEpochDay(baselineRows.firstAsOfDay).toString());
      of.put("model", baselineRows.firstModel);
      boolean knownSha = baselineModelSha256 != null && !baselineModelSha256.isEmpty();
      of.put("model_sha256", knownSha ? baselineModelSha256 : null);
      // by content where the baseline's manifest names the bundle (a model retrained or edited
      // under the same id and version is another model), else by the id and version in its rows
      of.put("same_model", baselineRows.firstModel == null ? null
          : baselineRows.firstModel.equals(bundle.modelId() + " " + bundle.modelVersion())
              && (!knownSha || baselineModelSha256.equals(bundle.sha256())));
      of.put("before_this_run", baselineRows.firstModel == null || rows.firstModel == null ? null
          : baselineRows.firstAsOfDay < rows.firstAsOfDay);
      if (current.isEmpty() || baseline.isEmpty()) {
        // no distribution to compare (every row quarantined, here or in the baseline run): no PSI,
        // CSI or migration, said, as monitor says it (until 2026-12-07 the PSI stopped the run after
        // scoring, "stability index: expected counts are all zero", exit 2, partial files left)
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("not_computed", current.isEmpty() ? "this run scored no supplier" : "the baseline run scored no supplier");
        none.put("baseline", of);
        summary.put("stability", none);
      } else {
        Map<String, Object> stability = new LinkedHashMap<>();
        stability.put("baseline", of);
        stability.putAll(stability(current, baseline, gradeNames, bundle, features, baselineFeatures));
        summary.put("stability", stability);
      }
    }
    ChampionChallenger.Challenged challenger = rows.challenged();
    if (challenger != null) {
      summary.put("challenger", ChampionChallenger.compare(current, challenger, null));
    }
    return summary;
  }

  static Map<String, Object> stability(Map<String, Scored> current, Map<String, Scored> baseline,
      List<String> grades, ModelBundle bundle, FeatureRows.Table features, FeatureRows.Table baselineFeatures)
      throws IOException {
    boolean both = features != null && baselineFeatures != null;
    // the CSI of the suppliers each run scored, as monitor's: a row a run quarantined is not read
    return stabilityOfRows(current, baseline, grades, bundle,
        both ? FeatureRows.readScored(features, bundle, current.keySet()) : null,
        both ? FeatureRows.readScored(baselineFeatures, bundle, baseline.keySet()) : null);
  }

  /**
   * The stability of {@code current} against {@code baseline}, with the CSI of every feature when
   * both feature row maps (by supplier id, {@link FeatureRows#read}) are given.
   */
  static Map<String, Object> stabilityOfRows(Map<String, Scored> current, Map<String, Scored> baseline,
      List<String> grades, ModelBundle bundle, Map<String, double[]> features, Map<String, double[]> baselineFeatures) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Integer> gradeIndex = new HashMap<>();
    for (int g = 0; g < grades.size(); g++) {
      gradeIndex.put(grades.get(g), g);
    }
    long[] expected = new long[grades.size()];
    long[] actual = new long[grades.size()];
    baseline.values().forEach(s -> expected[gradeIndex.getOrDefault(s.grade(), grades.size() - 1)]++);
    current.values().forEach(s -> actual[gradeIndex.getOrDefault(s.grade(), grades.size() - 1)]++);
    out.put("psi_grades", Stability.psiFromCounts(expected, actual));
    // Score bands of the baseline's deciles.
    double[] base = baseline.values().stream().mapToDouble(Scored::score).sorted().toArray();
    double[] edges = new double[9];
    for (int k = 1; k < 10; k++) {
      edges[k - 1] = base[Math.min(base.length - 1, (int) ((long) k * base.length / 10))];
    }
    out.put("psi_score_deciles", Stability.psiFromCounts(bandCounts(baseline, edges), bandCounts(current, edges)));
    long[][] migration = new long[grades.size()][grades.size()];
    List<Map<String, Object>> moves = new ArrayList<>();
    for (Map.Entry<String, Scored> e : current.entrySet()) {
      Scored before = baseline.get(e.getKey());
      if (before == null) {
        continue;
      }
      migration[gradeIndex.getOrDefault(before.grade(), grades.size() - 1)][gradeIndex.getOrDefault(e.getValue().grade(), grades.size() - 1)]++;
      Map<String, Object> move = new LinkedHashMap<>();
      move.put("supplier_id", e.getKey());
      move.put("score_before", before.score());
      move.put("score_after", e.getValue().score());
      move.put("change", e.getValue().score() - before.score());
      move.put("grade_before", before.grade());
      move.put("grade_after", e.getValue().grade());
      moves.add(move);
    }
    moves.sort((a, b) -> {
      int c = Double.compare(Math.abs((Double) b.get("change")), Math.abs((Double) a.get("change")));
      return c != 0 ? c : ((String) a.get("supplier_id")).compareTo((String) b.get("supplier_id"));
    });
    out.put("suppliers_in_both", moves.size());
    out.put("new_suppliers", current.keySet().stream().filter(k -> !baseline.containsKey(k)).count());
    out.put("dropped_suppliers", baseline.keySet().stream().filter(k -> !current.containsKey(k)).count());
    Map<String, Object> matrix = new LinkedHashMap<>();
    matrix.put("grades", grades);
    matrix.put("counts", migration);
    out.put("grade_migration", matrix);
    out.put("largest_moves", moves.subList(0, Math.min(10, moves.size())));
    if (features != null && baselineFeatures != null) {
      out.put("csi", csi(bundle, baselineFeatures, features));
    }
    return out;
  }

  private static long[] bandCounts(Map<String, Scored> scores, double[] edges) {
    long[] counts = new long[edges.length + 1];
    for (Scored s : scores.values()) {
      int k = 0;
      while (k < edges.length && s.score() >= edges[k]) {
        k++;
      }
      counts[k]++;
    }
    return counts;
  }

  /**
   * CSI of every feature of the bundle's schema, in schema order: over the baseline's deciles
   * (numeric, plus a missing bin) or the categories (plus a missing bin).
   */
  static Map<String, Double> csi(ModelBundle bundle, Map<String, double[]> baseline, Map<String, double[]> current) {
    FeatureSchema schema = bundle.schema();
    Map<String, Double> out = new LinkedHashMap<>();
    for (int j = 0; j < schema.size(); j++) {
      FeatureSpec f = schema.feature(j);
      final int column = j;
      double[] b = baseline.values().stream().mapToDouble(r -> r[column]).toArray();
      double[] c = current.values().stream().mapToDouble(r -> r[column]).toArray();
      long[] expected;
      long[] actual;
      if (f.type() == FeatureType.CATEGORICAL) {
        expected = new long[f.categories().size() + 1];
        actual = new long[f.categories().size() + 1];
        for (double v : b) {
          expected[Double.isNaN(v) ? expected.length - 1 : (int) v]++;
        }
        for (double v : c) {
          actual[Double.isNaN(v) ? actual.length - 1 : (int) v]++;
        }
      } else {
        double[] sorted = Arrays.stream(b).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double[] edges = new double[sorted.length == 0 ? 0 : 9];
        for (int k = 1; k <= edges.length; k++) {
          edges[k - 1] = sorted[Math.min(sorted.length - 1, (int) ((long) k * sorted.length / 10))];
        }
        expected = numericCounts(b, edges);
        actual = numericCounts(c, edges);
      }
      out.put(f.name(), Stability.csiFromCounts(expected, actual));
    }
    return out;
  }

  private static long[] numericCounts(double[] values, double[] edges) {
    long[] counts = new long[edges.length + 2];
    for (double v : values) {
      if (Double.isNaN(v)) {
        counts[counts.length - 1]++;
        continue;
      }
      int k = 0;
      while (k < edges.length && v >= edges[k]) {
        k++;
      }
      counts[k]++;
    }
    return counts;
  }

  /** Writes the summary as indented JSON. */
  public static void write(Map<String, Object> summary, Path file) throws IOException {
    // ResultJson sorts map keys, so the Map.of band entries and every other map come out in the
    // same order in every JVM.
    ResultJson.write(summary, file);
  }

  /** A few lines for the terminal. */
  @SuppressWarnings("unchecked")
  public static String text(Map<String, Object> s) {
    StringBuilder b = new StringBuilder();
    boolean exposure = s.get("exposure") != null;
    b.append(s.get("mean_pd") == null ? "Mean PD n/a (no supplier scored)"
        : String.format(Locale.ROOT, "Mean PD %.2f%%", 100 * (Double) s.get("mean_pd")));
    if (exposure) {
      b.append(s.get("exposure_weighted_pd") == null ? ", exposure-weighted PD n/a (no exposure among the scored)"
          : String.format(Locale.ROOT, ", exposure-weighted PD %.2f%%", 100 * (Double) s.get("exposure_weighted_pd")));
    }
    b.append('\n');
    if (exposure) {
      @SuppressWarnings("unchecked")
      Map<String, Object> left = (Map<String, Object>) s.get("exposure_without_score");
      long unscored = ((Number) left.get("suppliers")).longValue();
      long unexposed = ((Number) s.get("suppliers_without_exposure")).longValue();
      if (unscored > 0) {
        b.append(String.format(Locale.ROOT, "Not in the figures: the exposure of %,d supplier%s without a score (%,.0f)%n",
            unscored, unscored == 1 ? "" : "s", ((Number) left.get("exposure")).doubleValue()));
      }
      if (unexposed > 0) {
        b.append(String.format(Locale.ROOT, "Weighted 0: %,d scored supplier%s without an exposure%n", unexposed,
            unexposed == 1 ? "" : "s"));
      }
    }
    b.append(exposure ? "grade  suppliers        exposure\n" : "grade  suppliers\n");
    for (Map<String, Object> g : (List<Map<String, Object>>) s.get("by_grade")) {
      b.append(exposure
          ? String.format(Locale.ROOT, "%-6s %,9d %,15.0f%n", g.get("grade"), (Long) g.get("suppliers"), (Double) g.get("exposure"))
          : String.format(Locale.ROOT, "%-6s %,9d%n", g.get("grade"), (Long) g.get("suppliers")));
    }
    Object st = s.get("stability");
    if (st instanceof Map<?, ?> m && m.get("baseline") instanceof Map<?, ?> of) {
      if (Boolean.FALSE.equals(of.get("same_model"))) {
        b.append("The baseline was scored by " + of.get("model") + (of.get("model_sha256") == null ? ""
            : " (sha256 " + String.valueOf(of.get("model_sha256")).substring(0, 12) + "...)")
            + ", not by this run's model: its PSI, CSI and migration include the two models' difference\n");
      }
      if (Boolean.FALSE.equals(of.get("before_this_run"))) {
        b.append("The baseline is dated " + of.get("as_of_date") + ", not before this run's as-of date: it is not"
            + " a previous run\n");
      }
    }
    if (st instanceof Map<?, ?> m && m.containsKey("not_computed")) {
      b.append("Against the baseline: no PSI, CSI or migration: " + m.get("not_computed") + "\n");
    } else if (st instanceof Map<?, ?> m) {
      // the suppliers the baseline scored and this run did not are said here too: a supplier lost
      // upstream (its row refused by features) showed only in the summary file until 2026-12-07
      b.append(String.format(Locale.ROOT, "Against the baseline: PSI %.4f (grades), %.4f (score deciles); %,d suppliers"
              + " in both, %,d new, %,d dropped%n", (Double) m.get("psi_grades"), (Double) m.get("psi_score_deciles"),
          ((Number) m.get("suppliers_in_both")).longValue(), ((Number) m.get("new_suppliers")).longValue(),
          ((Number) m.get("dropped_suppliers")).longValue()));
    }
    Object ch = s.get("challenger");
    if (ch instanceof Map<?, ?> c) {
      b.append(String.format(Locale.ROOT, "Challenger %s on %,d suppliers (%,d refused by it): mean PD %.2f%% against"
              + " %.2f%%, same grade for %.1f%%, PD rank correlation %.4f%n", c.get("challenger_model_id"),
          (Integer) c.get("suppliers_scored_by_both"), (Integer) c.get("refused_by_challenger"),
          100 * (Double) c.get("mean_pd_challenger"), 100 * (Double) c.get("mean_pd_champion"),
          100 * (Double) c.get("same_grade_share"), (Double) c.get("pd_rank_correlation")));
    }
    return b.toString();
  }
}
