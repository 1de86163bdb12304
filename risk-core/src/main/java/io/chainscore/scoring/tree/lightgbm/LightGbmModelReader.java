package io.chainscore.scoring.tree.lightgbm;

import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.tables.CsvReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a LightGBM text model ({@code Booster.save_model("model.txt")}, format v3/v4) into a
 * {@link TreeEnsemble} with {@link TreeEnsemble.Precision#FLOAT64} rules, so that compiled margins
 * equal LightGBM's raw scores bit for bit.
 *
 * <p>Supported: objectives {@code binary} (logistic link with its {@code sigmoid:} factor), {@code
 * cross_entropy}, and the identity-output regressions {@code regression}, {@code regression_l1},
 * {@code huber}, {@code fair}, {@code quantile}, {@code mape}; numeric splits with missing types
 * None, Zero and NaN and default directions; categorical splits with bitsets. Refused with a
 * {@link ModelFormatException} naming the field: multiclass models, linear trees, random-forest
 * averaging, pandas category labels ({@code pandas_categorical} other than {@code null}),
 * objectives with other output transforms, and malformed or oversized files (at most
 * {@link #MAX_BYTES} bytes, {@link TreeEnsemble#MAX_TREES} trees, {@link #MAX_LEAVES} leaves per
 * tree, {@link DecisionTree#MAX_DEPTH} levels).
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class LightGbmModelReader {
  /** Largest file accepted. */
  public static final long MAX_BYTES = 256L << 20;

  /** Largest leaf count of one tree (LightGBM itself allows 131072). */
  public static final int MAX_LEAVES = 131_072;

  private LightGbmModelReader() {}

  /** Reads a model file; a {@link ModelFormatException} names the file ({@link ModelFormatException#inFile}). */
  public static TreeEnsemble read(Path file) throws ModelFormatException, IOException {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ModelFormatException("", "the file is " + size + " bytes, more than the limit " + MAX_BYTES);
      }
      return read(text(Files.readAllBytes(file)));
    } catch (ModelFormatException e) {
      throw e.inFile(file);
    }
  }

  /** Reads a model from a stream of at most {@link #MAX_BYTES} bytes (the stream is not closed). */
  public static TreeEnsemble read(InputStream in) throws ModelFormatException, IOException {
    byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new ModelFormatException("", "model is larger than the limit of " + MAX_BYTES + " bytes");
    }
    return read(text(bytes));
  }

  /**
   * The bytes as UTF-8 text, the only encoding LightGBM writes; anything else (a UBJSON or gzipped
   * file, a Latin-1 feature name) is refused at its line and byte rather than decoded with
   * replacement characters or reported as a bare decoder error.
   */
  static String text(byte[] bytes) throws ModelFormatException {
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      boolean gzip = bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
      throw new ModelFormatException("line " + line, String.format(java.util.Locale.ROOT,
          "byte offset %d (0x%02x): not a LightGBM text model (not UTF-8 text%s)", at, bytes[at] & 0xff,
          gzip ? "; the file is gzip-compressed: decompress it first" : ""));
    }
    return out.flip().toString();
  }

  /** Reads a model from the text of a {@code model.txt}. */
  public static TreeEnsemble read(String text) throws ModelFormatException {
    if (text.length() > MAX_BYTES) {
      throw new ModelFormatException("", "model is larger than the limit of " + MAX_BYTES + " characters");
    }
    String[] lines = text.split("\r?\n", -1);
    int lineNo = 0;
    Map<String, String> header = new HashMap<>();
    // Header: key=value lines up to the first "Tree=" block.
    while (lineNo < lines.length && !lines[lineNo].startsWith("Tree=") && !lines[lineNo].startsWith("end of trees")) {
      String line = lines[lineNo++].trim();
      int eq = line.indexOf('=');
      if (eq > 0) {
        header.put(line.substring(0, eq), line.substring(eq + 1));
      } else if (line.equals("average_output")) {
        // a random forest's flag, which LightGBM writes as a bare line; refused below by name
        header.put(line, "");
      } else if (!line.isEmpty() && !line.equals("tree")) {
        throw new ModelFormatException("line " + lineNo, "expected key=value in the header, got '" + abbreviate(line) + "'");
      }
    }
    if (!"tree".equals(lines.length > 0 ? lines[0].trim() : "")) {
      throw new ModelFormatException("line 1", "expected the first line 'tree' of a LightGBM text model");
    }
    int numClass = headerInt(header, "num_class", 1, Integer.MAX_VALUE);
    if (numClass != 1) {
      throw new ModelFormatException("num_class", "multiclass models (num_class=" + numClass + ") are not supported");
    }
    int perIteration = header.containsKey("num_tree_per_iteration")
        ? headerInt(header, "num_tree_per_iteration", 1, Integer.MAX_VALUE) : 1;
    if (perIteration != 1) {
      throw new ModelFormatException("num_tree_per_iteration",
          "models with " + perIteration + " trees per iteration (multiclass) are not supported");
    }
    if (header.containsKey("average_output")) {
      throw new ModelFormatException("average_output", "random-forest models (averaged output) are not supported");
    }
    int featureCount = headerInt(header, "max_feature_idx", -1, TreeEnsemble.MAX_FEATURES - 1) + 1;
    String objectiveText = required(header, "objective").trim();
    String[] objectiveParts = objectiveText.split("\\s+");
    TreeEnsemble.Link link;
    double sigmoid = 1.0;
    switch (objectiveParts[0]) {
      case "binary" -> {
        link = TreeEnsemble.Link.LOGISTIC;
        sigmoid = objectiveParameter(objectiveParts, "sigmoid", 1.0);
      }
      case "cross_entropy", "xentropy" -> link = TreeEnsemble.Link.LOGISTIC;
      case "regression", "regression_l2", "regression_l1", "huber", "fair", "quantile", "mape" -> {
        for (String part : objectiveParts) {
          if (part.equals("sqrt")) {
            throw new ModelFormatException("objective", "regression with sqrt output transform is not supported");
          }
        }
        link = TreeEnsemble.Link.IDENTITY;
      }
      default -> throw new ModelFormatException("objective", "objective '" + objectiveText
          + "' is not supported (binary, cross_entropy, regression, regression_l1, huber, fair, quantile, mape)");
    }
    String[] names = splitList(required(header, "feature_names"));
    if (names.length != featureCount) {
      throw new ModelFormatException("feature_names", "expected " + featureCount + " names (max_feature_idx + 1), got " + names.length);
    }
    List<Boolean> categoricalFeatures = new ArrayList<>(featureCount);
    String infos = header.get("feature_infos");
    String[] infoParts = infos == null ? new String[0] : splitList(infos);
    for (int f = 0; f < featureCount; f++) {
      String info = f < infoParts.length ? infoParts[f] : "none";
      categoricalFeatures.add(!info.startsWith("[") && !info.equals("none"));
    }
    int declaredTrees = -1;
    if (header.containsKey("tree_sizes")) {
      String sizes = header.get("tree_sizes").trim();
      declaredTrees = sizes.isEmpty() ? 0 : countTokens(sizes);
      if (declaredTrees > TreeEnsemble.MAX_TREES) {
        throw new ModelFormatException("tree_sizes", declaredTrees + " trees declared, more than the limit " + TreeEnsemble.MAX_TREES);
      }
    }

    List<DecisionTree> trees = new ArrayList<>();
    boolean ended = false;
    while (lineNo < lines.length) {
      String line = lines[lineNo].trim();
      if (line.startsWith("end of trees")) {
        ended = true;
        break;
      }
      if (line.isEmpty()) {
        lineNo++;
        continue;
      }
      if (!line.startsWith("Tree=")) {
        throw new ModelFormatException("line " + (lineNo + 1), "expected 'Tree=<index>' or 'end of trees', got '" + abbreviate(line) + "'");
      }
      String index = line.substring(5);
      if (!index.equals(Integer.toString(trees.size()))) {
        throw new ModelFormatException("line " + (lineNo + 1), "expected Tree=" + trees.size() + ", got '" + abbreviate(line) + "'");
      }
      if (trees.size() >= TreeEnsemble.MAX_TREES) {
        throw new ModelFormatException("Tree=" + index, "more than the limit of " + TreeEnsemble.MAX_TREES + " trees");
      }
      lineNo++;
      Map<String, String> block = new HashMap<>();
      while (lineNo < lines.length) {
        String l = lines[lineNo].trim();
        if (l.isEmpty() || l.startsWith("Tree=") || l.startsWith("end of trees")) {
          break;
        }
        int eq = l.indexOf('=');
        if (eq <= 0) {
          throw new ModelFormatException("Tree=" + index, "line " + (lineNo + 1) + ": expected key=value (the file may be truncated), got '" + abbreviate(l) + "'");
        }
        block.put(l.substring(0, eq), l.substring(eq + 1));
        lineNo++;
      }
      trees.add(readTree(block, "Tree=" + index, featureCount));
    }
    if (!ended) {
      throw new ModelFormatException("end of trees", "missing: the file is truncated");
    }
    if (declaredTrees >= 0 && declaredTrees != trees.size()) {
      throw new ModelFormatException("tree_sizes", "declares " + declaredTrees + " trees but the file has " + trees.size());
    }
    if (trees.isEmpty()) {
      // LightGBM saves a booster before its first iteration too; it would give one score for all rows
      throw new ModelFormatException("end of trees", "the model has no trees: it would give every row the same score;"
          + " export it after training");
    }
    if (declaredTrees > 0) {
      TreeSizes.check(header.get("tree_sizes"), text);
    }
    java.util.Map<String, String> records = checkParameters(lines, lineNo);
    TreeEnsemble ensemble = TreeEnsemble.of(List.of(names), categoricalFeatures, trees, 0.0, link, sigmoid,
        TreeEnsemble.Precision.FLOAT64, "LightGBM " + objectiveText);
    return records.isEmpty() ? ensemble : ensemble.withRecords(records);
  }

  /**
   * Checks the parameters section and returns the records {@code chainscore export lightgbm} writes
   * there for its import ({@code [chainscore_calibration: JSON]}, {@code chainscore_score_scale},
   * {@code chainscore_master_scale}, {@code chainscore_provenance}, {@code chainscore_reasons}), by
   * name; empty when there are none.
   */
  private static java.util.Map<String, String> checkParameters(String[] lines, int from) throws ModelFormatException {
    java.util.Map<String, String> records = new java.util.TreeMap<>();
    for (int i = from; i < lines.length; i++) {
      String l = lines[i].trim();
      for (String name : io.chainscore.scoring.tree.TreeExports.RESTORED_RECORDS) {
        if (l.startsWith("[" + name + ":") && l.endsWith("]")) {
          records.put(name, l.substring(name.length() + 2, l.length() - 1).trim());
        }
      }
      if (l.startsWith("[linear_tree:") && !l.equals("[linear_tree: 0]")) {
        throw new ModelFormatException("parameters.linear_tree", "linear trees are not supported");
      }
      if (l.startsWith("pandas_categorical:")) {
        String list = l.substring("pandas_categorical:".length()).trim();
        if (!list.equals("null") && !list.equals("[]")) {
          // Python LightGBM re-codes each label to its position in these lists before the trees see
          // it (label 1 of [1, 2, 3, 4] is category 0); the trees' categories are those positions,
          // so scoring the user's labels as codes would silently take the wrong branches.
          throw new ModelFormatException("pandas_categorical", "pandas category labels re-coded by position ("
              + abbreviate(list) + ") are not supported; train on the integer codes (Series.cat.codes) instead"
              + " of pandas 'category' columns");
        }
      }
    }
    return records;
  }

  private static DecisionTree readTree(Map<String, String> block, String path, int featureCount)
      throws ModelFormatException {
    int leaves = blockInt(block, path, "num_leaves", 1, MAX_LEAVES);
    if (block.containsKey("is_linear") && !block.get("is_linear").trim().equals("0")) {
      throw new ModelFormatException(path + ".is_linear", "linear trees are not supported");
    }
    int numCat = block.containsKey("num_cat") ? blockInt(block, path, "num_cat", 0, leaves) : 0;
    double[] leafValue = doubles(block, path, "leaf_value", leaves);
    int internal = leaves - 1;
    int n = internal + leaves;
    int[] left = new int[n];
    int[] right = new int[n];
    int[] feature = new int[n];
    double[] threshold = new double[n];
    boolean[] categorical = new boolean[n];
    int[][] categories = new int[n][];
    boolean[] defaultLeft = new boolean[n];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
    double[] value = new double[n];
    double[] cover = new double[n];
    java.util.Arrays.fill(missing, DecisionTree.MissingRule.NAN_TO_DEFAULT);
    for (int k = 0; k < leaves; k++) {
      int node = internal + k;
      left[node] = -1;
      right[node] = -1;
      value[node] = leafValue[k];
      if (!Double.isFinite(leafValue[k])) {
        throw new ModelFormatException(path + ".leaf_value[" + k + "]", "leaf value must be finite");
      }
    }
    if (leaves == 1) {
      cover[0] = block.containsKey("leaf_count") ? doubles(block, path, "leaf_count", 1)[0] : 0;
      return DecisionTree.of(path, featureCount, left, right, feature, threshold, categorical, categories,
          defaultLeft, missing, value, cover, 1.0);
    }
    int[] splitFeature = ints(block, path, "split_feature", internal, 0, featureCount - 1);
    double[] thresholds = doubles(block, path, "threshold", internal);
    int[] decisionType = ints(block, path, "decision_type", internal, 0, 255);
    int[] leftChild = ints(block, path, "left_child", internal, -leaves, internal - 1);
    int[] rightChild = ints(block, path, "right_child", internal, -leaves, internal - 1);
    double[] leafCount = doubles(block, path, "leaf_count", leaves);
    double[] internalCount = doubles(block, path, "internal_count", internal);
    int[] catBoundaries = numCat > 0 ? ints(block, path, "cat_boundaries", numCat + 1, 0, Integer.MAX_VALUE) : new int[0];
    long[] catThreshold = numCat > 0 ? unsignedInts(block, path, "cat_threshold",
        catBoundaries[numCat]) : new long[0];
    for (int k = 0; k < numCat; k++) {
      if (catBoundaries[k + 1] < catBoundaries[k] || (k == 0 && catBoundaries[0] != 0)) {
        throw new ModelFormatException(path + ".cat_boundaries[" + (k + 1) + "]", "boundaries must start at 0 and not decrease");
      }
    }
    for (int k = 0; k < leaves; k++) {
      cover[internal + k] = leafCount[k];
    }
    for (int i = 0; i < internal; i++) {
      String node = "[" + i + "]";
      left[i] = leftChild[i] >= 0 ? leftChild[i] : internal + ~leftChild[i];
      right[i] = rightChild[i] >= 0 ? rightChild[i] : internal + ~rightChild[i];
      if (leftChild[i] == i || rightChild[i] == i) {
        throw new ModelFormatException(path + (leftChild[i] == i ? ".left_child" : ".right_child") + node,
            "node " + i + " is its own child (cycle)");
      }
      feature[i] = splitFeature[i];
      cover[i] = internalCount[i];
      int dt = decisionType[i];
      defaultLeft[i] = (dt & 2) != 0;
      int missingType = (dt >> 2) & 3;
      if (missingType == 3 || dt >= 16) {
        throw new ModelFormatException(path + ".decision_type" + node, "unknown decision type " + dt);
      }
      if ((dt & 1) != 0) {
        categorical[i] = true;
        double t = thresholds[i];
        if (!(t >= 0 && t < numCat) || t != Math.rint(t)) {
          throw new ModelFormatException(path + ".threshold" + node,
              "a categorical split's threshold must index cat_boundaries [0, " + numCat + "), got " + t);
        }
        int k = (int) t;
        categories[i] = bitsetToSet(catThreshold, catBoundaries[k], catBoundaries[k + 1], path + ".cat_threshold");
      } else {
        if (!Double.isFinite(thresholds[i])) {
          throw new ModelFormatException(path + ".threshold" + node,
              "threshold must be a finite number, got " + thresholds[i]);
        }
        threshold[i] = thresholds[i];
        missing[i] = switch (missingType) {
          case 0 -> DecisionTree.MissingRule.NAN_AS_ZERO;
          case 1 -> DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT;
          default -> DecisionTree.MissingRule.NAN_TO_DEFAULT;
        };
      }
    }
    return DecisionTree.of(path, featureCount, left, right, feature, threshold, categorical, categories,
        defaultLeft, missing, value, cover, 1.0);
  }

  private static int[] bitsetToSet(long[] words, int from, int to, String path) throws ModelFormatException {
    if ((long) (to - from) * 32 > TreeEnsemble.MAX_CATEGORY) {
      throw new ModelFormatException(path, "category bitset of " + (to - from) + " words is too large");
    }
    int count = 0;
    for (int w = from; w < to; w++) {
      count += Long.bitCount(words[w]);
    }
    int[] set = new int[count];
    int k = 0;
    for (int w = from; w < to; w++) {
      for (int b = 0; b < 32; b++) {
        if ((words[w] & (1L << b)) != 0) {
          set[k++] = (w - from) * 32 + b;
        }
      }
    }
    return set;
  }

  // ---- parsing helpers that name the field on failure ----

  private static String required(Map<String, String> header, String key) throws ModelFormatException {
    String v = header.get(key);
    if (v == null) {
      throw new ModelFormatException(key, "missing from the header");
    }
    return v;
  }

  private static int headerInt(Map<String, String> header, String key, int min, int max) throws ModelFormatException {
    return parseInt(required(header, key).trim(), key, min, max);
  }

  private static int blockInt(Map<String, String> block, String path, String key, int min, int max)
      throws ModelFormatException {
    String v = block.get(key);
    if (v == null) {
      throw new ModelFormatException(path + "." + key, "missing");
    }
    return parseInt(v.trim(), path + "." + key, min, max);
  }

  private static int parseInt(String text, String field, int min, int max) throws ModelFormatException {
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ModelFormatException(field, "expected an integer, got '" + abbreviate(text) + "'");
    }
    if (v < min || v > max) {
      throw new ModelFormatException(field, "value " + v + " is outside [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  private static double objectiveParameter(String[] parts, String name, double fallback) throws ModelFormatException {
    for (String part : parts) {
      if (part.startsWith(name + ":")) {
        try {
          double v = strictDouble(part.substring(name.length() + 1));
          if (!(v > 0) || Double.isInfinite(v)) {
            throw new ModelFormatException("objective", name + " must be positive and finite, got " + v);
          }
          return v;
        } catch (NumberFormatException e) {
          throw new ModelFormatException("objective", "expected a number after '" + name + ":', got '" + part + "'");
        }
      }
    }
    return fallback;
  }

  private static String[] tokens(Map<String, String> block, String path, String key, int expected)
      throws ModelFormatException {
    String v = block.get(key);
    if (v == null) {
      throw new ModelFormatException(path + "." + key, "missing");
    }
    String trimmed = v.trim();
    int count = trimmed.isEmpty() ? 0 : countTokens(trimmed);
    if (count != expected) {
      throw new ModelFormatException(path + "." + key, "expected " + expected + " values, got " + count);
    }
    return count == 0 ? new String[0] : trimmed.split("\\s+");
  }

  private static int countTokens(String s) {
    int count = 0;
    boolean inToken = false;
    for (int i = 0; i < s.length(); i++) {
      boolean space = Character.isWhitespace(s.charAt(i));
      if (!space && !inToken) {
        count++;
      }
      inToken = !space;
    }
    return count;
  }

  static String[] splitList(String s) {
    String t = s.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  private static int[] ints(Map<String, String> block, String path, String key, int n, int min, int max)
      throws ModelFormatException {
    String[] t = tokens(block, path, key, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = parseInt(t[i], path + "." + key + "[" + i + "]", min, max);
    }
    return out;
  }

  private static long[] unsignedInts(Map<String, String> block, String path, String key, int n)
      throws ModelFormatException {
    String[] t = tokens(block, path, key, n);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      try {
        out[i] = Long.parseLong(t[i]);
      } catch (NumberFormatException e) {
        throw new ModelFormatException(path + "." + key + "[" + i + "]", "expected an unsigned 32-bit integer, got '" + abbreviate(t[i]) + "'");
      }
      if (out[i] < 0 || out[i] > 0xFFFFFFFFL) {
        throw new ModelFormatException(path + "." + key + "[" + i + "]", "value " + out[i] + " is not an unsigned 32-bit integer");
      }
    }
    return out;
  }

  private static double[] doubles(Map<String, String> block, String path, String key, int n)
      throws ModelFormatException {
    String[] t = tokens(block, path, key, n);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      String s = t[i];
      try {
        out[i] = switch (s) {
          case "inf", "+inf", "Infinity" -> Double.POSITIVE_INFINITY;
          case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
          case "nan", "-nan", "NaN" -> Double.NaN;
          default -> strictDouble(s);
        };
      } catch (NumberFormatException e) {
        throw new ModelFormatException(path + "." + key + "[" + i + "]", "expected a number, got '" + abbreviate(s) + "'");
      }
    }
    return out;
  }

  /**
   * A decimal number as LightGBM writes it; Java's own forms that LightGBM never writes (hex
   * floats such as {@code 0x1p3}, type suffixes such as {@code 1d}) are refused, so a file is read
   * here only as LightGBM would read it.
   */
  private static double strictDouble(String text) {
    if (!CsvReader.isNumber(text)) {
      throw new NumberFormatException(text);
    }
    return Double.parseDouble(text);
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
