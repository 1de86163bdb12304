package io.chainscore.develop.pipeline;

import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.validation.Calibration;
import io.chainscore.validation.Discrimination;
import io.chainscore.validation.HosmerLemeshow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reproducible pipeline of the bundled default models: the scorecard {@code
 * smb-supply-chain-scorecard} here, then the gradient-boosted {@code smb-supply-chain-gbdt} on the
 * same samples ({@link DefaultGbdtModel}). For the scorecard:
 * simulate a training portfolio and a later out-of-time portfolio (fixed seeds), compute the
 * standard features, train the scorecard, validate it out of time against the simulator's true
 * PD and a plain logistic regression on raw features, and write the bundle and its model card.
 *
 * <p>Run: {@code model-dev/train-default-models.sh} (or this class's {@code main} with the
 * repository root as the argument). Same seeds, same bundle, byte for byte.
 */
public final class TrainDefaultModels {
  public static final String MODEL_ID = "smb-supply-chain-scorecard";
  public static final String MODEL_VERSION = "1.2.0";
  /** Where the bundle is shipped, relative to the repository root. */
  public static final String BUNDLE_PATH = "models/src/main/resources/io/chainscore/models/" + MODEL_ID + ".json";

  /**
   * Three yearly cohorts, each its own draw of the macro, sector and anchor factors, so the model
   * learns supplier behaviour rather than one year's luck of a sector.
   */
  static final List<SimulationConfig> TRAIN = List.of(
      SimulationConfig.builder().suppliers(15_000).seed(20220630L).asOf(LocalDate.of(2022, 6, 30)).build(),
      SimulationConfig.builder().suppliers(15_000).seed(20230630L).asOf(LocalDate.of(2023, 6, 30)).build(),
      SimulationConfig.builder().suppliers(15_000).seed(20240630L).asOf(LocalDate.of(2024, 6, 30)).build());
  static final SimulationConfig OUT_OF_TIME = SimulationConfig.builder()
      .suppliers(20_000).seed(20250630L).asOf(LocalDate.of(2025, 6, 30)).build();

  private TrainDefaultModels() {}

  /** Plain-language adverse-action texts for the characteristics a scorecard may select. */
  static final Map<String, String> REASON_TEXTS = Map.ofEntries(
      Map.entry("on_time_delivery_rate_12m", "Deliveries to buyers were often late"),
      Map.entry("dilution_rate_12m", "High returns and credit notes against invoices"),
      Map.entry("disputed_share_12m", "Many invoices disputed by buyers"),
      Map.entry("max_days_past_due_12m", "Financing repaid late in the last 12 months"),
      Map.entry("avg_days_past_due_12m", "Financing repaid late on average"),
      Map.entry("instalments_30dpd_count_24m", "Instalments 30+ days past due in the last 24 months"),
      Map.entry("growth_3m_yoy", "Orders fell against the same months a year before"),
      Map.entry("growth_6m_vs_prior_6m", "Orders fell against the previous six months"),
      Map.entry("monthly_amount_cv_12m", "Volatile monthly order volume"),
      Map.entry("max_month_drop_12m", "A sharp monthly drop in orders"),
      Map.entry("months_without_invoices_12m", "Months without any invoice"),
      Map.entry("tenure_months_anchor", "Short trading relationship with the anchor"),
      Map.entry("tenure_months_any", "Short trading history"),
      Map.entry("firm_age_years", "Young firm"),
      Map.entry("declared_turnover", "Small declared turnover"),
      Map.entry("sector", "Sector risk"),
      Map.entry("days_sales_outstanding", "Receivables outstanding for long"),
      Map.entry("top_buyer_share_12m", "Sales concentrated on one buyer"));

