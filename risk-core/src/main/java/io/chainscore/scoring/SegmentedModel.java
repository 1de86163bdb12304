package io.chainscore.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.SegmentedView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code "segmented"} model: several models sharing the bundle's features, score scale, master
 * scale and reason codes, and an ordered list of routing rules on features that sends each row to
 * one of them (first match wins; the last segment is {@code "otherwise"}).
 *
 * <p>Each segment is compiled as the standalone bundle it would be on its own (the bundle's
 * document with the segment's model and calibration in place of the segmented ones, no golden
 * rows), so a row scores with its segment exactly as with that bundle: the {@link Scorer} of a
 * segmented bundle routes a row and hands it to the segment's own scorer.
 *
 * <p>Routing reads the row as given, before the feature policies. A missing value (NaN) in the
 * feature of a rule goes to the rule's {@code missing} segment when it names one, on to the next
 * rule when {@code missing} is {@value SegmentedView#MISSING_TO_NEXT_RULE} (as PMML's {@code selectFirst} treats a predicate
 * it cannot evaluate), and is otherwise refused ({@link RowRefusals.Reason#NO_SEGMENT}); a value
 * the rule's test does not match falls through to the next rule, and a value its segment's
 * policies refuse is refused there.
 *
 * <p>Thread safety: immutable.
 */
final class SegmentedModel implements CompiledModel {
  static final String KIND = "segmented";
  static final int MAX_SEGMENTS = 100;
  private static final String NEXT = SegmentedView.MISSING_TO_NEXT_RULE;
  /** {@link #missingTarget} of a rule whose missing values go on to the next rule. */
  static final int TO_NEXT = -2;

  static final byte LT = 0;
  static final byte LE = 1;
  static final byte GT = 2;
  static final byte GE = 3;
  static final byte EQ = 4;
  static final byte NE = 5;
  static final byte IN = 6;
  private static final String[] OPS = {"<", "<=", ">", ">=", "==", "!="};

  private static final Set<String> MODEL_KEYS = Set.of("kind", "segments");
  private static final Set<String> SEGMENT_KEYS = Set.of("name", "when", "model", "calibration", "reason_reference");
  private static final Set<String> WHEN_KEYS = Set.of("feature", "op", "value", "values", "missing");

  final List<String> names;
  final List<String> rules;
  final ModelBundle[] children;
  /** Per rule (all segments but the last): the column it reads, its operator and operand. */
  final int[] column;
  final byte[] op;
  final double[] value;
  /** Per rule with {@code in}: which category indexes match; null otherwise. */
  final boolean[][] categories;
  /** Per rule: the segment a missing value goes to, {@link #TO_NEXT}, or -1 to refuse the row. */
  final int[] missingTarget;
  private final int width;
  private final int[] usedColumns;
  final ModelView view;
  private final List<ModelBundle.Segment> segments;

  private SegmentedModel(List<String> names, List<String> rules, ModelBundle[] children, int[] column, byte[] op,
      double[] value, boolean[][] categories, int[] missingTarget, int width) {
    this.names = List.copyOf(names);
    this.rules = List.copyOf(rules);
    this.children = children;
    this.column = column;
    this.op = op;
    this.value = value;
    this.categories = categories;
    this.missingTarget = missingTarget;
    this.width = width;
    TreeSet<Integer> used = new TreeSet<>();
    for (int c : column) {
      used.add(c);
    }
    List<SegmentedView.Segment> views = new ArrayList<>();
    for (int s = 0; s < children.length; s++) {
      for (int c : children[s].content().model().usedColumns()) {
        used.add(c);
      }
      views.add(new SegmentedView.Segment(names.get(s), rules.get(s), children[s].content().view()));
    }
    this.usedColumns = used.stream().mapToInt(Integer::intValue).toArray();
    this.view = new SegmentedView(views);
    List<ModelBundle.Segment> list = new ArrayList<>(names.size());
    for (int s = 0; s < names.size(); s++) {
      list.add(new ModelBundle.Segment(names.get(s), rules.get(s), children[s]));
    }
    this.segments = List.copyOf(list);
  }

  /**
   * The segment of the row at {@code offset}: its index, or {@code -1 - column} when the row's
   * value in a rule's column is missing and the rule names no segment for missing values.
   */
  int route(double[] rows, int offset) {
    int last = children.length - 1;
    for (int i = 0; i < last; i++) {
      double x = rows[offset + column[i]];
      if (x != x) {
        int target = missingTarget[i];
        if (target >= 0) {
          return target;
        }
        if (target == TO_NEXT) {
          continue;
        }
        return -1 - column[i];
      }
      if (matches(i, x)) {
        return i;
      }
    }
    return last;
  }

  private boolean matches(int i, double x) {
    double v = value[i];
    switch (op[i]) {
      case LT:
        return x < v;
      case LE:
        return x <= v;
      case GT:
        return x > v;
      case GE:
        return x >= v;
      case EQ:
        return x == v;
      case NE:
        return x != v;
      default:
        boolean[] in = categories[i];
        return x >= 0 && x < in.length && x == Math.rint(x) && in[(int) x];
    }
  }

  @Override
  public int featureCount() {
    return width;
  }

  @Override
  public int[] usedColumns() {
    return usedColumns.clone();
  }

  /** The routed segment's margin; a row no segment takes has a NaN margin. */
  @Override
  public double margin(double[] row, int offset) {
    int s = route(row, offset);
    return s < 0 ? Double.NaN : children[s].content().model().margin(row, offset);
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    int s = route(row, offset);
    if (s < 0) {
      java.util.Arrays.fill(out, 0, width, 0.0);
      return Double.NaN;
    }
    return children[s].content().model().contributions(row, offset, out);
  }

  /**
   * Reads and compiles the {@code model} section of kind {@code segmented}: every rule, and every
   * segment as its own standalone bundle derived from {@code root}.
   */
  static SegmentedModel read(JsonNode root, JsonNode modelNode, FeatureSchema schema) throws ModelFormatException {
    String path = "model";
    Json.onlyKeys(modelNode, path, MODEL_KEYS);
    String listPath = Json.at(path, "segments");
    JsonNode list = Json.array(Json.required(modelNode, path, "segments"), listPath, 2, MAX_SEGMENTS);
    int n = list.size();
    List<String> names = new ArrayList<>(n);
    Map<String, Integer> indexOf = new HashMap<>();
    for (int s = 0; s < n; s++) {
      String p = Json.at(listPath, s);
      JsonNode segment = Json.object(list.get(s), p);
      Json.onlyKeys(segment, p, SEGMENT_KEYS);
      String name = Json.text(segment, p, "name");
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
        throw new ModelFormatException(Json.at(p, "name"), "a segment name is letters, digits, '_', '.' or '-',"
            + " starting with a letter or digit; got \"" + name + "\"");
      }
      if (name.equals(NEXT)) {
        throw new ModelFormatException(Json.at(p, "name"), "\"" + NEXT + "\" is not a segment name: a rule's"
            + " \"missing\": \"" + NEXT + "\" sends rows on to the next rule");
      }
      if (indexOf.putIfAbsent(name, s) != null) {
        throw new ModelFormatException(Json.at(p, "name"), "duplicate segment name " + name);
      }
      names.add(name);
    }
    int rulesCount = n - 1;
    int[] column = new int[rulesCount];
    byte[] op = new byte[rulesCount];
    double[] value = new double[rulesCount];
    boolean[][] categories = new boolean[rulesCount][];
    int[] missingTarget = new int[rulesCount];
    List<String> rules = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      String p = Json.at(listPath, s);
      JsonNode when = Json.required(list.get(s), p, "when");
      String wp = Json.at(p, "when");
      boolean last = s == n - 1;
      if (when.isTextual() && when.textValue().equals("otherwise")) {
        if (!last) {
          throw new ModelFormatException(wp, "only the last segment may be \"otherwise\"; segment "
              + names.get(s) + " would hide the segments after it");
        }
        rules.add("otherwise");
        continue;
      }
      if (last) {
        throw new ModelFormatException(wp, "the last segment must be \"otherwise\", so that every row has a segment");
      }
      Json.object(when, wp);
      Json.onlyKeys(when, wp, WHEN_KEYS);
      String feature = Json.text(when, wp, "feature");
      int c = schema.indexOf(feature);
      if (c < 0) {
        throw new ModelFormatException(Json.at(wp, "feature"), "unknown feature \"" + feature
            + "\"; it is not in the bundle's features");
      }
      FeatureSpec spec = schema.feature(c);
      column[s] = c;
      String opText = Json.text(when, wp, "op");
      StringBuilder rule = new StringBuilder(feature);
      if (opText.equals("in")) {
        if (spec.type() != FeatureType.CATEGORICAL) {
          throw new ModelFormatException(Json.at(wp, "op"), "\"in\" tests a categorical feature's categories; "
              + feature + " is numeric (use <, <=, >, >=, == or !=)");
        }
        if (when.has("value")) {
          throw new ModelFormatException(Json.at(wp, "value"), "\"in\" takes \"values\", a list of categories");
        }
        op[s] = IN;
        String vp = Json.at(wp, "values");
        JsonNode codes = Json.array(Json.required(when, wp, "values"), vp, 1, spec.categories().size());
        categories[s] = new boolean[spec.categories().size()];
        rule.append(" in [");
        for (int k = 0; k < codes.size(); k++) {
          String code = Json.textValue(codes.get(k), Json.at(vp, k));
          int index = spec.categoryIndex(code);
          if (index < 0) {
            throw new ModelFormatException(Json.at(vp, k), "\"" + code + "\" is not a category of " + feature);
          }
          if (categories[s][index]) {
            throw new ModelFormatException(Json.at(vp, k), "category \"" + code + "\" is listed twice");
          }
          categories[s][index] = true;
          rule.append(k == 0 ? "" : ", ").append(code);
        }
        rule.append(']');
        value[s] = Double.NaN;
      } else {
        int o = java.util.Arrays.asList(OPS).indexOf(opText);
        if (o < 0) {
          throw new ModelFormatException(Json.at(wp, "op"), "expected one of <, <=, >, >=, ==, != or in, got \""
              + opText + "\"");
        }
        if (spec.type() != FeatureType.NUMERIC) {
          throw new ModelFormatException(Json.at(wp, "op"), "\"" + opText + "\" compares numbers; " + feature
              + " is categorical (use \"in\" with a list of categories)");
        }
        if (when.has("values")) {
          throw new ModelFormatException(Json.at(wp, "values"), "\"" + opText + "\" takes one number, \"value\"");
        }
        op[s] = (byte) o;
        value[s] = Json.number(when, wp, "value");
        rule.append(' ').append(opText).append(' ').append(numberText(value[s]));
      }
      missingTarget[s] = -1;
      if (when.has("missing")) {
        String target = Json.text(when, wp, "missing");
        Integer t = indexOf.get(target);
        if (target.equals(NEXT)) {
          missingTarget[s] = TO_NEXT;
          rule.append(" (missing: next rule)");
        } else if (t == null) {
          throw new ModelFormatException(Json.at(wp, "missing"), "\"" + target + "\" is not a segment of the bundle"
              + " (nor \"" + NEXT + "\", the next rule)");
        } else {
          missingTarget[s] = t;
          rule.append(" (missing: ").append(target).append(')');
        }
      }
      rules.add(rule.toString());
    }
    ModelBundle[] children = new ModelBundle[n];
    for (int s = 0; s < n; s++) {
      children[s] = child(root, list.get(s), Json.at(listPath, s));
    }
    return new SegmentedModel(names, rules, children, column, op, value, categories, missingTarget, schema.size());
  }

  private static String numberText(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * The standalone bundle of one segment: the document with the segment's model, calibration and
   * reason reference (the bundle's own when the segment has none), without golden rows (the segmented
   * bundle's are checked against the whole) and without the training record of the segments.
   */
  private static ModelBundle child(JsonNode root, JsonNode segment, String p) throws ModelFormatException {
    String mp = Json.at(p, "model");
    JsonNode model = Json.object(Json.required(segment, p, "model"), mp);
    if (KIND.equals(model.path("kind").textValue())) {
      throw new ModelFormatException(Json.at(mp, "kind"), "a segment's model cannot itself be segmented");
    }
    ObjectNode doc = ((ObjectNode) root).deepCopy();
    doc.remove("golden_rows");
    doc.remove("sha256");
    doc.set("model", model.deepCopy());
    boolean ownCalibration = segment.has("calibration");
    if (ownCalibration) {
      doc.set("calibration", segment.get("calibration").deepCopy());
    }
    boolean ownReference = segment.has("reason_reference");
    if (ownReference) {
      doc.set("reason_reference", segment.get("reason_reference").deepCopy());
    }
    if (doc.get("provenance") instanceof ObjectNode provenance) {
      provenance.remove("segments");
    }
    try {
      return ModelBundle.load(doc, true);
    } catch (ModelFormatException e) {
      String field = e.field();
      String at;
      if (field.equals("model") || field.startsWith("model.") || field.startsWith("model[")) {
        at = p + "." + field;
      } else if (ownCalibration && (field.equals("calibration") || field.startsWith("calibration."))) {
        at = p + "." + field;
      } else if (ownReference && (field.equals("reason_reference") || field.startsWith("reason_reference."))) {
        at = p + "." + field;
      } else {
        at = field;
      }
      String message = e.getMessage();
      String problem = field.isEmpty() ? message : message.substring(field.length() + 2);
      throw new ModelFormatException(at, problem + (at.equals(field) && !field.isEmpty()
          ? " (in segment " + segment.path("name").asText() + ")" : ""), e);
    }
  }

  /** The document's segments as the records {@link ModelBundle#segments()} lists. */
  List<ModelBundle.Segment> segments() {
    return segments;
  }
}
