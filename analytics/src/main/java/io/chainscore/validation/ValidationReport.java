package io.chainscore.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.spi.ResultJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of a model on a labelled sample: discrimination (AUC, Gini, KS), calibration
 * (Brier, Hosmer-Lemeshow, per-grade binomial and Jeffreys tests), stability against a baseline
 * sample (PSI of the grade distribution): the typed {@link ValidationMetrics} written as
 * {@code metrics.json}, and the scored rows the reports module draws {@code report.html} from
 * ({@code io.chainscore.reports.ValidationHtml}). For a scorecard the report also holds a bin
 * table per characteristic computed on the validation sample ({@link #binTables}).
 *
 * <p>Thread safety: immutable once built.
 */
public final class ValidationReport {
  private final ValidationMetrics metrics;
  private final List<CharacteristicBins> binTables;
  private final double[] pd;
  private final double[] points;
  private final int[] labels;
  private final String title;
  /** The compared model's PD of every row (--compare), or null. */
  private final double[] comparedPd;

  private ValidationReport(String title, ValidationMetrics metrics, List<CharacteristicBins> binTables, double[] pd,
      double[] points, int[] labels, double[] comparedPd) {
    this.comparedPd = comparedPd;
    this.title = title;
    this.metrics = metrics;
    this.binTables = binTables;
    this.pd = pd;
    this.points = points;
    this.labels = labels.clone();
  }

  /**
   * How a report tests: the sample the PDs are judged on, the one-factor model's asset correlation,
   * the traffic-light levels and the confidence level of the intervals, and an optional second
   * model to compare with on the same rows.
   *
   * @param inSample whether the PDs were fitted on these rows (Hosmer-Lemeshow with {@code G - 2}
   *     degrees of freedom) or not ({@code G}, back-testing on held-out rows)
   * @param assetCorrelation the asset correlation {@code rho} in [0, 1) of the Vasicek-adjusted
   *     binomial tests and traffic lights ({@value #DEFAULT_ASSET_CORRELATION} by default)
   * @param greenLevel the traffic lights' lower quantile level (0.95 by default)
   * @param redLevel their upper quantile level (0.999 by default)
   * @param confidence the level of the DeLong intervals (0.95 by default)
   * @param other a second model to compare with (DeLong test), or null
   * @param otherRows the same rows in {@code other}'s schema order; null without {@code other}
   */
  public record Options(boolean inSample, double assetCorrelation, double greenLevel, double redLevel,
      double confidence, ModelBundle other, double[] otherRows) {
    /** The default asset correlation: the Basel IRB corporate floor (BCBS 2006, para. 272). */
    public static final double DEFAULT_ASSET_CORRELATION = 0.12;

    /** Checks the levels and the correlation. */
    public Options {
      if (!(assetCorrelation >= 0 && assetCorrelation < 1)) {
        throw new IllegalArgumentException("asset correlation: expected a value in [0, 1), got " + assetCorrelation);
      }
      if (!(greenLevel > 0 && greenLevel < redLevel && redLevel < 1)) {
        throw new IllegalArgumentException("traffic-light levels: expected 0 < green < red < 1, got " + greenLevel
            + " and " + redLevel);
      }
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence: expected a value in (0, 1), got " + confidence);
      }
      if ((other == null) != (otherRows == null)) {
        throw new IllegalArgumentException("a comparison needs both the second model and its rows");
      }
    }

    /** Out of sample, asset correlation 0.12, traffic lights at 0.95 and 0.999, 95% intervals, no comparison. */
    public static Options defaults() {
      return new Options(false, DEFAULT_ASSET_CORRELATION, 0.95, 0.999, 0.95, null, null);
    }

    /** These options for PDs fitted on the validated rows ({@code true}) or fixed beforehand. */
    public Options inSample(boolean value) {
      return new Options(value, assetCorrelation, greenLevel, redLevel, confidence, other, otherRows);
    }

    /** These options with another asset correlation. */
    public Options assetCorrelation(double value) {
      return new Options(inSample, value, greenLevel, redLevel, confidence, other, otherRows);
    }

    /** These options comparing with {@code model}, given the same rows in its schema order. */
    public Options compareWith(ModelBundle model, double[] rows) {
      return new Options(inSample, assetCorrelation, greenLevel, redLevel, confidence, model, rows);
    }
  }

  /**
   * Scores {@code rows} with the bundle and validates against {@code labels} out of sample with
   * the default {@link Options}; {@code baselineRows} (may be null) adds the PSI of the score
   * distribution against a baseline sample.
   */
  public static ValidationReport of(ModelBundle bundle, double[] rows, int[] labels, double[] baselineRows) {
    return of(bundle, rows, labels, baselineRows, Options.defaults());
  }

  /**
   * Scores {@code rows} with the bundle and validates against {@code labels} as {@code options}
   * say; {@code baselineRows} (may be null) adds the PSI of the grade distribution against a
   * baseline sample.
   *
   * @throws IllegalArgumentException when the second model's rows do not match the labels
   */
  public static ValidationReport of(ModelBundle bundle, double[] rows, int[] labels, double[] baselineRows,
      Options options) {
    Scorer scorer = bundle.scorer();
    int n = labels.length;
    int p = bundle.schema().size();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    scorer.scoreBatch(rows, n, p, points, pd, grade, null);
    int gradeCount = bundle.masterScale().grades().size();
    long[] count = new long[gradeCount];
    long[] defaults = new long[gradeCount];
    double[] pdSum = new double[gradeCount];
    for (int i = 0; i < n; i++) {
      if (grade[i] >= 0) {
        count[grade[i]]++;
        defaults[grade[i]] += labels[i];
        pdSum[grade[i]] += pd[i];
      }
    }
    List<ValidationMetrics.GradeTest> tests = new ArrayList<>();
    for (int g = 0; g < gradeCount; g++) {
      if (count[g] == 0) {
        continue;
      }
      double meanPd = pdSum[g] / count[g];
      double clamped = Math.min(1 - 1e-12, Math.max(1e-12, meanPd));
      double vasicek = CorrelatedBinomial.upperTail(count[g], defaults[g], clamped, options.assetCorrelation());
      tests.add(new ValidationMetrics.GradeTest(scorer.gradeName(g), count[g], defaults[g], (double) defaults[g] / count[g], meanPd,
          Calibration.binomialPValue(count[g], defaults[g], clamped), Calibration.jeffreysPValue(count[g], defaults[g], clamped),
          vasicek, light(vasicek, options)));
    }
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    boolean bothClasses = events > 0 && events < n;
    Double auc = bothClasses ? Discrimination.auc(pd, labels) : null;
    ValidationMetrics.ConfidenceInterval aucCi = null;
    ValidationMetrics.ConfidenceInterval giniCi = null;
    if (events >= 2 && n - events >= 2) {
      DeLong.Interval interval = DeLong.interval(pd, labels, options.confidence());
      aucCi = new ValidationMetrics.ConfidenceInterval("delong", interval.confidence(), interval.standardError(),
          interval.lower(), interval.upper(), interval.clipped());
      giniCi = new ValidationMetrics.ConfidenceInterval("delong", interval.confidence(), 2 * interval.standardError(),
          interval.giniLower(), interval.giniUpper(), interval.clipped());
    }
    ValidationMetrics.AucComparison comparison = null;
    double[] comparedPd = null;
    // DeLong's covariance needs two of each class, as the interval above: left out otherwise (until
    // 2026-12-07 a sample with one default stopped validate --compare, exit 2, where validate alone ran)
    if (options.other() != null && events >= 2 && n - events >= 2) {
      comparedPd = comparedPd(labels.length, options);
      comparison = compare(pd, comparedPd, labels, options);
    }
    ValidationMetrics.CalibrationTest large = calibrationInTheLarge(pd, labels, options);
    HosmerLemeshow raw = null;
    if (n >= 20 && bothClasses && Arrays.stream(pd).distinct().limit(3).count() >= 3) {
      try {
        raw = Calibration.hosmerLemeshow(pd, labels, 10, options.inSample());
      } catch (IllegalArgumentException e) {
        // Fewer than 3 PD groups, or a group whose mean PD is 0 or 1: the sample cannot give the test.
        raw = null;
      }
    }
    ValidationMetrics.HosmerLemeshowTest hl = raw == null ? null : new ValidationMetrics.HosmerLemeshowTest(raw.statistic(),
        raw.degreesOfFreedom(), raw.pValue(), raw.groups(), options.inSample() ? "in_sample" : "out_of_sample");
    Double psi = null;
    String psiBins = null;
    if (baselineRows != null) {
      int nb = baselineRows.length / p;
      double[] bp = new double[nb];
      double[] bpd = new double[nb];
      int[] bg = new int[nb];
      scorer.scoreBatch(baselineRows, nb, p, bp, bpd, bg, null);
      long[] expected = new long[gradeCount];
      long[] actual = new long[gradeCount];
      for (int g : bg) {
        if (g >= 0) {
          expected[g]++;
        }
      }
      for (int g : grade) {
        if (g >= 0) {
          actual[g]++;
        }
      }
      psi = Stability.psiFromCounts(expected, actual);
      psiBins = "master-scale grades; empty-bin share " + Stability.EPSILON;
    }
    ValidationMetrics metrics = new ValidationMetrics(bundle.modelId(), bundle.modelVersion(), bundle.sha256(), n,
        null, events, (double) events / n, Arrays.stream(pd).average().orElse(Double.NaN), auc, aucCi,
        auc == null ? null : 2 * auc - 1, giniCi, auc == null ? null : Discrimination.ks(pd, labels),
        Calibration.brier(pd, labels), large, hl, tests, comparison, psi, psiBins,
        bundle.segments().isEmpty() ? null : segments(bundle, rows, labels, baselineRows, options));
    return new ValidationReport(bundle.modelId() + " " + bundle.modelVersion(), metrics,
        binTables(bundle, scorer, rows, labels), pd, points, labels, comparedPd);
  }

  /** Rows times defaults up to which calibration-in-the-large computes the exact independent tail (about 1 s). */
  static final double EXACT_TAIL_WORK = 1e9;

  /**
   * The traffic light of a grade (or the whole sample) at the options' levels, from its default
   * count's Vasicek upper tail at the options' correlation.
   */
  private static String light(double vasicekUpperTail, Options options) {
    return CorrelatedBinomial.trafficLight(vasicekUpperTail, options.greenLevel(), options.redLevel()).name()
        .toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Calibration-in-the-large of the sample; the Vasicek-adjusted test treats the sample as one
   * pool of its mean PD. Null when a PD is 0 or 1 (the logit shift is undefined).
   */
  private static ValidationMetrics.CalibrationTest calibrationInTheLarge(double[] pd, int[] labels, Options options) {
    for (double p : pd) {
      if (!(p > 0 && p < 1)) {
        return null;
      }
    }
    long observed = Arrays.stream(labels).filter(y -> y == 1).count();
    // The exact Poisson-binomial tail costs N x D steps: left out beyond EXACT_TAIL_WORK.
    CalibrationInTheLarge c = CalibrationInTheLarge.of(pd, labels, (double) pd.length * observed <= EXACT_TAIL_WORK);
    double meanPd = c.expected() / c.count();
    double vasicek = CorrelatedBinomial.upperTail(c.count(), c.observed(), meanPd, options.assetCorrelation());
    return new ValidationMetrics.CalibrationTest(c.expected(), c.observed(), c.observedOverExpected(), c.z(),
        c.normalPValue(), Double.isNaN(c.exactPValue()) ? null : c.exactPValue(),
        Double.isInfinite(c.interceptShift()) ? null : c.interceptShift(),
        options.assetCorrelation(), vasicek, light(vasicek, options));
  }

  /** The second model's PD of each of the {@code n} rows. */
  private static double[] comparedPd(int n, Options options) {
    ModelBundle other = options.other();
    int p = other.schema().size();
    if (options.otherRows().length != (long) n * p) {
      throw new IllegalArgumentException("the second model's rows hold " + options.otherRows().length
          + " values, expected " + n + " x " + p);
    }
    double[] otherPoints = new double[n];
    double[] otherPd = new double[n];
    int[] otherGrade = new int[n];
    other.scorer().scoreBatch(options.otherRows(), n, p, otherPoints, otherPd, otherGrade, null);
    return otherPd;
  }

  /** DeLong's test of this model's PDs against the second model's on the same rows. */
  private static ValidationMetrics.AucComparison compare(double[] pd, double[] otherPd, int[] labels, Options options) {
    ModelBundle other = options.other();
    DeLong.Comparison c = DeLong.compare(pd, otherPd, labels, options.confidence());
    double quantile = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1)
        .inverseCumulativeProbability(0.5 + options.confidence() / 2);
    return new ValidationMetrics.AucComparison(other.modelId(), other.modelVersion(), other.sha256(),
        c.first().auc(), c.second().auc(), c.difference(), c.standardError(), c.z(), c.pValue(), options.confidence(),
        c.difference() - quantile * c.standardError(), c.difference() + quantile * c.standardError());
  }

  /** The bin tables of a scorecard's characteristics on the validation sample; empty for other model kinds. */
  public List<CharacteristicBins> binTables() {
    return binTables;
  }

  /**
   * Puts every row in a bin of every characteristic through {@link Scorer#explain}, so the bundle's
   * missing-value and range policies apply exactly as in scoring, and counts events per bin.
   */
  private static List<CharacteristicBins> binTables(ModelBundle bundle, Scorer scorer, double[] rows, int[] labels) {
    if (!(io.chainscore.scoring.spi.ModelView.of(bundle) instanceof io.chainscore.scoring.spi.ScorecardView scorecard)) {
      return List.of();
    }
    List<io.chainscore.scoring.spi.Characteristic> characteristics = scorecard.characteristics();
    int k = characteristics.size();
    List<List<String>> labelsByBin = new ArrayList<>();
    List<Map<String, Integer>> binOfLabel = new ArrayList<>();
    List<double[]> pointsByBin = new ArrayList<>();
    for (io.chainscore.scoring.spi.Characteristic c : characteristics) {
      List<String> binLabels = new ArrayList<>();
      Map<String, Integer> lookup = new HashMap<>();
      double[] binPoints = new double[c.bins().size()];
      for (int b = 0; b < binPoints.length; b++) {
        io.chainscore.scoring.spi.Bin bin = c.bins().get(b);
        binPoints[b] = bin.value();
        if (bin instanceof io.chainscore.scoring.spi.Bin.Range r) {
          // Same text as the runtime's explanation (Binnings.label), which is the lookup key.
          String label = r.label();
          binLabels.add(label);
          lookup.put(label, b);
        } else if (bin instanceof io.chainscore.scoring.spi.Bin.Special sp) {
          List<String> values = new ArrayList<>();
          for (double v : sp.values()) {
            values.add(edge(v));
            lookup.put("= " + edge(v), b);
          }
          binLabels.add("= " + String.join(", ", values));
        } else if (bin instanceof io.chainscore.scoring.spi.Bin.Categories cs) {
          for (String code : cs.categories()) {
            lookup.put(code, b);
          }
          binLabels.add(String.join(", ", cs.categories()));
        } else {
          binLabels.add("missing");
          lookup.put("missing", b);
        }
      }
      labelsByBin.add(binLabels);
      binOfLabel.add(lookup);
      pointsByBin.add(binPoints);
    }
    int n = labels.length;
    int p = bundle.schema().size();
    long[][] count = new long[k][];
    long[][] events = new long[k][];
    for (int c = 0; c < k; c++) {
      count[c] = new long[labelsByBin.get(c).size()];
      events[c] = new long[labelsByBin.get(c).size()];
    }
    double[] row = new double[p];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * p, row, 0, p);
      List<io.chainscore.scoring.Explanation.Item> items = scorer.explain(row).items();
      for (int c = 0; c < k; c++) {
        io.chainscore.scoring.Explanation.Item item = items.get(c);
        Integer b = binOfLabel.get(c).get(item.bin());
        if (b == null || item.points() != pointsByBin.get(c)[b]) {
          throw new IllegalStateException("row " + i + ": characteristic " + item.name() + " fell in bin '" + item.bin()
              + "' with " + item.points() + " points, which the bundle's bin list does not match");
        }
        count[c][b]++;
        events[c][b] += labels[i];
      }
    }
    List<CharacteristicBins> tables = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      int bins = count[c].length;
      double[] e = new double[bins];
      double[] ne = new double[bins];
      boolean adjust = false;
      for (int b = 0; b < bins; b++) {
        e[b] = events[c][b];
        ne[b] = count[c][b] - events[c][b];
        adjust |= count[c][b] > 0 && (e[b] == 0 || ne[b] == 0);
      }
      double totalE = 0;
      double totalNe = 0;
      for (int b = 0; b < bins; b++) {
        if (adjust && count[c][b] > 0) {
          e[b] = e[b] == 0 ? ZERO_COUNT : e[b];
          ne[b] = ne[b] == 0 ? ZERO_COUNT : ne[b];
        }
        totalE += e[b];
        totalNe += ne[b];
      }
      List<CharacteristicBins.Bin> binRows = new ArrayList<>();
      double iv = 0;
      for (int b = 0; b < bins; b++) {
        double woe = 0;
        double ivTerm = 0;
        if (count[c][b] > 0 && totalE > 0 && totalNe > 0) {
          double pe = e[b] / totalE;
          double pn = ne[b] / totalNe;
          woe = Math.log(pe / pn);
          ivTerm = (pe - pn) * woe;
        }
        iv += ivTerm;
        binRows.add(new CharacteristicBins.Bin(labelsByBin.get(c).get(b), count[c][b], n == 0 ? 0 : (double) count[c][b] / n,
            events[c][b], count[c][b] == 0 ? Double.NaN : (double) events[c][b] / count[c][b], woe, ivTerm,
            pointsByBin.get(c)[b]));
      }
      tables.add(new CharacteristicBins(characteristics.get(c).name(), characteristics.get(c).feature(), binRows, iv));
    }
    return List.copyOf(tables);
  }

  /** Replaces a zero count of a non-empty bin, as R scorecard does (docs/binning.md). */
  static final double ZERO_COUNT = 0.99;

  /** Six significant digits, as the runtime prints bin edges in explanations. */
  private static String edge(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /**
   * This report, its figures said to leave out {@code refused} rows of the sample that the model's
   * policies refused ({@link ValidationMetrics#rowsRefused}); everything else the same.
   */
  public ValidationReport withRowsRefused(long refused) {
    return new ValidationReport(title, metrics.withRowsRefused(refused), binTables, pd, points, labels, comparedPd);
  }

  /** The validation figures, as written to {@code metrics.json}. */
  public ValidationMetrics metrics() {
    return metrics;
  }

  /**
   * A segmented bundle's figures per segment: each segment's standalone bundle validated, with the
   * same options, on the rows (and baseline rows, and the compared model's rows) the bundle routes
   * to it. Rows no segment takes count in no segment.
   */
  private static List<ValidationMetrics.Segment> segments(ModelBundle bundle, double[] rows, int[] labels,
      double[] baselineRows, Options options) {
    Scorer scorer = bundle.scorer();
    int p = bundle.schema().size();
    List<ValidationMetrics.Segment> out = new ArrayList<>();
    List<ModelBundle.Segment> segments = bundle.segments();
    for (int s = 0; s < segments.size(); s++) {
      ModelBundle.Segment segment = segments.get(s);
      int[] members = members(scorer, rows, labels.length, p, s);
      if (members.length == 0) {
        out.add(new ValidationMetrics.Segment(segment.name(), segment.rule(), 0, 0, null));
        continue;
      }
      int[] segmentLabels = new int[members.length];
      long defaults = 0;
      for (int k = 0; k < members.length; k++) {
        segmentLabels[k] = labels[members[k]];
        defaults += segmentLabels[k];
      }
      double[] baseline = null;
      if (baselineRows != null) {
        int[] baseMembers = members(scorer, baselineRows, baselineRows.length / p, p, s);
        baseline = baseMembers.length == 0 ? null : gather(baselineRows, baseMembers, p);
      }
      Options segmentOptions = options;
      if (options.other() != null) {
        int q = options.other().schema().size();
        segmentOptions = options.compareWith(options.other(), gather(options.otherRows(), members, q));
      }
      ValidationMetrics m = of(segment.bundle(), gather(rows, members, p), segmentLabels, baseline, segmentOptions)
          .metrics();
      out.add(new ValidationMetrics.Segment(segment.name(), segment.rule(), members.length, defaults, m));
    }
    return out;
  }

  /** The indexes of the rows the scorer routes to segment s. */
  private static int[] members(Scorer scorer, double[] rows, int n, int p, int s) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      count += scorer.segmentOf(rows, i * p) == s ? 1 : 0;
    }
    int[] members = new int[count];
    for (int i = 0, k = 0; i < n; i++) {
      if (scorer.segmentOf(rows, i * p) == s) {
        members[k++] = i;
      }
    }
    return members;
  }

  private static double[] gather(double[] rows, int[] members, int p) {
    double[] out = new double[members.length * p];
    for (int k = 0; k < members.length; k++) {
      System.arraycopy(rows, members[k] * p, out, k * p, p);
    }
    return out;
  }

  /** Writes the metrics ({@code metrics.json}) to {@code file} (its folder created if needed); the HTML report is the reports module's. */
  public void writeMetricsFile(Path file) throws IOException {
    ResultJson.write(metrics, file);
  }

  /** The predicted PD of every validation row, in row order (a copy). */
  public double[] pd() {
    return pd.clone();
  }

  /** The score (points) of every validation row, in row order (a copy). */
  public double[] points() {
    return points.clone();
  }

  /** The 0/1 label of every validation row, in row order (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * The compared model's PD of every validation row, in row order (a copy), the PDs the DeLong
   * comparison tested; null without a comparison.
   */
  public double[] comparedPd() {
    return comparedPd == null ? null : comparedPd.clone();
  }

  /** The report's title: the model's id and version. */
  public String title() {
    return title;
  }
}
