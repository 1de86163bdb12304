package io.chainscore.develop.scorecard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.MonotonicTrend;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The developer's fine and coarse classing: per characteristic the bins to use instead of the
 * automatic binning, read from and written to an editable JSON file ({@code chainscore bins}
 * writes it, {@code chainscore train --binning} reads it; the format is in {@code
 * docs/binning.md}).
 *
 * <p>A numeric characteristic is given by its split points (bins {@code [s_(i-1), s_i)}), its
 * special values (codes with a bin of their own) and its monotone trend; a categorical one by its
 * category groups, in order (categories in no group share the "other" bin with unseen ones).
 * Missing values always have their own bin. The counts, WoE and IV the file shows are for
 * reading only: the bins are counted again on the training rows.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file, the characteristic and the
 * split or bin at fault.
 *
 * <p>Thread safety: immutable.
 */
public final class ManualBins {
  /** No manual bins: every characteristic is binned automatically. */
  public static final ManualBins NONE = new ManualBins("(none)", null, Map.of());

  /** The {@code format} value of a bins file. */
  public static final String FORMAT = "chainscore-bins/1";

  /**
   * A key given twice and anything after the file's object are refused, as a stress scenario's are:
   * until 2026-12-08 the last of two keys was taken and a second object ignored, exit 0.
   */
  private static final ObjectMapper JSON = io.chainscore.scoring.spi.JsonSyntax.strictMapper();
  private static final Set<String> KEYS = Set.of("feature", "type", "trend", "splits", "special_values", "groups",
      "bins");

  /**
   * The bins of one characteristic.
   *
   * @param feature the feature name
   * @param categorical whether it is categorical ({@code groups}) or numeric ({@code splits})
   * @param splits strictly increasing split points of a numeric characteristic
   * @param specialValues codes of a numeric characteristic binned on their own
   * @param groups the category groups of a categorical characteristic
   * @param trend the monotone trend recorded with the bins
   */
  public record Spec(String feature, boolean categorical, double[] splits, double[] specialValues,
      List<List<String>> groups, MonotonicTrend trend) {
    /** Copies the arrays and lists. */
    public Spec {
      splits = splits.clone();
      specialValues = specialValues.clone();
      List<List<String>> copy = new ArrayList<>();
      for (List<String> g : groups) {
        copy.add(List.copyOf(g));
      }
      groups = List.copyOf(copy);
    }

    /** These bins counted on {@code column} (values as the schema codes them). */
    BinningTable table(FeatureSpec f, double[] column, int[] labels, double[] weights) {
      if (categorical) {
        return OptimalBinning.builder().trend(trend).build()
            .countGroups(CharacteristicBinning.codes(f, column), labels, weights, groups);
      }
      return OptimalBinning.builder().trend(trend).userSplits(splits).specialValues(specialValues).build()
          .fit(column, labels, weights);
    }
  }

  private final String source;
  private final String fileSha256;
  private final Map<String, Spec> specs;

  private ManualBins(String source, String fileSha256, Map<String, Spec> specs) {
    this.source = source;
    this.fileSha256 = fileSha256;
    this.specs = Map.copyOf(specs);
  }

  /** The characteristics given, by feature name. */
  public Map<String, Spec> specs() {
    return specs;
  }

  /** The file these bins came from, for messages. */
  public String source() {
    return source;
  }

  /**
   * The SHA-256 (lowercase hex) of the bins file's bytes as read, which a trained bundle's
   * provenance records when these bins changed the model; null for {@link #NONE}.
   */
  public String fileSha256() {
    return fileSha256;
  }

