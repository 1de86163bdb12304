package io.chainscore.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code model} section of a bundle into a format-neutral {@link ModelSpec}. */
final class SpecReader {
  static final int MAX_CHARACTERISTICS = 1_000;
  static final int MAX_BINS = 1_000;
  static final int MAX_SPECIAL_VALUES = 100;
  static final int MAX_TERMS = 10_000;
  static final int MAX_BIN_CATEGORIES = 10_000;

  private static final Set<String> SCORECARD_KEYS = Set.of("kind", "base_points", "characteristics");
  private static final Set<String> CHARACTERISTIC_KEYS = Set.of("name", "feature", "reason_code", "bins");
  private static final Set<String> LOGISTIC_KEYS = Set.of("kind", "intercept", "terms");
  private static final Set<String> TERM_KEYS =
      Set.of("feature", "coefficient", "reference", "reason_code", "transform", "bins");

  private SpecReader() {}

  static ModelSpec.Scorecard scorecard(JsonNode model, String path) throws ModelFormatException {
    Json.onlyKeys(model, path, SCORECARD_KEYS);
    double basePoints = Json.optNumber(model, path, "base_points", 0);
    String listPath = Json.at(path, "characteristics");
    JsonNode list = Json.array(Json.required(model, path, "characteristics"), listPath, 1, MAX_CHARACTERISTICS);
    List<ModelSpec.Characteristic> characteristics = new ArrayList<>(list.size());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String p = Json.at(listPath, i);
      JsonNode node = Json.object(list.get(i), p);
      Json.onlyKeys(node, p, CHARACTERISTIC_KEYS);
      String name = Json.text(node, p, "name");
      if (!names.add(name)) {
        throw new ModelFormatException(Json.at(p, "name"), "duplicate characteristic name " + name);
      }
      characteristics.add(new ModelSpec.Characteristic(
          name,
          Json.text(node, p, "feature"),
          Json.text(node, p, "reason_code"),
          bins(Json.required(node, p, "bins"), Json.at(p, "bins"), "points"),
          p));
    }
    return new ModelSpec.Scorecard(basePoints, List.copyOf(characteristics));
  }

  static ModelSpec.Logistic logistic(JsonNode model, String path) throws ModelFormatException {
    Json.onlyKeys(model, path, LOGISTIC_KEYS);
    double intercept = Json.number(model, path, "intercept");
    String listPath = Json.at(path, "terms");
    JsonNode list = Json.array(Json.required(model, path, "terms"), listPath, 1, MAX_TERMS);
    List<ModelSpec.Term> terms = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String p = Json.at(listPath, i);
      JsonNode node = Json.object(list.get(i), p);
      Json.onlyKeys(node, p, TERM_KEYS);
      String feature = Json.text(node, p, "feature");
      String transform = Json.optText(node, p, "transform", "raw");
      ModelSpec.Characteristic woe = null;
      if (transform.equals("woe")) {
        woe = new ModelSpec.Characteristic(feature, feature, "",
            bins(Json.required(node, p, "bins"), Json.at(p, "bins"), "woe"), p);
      } else if (!transform.equals("raw")) {
        throw new ModelFormatException(Json.at(p, "transform"), "expected \"raw\" or \"woe\", got \"" + transform + "\"");
      } else if (node.has("bins")) {
        throw new ModelFormatException(Json.at(p, "bins"), "bins are only allowed with \"transform\": \"woe\"");
      }
      terms.add(new ModelSpec.Term(
          feature,
          Json.number(node, p, "coefficient"),
          Json.optNumber(node, p, "reference", 0),
          Json.text(node, p, "reason_code"),
          woe,
          p));
    }
    return new ModelSpec.Logistic(intercept, List.copyOf(terms));
  }

  private static List<ModelSpec.Bin> bins(JsonNode node, String path, String valueKey)
      throws ModelFormatException {
    Json.array(node, path, 1, MAX_BINS);
    Set<String> keys = Set.of("range", "categories", "special", "missing", valueKey);
    List<ModelSpec.Bin> bins = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String p = Json.at(path, i);
      JsonNode bin = Json.object(node.get(i), p);
      Json.onlyKeys(bin, p, keys);
      double value = Json.number(bin, p, valueKey);
      int selectors = (bin.has("range") ? 1 : 0) + (bin.has("categories") ? 1 : 0)
          + (bin.has("special") ? 1 : 0) + (bin.has("missing") ? 1 : 0);
      if (selectors != 1) {
        throw new ModelFormatException(p,
            "a bin needs exactly one of \"range\", \"categories\", \"special\" or \"missing\", got " + selectors);
      }
      if (bin.has("range")) {
        String rp = Json.at(p, "range");
        JsonNode range = Json.array(bin.get("range"), rp, 2, 2);
        double lower = Json.numberOrNull(range.get(0), Json.at(rp, 0), Double.NEGATIVE_INFINITY);
        double upper = Json.numberOrNull(range.get(1), Json.at(rp, 1), Double.POSITIVE_INFINITY);
        if (!(lower < upper)) {
          throw new ModelFormatException(rp, "interval [" + lower + ", " + upper + ") is empty");
        }
        bins.add(new ModelSpec.RangeBin(lower, upper, value, p));
      } else if (bin.has("categories")) {
        String cp = Json.at(p, "categories");
        JsonNode codes = Json.array(bin.get("categories"), cp, 1, MAX_BIN_CATEGORIES);
        List<String> list = new ArrayList<>(codes.size());
        for (int k = 0; k < codes.size(); k++) {
          list.add(Json.textValue(codes.get(k), Json.at(cp, k)));
        }
        bins.add(new ModelSpec.CategoryBin(List.copyOf(list), value, p));
      } else if (bin.has("special")) {
        String sp = Json.at(p, "special");
        JsonNode values = Json.array(bin.get("special"), sp, 1, MAX_SPECIAL_VALUES);
        double[] specials = new double[values.size()];
        for (int k = 0; k < specials.length; k++) {
          specials[k] = Json.numberValue(values.get(k), Json.at(sp, k));
        }
        bins.add(new ModelSpec.SpecialBin(specials, value, p));
      } else {
        if (!Json.bool(bin, p, "missing", false)) {
          throw new ModelFormatException(Json.at(p, "missing"), "expected true (a missing-value bin)");
        }
        bins.add(new ModelSpec.MissingBin(value, p));
      }
    }
    return List.copyOf(bins);
  }
}
