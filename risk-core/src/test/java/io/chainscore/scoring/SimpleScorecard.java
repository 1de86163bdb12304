package io.chainscore.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple scorecard evaluator for cross-checking the compiled one: it walks the
 * bundle's JSON with maps and if-chains, names instead of indexes, and sorts reason codes with a
 * comparator. Slow and obvious on purpose.
 */
final class SimpleScorecard {
  record Result(double points, double pd, List<String> reasons) {}

  private final JsonNode root;

  SimpleScorecard(JsonNode root) {
    this.root = root;
  }

  /** Scores named values: category codes as strings, numbers as Double, missing as null. */
  Result score(Map<String, Object> input) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (JsonNode f : root.get("features")) {
      String name = f.get("name").asText();
      Object v = input.get(name);
      if (v == null && f.get("missing").asText().equals("impute")) {
        v = f.get("impute_value").isTextual() ? f.get("impute_value").asText() : f.get("impute_value").asDouble();
      }
      if (v instanceof Double d && f.has("out_of_range") && f.get("out_of_range").asText().equals("clamp")) {
        double min = f.get("min").asDouble();
        double max = f.get("max").asDouble();
        if (d < min) {
          v = min;
        } else if (d > max) {
          v = max;
        }
      }
      values.put(name, v);
    }
    JsonNode model = root.get("model");
    double points = model.get("base_points").asDouble();
    Map<String, Double> below = new LinkedHashMap<>();
    for (JsonNode rc : root.get("reason_codes")) {
      below.put(rc.get("code").asText(), 0.0);
    }
    for (JsonNode ch : model.get("characteristics")) {
      Object v = values.get(ch.get("feature").asText());
      Double binPoints = null;
      double max = Double.NEGATIVE_INFINITY;
      for (JsonNode bin : ch.get("bins")) {
        max = Math.max(max, bin.get("points").asDouble());
      }
      // missing first, then specials, then intervals and categories, as the format specifies
      for (JsonNode bin : ch.get("bins")) {
        if (v == null && bin.has("missing")) {
          binPoints = bin.get("points").asDouble();
        }
      }
      if (binPoints == null && v instanceof Double d) {
        for (JsonNode bin : ch.get("bins")) {
          if (bin.has("special")) {
            for (JsonNode s : bin.get("special")) {
              if (s.asDouble() == d) {
                binPoints = bin.get("points").asDouble();
              }
            }
          }
        }
        if (binPoints == null) {
          for (JsonNode bin : ch.get("bins")) {
            if (bin.has("range")) {
              JsonNode lo = bin.get("range").get(0);
              JsonNode hi = bin.get("range").get(1);
              boolean aboveLower = lo.isNull() || d >= lo.asDouble();
              boolean belowUpper = hi.isNull() || d < hi.asDouble();
              if (aboveLower && belowUpper) {
                binPoints = bin.get("points").asDouble();
              }
            }
          }
        }
      }
      if (binPoints == null && v instanceof String code) {
        for (JsonNode bin : ch.get("bins")) {
          if (bin.has("categories")) {
            for (JsonNode c : bin.get("categories")) {
              if (c.asText().equals(code)) {
                binPoints = bin.get("points").asDouble();
              }
            }
          }
        }
      }
      if (binPoints == null) {
        throw new IllegalStateException("no bin for " + ch.get("name") + " = " + v);
      }
      points += binPoints;
      String code = ch.get("reason_code").asText();
      below.put(code, below.get(code) + (max - binPoints));
    }
    JsonNode scale = root.get("score_scale");
    double odds = scale.get("base_odds").asDouble()
        * Math.pow(2, (points - scale.get("base_score").asDouble()) / scale.get("pdo").asDouble());
    double pd = 1 / (1 + odds);
    List<String> codes = new ArrayList<>(below.keySet());
    List<String> order = new ArrayList<>(below.keySet());
    List<String> reasons = new ArrayList<>();
    codes.removeIf(c -> !(below.get(c) > 0));
    codes.sort(Comparator.comparing((String c) -> -below.get(c)).thenComparing(order::indexOf));
    for (int i = 0; i < Math.min(4, codes.size()); i++) {
      reasons.add(codes.get(i));
    }
    return new Result(points, pd, reasons);
  }
}
