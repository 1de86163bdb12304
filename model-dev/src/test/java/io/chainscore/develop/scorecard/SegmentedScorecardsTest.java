package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.StabilityByHand;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.RowRefusals;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.spi.PointsScale;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Segmented scorecards trained on a synthetic sample whose two segments default for different
 * reasons: each segment's model is the one fitted on its rows alone, the bundle routes rows as the
 * trainer split them, and scores each as its segment's standalone bundle does.
 */
class SegmentedScorecardsTest {
  private static final FeatureSchema SCHEMA = FeatureSchema.of(List.of(
      FeatureSpec.numeric("tenure_months", "months", 0, 600, "months of history"),
      FeatureSpec.numeric("late_days", "days", 0, 365, "days paid late"),
      FeatureSpec.numeric("volume_drop", "ratio", -1, 1, "drop in volume"),
      FeatureSpec.categorical("sector", List.of("MANUFACTURING", "RETAIL", "FOOD"), "sector")));
  private static final int WIDTH = 4;

  /** Thin-file rows (tenure under 12 months) default on volume drops, seasoned ones on late payment. */
  private static double[] rows(int n, long seed, int[] labels) {
    Random random = new Random(seed);
    double[] rows = new double[n * WIDTH];
    for (int r = 0; r < n; r++) {
      double tenure = random.nextInt(5) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      rows[r * WIDTH] = random.nextInt(50) == 0 ? Double.NaN : tenure;
      rows[r * WIDTH + 1] = random.nextInt(20) == 0 ? Double.NaN : late;
      rows[r * WIDTH + 2] = drop;
      rows[r * WIDTH + 3] = random.nextInt(3);
      double logit = tenure < 12 ? -2.5 + 2.5 * drop : -4 + 0.08 * late;
      labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    return rows;
  }

  /** Thin files (under 12 months, or unknown tenure) apart from seasoned suppliers. */
  private static List<SegmentedScorecards.Spec> thinAndSeasoned() {
    return List.of(SegmentedScorecards.Spec.parse("tenure_months<12|missing=thin_file"),
        SegmentedScorecards.Spec.parse("otherwise=seasoned"));
  }

  /** A scorecard per segment, each fitted on its own rows with {@link #options()}. */
  private static SegmentedScorecards.Result trainSegmented(List<SegmentedScorecards.Spec> specs, double[] rows,
      int[] labels) throws Exception {
    return SegmentedScorecards.train(specs, SCHEMA, rows, labels, null, null,
        (segment, segmentRows, segmentLabels, cohorts, weights) ->
            new ScorecardTrainer(options()).train(SCHEMA, segmentRows, segmentLabels).bundle());
  }

  private static ScorecardTrainer.Options options() {
    return ScorecardTrainer.Options.builder().modelId("segmented-test").modelVersion("1.0.0").description("test")
        .scaling(new PointsScale(20, 600, 50)).minIv(0.02).maxCorrelation(0.7).maxCharacteristics(10)
        .minBinShare(0.05).maxBins(6).trainedAt("2026-12-01T00:00:00Z").trainer("test").maxMissingShare(1.0).build();
  }

  /**
   * Each segment's provenance record keeps its own trainer text, with the settings of its fit; the
   * bundle's is the text the caller gives for what the segments share, or the first segment's.
   */
  @Test
  void provenance_eachSegmentsSettings_andTheSharedTrainerText() throws Exception {
    int n = 6000;
    int[] labels = new int[n];
    double[] rows = rows(n, 18, labels);
    double[] weights = new double[n];
    for (int r = 0; r < n; r++) {
      weights[r] = 1 + r % 2;
    }
    List<String> texts = new java.util.ArrayList<>();
    SegmentedScorecards.SegmentTrainer trainer = (segment, segmentRows, segmentLabels, cohorts, segmentWeights) -> {
      ModelBundle b = new ScorecardTrainer(options()).train(SCHEMA, segmentRows, segmentLabels, null, segmentWeights,
          ManualBins.NONE).bundle();
      texts.add(b.provenance().trainer());
      return b;
    };
    ModelBundle shared = SegmentedScorecards.train(thinAndSeasoned(), SCHEMA, rows, labels, null, weights, trainer,
        null, (segment, bundle, segmentRows) -> bundle, "test; segments=[thin_file, seasoned]").bundle();
    assertThat(texts).hasSize(2);
    for (int s = 0; s < 2; s++) {
      assertThat(texts.get(s)).startsWith("test; method=woe_logistic min_iv=0.02 max_correlation=0.7"
          + " max_characteristics=10 min_bin_share=0.05 max_bins=6 selection=information_value weights=sha256:")
          .endsWith(" binning=automatic");
    }
    // the two segments' weights are other rows' weights: other hashes
    assertThat(texts.get(0)).isNotEqualTo(texts.get(1));
    com.fasterxml.jackson.databind.JsonNode provenance = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(shared.toJson()).get("provenance");
    assertThat(provenance.get("trainer").asText()).isEqualTo("test; segments=[thin_file, seasoned]");
    assertThat(provenance.get("segments").get(0).get("trainer").asText()).isEqualTo(texts.get(0));
    assertThat(provenance.get("segments").get(1).get("trainer").asText()).isEqualTo(texts.get(1));
    texts.clear();
    ModelBundle first = SegmentedScorecards.train(thinAndSeasoned(), SCHEMA, rows, labels, null, weights, trainer)
        .bundle();
    assertThat(first.provenance().trainer()).isEqualTo(texts.get(0));
  }

  @Test
  void parse_readsRulesAndRefusesBadTextInOneLine() {
    SegmentedScorecards.Spec thin = SegmentedScorecards.Spec.parse("tenure_months<12|missing=thin_file");
    assertThat(thin).isEqualTo(new SegmentedScorecards.Spec("thin_file", "tenure_months", "<", 12, List.of(), true));
    assertThat(thin.rule()).isEqualTo("tenure_months<12|missing");
    assertThat(SegmentedScorecards.Spec.parse("sector in RETAIL, FOOD=shops").categories()).containsExactly("RETAIL", "FOOD");
    assertThat(SegmentedScorecards.Spec.parse(" otherwise = seasoned ").otherwise()).isTrue();
    assertThat(SegmentedScorecards.Spec.parse("late_days>=30.5=late").value()).isEqualTo(30.5);
    assertThatThrownBy(() -> SegmentedScorecards.Spec.parse("tenure_months<twelve=thin"))
        .hasMessage("--segment 'tenure_months<twelve=thin': expected a number after <, got 'twelve'");
    assertThatThrownBy(() -> SegmentedScorecards.Spec.parse("tenure_months<12")).hasMessageStartingWith(
        "--segment 'tenure_months<12': expected RULE=NAME");
    assertThatThrownBy(() -> SegmentedScorecards.Spec.parse("tenure_months~12=x")).hasMessageStartingWith(
        "--segment 'tenure_months~12=x': expected a rule FEATURE OP VALUE");
    List<SegmentedScorecards.Spec> noOtherwise = List.of(SegmentedScorecards.Spec.parse("tenure_months<12=a"),
        SegmentedScorecards.Spec.parse("late_days<12=b"));
    assertThatThrownBy(() -> SegmentedScorecards.check(noOtherwise, SCHEMA))
        .hasMessage("--segment 'late_days<12=b': the last segment must be otherwise=NAME, so that every row has a segment");
    assertThatThrownBy(() -> SegmentedScorecards.check(List.of(SegmentedScorecards.Spec.parse("sector<1=a"),
        SegmentedScorecards.Spec.parse("otherwise=b")), SCHEMA)).hasMessage("--segment 'sector<1=a': sector is"
        + " categorical: use FEATURE in A,B=NAME");
    assertThatThrownBy(() -> SegmentedScorecards.check(List.of(SegmentedScorecards.Spec.parse("sector in BANKS=a"),
        SegmentedScorecards.Spec.parse("otherwise=b")), SCHEMA)).hasMessageContaining("'BANKS' is not a category of sector");
    assertThatThrownBy(() -> SegmentedScorecards.check(List.of(SegmentedScorecards.Spec.parse("tenure_months<1=a"),
        SegmentedScorecards.Spec.parse("otherwise=a")), SCHEMA)).hasMessageContaining("segment name a is given twice");
  }

  @Test
  void train_fitsEachSegmentOnItsRowsAlone_andScoresAsItsStandaloneBundle() throws Exception {
    int n = 6000;
    int[] labels = new int[n];
    double[] rows = rows(n, 18, labels);
    List<SegmentedScorecards.Spec> specs = thinAndSeasoned();
    SegmentedScorecards.Result result = trainSegmented(specs, rows, labels);
    ModelBundle bundle = result.bundle();
    Scorer scorer = bundle.scorer();
    int[] segmentOf = SegmentedScorecards.route(specs, SCHEMA, rows);
    int[] count = new int[2];
    int[] events = new int[2];
    for (int r = 0; r < n; r++) {
      assertThat(scorer.segmentOf(rows, r * WIDTH)).isEqualTo(segmentOf[r]);
      double tenure = rows[r * WIDTH];
      assertThat(segmentOf[r]).isEqualTo(Double.isNaN(tenure) || tenure < 12 ? 0 : 1);
      count[segmentOf[r]]++;
      events[segmentOf[r]] += labels[r];
    }
    // each segment's model is the one fitted on that segment's rows alone (an independent fit here)
    ObjectMapper json = new ObjectMapper();
    JsonNode doc = json.readTree(bundle.toJson());
    List<ModelBundle> standalone = new java.util.ArrayList<>();
    for (int s = 0; s < 2; s++) {
      double[] own = new double[count[s] * WIDTH];
      int[] ownLabels = new int[count[s]];
      for (int r = 0, k = 0; r < n; r++) {
        if (segmentOf[r] == s) {
          System.arraycopy(rows, r * WIDTH, own, k * WIDTH, WIDTH);
          ownLabels[k++] = labels[r];
        }
      }
      ModelBundle alone = new ScorecardTrainer(options()).train(SCHEMA, own, ownLabels).bundle();
      standalone.add(alone);
      // the same model, its reason codes named by what they say: the segments' codes are made one
      // table, in which a later segment's code may be renamed
      assertThat(withReasonTexts(doc.get("model").get("segments").get(s).get("model"), bundle))
          .isEqualTo(withReasonTexts(json.readTree(alone.toJson()).get("model"), alone));
      JsonNode trained = doc.get("provenance").get("segments").get(s);
      assertThat(trained.get("rows").asInt()).isEqualTo(count[s]);
      assertThat(trained.get("events").asInt()).isEqualTo(events[s]);
      assertThat(result.segments().get(s).rows()).isEqualTo(count[s]);
    }
    // the segments really differ: thin files are scored on the volume drop, seasoned ones on late payment
    assertThat(doc.get("model").get("segments").get(0).get("model").toString()).contains("volume_drop");
    assertThat(doc.get("model").get("segments").get(1).get("model").toString()).contains("late_days");
    // every row scores as with its segment's standalone bundle, on the batch path and row by row
    double[] points = new double[n];
    double[] pds = new double[n];
    int[] grades = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    scorer.scoreBatch(rows, n, WIDTH, points, pds, grades, reasons, refusals);
    assertThat(refusals.count()).as(refusals.count() == 0 ? "" : refusals.problem(0) + " " + refusals.feature(0)).isZero();
    for (int s = 0; s < 2; s++) {
      Scorer alone = bundle.segments().get(s).bundle().scorer();
      for (int r = 0; r < n; r++) {
        if (segmentOf[r] == s) {
          var expected = alone.score(Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH));
          assertThat(points[r]).isEqualTo(expected.points());
          assertThat(Double.doubleToRawLongBits(pds[r])).isEqualTo(Double.doubleToRawLongBits(expected.pd()));
          assertThat(grades[r]).isEqualTo(expected.gradeIndex());
          List<String> codes = scorer.score(Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH)).reasonCodes();
          assertThat(codes).isEqualTo(expected.reasonCodes());
          // and they say what the segment's model, trained alone, says: each code one meaning
          var fittedAlone = standalone.get(s).scorer().score(Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH));
          assertThat(texts(codes, bundle)).as("row %d", r).isEqualTo(texts(fittedAlone.reasonCodes(), standalone.get(s)));
        }
      }
    }
    assertThat(doc.get("golden_rows").size()).isEqualTo(12);
  }

  @Test
  void train_refusesSmallSegmentsAndUnroutableRows() {
    int n = 400;
    int[] labels = new int[n];
    double[] rows = rows(n, 5, labels);
    List<SegmentedScorecards.Spec> tiny = List.of(SegmentedScorecards.Spec.parse("tenure_months<12|missing=newest"),
        SegmentedScorecards.Spec.parse("otherwise=rest"));
    assertThatThrownBy(() -> SegmentedScorecards.train(tiny, SCHEMA, rows, labels, null, null,
        (s, r, l, c, w) -> { throw new AssertionError("must not fit"); }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("--segment 'tenure_months<12\\|missing=newest': \\d+ training rows with \\d+ events; a segment"
            + " needs at least 100 rows and 5 events and 5 non-events to fit a scorecard \\(widen the rule or merge the"
            + " segment\\)");
    List<SegmentedScorecards.Spec> noMissing = List.of(SegmentedScorecards.Spec.parse("tenure_months<12=thin"),
        SegmentedScorecards.Spec.parse("otherwise=rest"));
    long missing = Arrays.stream(SegmentedScorecards.route(noMissing, SCHEMA, rows)).filter(s -> s < 0).count();
    assertThat(missing).isPositive();
    assertThatThrownBy(() -> SegmentedScorecards.train(noMissing, SCHEMA, rows, labels, null, null,
        (s, r, l, c, w) -> { throw new AssertionError("must not fit"); }))
        .hasMessage("--segment 'tenure_months<12=thin': " + missing + " training rows have no value of tenure_months,"
            + " so no segment would score them; write tenure_months<12|missing=thin to send them to thin, or"
            + " tenure_months<12|next=thin to send them on to the next rule");
  }

  @Test
  void nextRule_rowsMissingTheFeatureGoOn_asTheBundleRoutesThem() throws Exception {
    assertThat(SegmentedScorecards.Spec.parse("tenure_months<12|next=thin").missingToNext()).isTrue();
    assertThat(SegmentedScorecards.Spec.parse("tenure_months<12|next=thin").rule()).isEqualTo("tenure_months<12|next");
    assertThatThrownBy(() -> SegmentedScorecards.Spec.parse("otherwise=next"))
        .hasMessageContaining("a segment cannot be named next");
    int n = 6000;
    int[] labels = new int[n];
    double[] rows = rows(n, 18, labels);
    List<SegmentedScorecards.Spec> specs = List.of(SegmentedScorecards.Spec.parse("tenure_months<12|next=thin_file"),
        SegmentedScorecards.Spec.parse("otherwise=seasoned"));
    ModelBundle bundle = trainSegmented(specs, rows, labels).bundle();
    JsonNode when = new ObjectMapper().readTree(bundle.toJson()).get("model").get("segments").get(0).get("when");
    assertThat(when.get("missing").asText()).isEqualTo("next");
    int[] segmentOf = SegmentedScorecards.route(specs, SCHEMA, rows);
    int missing = 0;
    for (int r = 0; r < n; r++) {
      double tenure = rows[r * WIDTH];
      missing += Double.isNaN(tenure) ? 1 : 0;
      assertThat(segmentOf[r]).isEqualTo(!Double.isNaN(tenure) && tenure < 12 ? 0 : 1);
      assertThat(bundle.scorer().segmentOf(rows, r * WIDTH)).isEqualTo(segmentOf[r]);
    }
    assertThat(missing).isGreaterThan(50);
  }

  /** The standalone bundle of segment s, derived by hand from the segmented document. */
  private static ModelBundle standalone(ModelBundle segmented, int s) throws Exception {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(segmented.toJson());
    JsonNode segment = root.get("model").get("segments").get(s);
    root.set("model", segment.get("model"));
    if (segment.has("calibration")) {
      root.set("calibration", segment.get("calibration"));
    }
    root.remove("golden_rows");
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("provenance")).remove("segments");
    return ModelBundle.seal(root.toString());
  }

  @Test
  void validation_perSegmentFiguresEqualTheStandaloneBundlesOnTheSegmentsRows() throws Exception {
    int n = 6000;
    int[] labels = new int[n];
    double[] rows = rows(n, 18, labels);
    List<SegmentedScorecards.Spec> specs = thinAndSeasoned();
    ModelBundle bundle = trainSegmented(specs, rows, labels).bundle();
    int m = 3000;
    int[] testLabels = new int[m];
    double[] test = rows(m, 99, testLabels);
    int[] baseLabels = new int[m];
    double[] baseline = rows(m, 7, baseLabels);
    ModelBundle other = new ScorecardTrainer(options()).train(SCHEMA, rows, labels).bundle();
    io.chainscore.validation.ValidationReport.Options options = io.chainscore.validation.ValidationReport.Options
        .defaults().compareWith(other, test);
    io.chainscore.validation.ValidationMetrics whole =
        io.chainscore.validation.ValidationReport.of(bundle, test, testLabels, baseline, options).metrics();
    assertThat(whole.segments()).hasSize(2);
    int[] segmentOf = SegmentedScorecards.route(specs, SCHEMA, test);
    int[] baseSegment = SegmentedScorecards.route(specs, SCHEMA, baseline);
    long total = 0;
    for (int s = 0; s < 2; s++) {
      int segment = s;
      int count = (int) Arrays.stream(segmentOf).filter(x -> x == segment).count();
      int baseCount = (int) Arrays.stream(baseSegment).filter(x -> x == segment).count();
      double[] own = new double[count * WIDTH];
      int[] ownLabels = new int[count];
      double[] ownBase = new double[baseCount * WIDTH];
      for (int r = 0, k = 0; r < m; r++) {
        if (segmentOf[r] == s) {
          System.arraycopy(test, r * WIDTH, own, k * WIDTH, WIDTH);
          ownLabels[k++] = testLabels[r];
        }
      }
      for (int r = 0, k = 0; r < m; r++) {
        if (baseSegment[r] == s) {
          System.arraycopy(baseline, r * WIDTH, ownBase, k++ * WIDTH, WIDTH);
        }
      }
      io.chainscore.validation.ValidationMetrics expected = io.chainscore.validation.ValidationReport.of(
          standalone(bundle, s), own, ownLabels, ownBase,
          io.chainscore.validation.ValidationReport.Options.defaults().compareWith(other, own)).metrics();
      io.chainscore.validation.ValidationMetrics.Segment actual = whole.segments().get(s);
      assertThat(actual.name()).isEqualTo(List.of("thin_file", "seasoned").get(s));
      assertThat(actual.rows()).isEqualTo(count);
      assertThat(actual.defaults()).isEqualTo(Arrays.stream(ownLabels).sum());
      assertThat(actual.metrics()).isEqualTo(expected);
      assertThat(actual.metrics().auc()).isBetween(0.6, 1.0);
      assertThat(actual.metrics().comparison()).isNotNull();
      assertThat(actual.metrics().psi()).isNotNull();
      total += actual.rows();
    }
    assertThat(total).isEqualTo(m);
  }

  @Test
  void documentation_eachSegmentsStability_isOverItsOwnRowsAndCharacteristics() throws Exception {
    int n = 6000;
    int[] labels = new int[n];
    double[] rows = rows(n, 18, labels);
    List<SegmentedScorecards.Spec> specs = thinAndSeasoned();
    ModelBundle bundle = trainSegmented(specs, rows, labels).bundle();
    // two cohorts of the same 3000 suppliers; in the later one only the thin files' volumes fall
    int m = 3000;
    int[] firstLabels = new int[m];
    double[] first = rows(m, 99, firstLabels);
    double[] sample = new double[2 * m * WIDTH];
    int[] sampleLabels = new int[2 * m];
    String[] cohorts = new String[2 * m];
    int[] segmentOf = SegmentedScorecards.route(specs, SCHEMA, first);
    for (int r = 0; r < m; r++) {
      System.arraycopy(first, r * WIDTH, sample, r * WIDTH, WIDTH);
      System.arraycopy(first, r * WIDTH, sample, (m + r) * WIDTH, WIDTH);
      if (segmentOf[r] == 0) {
        sample[(m + r) * WIDTH + 2] = Math.min(1, first[r * WIDTH + 2] + 0.5);
      }
      sampleLabels[r] = firstLabels[r];
      sampleLabels[m + r] = firstLabels[r];
      cohorts[r] = "2024";
      cohorts[m + r] = "2025";
    }
    io.chainscore.validation.ModelDocument document = io.chainscore.develop.document.ModelDocumentation.build(bundle,
        sample, sampleLabels, cohorts, "sample.csv", "x", null, io.chainscore.validation.ValidationReport.Options
            .defaults());
    for (int s = 0; s < 2; s++) {
      io.chainscore.validation.ModelDocument.Segment g = document.segments().get(s);
      io.chainscore.validation.ModelDocument.Stability stability = g.stability();
      assertThat(stability.from()).isEqualTo("2024");
      assertThat(stability.to()).isEqualTo("2025");
      // its own characteristics, as its own model explains them
      Scorer own = bundle.segments().get(s).bundle().scorer();
      List<String> names = own.explain(Arrays.copyOf(first, WIDTH)).items().stream()
          .map(io.chainscore.scoring.Explanation.Item::name).toList();
      assertThat(stability.csiNames()).isEqualTo(names);
      for (int k = 0; k < names.size(); k++) {
        List<Double> before = new java.util.ArrayList<>();
        List<Double> after = new java.util.ArrayList<>();
        for (int r = 0; r < m; r++) {
          if (segmentOf[r] == s) {
            before.add(own.explain(Arrays.copyOfRange(sample, r * WIDTH, (r + 1) * WIDTH)).items().get(k).contribution());
            after.add(own.explain(Arrays.copyOfRange(sample, (m + r) * WIDTH, (m + r + 1) * WIDTH)).items().get(k)
                .contribution());
          }
        }
        assertThat(stability.csi().get(k)).as("segment %d %s", s, names.get(k))
            .isCloseTo(StabilityByHand.csiOverValues(before, after), org.assertj.core.api.Assertions.within(1e-12));
      }
    }
    io.chainscore.validation.ModelDocument.Stability thin = document.segments().get(0).stability();
    io.chainscore.validation.ModelDocument.Stability seasoned = document.segments().get(1).stability();
    assertThat(thin.csi().get(thin.csiNames().indexOf("volume_drop"))).isGreaterThan(0.25);
    assertThat(thin.psiScores()).isGreaterThan(0.1);
    assertThat(seasoned.csi()).allSatisfy(v -> assertThat(v).isZero());
    assertThat(seasoned.psiScores()).isZero();
    assertThat(document.limitations()).anySatisfy(l -> assertThat(l).startsWith("Segment thin_file: its PD distribution"
        + " moved from cohort 2024 to 2025"));
    assertThat(document.limitations()).noneSatisfy(l -> assertThat(l).startsWith("Segment seasoned: its PD"));
  }

  /** {@code model} with every reason_code replaced by its text in {@code bundle}'s table. */
  private static JsonNode withReasonTexts(JsonNode model, ModelBundle bundle) {
    JsonNode copy = model.deepCopy();
    java.util.Map<String, String> text = new java.util.HashMap<>();
    bundle.reasonCodes().forEach(c -> text.put(c.code(), c.text()));
    java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>(List.of(copy));
    while (!todo.isEmpty()) {
      JsonNode node = todo.pop();
      if (node.isObject() && node.has("reason_code")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("reason_code", text.get(node.get("reason_code").asText()));
      }
      node.elements().forEachRemaining(todo::push);
    }
    return copy;
  }

  private static List<String> texts(List<String> codes, ModelBundle bundle) {
    java.util.Map<String, String> text = new java.util.HashMap<>();
    bundle.reasonCodes().forEach(c -> text.put(c.code(), c.text()));
    return codes.stream().map(text::get).toList();
  }

  /**
   * The segments' reason-code tables made one, each code one meaning: a later segment's code that
   * the table holds with another text is renamed to the next free one, in its characteristics and
   * its reason reference; a code whose text the table has takes that code.
   */
  @Test
  void unitedReasonCodes_giveEachCodeOneMeaning() throws Exception {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode first = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        "{\"reason_codes\": [{\"code\": \"R01\", \"text\": \"a\"}, {\"code\": \"R02\", \"text\": \"b\"}],"
        + " \"model\": {\"characteristics\": [{\"reason_code\": \"R01\"}, {\"reason_code\": \"R02\"}]}}");
    com.fasterxml.jackson.databind.node.ObjectNode second = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        "{\"reason_codes\": [{\"code\": \"R01\", \"text\": \"c\"}, {\"code\": \"R02\", \"text\": \"a\"},"
        + " {\"code\": \"R03\", \"text\": \"d\"}], \"model\": {\"characteristics\": [{\"reason_code\": \"R01\"},"
        + " {\"reason_code\": \"R02\"}, {\"reason_code\": \"R03\"}]},"
        + " \"reason_reference\": {\"contributions\": {\"R01\": 0.5, \"R03\": 0.25}}}");
    java.util.Map<String, String> united = SegmentedScorecards.unitedReasonCodes(List.of(first, second));
    assertThat(united).containsExactly(java.util.Map.entry("R01", "a"), java.util.Map.entry("R02", "b"),
        java.util.Map.entry("R04", "c"), java.util.Map.entry("R03", "d"));
    assertThat(first.get("model").toString()).isEqualTo(
        "{\"characteristics\":[{\"reason_code\":\"R01\"},{\"reason_code\":\"R02\"}]}");
    assertThat(second.get("model").toString()).isEqualTo(
        "{\"characteristics\":[{\"reason_code\":\"R04\"},{\"reason_code\":\"R01\"},{\"reason_code\":\"R03\"}]}");
    assertThat(second.get("reason_reference").get("contributions").toString()).isEqualTo("{\"R04\":0.5,\"R03\":0.25}");
  }
}