  /**
   * Writes {@code tables} as a bins file: per characteristic its bins and, for reading, each bin's
   * count, events, event rate, WoE and IV.
   */
  public static void write(Map<String, BinningTable> tables, Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ArrayNode list = root.putArray("characteristics");
    for (Map.Entry<String, BinningTable> en : tables.entrySet()) {
      BinningTable t = en.getValue();
      ObjectNode c = list.addObject();
      c.put("feature", en.getKey());
      c.put("type", t.isCategorical() ? "categorical" : "numeric");
      // a characteristic of one bin leaves an automatic trend unresolved; any trend holds for one
      // bin, and "none" is one the reader takes (it refuses "auto": a file says what it fits)
      MonotonicTrend trend = t.trend() == MonotonicTrend.AUTO ? MonotonicTrend.NONE : t.trend();
      c.put("trend", trend.name().toLowerCase(Locale.ROOT));
      if (t.isCategorical()) {
        ArrayNode groups = c.putArray("groups");
        for (BinningTable.Bin b : t.bins()) {
          if (b.kind() == BinningTable.BinKind.CATEGORIES) {
            ArrayNode g = groups.addArray();
            b.categories().forEach(g::add);
          }
        }
      } else {
        ArrayNode splits = c.putArray("splits");
        for (double s : t.splits()) {
          splits.add(s);
        }
        ArrayNode specials = c.putArray("special_values");
        for (double v : t.specialValues()) {
          specials.add(v);
        }
      }
      ArrayNode bins = c.putArray("bins");
      for (BinningTable.Bin b : t.bins()) {
        ObjectNode bin = bins.addObject();
        bin.put("bin", b.label());
        putCount(bin, "count", b.count());
        putCount(bin, "events", b.events());
        if (b.count() > 0) {
          bin.put("event_rate", b.eventRate());
        }
        bin.put("woe", b.woe());
        bin.put("iv", b.iv());
      }
    }
    Path partial = file.resolveSibling("." + file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), root);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** A count as an integer when it is one (unweighted), else as the weighted sum. */
  private static void putCount(ObjectNode node, String key, double count) {
    if (count == Math.rint(count) && Math.abs(count) < 1e15) {
      node.put(key, (long) count);
    } else {
      node.put(key, count);
    }
  }