  /** The options of the default scorecard. */
  static ScorecardTrainer.Options options() {
    return ScorecardTrainer.Options.builder().modelId(MODEL_ID).modelVersion(MODEL_VERSION)
        .description("Default supplier scorecard on trading-record features, trained on simulated supply-chain portfolios.")
        .scaling(new PointsScale(20, 600, 50)).minIv(0.02).maxCorrelation(0.7).maxCharacteristics(15)
        .minBinShare(0.03).maxBins(10).trainedAt("2025-07-01T00:00:00Z").trainer("chainscore-models 0.1.0")
        .reasonTexts(REASON_TEXTS).build();
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    int threads = Runtime.getRuntime().availableProcessors();
    long start = System.nanoTime();
    SimulatedSample train = SimulatedSample.pooled(TRAIN, threads);
    SimulatedSample test = SimulatedSample.of(OUT_OF_TIME, threads);
    System.out.printf(Locale.ROOT, "samples: train %,d (%.2f%% defaults), out-of-time %,d (%.2f%%) in %.1f s%n",
        train.size(), 100 * train.defaultRate(), test.size(), 100 * test.defaultRate(), (System.nanoTime() - start) / 1e9);
    ScorecardTrainer.Result result = new ScorecardTrainer(options())
        .train(StandardFeatures.SCHEMA, train.rows(), train.labels(), cohortIds(TRAIN));
    Path bundlePath = root.resolve(BUNDLE_PATH);
    Files.createDirectories(bundlePath.getParent());
    result.bundle().write(bundlePath);
    Evaluation scorecardTrain = evaluate(result.bundle().scorer(), train);
    Evaluation scorecardTest = evaluate(result.bundle().scorer(), test);
    double truePdAucTest = Discrimination.auc(test.truePd(), test.labels());
    double truePdAucTrain = Discrimination.auc(train.truePd(), train.labels());
    double rawLogisticAuc = rawLogisticAuc(train, test);
    String card = modelCard(result, train, test, scorecardTrain, scorecardTest, truePdAucTrain, truePdAucTest, rawLogisticAuc);
    Path cardPath = root.resolve("models").resolve(MODEL_ID).resolve("MODEL_CARD.md");
    Files.createDirectories(cardPath.getParent());
    Files.writeString(cardPath, card);
    System.out.printf(Locale.ROOT, "scorecard AUC train %.4f, out-of-time %.4f; true PD %.4f; raw logistic %.4f%n",
        scorecardTrain.auc, scorecardTest.auc, truePdAucTest, rawLogisticAuc);
    System.out.println("wrote " + bundlePath + " and " + cardPath);
    DefaultGbdtModel.trainAndWrite(root, train, test, new DefaultGbdtModel.Comparison(scorecardTest.auc,
        rawLogisticAuc, truePdAucTrain, truePdAucTest));
  }

  /**
   * The cohort (index into {@code configs}) of every row of {@link SimulatedSample#pooled}: the
   * trainer holds out one yearly cohort at a time when it selects characteristics.
   */
  static int[] cohortIds(List<SimulationConfig> configs) {
    int n = 0;
    for (SimulationConfig c : configs) {
      n += c.suppliers();
    }
    int[] ids = new int[n];
    int at = 0;
    for (int k = 0; k < configs.size(); k++) {
      Arrays.fill(ids, at, at + configs.get(k).suppliers(), k);
      at += configs.get(k).suppliers();
    }
    return ids;
  }

  /** Discrimination and calibration of a scorer on a sample. */
  record Evaluation(double auc, double ks, double brier, HosmerLemeshow hl, double meanPd, double[] pd) {}

  static Evaluation evaluate(Scorer scorer, SimulatedSample sample) {
    int n = sample.size();
    int p = StandardFeatures.SCHEMA.size();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    scorer.scoreBatch(sample.rows(), n, p, points, pd, grade, null);
    double mean = Arrays.stream(pd).average().orElse(Double.NaN);
    return new Evaluation(Discrimination.auc(pd, sample.labels()), Discrimination.ks(pd, sample.labels()),
        Calibration.brier(pd, sample.labels()), Calibration.hosmerLemeshow(pd, sample.labels(), 10), mean, pd);
  }

