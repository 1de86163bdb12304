package io.chainscore.develop.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.validation.Discrimination;
import io.chainscore.validation.ModelDocument;
import io.chainscore.validation.ValidationMetrics;
import io.chainscore.validation.ValidationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link ModelDocument} of a model on a labelled sample: the model as its bundle
 * describes it, the sample and its cohorts, the model validated on it ({@link ValidationReport}),
 * its weights re-estimated there, the stability from the first cohort to the last, and the
 * limitations those figures imply.
 *
 * <p>Re-estimated weights: the outcome is regressed (maximum-likelihood logistic regression) on
 * every characteristic's log-odds contribution to the row's score, as the model's own explanation
 * gives it (a scorecard's points converted to log-odds; TreeSHAP for trees), on at most {@link
 * #MAX_WEIGHT_ROWS} rows spread evenly over the sample (all rows of a smaller sample), so that every
 * cohort is in it in proportion, whatever order the file is in. A weight near 1 holds on the sample; near 0, the
 * characteristic carries no signal there; a characteristic whose contribution never varies on the
 * sample is left out of the fit and named.
 *
 * <p>Thread safety: stateless.
 */
public final class ModelDocumentation {
  /**
   * Most rows explained for the re-estimated weights and the characteristics' stability
   * (explanations are computed row by row): evenly spaced over a larger sample.
   */
  public static final int MAX_WEIGHT_ROWS = 20_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelDocumentation() {}

  /**
   * The document.
   *
   * @param rows the sample in the bundle's schema order, row-major
   * @param labels 1 = default
   * @param cohorts each row's cohort, or null
   * @param data what the sample is (file, hash, labels file; counts are computed here)
   */
  public static ModelDocument build(ModelBundle bundle, double[] rows, int[] labels, String[] cohorts,
      String dataFile, String dataSha256, String labelsFile, ValidationReport.Options options) {
    int p = bundle.schema().size();
    int n = labels.length;
    if (rows.length != (long) n * p || n == 0) {
      throw new IllegalArgumentException("model documentation: expected " + n + " rows of " + p + " features");
    }
    if (cohorts != null && cohorts.length != n) {
      throw new IllegalArgumentException("model documentation: expected a cohort for each of the " + n + " rows");
    }
    if (!bundle.segments().isEmpty()) {
      return segmented(bundle, rows, labels, cohorts, dataFile, dataSha256, labelsFile, options);
    }
    ValidationReport validation = ValidationReport.of(bundle, rows, labels, null, options);
    double[] pd = validation.pd();
    long defaults = Arrays.stream(labels).filter(y -> y == 1).count();
    ModelDocument.Data data = new ModelDocument.Data(dataFile, dataSha256, labelsFile, n, defaults, defaults / (double) n);

    Scorer scorer = bundle.scorer();
    List<String> names = new ArrayList<>();
    int[] sample = evenSample(n);
    double[][] contributions = null;
    double[] row = new double[p];
    for (int j = 0; j < sample.length; j++) {
      System.arraycopy(rows, sample[j] * p, row, 0, p);
      Explanation e = scorer.explain(row);
      if (contributions == null) {
        for (Explanation.Item item : e.items()) {
          names.add(item.name());
        }
        contributions = new double[names.size()][sample.length];
      }
      for (int k = 0; k < e.items().size(); k++) {
        contributions[k][j] = e.items().get(k).contribution();
      }
    }
    ModelDocument.Model model = model(bundle, names);
    List<String> limitations = new ArrayList<>();
    int[] sampleLabels = labelsOf(labels, sample);
    long sampleDefaults = Arrays.stream(sampleLabels).filter(y -> y == 1).count();
    // A fit needs both classes, as a segment's (until 2026-12-07 a sample without a default stopped
    // document with the fit's "the labels hold a single class", exit 2, where validate wrote its figures)
    ModelDocument.Weights weights = null;
    if (sampleDefaults > 0 && sampleDefaults < sample.length) {
      weights = weights(names, contributions, sampleLabels, sample.length, limitations);
    } else {
      limitations.add(String.format(Locale.ROOT, "The characteristics' weights cannot be re-estimated: the %d rows of"
          + " section 5 hold %d defaults, and a fit needs defaults and non-defaults.", sample.length, sampleDefaults));
    }
    List<ModelDocument.Cohort> cohortList = new ArrayList<>();
    ModelDocument.Stability stability = cohorts == null ? null
        : cohorts(cohorts, n, pd, labels, cohortList, names, contributions, sample);
    limitations(bundle, rows, p, validation.metrics(), weights,
        weights == null ? new java.util.HashSet<>(names) : names(weights), stability, options, limitations);
    return new ModelDocument(model, data, cohortList, weights, stability, limitations, validation);
  }

  /** The characteristics a fit weighed (its terms after the intercept). */
  private static java.util.Set<String> names(ModelDocument.Weights weights) {
    java.util.Set<String> out = new java.util.HashSet<>();
    weights.terms().stream().skip(1).forEach(t -> out.add(t.name()));
    return out;
  }

  /**
   * The document of a segmented bundle: the whole validated as {@code chainscore validate} does
   * (with its per-segment figures), the routing rules, and per segment its model (characteristics,
   * calibration, training record), its standalone bundle validated on the rows routed to it (bin
   * tables with points for a scorecard), its weights re-estimated there and, with cohorts, its own
   * stability from the first cohort to the last (the PSI of its PDs and the CSI of its own
   * characteristics over its rows). The whole's stability is the PD's only: the segments'
   * characteristics differ, so there is no CSI of the whole.
   */
  private static ModelDocument segmented(ModelBundle bundle, double[] rows, int[] labels, String[] cohorts,
      String dataFile, String dataSha256, String labelsFile, ValidationReport.Options options) {
    int p = bundle.schema().size();
    int n = labels.length;
    ValidationReport validation = ValidationReport.of(bundle, rows, labels, null, options);
    double[] pd = validation.pd();
    long defaults = Arrays.stream(labels).filter(y -> y == 1).count();
    ModelDocument.Data data = new ModelDocument.Data(dataFile, dataSha256, labelsFile, n, defaults, defaults / (double) n);
    JsonNode root = json(bundle);
    Scorer scorer = bundle.scorer();
    int[] segmentOf = new int[n];
    for (int i = 0; i < n; i++) {
      segmentOf[i] = scorer.segmentOf(rows, i * p);
    }
    List<String> union = new ArrayList<>();
    List<ModelDocument.Segment> segments = new ArrayList<>();
    List<String> limitations = new ArrayList<>();
    for (int s = 0; s < bundle.segments().size(); s++) {
      ModelBundle.Segment segment = bundle.segments().get(s);
      ModelBundle child = segment.bundle();
      int count = 0;
      for (int i = 0; i < n; i++) {
        count += segmentOf[i] == s ? 1 : 0;
      }
      double[] segmentRows = new double[count * p];
      int[] segmentLabels = new int[count];
      double[] segmentPd = new double[count];
      String[] segmentCohorts = cohorts == null ? null : new String[count];
      for (int i = 0, k = 0; i < n; i++) {
        if (segmentOf[i] == s) {
          System.arraycopy(rows, i * p, segmentRows, k * p, p);
          segmentPd[k] = pd[i];
          if (cohorts != null) {
            segmentCohorts[k] = cohorts[i];
          }
          segmentLabels[k++] = labels[i];
        }
      }
      long segmentDefaults = Arrays.stream(segmentLabels).filter(y -> y == 1).count();
      String prefix = "Segment " + segment.name() + ": ";
      List<String> names = count > 0 ? explained(child, segmentRows) : characteristics(child);
      names.stream().filter(c -> !union.contains(c)).forEach(union::add);
      ModelDocument.Weights weights = null;
      int[] sample = evenSample(count);
      boolean fits = segmentDefaults > 0 && segmentDefaults < count;
      double[][] contributions = fits || (cohorts != null && count > 0)
          ? contributions(child, segmentRows, sample, names.size()) : null;
      // the segment's own stability: its PDs and its own characteristics, first cohort to last among its rows
      ModelDocument.Stability segmentStability = cohorts == null || count == 0 ? null
          : cohorts(segmentCohorts, count, segmentPd, segmentLabels, new ArrayList<>(), names, contributions,
              sample);
      if (segmentStability != null && segmentStability.psiScores() >= 0.1) {
        limitations.add(String.format(Locale.ROOT, "%sits PD distribution moved from cohort %s to %s (PSI %.3f%s).",
            prefix, segmentStability.from(), segmentStability.to(), segmentStability.psiScores(),
            segmentStability.psiScores() >= 0.25 ? ", a major shift" : ""));
      }
      if (fits) {
        List<String> notes = new ArrayList<>();
        try {
          weights = weights(names, contributions, labelsOf(segmentLabels, sample), sample.length, notes);
        } catch (RuntimeException e) {
          notes.add("Its weights could not be re-estimated on its " + count + " rows: " + e.getMessage());
        }
        notes.forEach(note -> limitations.add(prefix + note));
        if (weights != null) {
          List<String> weightNotes = new ArrayList<>();
          weightLimitations("", weights, weightNotes);
          weightNotes.forEach(note -> limitations.add(prefix + note));
        }
      } else {
        limitations.add(String.format(Locale.ROOT, "%s%d rows of the sample with %d defaults: its weights cannot be"
            + " re-estimated%s.", prefix, count, segmentDefaults, count == 0 ? " and it is not validated here" : ""));
      }
      if (count > 0 && segmentDefaults < 100) {
        limitations.add(String.format(Locale.ROOT, "%sonly %d defaults among its %d rows: its figures are uncertain.",
            prefix, segmentDefaults, count));
      }
      ValidationReport segmentValidation = count == 0 ? null
          : ValidationReport.of(child, segmentRows, segmentLabels, null, options);
      JsonNode node = root.path("model").path("segments").path(s);
      JsonNode calibration = node.has("calibration") ? node.get("calibration")
          : root.has("calibration") ? root.get("calibration") : JSON.createObjectNode().put("kind", "none");
      String training = null;
      String trainer = null;
      for (JsonNode t : root.path("provenance").path("segments")) {
        if (segment.name().equals(t.path("name").asText())) {
          com.fasterxml.jackson.databind.node.ObjectNode record = t.deepCopy();
          trainer = record.has("trainer") ? record.remove("trainer").asText() : null;
          training = record.toString();
        }
      }
      segments.add(new ModelDocument.Segment(segment.name(), segment.rule(), child.modelKind(), names,
          calibration.toString(), training, trainer, count, segmentDefaults, weights, segmentValidation,
          segmentStability));
    }
    List<ModelDocument.Cohort> cohortList = new ArrayList<>();
    ModelDocument.Stability stability = cohorts == null ? null
        : cohorts(cohorts, n, pd, labels, cohortList, List.of(), null, new int[0]);
    long unrouted = Arrays.stream(segmentOf).filter(x -> x < 0).count();
    if (unrouted > 0) {
      limitations.add(String.format(Locale.ROOT, "%d rows of the sample miss a routing feature that no rule sends to a"
          + " segment: the model refuses them (NO_SEGMENT).", unrouted));
    }
    limitations(bundle, rows, p, validation.metrics(), null, new java.util.HashSet<>(union), stability, options,
        limitations);
    return new ModelDocument(model(bundle, union), data, cohortList, null, stability, limitations, validation, segments);
  }

  /** What a model scores, as its explanation names it: a scorecard's characteristics, a logistic model's terms, a tree ensemble's features. */
  private static List<String> characteristics(ModelBundle bundle) {
    List<String> names = new ArrayList<>();
    io.chainscore.scoring.spi.ModelView view = io.chainscore.scoring.spi.ModelView.of(bundle);
    if (view instanceof io.chainscore.scoring.spi.ScorecardView s) {
      s.characteristics().forEach(c -> names.add(c.name()));
      return names;
    }
    // other kinds: the items of an explanation of any row (every feature missing is enough to name them)
    double[] row = new double[bundle.schema().size()];
    Arrays.fill(row, Double.NaN);
    try {
      bundle.scorer().explain(row).items().forEach(i -> names.add(i.name()));
    } catch (RuntimeException refused) {
      // a row of missing values is refused: name the features instead
      for (int j = 0; j < bundle.schema().size(); j++) {
        names.add(bundle.schema().feature(j).name());
      }
    }
    return names;
  }

  /** The items of the model's explanation of the first row, by name. */
  private static List<String> explained(ModelBundle bundle, double[] rows) {
    double[] row = Arrays.copyOf(rows, bundle.schema().size());
    List<String> names = new ArrayList<>();
    bundle.scorer().explain(row).items().forEach(i -> names.add(i.name()));
    return names;
  }

  /**
   * Each characteristic's log-odds contribution on the rows {@code sample} lists ({@code
   * contributions[k][j]} for row {@code sample[j]}), by the model's explanation.
   */
  private static double[][] contributions(ModelBundle bundle, double[] rows, int[] sample, int items) {
    int p = bundle.schema().size();
    double[][] contributions = new double[items][sample.length];
    double[] row = new double[p];
    for (int j = 0; j < sample.length; j++) {
      System.arraycopy(rows, sample[j] * p, row, 0, p);
      List<Explanation.Item> e = bundle.scorer().explain(row).items();
      for (int k = 0; k < Math.min(items, e.size()); k++) {
        contributions[k][j] = e.get(k).contribution();
      }
    }
    return contributions;
  }

  /**
   * The rows explained of a sample of {@code n}: all of them up to {@link #MAX_WEIGHT_ROWS}, else
   * that many evenly spaced ({@code floor(j n / MAX_WEIGHT_ROWS)}), ascending.
   */
  static int[] evenSample(int n) {
    int m = Math.min(n, MAX_WEIGHT_ROWS);
    int[] sample = new int[m];
    for (int j = 0; j < m; j++) {
      sample[j] = (int) ((long) j * n / m);
    }
    return sample;
  }

  private static int[] labelsOf(int[] labels, int[] sample) {
    int[] out = new int[sample.length];
    for (int j = 0; j < sample.length; j++) {
      out[j] = labels[sample[j]];
    }
    return out;
  }

  private static JsonNode json(ModelBundle bundle) {
    try {
      return JSON.readTree(bundle.toJson());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalStateException("a loaded bundle's JSON did not parse", e);
    }
  }

  private static ModelDocument.Model model(ModelBundle bundle, List<String> characteristics) {
    JsonNode root;
    try {
      root = JSON.readTree(bundle.toJson());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalStateException("a loaded bundle's JSON did not parse", e);
    }
    List<ModelDocument.Grade> grades = new ArrayList<>();
    for (MasterScale.Grade g : bundle.masterScale().grades()) {
      grades.add(new ModelDocument.Grade(g.name(), g.isDefault() ? Double.NaN : g.pdUpper()));
    }
    List<ModelDocument.ReasonCode> codes = new ArrayList<>();
    bundle.reasonCodes().forEach(r -> codes.add(new ModelDocument.ReasonCode(r.code(), r.text())));
    JsonNode calibration = root.path("provenance").path("pd_calibration");
    JsonNode source = root.path("provenance").path("source_model");
    ModelBundle.Provenance prov = bundle.provenance();
    return new ModelDocument.Model(bundle.modelId(), bundle.modelVersion(), bundle.modelKind(),
        root.path("description").asText(""), bundle.sha256(), bundle.schema().size(), characteristics, grades, codes,
        prov == null ? null : prov.trainedAt(), prov == null ? null : prov.trainer(),
        prov == null ? null : prov.trainingDataSha256(), calibration.isMissingNode() ? null : calibration.toString(),
        source.isMissingNode() ? null : source.path("file").asText(),
        source.isMissingNode() ? null : source.path("sha256").asText());
  }

  private static ModelDocument.Weights weights(List<String> names, double[][] contributions, int[] labels, int n,
      List<String> limitations) {
    List<String> kept = new ArrayList<>();
    List<double[]> columns = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      double[] c = contributions[k];
      double min = Arrays.stream(c).min().orElse(0);
      double max = Arrays.stream(c).max().orElse(0);
      if (max - min > 1e-12) {
        kept.add(names.get(k));
        columns.add(c);
      } else {
        limitations.add("Characteristic " + names.get(k) + " contributes the same to every row of the sample, so its"
            + " weight cannot be re-estimated here.");
      }
    }
    double[][] x = new double[n][kept.size()];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < kept.size(); k++) {
        x[i][k] = columns.get(k)[i];
      }
    }
    int[] y = Arrays.copyOf(labels, n);
    LogisticFit fit = LogisticRegression.maximumLikelihood().fit(kept.toArray(new String[0]), x, y);
    List<ModelDocument.Term> terms = new ArrayList<>();
    for (int k = 0; k < fit.coefficients().length; k++) {
      terms.add(new ModelDocument.Term(fit.names()[k], fit.coefficients()[k], fit.standardErrors()[k],
          fit.zValues()[k], fit.pValues()[k]));
    }
    return new ModelDocument.Weights(terms, fit.converged(), fit.mcFaddenR2());
  }

  /** The cohort of a row whose cohort column is empty: listed by cohort, never the first or last cohort of the stability. */
  public static final String MISSING_COHORT = "(missing)";

  /**
   * Adds each cohort's figures of the first {@code n} rows to {@code out}, in cohort order, and
   * returns the stability from the first cohort to the last ({@link #MISSING_COHORT} aside; null
   * with fewer than two other cohorts);
   * {@code names}, {@code contributions} and {@code sample} (the rows explained, ascending) are the
   * characteristics' part of it ({@code List.of()}, null and an empty sample when the model has no
   * common characteristics).
   */
  private static ModelDocument.Stability cohorts(String[] cohorts, int n, double[] pd, int[] labels,
      List<ModelDocument.Cohort> out, List<String> names, double[][] contributions, int[] sample) {
    Map<String, List<Integer>> byCohort = new TreeMap<>(ModelDocumentation::compareCohorts);
    for (int i = 0; i < n; i++) {
      byCohort.computeIfAbsent(cohorts[i], k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<String, List<Integer>> c : byCohort.entrySet()) {
      out.add(cohort(c.getKey(), c.getValue(), pd, labels));
    }
    // the rows without a cohort are listed, but are neither the first nor the last cohort (until
    // 2026-12-07 a numeric cohort column's empty cells made a cohort "NaN" ordered last, and the
    // stability and its limitation compared the first cohort with them)
    List<String> known = byCohort.keySet().stream().filter(c -> !c.equals(MISSING_COHORT)).toList();
    if (known.size() < 2) {
      return null;
    }
    String first = known.get(0);
    String last = known.get(known.size() - 1);
    return stability(first, byCohort.get(first), last, byCohort.get(last), pd, names, contributions,
        sample);
  }

  /**
   * The order of cohort values wherever cohorts are listed or the first and last are taken (the
   * document's cohort table and stability, {@code train}'s figures by cohort): as numbers when both
   * parse (2019 before 2020.5, 9 before 10), else as text, numbers first.
   */
  public static int compareCohorts(String a, String b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      int c = Double.compare(x, y);
      return c != 0 ? c : a.compareTo(b);
    }
    return x != null ? -1 : y != null ? 1 : a.compareTo(b);
  }

  private static Double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ModelDocument.Cohort cohort(String name, List<Integer> index, double[] pd, int[] labels) {
    double[] p = new double[index.size()];
    int[] y = new int[index.size()];
    long defaults = 0;
    double meanPd = 0;
    for (int k = 0; k < p.length; k++) {
      p[k] = pd[index.get(k)];
      y[k] = labels[index.get(k)];
      defaults += y[k];
      meanPd += p[k] / p.length;
    }
    double auc = defaults > 0 && defaults < p.length ? Discrimination.auc(p, y) : Double.NaN;
    return new ModelDocument.Cohort(name, p.length, defaults, defaults / (double) p.length, meanPd, auc);
  }

  private static ModelDocument.Stability stability(String from, List<Integer> a, String to, List<Integer> b,
      double[] pd, List<String> names, double[][] contributions, int[] sample) {
    double[] base = a.stream().mapToDouble(i -> pd[i]).sorted().toArray();
    double[] edges = new double[9];
    for (int k = 1; k < 10; k++) {
      edges[k - 1] = base[Math.min(base.length - 1, (int) ((long) k * base.length / 10))];
    }
    double psi = io.chainscore.validation.Stability.psiFromCounts(counts(a, i -> pd[i], edges),
        counts(b, i -> pd[i], edges));
    List<String> csiNames = new ArrayList<>();
    List<Double> csi = new ArrayList<>();
    // the cohorts' explained rows, as positions in the sample
    List<Integer> aw = a.stream().map(i -> Arrays.binarySearch(sample, i)).filter(j -> j >= 0).toList();
    List<Integer> bw = b.stream().map(i -> Arrays.binarySearch(sample, i)).filter(j -> j >= 0).toList();
    if (!aw.isEmpty() && !bw.isEmpty()) {
      for (int k = 0; k < names.size(); k++) {
        double[] c = contributions[k];
        // Bins: the distinct contributions when few (a scorecard's bins), else the first cohort's deciles.
        double[] distinct = aw.stream().mapToDouble(i -> c[i]).distinct().sorted().toArray();
        double[] e;
        if (distinct.length <= 20) {
          e = new double[Math.max(0, distinct.length - 1)];
          for (int j = 1; j < distinct.length; j++) {
            e[j - 1] = (distinct[j - 1] + distinct[j]) / 2;
          }
        } else {
          double[] sorted = aw.stream().mapToDouble(i -> c[i]).sorted().toArray();
          e = new double[9];
          for (int j = 1; j < 10; j++) {
            e[j - 1] = sorted[Math.min(sorted.length - 1, (int) ((long) j * sorted.length / 10))];
          }
        }
        csiNames.add(names.get(k));
        csi.add(io.chainscore.validation.Stability.csiFromCounts(counts(aw, i -> c[i], e), counts(bw, i -> c[i], e)));
      }
    }
    return new ModelDocument.Stability(from, to, psi, csiNames, csi);
  }

  private static long[] counts(List<Integer> rows, java.util.function.IntToDoubleFunction value, double[] edges) {
    long[] counts = new long[edges.length + 1];
    for (int i : rows) {
      double v = value.applyAsDouble(i);
      int k = 0;
      while (k < edges.length && v >= edges[k]) {
        k++;
      }
      counts[k]++;
    }
    return counts;
  }

  /**
   * What the re-estimated weights say: characteristics without significant signal or far from their
   * model weight; or, when the fit did not converge (separation: a few defaults that the
   * characteristics set apart), that the weights could not be re-estimated, since its standard
   * errors are infinite and every p-value 1 (until 2026-12-07 each characteristic was then said to
   * carry no significant signal, one of them at a re-estimated weight of -19.7).
   */
  static void weightLimitations(String prefix, ModelDocument.Weights weights, List<String> out) {
    if (!weights.converged()) {
      out.add(prefix + "The characteristics' weights could not be re-estimated on this sample: the logistic fit did"
          + " not converge (the defaults are separated from the other rows, as with very few defaults), so the"
          + " weights, standard errors and p-values of section 5 say nothing about their signal.");
      return;
    }
    for (ModelDocument.Term t : weights.terms()) {
      if (t.name().equals(weights.terms().get(0).name())) {
        continue; // the intercept
      }
      if (t.pValue() > 0.05) {
        out.add(String.format(Locale.ROOT, "%sCharacteristic %s carries no significant signal on this sample"
            + " (re-estimated weight %.2f, p = %.3f).", prefix, t.name(), t.coefficient(), t.pValue()));
      } else if (Math.abs(t.coefficient() - 1) > 2 * t.standardError() && Math.abs(t.coefficient() - 1) > 0.25) {
        out.add(String.format(Locale.ROOT, "%sCharacteristic %s weighs %.2f times its model weight on this sample"
            + " (standard error %.2f).", prefix, t.name(), t.coefficient(), t.standardError()));
      }
    }
  }

  private static void limitations(ModelBundle bundle, double[] rows, int p, ValidationMetrics m,
      ModelDocument.Weights weights, java.util.Set<String> scored, ModelDocument.Stability stability,
      ValidationReport.Options options, List<String> out) {
    if (m.defaults() < 100) {
      out.add(String.format(Locale.ROOT, "Only %d defaults in the sample: the performance and calibration figures are"
          + " uncertain%s.", m.defaults(), m.aucCi() == null ? ""
              : String.format(Locale.ROOT, " (AUC 95%% interval %.3f to %.3f)", m.aucCi().lower(), m.aucCi().upper())));
    }
    if (options.inSample()) {
      out.add("The sample is the one the model was fitted on: its figures are optimistic; document it on held-out or"
          + " out-of-time rows (train --holdout-out, --test-cohort) before relying on them.");
    }
    ValidationMetrics.CalibrationTest large = m.calibrationInTheLarge();
    if (large != null && !"green".equals(large.trafficLight())) {
      out.add(String.format(Locale.ROOT, "The PDs understate the realised defaults (observed %d against %.1f expected,"
          + " Vasicek test %s): recalibrate before use.", large.observedDefaults(), large.expectedDefaults(),
          large.trafficLight()));
    } else if (large != null && large.observedOverExpected() < 0.5) {
      out.add(String.format(Locale.ROOT, "The PDs are conservative on this sample: %d defaults observed against %.1f"
          + " expected (O/E %.2f).", large.observedDefaults(), large.expectedDefaults(), large.observedOverExpected()));
    }
    for (ValidationMetrics.GradeTest g : m.grades()) {
      if ("red".equals(g.trafficLight())) {
        out.add(String.format(Locale.ROOT, "Grade %s: %d defaults in %d rows (%.2f%%) against a mean PD of %.2f%%, beyond"
            + " the 99.9%% bound of the correlated binomial (red).", g.grade(), g.defaults(), g.count(),
            100 * g.defaultRate(), 100 * g.meanPd()));
      }
    }
    if (weights != null) {
      weightLimitations("", weights, out);
    }
    int n = rows.length / p;
    for (int j = 0; j < p; j++) {
      long missing = 0;
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(rows[i * p + j])) {
          missing++;
        }
      }
      String name = bundle.schema().feature(j).name();
      if (missing > 0.2 * n && scored.contains(name)) {
        out.add(String.format(Locale.ROOT, "%s is missing in %.0f%% of the rows.", name, 100.0 * missing / n));
      }
    }
    if (stability != null && stability.psiScores() >= 0.1) {
      out.add(String.format(Locale.ROOT, "The PD distribution moved from cohort %s to %s (PSI %.3f%s).", stability.from(),
          stability.to(), stability.psiScores(), stability.psiScores() >= 0.25 ? ", a major shift" : ""));
    }
    out.add("The figures describe this sample only; the model's performance on other anchors, sectors, regions or"
        + " periods is not shown here.");
  }
}
