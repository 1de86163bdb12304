package io.chainscore.develop.scorecard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.develop.calibration.PdCalibration;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.spi.BundleBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Segmented scorecards: one model per segment of the development sample (for example thin-file
 * suppliers with under 12 months of history, and the seasoned rest), each fitted on its segment's
 * rows alone, written as one bundle of kind {@code "segmented"} (docs/model-bundle.md) whose
 * routing rules send each row to its segment's model.
 *
 * <p>A segment is written {@code RULE=NAME} as on {@code chainscore train --segment}: {@code
 * tenure_months_anchor<12=thin_file} (operators {@code <, <=, >, >=, ==, !=} on a numeric
 * feature), {@code sector in RETAIL,FOOD=retail} (a categorical feature's categories), with {@code
 * |missing} after the rule to send rows missing the feature to this segment too ({@code
 * tenure_months_anchor<12|missing=thin_file}) or {@code |next} to send them on to the next rule
 * ({@code tenure_months_anchor<12|next=thin_file}, as PMML's {@code selectFirst} does), and {@code
 * otherwise=NAME} last. Rules are tried in order and the first that matches takes the row, exactly
 * as the scorer routes it.
 *
 * <p>The segment trainer is any function from a segment's rows to a standalone bundle (a scorecard,
 * or gradient-boosted trees in {@code chainscore train --model-type gbdt}); with joint calibration
 * settings the trained segments are then calibrated together ({@link
 * PdCalibration#calibrateJointly}: a portfolio central tendency by one common logit shift, a
 * master scale fitted to all segments' PDs pooled), and a finisher may adjust each segment last.
 *
 * <p>Every segment needs at least {@link #MIN_ROWS} training rows and {@link #MIN_EVENTS} events
 * (and as many non-events); a training row missing a rule's feature where the rule does not take
 * missing values is refused, since no segment could score it.
 *
 * <p>Thread safety: stateless.
 */
public final class SegmentedScorecards {
  /** Fewest training rows of a segment. */
  public static final int MIN_ROWS = 100;
  /** Fewest events (defaults), and non-events, among a segment's training rows. */
  public static final int MIN_EVENTS = 5;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern SEGMENT = Pattern.compile(
      "\\s*(.+?)\\s*=\\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\\s*");
  private static final Pattern RULE = Pattern.compile(
      "([a-z][a-z0-9_]*)(\\s*(?:<=|>=|==|!=|<|>)\\s*|\\s+in\\s+)(.+?)\\s*(\\|\\s*(missing|next))?");

  private SegmentedScorecards() {}

  /**
   * One segment as given: its name and routing rule.
   *
   * @param name the segment's name
   * @param feature the feature the rule reads; null for {@code otherwise}
   * @param op {@code <, <=, >, >=, ==, !=} or {@code in}; null for {@code otherwise}
   * @param value the number compared with ({@code NaN} for {@code in})
   * @param categories the categories of {@code in}, else empty
   * @param takesMissing whether rows missing the feature go to this segment
   * @param missingToNext whether rows missing the feature go on to the next rule
   */
  public record Spec(String name, String feature, String op, double value, List<String> categories,
      boolean takesMissing, boolean missingToNext) {
    /** Copies the categories. */
    public Spec {
      categories = List.copyOf(categories);
      if (takesMissing && missingToNext) {
        throw new IllegalArgumentException("segment " + name + ": rows missing " + feature + " go either to this"
            + " segment or on to the next rule, not both");
      }
    }

    /** A segment whose rule refuses rows missing its feature, or sends them to this segment. */
    public Spec(String name, String feature, String op, double value, List<String> categories, boolean takesMissing) {
      this(name, feature, op, value, categories, takesMissing, false);
    }

    /** Whether this is the {@code otherwise} segment. */
    public boolean otherwise() {
      return feature == null;
    }

    /**
     * Parses {@code RULE=NAME}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static Spec parse(String text) {
      Matcher m = SEGMENT.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException("--segment '" + text + "': expected RULE=NAME, such as"
            + " tenure_months_anchor<12=thin_file, sector in RETAIL,FOOD=retail or otherwise=seasoned (a name is"
            + " letters, digits, '_', '.' or '-')");
      }
      String rule = m.group(1);
      String name = m.group(2);
      if (name.equals(io.chainscore.scoring.spi.SegmentedView.MISSING_TO_NEXT_RULE)) {
        throw new IllegalArgumentException("--segment '" + text + "': a segment cannot be named next (a rule's |next"
            + " sends rows on to the next rule)");
      }
      if (rule.equals("otherwise")) {
        return new Spec(name, null, null, Double.NaN, List.of(), false);
      }
      Matcher r = RULE.matcher(rule);
      if (!r.matches()) {
        throw new IllegalArgumentException("--segment '" + text + "': expected a rule FEATURE OP VALUE with OP one of"
            + " <, <=, >, >=, ==, != (a number) or in (categories, comma separated), optionally followed by"
            + " |missing or |next, or otherwise");
      }
      String op = r.group(2).trim();
      boolean missing = "missing".equals(r.group(5));
      boolean next = "next".equals(r.group(5));
      if (op.equals("in")) {
        List<String> categories = new ArrayList<>();
        for (String c : r.group(3).split(",")) {
          if (c.isBlank()) {
            throw new IllegalArgumentException("--segment '" + text + "': an empty category in the list after in");
          }
          categories.add(c.trim());
        }
        return new Spec(name, r.group(1), op, Double.NaN, categories, missing, next);
      }
      double value;
      try {
        value = Double.parseDouble(r.group(3));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--segment '" + text + "': expected a number after " + op + ", got '"
            + r.group(3) + "'");
      }
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("--segment '" + text + "': expected a finite number after " + op);
      }
      return new Spec(name, r.group(1), op, value, List.of(), missing, next);
    }

    /** The rule as {@code --segment} writes it, without the name. */
    public String rule() {
      if (otherwise()) {
        return "otherwise";
      }
      String operand = op.equals("in") ? " in " + String.join(",", categories) : op + number(value);
      return feature + operand + (takesMissing ? "|missing" : missingToNext ? "|next" : "");
    }
  }

  /**
   * Checks segments against the schema of the development sample: at least two, distinct names,
   * known features of the right type, known categories, {@code otherwise} last and only there.
   *
   * @throws IllegalArgumentException naming the segment and what was expected
   */
  public static void check(List<Spec> specs, FeatureSchema schema) {
    if (specs.size() < 2) {
      throw new IllegalArgumentException("--segment: give at least two segments, the last otherwise=NAME");
    }
    Set<String> names = new HashSet<>();
    for (int s = 0; s < specs.size(); s++) {
      Spec spec = specs.get(s);
      String at = "--segment '" + spec.rule() + "=" + spec.name() + "': ";
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException(at + "segment name " + spec.name() + " is given twice");
      }
      boolean last = s == specs.size() - 1;
      if (spec.otherwise() != last) {
        throw new IllegalArgumentException(at + (last ? "the last segment must be otherwise=NAME, so that every row"
            + " has a segment" : "only the last segment may be otherwise"));
      }
      if (spec.otherwise()) {
        continue;
      }
      int column = schema.indexOf(spec.feature());
      if (column < 0) {
        throw new IllegalArgumentException(at + "no candidate characteristic " + spec.feature() + " in the data");
      }
      FeatureSpec feature = schema.feature(column);
      boolean categorical = feature.type() == FeatureType.CATEGORICAL;
      if (spec.op().equals("in") != categorical) {
        throw new IllegalArgumentException(at + spec.feature() + " is " + (categorical
            ? "categorical: use FEATURE in A,B=NAME" : "numeric: use <, <=, >, >=, == or != with a number"));
      }
      for (String c : spec.categories()) {
        if (feature.categoryIndex(c) < 0) {
          throw new IllegalArgumentException(at + "'" + c + "' is not a category of " + spec.feature() + " in the data"
              + " (categories: " + String.join(", ", feature.categories()) + ")");
        }
      }
    }
  }

  /**
   * The segment of every row, as the scorer of the segmented bundle routes it: the first segment
   * whose rule matches; -1 for a row missing a rule's feature where that rule neither takes its
   * missing values nor sends them on to the next rule.
   */
  public static int[] route(List<Spec> specs, FeatureSchema schema, double[] rows) {
    int width = schema.size();
    int n = rows.length / width;
    int[] segment = new int[n];
    int last = specs.size() - 1;
    for (int r = 0; r < n; r++) {
      segment[r] = last;
      for (int s = 0; s < last; s++) {
        Spec spec = specs.get(s);
        int column = schema.indexOf(spec.feature());
        double x = rows[r * width + column];
        if (x != x) {
          if (spec.missingToNext()) {
            continue;
          }
          segment[r] = spec.takesMissing() ? s : -1;
          break;
        }
        if (matches(spec, schema.feature(column), x)) {
          segment[r] = s;
          break;
        }
      }
    }
    return segment;
  }

  private static boolean matches(Spec spec, FeatureSpec feature, double x) {
    switch (spec.op()) {
      case "<":
        return x < spec.value();
      case "<=":
        return x <= spec.value();
      case ">":
        return x > spec.value();
      case ">=":
        return x >= spec.value();
      case "==":
        return x == spec.value();
      case "!=":
        return x != spec.value();
      default:
        return x == Math.rint(x) && x >= 0 && x < feature.categories().size()
            && spec.categories().contains(feature.categories().get((int) x));
    }
  }

  /** Fits one segment's standalone bundle on its rows (binning, selection, fitting, calibration). */
  @FunctionalInterface
  public interface SegmentTrainer {
    /**
     * @param segment the segment's name
     * @param rows the segment's training rows, row-major in the schema's columns
     * @param labels their 0/1 labels
     * @param cohorts their development cohorts, or null
     * @param weights their sample weights, or null
     */
    ModelBundle train(String segment, double[] rows, int[] labels, int[] cohorts, double[] weights);
  }

  /**
   * One trained segment.
   *
   * @param name its name
   * @param rule its rule as {@code --segment} writes it
   * @param rows its training rows
   * @param events the events among them
   * @param trained the bundle fitted on them alone, as the trainer returned it
   */
  public record Segment(String name, String rule, int rows, int events, ModelBundle trained) {}

  /**
   * The segmented bundle and its segments.
   *
   * @param bundle the sealed segmented bundle, with golden rows from every segment
   * @param segments the segments in routing order
   * @param joint the calibration of the segments together ({@link PdCalibration#calibrateJointly}),
   *     or null without one
   */
  public record Result(ModelBundle bundle, List<Segment> segments, PdCalibration.Joint joint) {
    /** Copies the list. */
    public Result {
      segments = List.copyOf(segments);
    }

    /** Without a joint calibration. */
    public Result(ModelBundle bundle, List<Segment> segments) {
      this(bundle, segments, null);
    }
  }

  /**
   * Splits the training rows by segment, fits each segment with {@code trainer} and writes one
   * segmented bundle: the segments' models and calibrations under the shared features, score scale,
   * master scale and reason codes (the union of the segments' codes, in the order they first
   * appear), with the segments' training rows and events in {@code provenance.segments}.
   *
   * @throws IllegalArgumentException for a row no segment takes, a segment with too few rows or
   *     events, or segments whose master scales differ
   */
  public static Result train(List<Spec> specs, FeatureSchema schema, double[] rows, int[] labels, int[] cohorts,
      double[] weights, SegmentTrainer trainer) {
    return train(specs, schema, rows, labels, cohorts, weights, trainer, null);
  }

  /**
   * {@link #train(List, FeatureSchema, double[], int[], int[], double[], SegmentTrainer)}, then,
   * when {@code joint} is not null, the trained segments calibrated together on their training
   * rows by {@link PdCalibration#calibrateJointly}: a given central tendency met by the whole
   * portfolio with one logit shift common to all segments, a fitted master scale fitted to all
   * segments' calibrated PDs pooled. The bundle's {@code provenance.pd_calibration} then records
   * the portfolio calibration, each segment's {@code provenance.segments[].pd_calibration} its own.
   *
   * @throws IllegalArgumentException as the other overload, or when the calibration fails
   */
  public static Result train(List<Spec> specs, FeatureSchema schema, double[] rows, int[] labels, int[] cohorts,
      double[] weights, SegmentTrainer trainer, PdCalibration.Settings joint) {
    return train(specs, schema, rows, labels, cohorts, weights, trainer, joint, (segment, bundle, segmentRows) -> bundle);
  }

  /** A last step on each segment's bundle after any joint calibration (for example its reason reference). */
  @FunctionalInterface
  public interface SegmentFinisher {
    /**
     * @param segment the segment's name
     * @param bundle its calibrated standalone bundle
     * @param rows its training rows
     */
    ModelBundle finish(String segment, ModelBundle bundle, double[] rows);
  }

  /**
   * {@link #train(List, FeatureSchema, double[], int[], int[], double[], SegmentTrainer,
   * PdCalibration.Settings)}, with {@code finisher} applied to each segment's bundle last.
   */
  public static Result train(List<Spec> specs, FeatureSchema schema, double[] rows, int[] labels, int[] cohorts,
      double[] weights, SegmentTrainer trainer, PdCalibration.Settings joint, SegmentFinisher finisher) {
    return train(specs, schema, rows, labels, cohorts, weights, trainer, joint, finisher, null);
  }

  /**
   * {@link #train(List, FeatureSchema, double[], int[], int[], double[], SegmentTrainer,
   * PdCalibration.Settings, SegmentFinisher)}, with {@code trainerText} as the bundle's {@code
   * provenance.trainer}: what the segments' trainings share (each segment's own trainer text, with
   * the settings its training used, is in its {@code provenance.segments[].trainer}); null keeps
   * the first segment's trainer text there.
   */
  public static Result train(List<Spec> specs, FeatureSchema schema, double[] rows, int[] labels, int[] cohorts,
      double[] weights, SegmentTrainer trainer, PdCalibration.Settings joint, SegmentFinisher finisher,
      String trainerText) {
    check(specs, schema);
    int width = schema.size();
    int[] segmentOf = route(specs, schema, rows);
    int[] count = new int[specs.size()];
    int[] events = new int[specs.size()];
    for (int r = 0; r < segmentOf.length; r++) {
      if (segmentOf[r] < 0) {
        int unrouted = (int) Arrays.stream(segmentOf).filter(s -> s < 0).count();
        Spec rule = null;
        for (Spec s : specs) {
          if (!s.otherwise() && !s.missingToNext() && Double.isNaN(rows[r * width + schema.indexOf(s.feature())])) {
            rule = s;
            break;
          }
        }
        throw new IllegalArgumentException("--segment '" + rule.rule() + "=" + rule.name() + "': " + unrouted
            + " training row" + (unrouted == 1 ? " has" : "s have") + " no value of " + rule.feature()
            + ", so no segment would score them; write " + rule.rule() + "|missing=" + rule.name()
            + " to send them to " + rule.name() + ", or " + rule.rule() + "|next=" + rule.name()
            + " to send them on to the next rule");
      }
      count[segmentOf[r]]++;
      events[segmentOf[r]] += labels[r];
    }
    for (int s = 0; s < specs.size(); s++) {
      Spec spec = specs.get(s);
      if (count[s] < MIN_ROWS || events[s] < MIN_EVENTS || count[s] - events[s] < MIN_EVENTS) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "--segment '%s=%s': %d training rows with %d"
            + " events; a segment needs at least %d rows and %d events and %d non-events to fit a scorecard (widen"
            + " the rule or merge the segment)", spec.rule(), spec.name(), count[s], events[s], MIN_ROWS, MIN_EVENTS,
            MIN_EVENTS));
      }
    }
    List<Segment> segments = new ArrayList<>();
    List<double[]> blocks = new ArrayList<>();
    List<double[]> weightBlocks = weights == null ? null : new ArrayList<>();
    for (int s = 0; s < specs.size(); s++) {
      int n = count[s];
      double[] segmentRows = new double[n * width];
      int[] segmentLabels = new int[n];
      int[] segmentCohorts = cohorts == null ? null : new int[n];
      double[] segmentWeights = weights == null ? null : new double[n];
      for (int r = 0, k = 0; r < segmentOf.length; r++) {
        if (segmentOf[r] == s) {
          System.arraycopy(rows, r * width, segmentRows, k * width, width);
          segmentLabels[k] = labels[r];
          if (cohorts != null) {
            segmentCohorts[k] = cohorts[r];
          }
          if (weights != null) {
            segmentWeights[k] = weights[r];
          }
          k++;
        }
      }
      ModelBundle trained;
      try {
        trained = trainer.train(specs.get(s).name(), segmentRows, segmentLabels, segmentCohorts, segmentWeights);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("segment " + specs.get(s).name() + ": " + e.getMessage(), e);
      }
      segments.add(new Segment(specs.get(s).name(), specs.get(s).rule(), n, events[s], trained));
      blocks.add(segmentRows);
      if (weightBlocks != null) {
        weightBlocks.add(segmentWeights);
      }
    }
    PdCalibration.Joint calibrated = null;
    List<ModelBundle> bundles = new ArrayList<>(segments.stream().map(Segment::trained).toList());
    if (joint != null) {
      try {
        calibrated = PdCalibration.calibrateJointly(bundles, blocks, weightBlocks, joint);
      } catch (ModelFormatException e) {
        throw new IllegalArgumentException("--segment: the calibrated segments do not form valid bundles: "
            + e.getMessage(), e);
      }
      bundles = calibrated.segments().stream().map(PdCalibration.Result::bundle).toList();
    }
    List<ModelBundle> finished = new ArrayList<>();
    for (int s = 0; s < bundles.size(); s++) {
      try {
        finished.add(finisher.finish(specs.get(s).name(), bundles.get(s), blocks.get(s)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("segment " + specs.get(s).name() + ": " + e.getMessage(), e);
      }
    }
    bundles = finished;
    return new Result(assemble(specs, schema, segments, bundles, rows, labels, weights,
        calibrated == null ? null : calibrated.record(), trainerText), segments, calibrated);
  }

  /** Writes the segmented bundle of trained segments. */
  private static ModelBundle assemble(List<Spec> specs, FeatureSchema schema, List<Segment> segments,
      List<ModelBundle> bundles, double[] rows, int[] labels, double[] weights, ObjectNode portfolio,
      String trainerText) {
    List<ObjectNode> docs = new ArrayList<>();
    for (ModelBundle bundle : bundles) {
      try {
        docs.add((ObjectNode) MAPPER.readTree(bundle.toJson()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("a trained bundle's JSON does not parse", e);
      }
    }
    Map<String, String> reasonCodes = unitedReasonCodes(docs);
    ObjectNode root = docs.get(0).deepCopy();
    for (int s = 1; s < docs.size(); s++) {
      if (!docs.get(s).get("master_scale").equals(root.get("master_scale"))) {
        throw new IllegalArgumentException("--segment: segment " + segments.get(s).name() + " got another master"
            + " scale than " + segments.get(0).name() + "; segments share one master scale (give --master-scale"
            + " default or a file, not fit:N)");
      }
    }
    ArrayNode codes = root.putArray("reason_codes");
    reasonCodes.forEach((code, text) -> codes.addObject().put("code", code).put("text", text));
    // reason references: shared at the top when the segments agree, else each segment's own
    boolean ownReferences = false;
    for (ObjectNode doc : docs) {
      ownReferences |= !java.util.Objects.equals(doc.get("reason_reference"), root.get("reason_reference"));
    }
    if (ownReferences) {
      root.remove("reason_reference");
    }
    root.remove("sha256");
    root.remove("golden_rows");
    root.remove("calibration");
    boolean trees = "tree_ensemble".equals(root.path("model").path("kind").asText());
    root.put("description", (trees ? "Segmented gradient-boosted trees (" : "Segmented scorecard (") + String.join(", ", segments.stream().map(Segment::name).toList())
        + "): " + docs.get(0).path("description").asText(""));
    ObjectNode model = MAPPER.createObjectNode();
    model.put("kind", "segmented");
    ArrayNode list = model.putArray("segments");
    ObjectNode provenance = (ObjectNode) root.get("provenance");
    provenance.remove("pd_calibration");
    if (portfolio != null) {
      provenance.set("pd_calibration", portfolio);
    }
    provenance.put("training_data_sha256", BundleBuilder.trainingDataSha256(weightedRows(rows, weights, schema.size()),
        labels));
    if (trainerText != null) {
      provenance.put("trainer", trainerText);
    }
    ArrayNode trainedSegments = provenance.putArray("segments");
    for (int s = 0; s < segments.size(); s++) {
      Spec spec = specs.get(s);
      ObjectNode doc = docs.get(s);
      ObjectNode node = list.addObject();
      node.put("name", spec.name());
      if (spec.otherwise()) {
        node.put("when", "otherwise");
      } else {
        ObjectNode when = node.putObject("when").put("feature", spec.feature()).put("op", spec.op());
        if (spec.op().equals("in")) {
          ArrayNode values = when.putArray("values");
          spec.categories().forEach(values::add);
        } else {
          when.put("value", spec.value());
        }
        if (spec.takesMissing()) {
          when.put("missing", spec.name());
        } else if (spec.missingToNext()) {
          when.put("missing", io.chainscore.scoring.spi.SegmentedView.MISSING_TO_NEXT_RULE);
        }
      }
      node.set("model", doc.get("model"));
      if (doc.has("calibration")) {
        node.set("calibration", doc.get("calibration"));
      }
      if (ownReferences && doc.has("reason_reference")) {
        node.set("reason_reference", doc.get("reason_reference"));
      }
      ObjectNode trained = trainedSegments.addObject().put("name", spec.name()).put("rows", segments.get(s).rows())
          .put("events", segments.get(s).events());
      // Each segment's own trainer text: what its training chose (trees kept by early stopping, a
      // depth chosen on held-out rows, its rejects, weights and manual bins) differs from segment to
      // segment; the bundle's is what they share (or, when the caller gives none, the first's).
      trained.put("trainer", doc.get("provenance").path("trainer").asText());
      if (doc.get("provenance").has("pd_calibration")) {
        trained.set("pd_calibration", doc.get("provenance").get("pd_calibration"));
      }
    }
    root.set("model", model);
    try {
      ModelBundle unchecked = ModelBundle.seal(root.toString());
      // golden rows: every segment's own, re-scored by the segmented bundle (its reason-code table is the union)
      ArrayNode golden = root.putArray("golden_rows");
      for (ObjectNode doc : docs) {
        for (JsonNode row : doc.path("golden_rows")) {
          ScoreResult result = unchecked.scorer().score(values(row.get("features"), unchecked.schema()));
          ObjectNode g = golden.addObject();
          g.set("features", row.get("features"));
          g.put("points", result.points()).put("pd", result.pd()).put("grade", result.grade());
          ArrayNode reasons = g.putArray("reason_codes");
          result.reasonCodes().forEach(reasons::add);
        }
      }
      return ModelBundle.seal(root.toString());
    } catch (ModelFormatException e) {
      throw new IllegalStateException("the segmented scorecard does not form a valid bundle: " + e.getMessage(), e);
    }
  }

  /**
   * The segments' reason codes made one table, each code with one meaning: every segment numbers
   * its codes from R01, so R03 of one segment may be another characteristic's reason than R03 of
   * the first (the union once kept the first segment's text for both, and a later segment's
   * suppliers were told the wrong reasons). A code keeps its name where it is free or means the
   * same text; a segment's code whose text the table already has takes that code; any other is
   * renamed to the next free R-number. The segment's documents are rewritten to match (its
   * characteristics' and features' codes, its reason reference's), and their codes are returned
   * in the order they first appear.
   */
  static Map<String, String> unitedReasonCodes(List<ObjectNode> docs) {
    Map<String, String> united = new LinkedHashMap<>();
    Map<String, String> codeOfText = new java.util.HashMap<>();
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (ObjectNode doc : docs) {
      doc.get("reason_codes").forEach(c -> taken.add(c.get("code").textValue()));
    }
    int next = 1;
    for (ObjectNode doc : docs) {
      Map<String, String> renamed = new java.util.HashMap<>();
      ArrayNode own = (ArrayNode) doc.get("reason_codes");
      for (JsonNode c : own) {
        String code = c.get("code").textValue();
        String text = c.get("text").textValue();
        String to = codeOfText.get(text);
        if (to == null) {
          to = code;
          if (united.containsKey(code)) {
            while (taken.contains(String.format(java.util.Locale.ROOT, "R%02d", next))) {
              next++;
            }
            to = String.format(java.util.Locale.ROOT, "R%02d", next);
            taken.add(to);
          }
          united.put(to, text);
          codeOfText.put(text, to);
        }
        if (!to.equals(code)) {
          renamed.put(code, to);
        }
      }
      if (renamed.isEmpty()) {
        continue;
      }
      for (JsonNode c : own) {
        ((ObjectNode) c).put("code", renamed.getOrDefault(c.get("code").textValue(), c.get("code").textValue()));
      }
      renameCodes(doc.get("model"), renamed);
      renameCodes(doc.get("features"), renamed);
      JsonNode contributions = doc.path("reason_reference").path("contributions");
      if (contributions.isObject()) {
        ObjectNode moved = MAPPER.createObjectNode();
        contributions.fields().forEachRemaining(e -> moved.set(renamed.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
        ((ObjectNode) doc.get("reason_reference")).set("contributions", moved);
      }
    }
    return united;
  }

  /** Renames every {@code reason_code} field under {@code node} that {@code renamed} maps. */
  private static void renameCodes(JsonNode node, Map<String, String> renamed) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      JsonNode code = node.get("reason_code");
      if (code != null && code.isTextual() && renamed.containsKey(code.textValue())) {
        ((ObjectNode) node).put("reason_code", renamed.get(code.textValue()));
      }
      node.elements().forEachRemaining(child -> renameCodes(child, renamed));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> renameCodes(child, renamed));
    }
  }

  private static double[] weightedRows(double[] rows, double[] weights, int width) {
    if (weights == null) {
      return rows;
    }
    int n = weights.length;
    double[] out = new double[n * (width + 1)];
    for (int r = 0; r < n; r++) {
      System.arraycopy(rows, r * width, out, r * (width + 1), width);
      out[r * (width + 1) + width] = weights[r];
    }
    return out;
  }

  private static double[] values(JsonNode features, FeatureSchema schema) {
    double[] row = new double[schema.size()];
    for (int j = 0; j < row.length; j++) {
      FeatureSpec f = schema.feature(j);
      JsonNode v = features.get(f.name());
      row[j] = v == null || v.isNull() ? Double.NaN
          : f.type() == FeatureType.CATEGORICAL ? f.categoryIndex(v.textValue()) : v.doubleValue();
    }
    return row;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