  /** AUC out of time of a logistic regression on the raw numeric features (median-imputed, standardised). */
  static double rawLogisticAuc(SimulatedSample train, SimulatedSample test) {
    FeatureSchema schema = StandardFeatures.SCHEMA;
    int p = schema.size();
    List<Integer> columns = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      if (schema.feature(j).type() == FeatureType.NUMERIC) {
        columns.add(j);
      }
    }
    int k = columns.size();
    double[] median = new double[k];
    double[] mean = new double[k];
    double[] sd = new double[k];
    for (int c = 0; c < k; c++) {
      int j = columns.get(c);
      double[] values = new double[train.size()];
      int m = 0;
      for (int i = 0; i < train.size(); i++) {
        double v = train.rows()[i * p + j];
        if (!Double.isNaN(v)) {
          values[m++] = v;
        }
      }
      double[] sorted = Arrays.copyOf(values, m);
      Arrays.sort(sorted);
      median[c] = m == 0 ? 0 : sorted[m / 2];
    }
    double[][] x = matrix(train, columns, median);
    for (int c = 0; c < k; c++) {
      double s = 0;
      double s2 = 0;
      for (double[] row : x) {
        s += row[c];
        s2 += row[c] * row[c];
      }
      mean[c] = s / x.length;
      sd[c] = Math.sqrt(Math.max(1e-12, s2 / x.length - mean[c] * mean[c]));
    }
    standardise(x, mean, sd);
    List<Integer> usable = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (sd[c] > 1e-9) {
        usable.add(c);
      }
    }
    String[] names = new String[usable.size()];
    double[][] xu = new double[x.length][usable.size()];
    for (int u = 0; u < usable.size(); u++) {
      names[u] = schema.feature(columns.get(usable.get(u))).name();
      for (int i = 0; i < x.length; i++) {
        xu[i][u] = x[i][usable.get(u)];
      }
    }
    LogisticFit fit = LogisticRegression.ridge(1.0).fit(names, xu, train.labels());
    double[][] xt = matrix(test, columns, median);
    standardise(xt, mean, sd);
    double[] margin = new double[xt.length];
    for (int i = 0; i < xt.length; i++) {
      double[] row = new double[usable.size()];
      for (int u = 0; u < usable.size(); u++) {
        row[u] = xt[i][usable.get(u)];
      }
      margin[i] = fit.margin(row);
    }
    return Discrimination.auc(margin, test.labels());
  }

  private static double[][] matrix(SimulatedSample s, List<Integer> columns, double[] median) {
    int p = StandardFeatures.SCHEMA.size();
    double[][] x = new double[s.size()][columns.size()];
    for (int i = 0; i < s.size(); i++) {
      for (int c = 0; c < columns.size(); c++) {
        double v = s.rows()[i * p + columns.get(c)];
        x[i][c] = Double.isNaN(v) ? median[c] : v;
      }
    }
    return x;
  }

  private static void standardise(double[][] x, double[] mean, double[] sd) {
    for (double[] row : x) {
      for (int c = 0; c < row.length; c++) {
        row[c] = (row[c] - mean[c]) / sd[c];
      }
    }
  }

  private static String modelCard(ScorecardTrainer.Result result, SimulatedSample train, SimulatedSample test,
      Evaluation onTrain, Evaluation onTest, double truePdAucTrain, double truePdAucTest, double rawLogisticAuc) {
    StringBuilder b = new StringBuilder();
    ModelBundle bundle = result.bundle();
    b.append("# Model card: ").append(MODEL_ID).append(' ').append(MODEL_VERSION).append("\n\n");
    b.append("Generated by `model-dev/train-default-models.sh` (class `io.chainscore.develop.pipeline.TrainDefaultModels`);\n");
    b.append("do not edit by hand. Bundle: `").append(BUNDLE_PATH).append("`, SHA-256 `").append(bundle.sha256()).append("`.\n\n");
    b.append("## Data\n\n");
    b.append(String.format(Locale.ROOT,
        "- Training: %d yearly cohorts of simulated portfolios (seeds and as-of dates: %s), %,d suppliers in all, %.2f%% defaults in the 12 months after each as-of date.%n",
        TRAIN.size(), TRAIN.stream().map(c -> c.seed() + " @ " + c.asOf()).toList(), train.size(), 100 * train.defaultRate()));
    b.append(String.format(Locale.ROOT,
        "- Out-of-time test: seed %d, %,d suppliers, as-of %s (a year later, new systematic factors), %.2f%% defaults.%n",
        test.config().seed(), test.size(), test.config().asOf(), 100 * test.defaultRate()));
    b.append("- Features: the standard point-in-time features (`docs/features.md`); simulator: `docs/simulator.md`.\n\n");
    b.append("## Method\n\n");
    b.append("Optimal monotonic binning of every feature (CART pre-bins, exact IV-maximising merge, at least 3% of\n");
    b.append("the sample per bin, at most 10 bins). Candidates: IV >= 0.02, WoE correlation <= 0.7 with a stronger\n");
    b.append("one. Selection by cohort-out forward selection: each training cohort is held out in turn, every\n");
    b.append("candidate is binned and fitted on the other two, and a characteristic enters while it lowers the\n");
    b.append("summed held-out deviance by at least 2 with a positive coefficient in every fold (at most 15).\n");
    b.append("Then logistic regression on WoE of all training rows (wrong-signed or insignificant terms dropped),\n");
    b.append("scaling PDO 20, 600 points at 50:1 good:bad odds, points rounded preserving rank. No recalibration:\n");
    b.append("PD comes from the points through the score scale.\n\n");
    b.append("## Characteristics\n\n| characteristic | IV | coefficient | p-value | reason code |\n|---|---|---|---|---|\n");
    for (ScorecardTrainer.Characteristic c : result.characteristics()) {
      b.append(String.format(Locale.ROOT, "| `%s` | %.4f | %.4f | %.2e | %s |%n", c.feature(), c.binning().iv(),
          c.coefficient(), c.pValue(), c.reasonCode()));
    }
    b.append("\n## Binning tables and points\n\n");
    for (ScorecardTrainer.Characteristic c : result.characteristics()) {
      b.append("### `").append(c.feature()).append("`\n\n| bin | count | defaults | default rate | WoE | points |\n|---|---|---|---|---|---|\n");
      List<BinningTable.Bin> bins = c.binning().bins();
      for (int i = 0; i < bins.size(); i++) {
        BinningTable.Bin bin = bins.get(i);
        if (bin.count() == 0 && bin.kind() != BinningTable.BinKind.MISSING) {
          continue;
        }
        b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f%% | %.4f | %d |%n", bin.label(), bin.count(),
            bin.events(), bin.count() == 0 ? 0 : 100 * bin.eventRate(), bin.count() == 0 ? 0 : bin.woe(), c.points()[i]));
      }
      b.append('\n');
    }
    b.append("## Validation\n\n| measure | training | out of time |\n|---|---|---|\n");
    b.append(String.format(Locale.ROOT, "| AUC | %.4f | %.4f |%n", onTrain.auc, onTest.auc));
    b.append(String.format(Locale.ROOT, "| Gini | %.4f | %.4f |%n", 2 * onTrain.auc - 1, 2 * onTest.auc - 1));
    b.append(String.format(Locale.ROOT, "| KS | %.4f | %.4f |%n", onTrain.ks, onTest.ks));
    b.append(String.format(Locale.ROOT, "| Brier | %.5f | %.5f |%n", onTrain.brier, onTest.brier));
    b.append(String.format(Locale.ROOT, "| mean PD vs default rate | %.2f%% vs %.2f%% | %.2f%% vs %.2f%% |%n",
        100 * onTrain.meanPd, 100 * train.defaultRate(), 100 * onTest.meanPd, 100 * test.defaultRate()));
    b.append(String.format(Locale.ROOT, "| Hosmer-Lemeshow (10 groups) | %.1f (p %.3g) | %.1f (p %.3g) |%n",
        onTrain.hl.statistic(), onTrain.hl.pValue(), onTest.hl.statistic(), onTest.hl.pValue()));
    b.append(String.format(Locale.ROOT, "| AUC of the simulator's true PD (the best any model can do) | %.4f | %.4f |%n",
        truePdAucTrain, truePdAucTest));
    b.append(String.format(Locale.ROOT, "| AUC of a plain logistic regression on raw features | | %.4f |%n%n", rawLogisticAuc));
    b.append("## Limitations\n\n");
    b.append("- Trained on simulated data: it shows the method and the runtime, not a real lender's risk. Retrain on\n");
    b.append("  the lender's own history before use.\n");
    b.append("- One portfolio is one draw of the systematic (macro, sector, anchor) factors, so the realised default\n");
    b.append("  rate of a year moves around the long-run PD; calibration out of time reflects that draw.\n");
    b.append("- Why cohort-out selection: selecting by in-sample IV, correlation and p-values (version 1.0.0 of this\n");
    b.append("  card) gave an out-of-time AUC of 0.8036, below the raw logistic regression (0.8183). Binning was not\n");
    b.append("  the cause: every feature's WoE ranks the out-of-time sample as well as its raw value (univariate\n");
    b.append("  AUCs within 0.01), and finer bins (2%, 15 bins) or relaxed selection did not help. The loss came from\n");
    b.append("  characteristics whose WoE does not carry over to a new year, above all `sector`: its WoE reflects the\n");
    b.append("  sector factors drawn in the training years (univariate AUC 0.57-0.60 in each training cohort, 0.49 out\n");
    b.append("  of time), and the fit gave it a coefficient near 1. Holding out whole cohorts during selection\n");
    b.append("  exposes such characteristics without looking at the out-of-time sample.\n");
    b.append("- Calibration out of time: the test year's realised default rate is above the long-run rate the model\n");
    b.append("  learnt, so PDs are low on average there (Hosmer-Lemeshow rejects); a lender would recalibrate the\n");
    b.append("  central tendency to its long-run default rate.\n");
    b.append("- The gradient-boosted companion model `smb-supply-chain-gbdt` (same data, same out-of-time test)\n");
    b.append("  and the quality-bar comparison with it are in `models/smb-supply-chain-gbdt/MODEL_CARD.md`.\n");
    return b.toString();
  }
}