  /**
   * Reads a bins file and checks its form: the format, each characteristic's keys, type, trend,
   * strictly increasing finite splits, special values and non-empty disjoint groups. Whether the
   * features exist is checked against the data by {@link #check(FeatureSchema)}.
   *
   * @throws IllegalArgumentException naming the file, the characteristic and the split or bin at
   *     fault, or the line and column of a JSON syntax error
   * @throws IOException when the file cannot be read
   */
  public static ManualBins read(Path file) throws IOException {
    String src = file.toString();
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // the one wording of a JSON syntax error (JsonSyntax): until 2026-12-08 the line and column alone
      throw new IllegalArgumentException(src + ": not valid JSON: " + io.chainscore.scoring.spi.JsonSyntax.problem(e), e);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
      throw new IllegalArgumentException(src + ": expected a JSON object with \"format\": \"" + FORMAT
          + "\" (a file written by chainscore bins)");
    }
    JsonNode list = root.get("characteristics");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(src + ": expected a \"characteristics\" array");
    }
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (int k = 0; k < list.size(); k++) {
      JsonNode c = list.get(k);
      String at = src + ": characteristic " + (k + 1);
      if (!c.isObject() || !c.path("feature").isTextual()) {
        throw new IllegalArgumentException(at + ": expected an object with a \"feature\" name");
      }
      String feature = c.get("feature").asText();
      at = src + ": characteristic '" + feature + "'";
      for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
        String key = it.next();
        if (!KEYS.contains(key)) {
          throw new IllegalArgumentException(at + ": unknown key \"" + key + "\"; expected " + new java.util.TreeSet<>(KEYS));
        }
      }
      if (specs.containsKey(feature)) {
        throw new IllegalArgumentException(at + ": given twice");
      }
      String type = c.path("type").asText("");
      MonotonicTrend trend = trend(at, c.get("trend"));
      Spec spec;
      if (type.equals("numeric")) {
        if (c.has("groups")) {
          throw new IllegalArgumentException(at + ": a numeric characteristic has \"splits\", not \"groups\"");
        }
        double[] splits = numbers(at, c.get("splits"), "split");
        for (int i = 1; i < splits.length; i++) {
          if (!(splits[i] > splits[i - 1])) {
            throw new IllegalArgumentException(at + ", split " + (i + 1) + " (" + splits[i] + "): splits must increase"
                + " strictly; split " + i + " is " + splits[i - 1]);
          }
        }
        double[] special = c.has("special_values") ? numbers(at, c.get("special_values"), "special value") : new double[0];
        for (int i = 0; i < special.length; i++) {
          for (int j = 0; j < i; j++) {
            if (special[j] == special[i]) {
              throw new IllegalArgumentException(at + ", special value " + (i + 1) + " (" + special[i] + "): given twice");
            }
          }
        }
        spec = new Spec(feature, false, splits, special, List.of(), trend);
      } else if (type.equals("categorical")) {
        if (c.has("splits") || c.has("special_values")) {
          throw new IllegalArgumentException(at + ": a categorical characteristic has \"groups\", not \"splits\" or"
              + " \"special_values\"");
        }
        spec = new Spec(feature, true, new double[0], new double[0], groups(at, c.get("groups")), trend);
      } else {
        throw new IllegalArgumentException(at + ": \"type\" must be numeric or categorical, got '" + type + "'");
      }
      specs.put(feature, spec);
    }
    return new ManualBins(src, io.chainscore.develop.TrainerSettings.sha256(bytes), specs);
  }

  /**
   * The specs by feature name, after checking them against the data's schema: every feature
   * exists, with the type the file gives, and every category of a group occurs in the data.
   *
   * @throws IllegalArgumentException naming the file, the characteristic and the bin at fault
   */
  Map<String, Spec> check(FeatureSchema schema) {
    for (Spec s : specs.values()) {
      String at = source + ": characteristic '" + s.feature() + "'";
      if (schema.indexOf(s.feature()) < 0) {
        throw new IllegalArgumentException(at + ": no such feature in the data; the candidates are "
            + schema.features().stream().map(FeatureSpec::name).toList());
      }
      FeatureSpec f = schema.feature(schema.indexOf(s.feature()));
      boolean categorical = f.type() == FeatureType.CATEGORICAL;
      if (categorical != s.categorical()) {
        throw new IllegalArgumentException(at + ": the file says " + (s.categorical() ? "categorical" : "numeric")
            + " but the data's column is " + (categorical ? "categorical" : "numeric"));
      }
      if (categorical) {
        Set<String> known = Set.copyOf(f.categories());
        for (int g = 0; g < s.groups().size(); g++) {
          for (String category : s.groups().get(g)) {
            if (!known.contains(category)) {
              throw new IllegalArgumentException(at + ", bin " + (g + 1) + ": unknown category '" + category
                  + "' (not in the data)");
            }
          }
        }
      }
    }
    return specs;
  }

  /**
   * Where the characteristics this file gives break their declared trend once counted: one line
   * per such characteristic naming the file, the characteristic and the pair of bins at fault
   * ({@link BinningTable#trendViolation()}), in file order; empty when every trend holds.
   *
   * @param tables the tables these bins gave, by feature name (features not binned are skipped)
   */
  public List<String> trendViolations(Map<String, BinningTable> tables) {
    List<String> out = new ArrayList<>();
    for (Spec s : specs.values()) {
      BinningTable t = tables.get(s.feature());
      if (t != null) {
        t.trendViolation().ifPresent(v -> out.add(source + ": characteristic '" + s.feature() + "', " + v
            + "; merge these bins, or set \"trend\" to the shape the data show (or \"none\")"));
      }
    }
    return out;
  }

  private static MonotonicTrend trend(String at, JsonNode node) {
    if (node == null) {
      return MonotonicTrend.NONE;
    }
    String t = node.asText("");
    for (MonotonicTrend m : MonotonicTrend.values()) {
      if (m != MonotonicTrend.AUTO && m.name().toLowerCase(Locale.ROOT).equals(t)) {
        return m;
      }
    }
    throw new IllegalArgumentException(at + ": \"trend\" must be ascending, descending, peak, valley or none, got '"
        + node.asText() + "'");
  }

  private static double[] numbers(String at, JsonNode node, String what) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(at + ": expected a \"" + (what.equals("split") ? "splits" : "special_values")
          + "\" array of numbers");
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw new IllegalArgumentException(at + ", " + what + " " + (i + 1) + ": expected a finite number, got " + v);
      }
      out[i] = v.asDouble();
    }
    return out;
  }

  private static List<List<String>> groups(String at, JsonNode node) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(at + ": expected a \"groups\" array of category arrays");
    }
    List<List<String>> groups = new ArrayList<>();
    Map<String, Integer> binOf = new HashMap<>();
    for (int g = 0; g < node.size(); g++) {
      JsonNode group = node.get(g);
      if (!group.isArray() || group.isEmpty()) {
        throw new IllegalArgumentException(at + ", bin " + (g + 1) + ": expected a non-empty array of categories");
      }
      List<String> categories = new ArrayList<>();
      for (JsonNode v : group) {
        if (!v.isTextual()) {
          throw new IllegalArgumentException(at + ", bin " + (g + 1) + ": expected category names as strings, got " + v);
        }
        Integer before = binOf.put(v.asText(), g);
        if (before != null) {
          throw new IllegalArgumentException(at + ", bin " + (g + 1) + ": category '" + v.asText()
              + "' is already in bin " + (before + 1));
        }
        categories.add(v.asText());
      }
      groups.add(categories);
    }
    return groups;
  }
}
