package io.chainscore.pmml.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.features.FeatureSchema;
import io.chainscore.pmml.PmmlExport;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.spi.Bin;
import io.chainscore.scoring.spi.Characteristic;
import io.chainscore.scoring.spi.LogisticView;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jpmml.evaluator.Computable;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;

/**
 * Evaluates exported PMML with JPMML-Evaluator (the independent evaluator; test scope only, it is
 * AGPL) and compares it with ChainScore's {@code Scorer} row by row.
 */
public final class JpmmlHarness {
  /** Tolerance on points and PD. */
  public static final double TOLERANCE = 1e-9;

  /** JPMML's message for the last row it refused (for assertion messages). */
  static volatile String lastRefusal;

  private JpmmlHarness() {}

  /** JPMML's evaluator of a PMML text. */
  public static Evaluator load(String pmml) throws Exception {
    Evaluator evaluator = new LoadingModelEvaluatorBuilder()
        .load(new ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8))).build();
    evaluator.verify();
    return evaluator;
  }

  /** JPMML's outputs for a ChainScore row (NaN = missing, categories by index), or null when JPMML refuses it. */
  public static Map<String, Object> evaluate(Evaluator evaluator, FeatureSchema schema, double[] row) {
    Map<String, Object> args = new LinkedHashMap<>();
    Map<String, ?> results;
    try {
    for (InputField field : evaluator.getInputFields()) {
      String name = field.getName();
      // ChainScore's feature names are the PMML field names in snake_case
      int j = schema.indexOf(name) >= 0 ? schema.indexOf(name) : schema.indexOf(TreeEnsemble.schemaName(name));
      FeatureSpec f = schema.feature(j);
      double x = row[j];
      Object raw = Double.isNaN(x) ? null : f.type() == FeatureType.CATEGORICAL ? f.categories().get((int) x) : (Object) x;
      args.put(name, field.prepare(raw));
    }
      results = evaluator.evaluate((Map) args);
    } catch (org.jpmml.evaluator.EvaluationException e) {
      lastRefusal = e.getMessage();
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : results.entrySet()) {
      Object v = e.getValue();
      out.put(e.getKey(), v instanceof Computable c ? c.getResult() : v);
    }
    return out;
  }

  /**
   * Random rows over the features: values around every bin edge and split threshold of the model
   * (exactly at, one ulp below and above), uniform values over and a little beyond the valid
   * range, some missing values and every category.
   */
  public static List<double[]> rows(ModelBundle bundle, int count, long seed) {
    FeatureSchema schema = bundle.schema();
    List<List<Double>> interesting = new ArrayList<>();
    for (int j = 0; j < schema.size(); j++) {
      interesting.add(new ArrayList<>());
    }
    addInteresting(bundle, interesting);
    Random random = new Random(seed);
    List<double[]> rows = new ArrayList<>(count);
    for (int r = 0; r < count; r++) {
      double[] row = new double[schema.size()];
      for (int j = 0; j < schema.size(); j++) {
        FeatureSpec f = schema.feature(j);
        double u = random.nextDouble();
        if (u < 0.02) {
          row[j] = Double.NaN;
        } else if (f.type() == FeatureType.CATEGORICAL) {
          row[j] = random.nextInt(f.categories().size());
        } else if (u < 0.55 && !interesting.get(j).isEmpty()) {
          List<Double> list = interesting.get(j);
          row[j] = list.get(random.nextInt(list.size()));
        } else {
          double lo = Double.isFinite(f.min()) ? f.min() : -1000;
          double hi = Double.isFinite(f.max()) ? f.max() : lo + 2000;
          double width = hi - lo;
          // one value in about 200 a little outside the valid range
          double slack = random.nextInt(10) == 0 ? 0.05 : 0.0;
          row[j] = lo - slack * width + random.nextDouble() * (1 + 2 * slack) * width;
          if (random.nextInt(4) == 0) {
            row[j] = Math.rint(row[j]);
          }
        }
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Values around every bin edge and split threshold of the model; for a segmented bundle those of
   * every segment's model and every routing threshold (at, one ulp below and above, read from the
   * bundle's document).
   */
  private static void addInteresting(ModelBundle bundle, List<List<Double>> interesting) {
    FeatureSchema schema = bundle.schema();
    if (!bundle.segments().isEmpty()) {
      for (ModelBundle.Segment segment : bundle.segments()) {
        addInteresting(segment.bundle(), interesting);
      }
      try {
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(bundle.toJson());
        for (com.fasterxml.jackson.databind.JsonNode segment : doc.get("model").get("segments")) {
          com.fasterxml.jackson.databind.JsonNode when = segment.get("when");
          if (when.has("value")) {
            double v = when.get("value").asDouble();
            List<Double> list = interesting.get(schema.indexOf(when.get("feature").asText()));
            for (int k = 0; k < 3; k++) {
              // the boundary itself more often than its neighbours
              list.add(v);
            }
            list.add(Math.nextUp(v));
            list.add(Math.nextDown(v));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return;
    }
    ModelView view = ModelView.of(bundle);
    if (view instanceof ScorecardView s) {
      for (Characteristic c : s.characteristics()) {
        addEdges(interesting.get(schema.indexOf(c.feature())), c);
      }
    } else if (view instanceof LogisticView l) {
      for (LogisticView.Term t : l.terms()) {
        if (t.woe() != null) {
          addEdges(interesting.get(schema.indexOf(t.feature())), t.woe());
        }
      }
    } else {
      TreeEnsemble e = ((TreeEnsembleView) view).ensemble();
      for (DecisionTree tree : e.trees()) {
        for (int i = 0; i < tree.nodeCount(); i++) {
          if (!tree.isLeaf(i) && !tree.isCategorical(i)) {
            String name = e.featureNames().get(tree.splitFeature(i));
            int j = schema.indexOf(name) >= 0 ? schema.indexOf(name) : schema.indexOf(TreeEnsemble.schemaName(name));
            double t = tree.threshold(i);
            List<Double> list = interesting.get(j);
            list.add(t);
            list.add((double) (float) t);
            list.add(Math.nextUp(t));
            list.add(Math.nextDown(t));
            list.add(Math.nextUp((double) (float) t));
            list.add(Math.nextDown((double) (float) t));
            list.add(float32LessThanBound((float) t));
            list.add(Math.nextDown(float32LessThanBound((float) t)));
          }
        }
      }
    }
  }

  /** The smallest double b with {@code (float) x >= t} for every {@code x >= b} (a test's own copy). */
  static double float32LessThanBound(float t) {
    if (Float.isInfinite(t)) {
      return t;
    }
    double mid = ((double) Math.nextDown(t) + (double) t) / 2.0;
    return (float) mid == t ? mid : Math.nextUp(mid);
  }

  private static void addEdges(List<Double> list, Characteristic c) {
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Range r) {
        for (double v : new double[] {r.lower(), r.upper()}) {
          if (Double.isFinite(v)) {
            list.add(v);
            list.add(Math.nextUp(v));
            list.add(Math.nextDown(v));
          }
        }
      } else if (b instanceof Bin.Special s) {
        list.addAll(s.values());
      }
    }
  }

  /** Summary of one comparison run. */
  public record Agreement(int rows, int scored, int refused, int withReasons) {}

  /**
   * Scores every row with the bundle and with JPMML on the PMML and asserts that both refuse the
   * same rows and agree on points, PD (within {@link #TOLERANCE}), grade and, for scorecards, the
   * reason codes: ChainScore's codes (positive points below best only) are JPMML's first codes,
   * and any further JPMML code is one whose characteristics lost no points.
   */
  public static Agreement assertAgrees(ModelBundle bundle, String pmml, List<double[]> rows) throws Exception {
    Evaluator evaluator = load(pmml);
    FeatureSchema schema = bundle.schema();
    boolean segmented = !bundle.segments().isEmpty();
    boolean scorecard = ModelView.of(bundle) instanceof ScorecardView || (segmented && bundle.segments().stream()
        .allMatch(s -> ModelView.of(s.bundle()) instanceof ScorecardView));
    int scored = 0;
    int refused = 0;
    int withReasons = 0;
    for (int r = 0; r < rows.size(); r++) {
      double[] row = rows.get(r);
      ScoreResult expected;
      try {
        expected = bundle.scorer().score(row);
      } catch (ScoringException e) {
        expected = null;
      }
      Map<String, Object> actual = evaluate(evaluator, schema, row);
      String where = "row " + r + " " + java.util.Arrays.toString(row);
      if (expected == null) {
        assertThat(actual).as("JPMML must refuse " + where).isNull();
        refused++;
        continue;
      }
      assertThat(actual).as("JPMML refused " + where + ": " + lastRefusal).isNotNull();
      if (Double.isNaN(expected.points())) {
        // a raw logistic term on a missing value: no score on either side
        Object score = actual.get(PmmlExport.SCORE);
        assertThat(score == null || Double.isNaN(((Number) score).doubleValue())).as("no score " + where).isTrue();
        refused++;
        continue;
      }
      scored++;
      // a segmented bundle's reasons are its segment's, read from that segment's standalone bundle
      ModelBundle scoredBy = bundle;
      if (segmented) {
        String segment = expected.segment();
        assertThat(actual.get(PmmlExport.SEGMENT)).as("segment " + where).isEqualTo(segment);
        scoredBy = bundle.segments().stream().filter(s -> s.name().equals(segment)).findFirst()
            .orElseThrow().bundle();
      }
      assertThat(((Number) actual.get(PmmlExport.SCORE)).doubleValue()).as("points " + where)
          .isCloseTo(expected.points(), within(TOLERANCE));
      assertThat(((Number) actual.get(PmmlExport.PD)).doubleValue()).as("pd " + where)
          .isCloseTo(expected.pd(), within(TOLERANCE));
      assertThat(actual.get(PmmlExport.GRADE)).as("grade " + where).isEqualTo(expected.grade());
      if (scorecard) {
        List<String> jpmml = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
          Object code = actual.get(PmmlExport.REASON_PREFIX + k);
          if (code != null) {
            jpmml.add(code.toString());
          }
        }
        List<String> ours = expected.reasonCodes();
        if (!ours.isEmpty()) {
          withReasons++;
        }
        assertThat(jpmml.subList(0, Math.min(ours.size(), jpmml.size()))).as("reason codes " + where)
            .isEqualTo(ours);
        for (String extra : jpmml.subList(ours.size(), jpmml.size())) {
          assertThat(pointsBelowBest(scoredBy, row, extra)).as("JPMML's extra code " + extra + " " + where)
              .isEqualTo(0.0);
        }
      }
    }
    return new Agreement(rows.size(), scored, refused, withReasons);
  }

  /** Points below best of one reason code for a row, from the bundle's explanation. */
  private static double pointsBelowBest(ModelBundle bundle, double[] row, String code) {
    ScorecardView s = (ScorecardView) ModelView.of(bundle);
    FeatureSchema schema = bundle.schema();
    double total = 0;
    for (Characteristic c : s.characteristics()) {
      if (!c.reasonCode().equals(code)) {
        continue;
      }
      double best = Double.NEGATIVE_INFINITY;
      for (Bin b : c.bins()) {
        best = Math.max(best, b.value());
      }
      total += best - binValue(c, row[schema.indexOf(c.feature())], schema.feature(schema.indexOf(c.feature())));
    }
    return total;
  }

  /** The bin value a (policy-repaired) value falls in: a simple reading of the bins, independent of the runtime. */
  static double binValue(Characteristic c, double x, FeatureSpec f) {
    if (Double.isNaN(x)) {
      for (Bin b : c.bins()) {
        if (b instanceof Bin.Missing) {
          return b.value();
        }
      }
      throw new IllegalStateException("no missing bin");
    }
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Special s && s.values().contains(x)) {
        return b.value();
      }
    }
    if (f.type() == FeatureType.CATEGORICAL) {
      String code = f.categories().get((int) x);
      for (Bin b : c.bins()) {
        if (b instanceof Bin.Categories cat && cat.categories().contains(code)) {
          return b.value();
        }
      }
      throw new IllegalStateException("category in no bin");
    }
    List<Bin.Range> ranges = new ArrayList<>();
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Range r) {
        ranges.add(r);
      }
    }
    for (int i = 0; i < ranges.size(); i++) {
      boolean aboveLower = i == 0 || x >= ranges.get(i).lower();
      boolean belowUpper = i == ranges.size() - 1 || x < ranges.get(i).upper();
      if (aboveLower && belowUpper) {
        return ranges.get(i).value();
      }
    }
    throw new IllegalStateException("value in no interval");
  }
}
