package io.chainscore.scoring.tree.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.scoring.ModelFormatException;

/**
 * Typed accessors over XGBoost's JSON document that name the field at fault in a {@link
 * ModelFormatException}: objects, arrays, strings, integer strings and the per-node arrays of a tree
 * (sizes checked against the node count, numbers finite and in range).
 *
 * <p>Thread safety: stateless.
 */
final class XGBoostFields {
  private XGBoostFields() {}

  static JsonNode object(JsonNode parent, String name, String path) throws ModelFormatException {
    JsonNode n = parent.get(name);
    if (n == null || !n.isObject()) {
      throw new ModelFormatException(path, n == null ? "missing" : "expected an object, got " + n.getNodeType());
    }
    return n;
  }

  static JsonNode array(JsonNode parent, String name, String path) throws ModelFormatException {
    JsonNode n = parent.get(name);
    if (n == null || !n.isArray()) {
      throw new ModelFormatException(path, n == null ? "missing" : "expected an array, got " + n.getNodeType());
    }
    return n;
  }

  static String string(JsonNode parent, String name, String path) throws ModelFormatException {
    JsonNode n = parent.get(name);
    if (n == null || !n.isTextual()) {
      throw new ModelFormatException(path, n == null ? "missing" : "expected a string, got " + n.getNodeType());
    }
    return n.asText();
  }

  /** XGBoost writes integers as strings; plain numbers are accepted too. */
  static int intString(JsonNode parent, String name, String path, int min, int max, int fallback)
      throws ModelFormatException {
    JsonNode n = parent.get(name);
    if (n == null) {
      if (fallback >= 0) {
        return fallback;
      }
      throw new ModelFormatException(path, "missing");
    }
    long v;
    if (n.isTextual()) {
      try {
        v = Long.parseLong(n.asText());
      } catch (NumberFormatException e) {
        throw new ModelFormatException(path, "expected an integer, got '" + n.asText() + "'");
      }
    } else if (n.isIntegralNumber() && n.canConvertToLong()) {
      v = n.asLong();
    } else {
      throw new ModelFormatException(path, "expected an integer, got " + n);
    }
    if (v < min || v > max) {
      throw new ModelFormatException(path, "value " + v + " is outside [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  static void checkSize(JsonNode array, int expected, String path) throws ModelFormatException {
    if (!array.isArray()) {
      throw new ModelFormatException(path, "expected an array");
    }
    if (array.size() != expected) {
      throw new ModelFormatException(path, "expected " + expected + " entries, got " + array.size());
    }
  }

  static int[] ints(JsonNode tree, String name, String path, int n, int min, int max)
      throws ModelFormatException {
    JsonNode a = array(tree, name, path + "." + name);
    checkSize(a, n, path + "." + name);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new ModelFormatException(path + "." + name + "[" + i + "]", "expected an integer, got " + v);
      }
      int x = v.asInt();
      if (x < min || x > max) {
        throw new ModelFormatException(path + "." + name + "[" + i + "]",
            "value " + x + " is outside [" + min + ", " + max + "]");
      }
      out[i] = x;
    }
    return out;
  }

  static float[] floats(JsonNode tree, String name, String path, int n) throws ModelFormatException {
    JsonNode a = array(tree, name, path + "." + name);
    checkSize(a, n, path + "." + name);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = floatValue(a.get(i), path + "." + name + "[" + i + "]");
    }
    return out;
  }

  /**
   * Parses decimal text straight to float32 (going through double could round twice); binary
   * numbers from UBJSON are taken as they are (a float32 exactly, a float64 rounded once). JSON text
   * never yields binary finite numbers here: the mapper reads decimals as BigDecimal.
   */
  static float floatValue(JsonNode v, String path) throws ModelFormatException {
    if (v.isFloat()) {
      return v.floatValue();
    }
    if (v.isDouble()) {
      return finiteFloat((float) v.doubleValue(), v.doubleValue(), Double.toString(v.doubleValue()), path);
    }
    if (v.isBigDecimal()) {
      String text = v.decimalValue().toString();
      return finiteFloat(Float.parseFloat(text), 0, text, path);
    }
    if (v.isIntegralNumber()) {
      String text = v.bigIntegerValue().toString();
      return finiteFloat(Float.parseFloat(text), 0, text, path);
    }
    if (v.isTextual()) {
      String s = v.asText();
      switch (s) {
        case "NaN", "nan" -> { return Float.NaN; }
        case "Infinity", "inf" -> { return Float.POSITIVE_INFINITY; }
        case "-Infinity", "-inf" -> { return Float.NEGATIVE_INFINITY; }
        default -> { }
      }
    }
    throw new ModelFormatException(path, "expected a number, got " + v);
  }

  /**
   * {@code f}, the float32 of the finite number {@code text} ({@code d} when it is a binary double,
   * else 0): a number XGBoost never wrote, since it saves float32 values, is refused where it
   * overflows float32 rather than read as an infinity that some later check would report under
   * another name.
   */
  private static float finiteFloat(float f, double d, String text, String path) throws ModelFormatException {
    if (Float.isInfinite(f) && !Double.isInfinite(d)) {
      throw new ModelFormatException(path, text + " overflows float32 (largest " + Float.MAX_VALUE + ")");
    }
    return f;
  }

  static boolean[] booleans(JsonNode tree, String name, String path, int n) throws ModelFormatException {
    JsonNode a = array(tree, name, path + "." + name);
    checkSize(a, n, path + "." + name);
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      JsonNode v = a.get(i);
      if (v.isBoolean()) {
        out[i] = v.asBoolean();
      } else if (v.isIntegralNumber() && (v.asInt() == 0 || v.asInt() == 1) && v.canConvertToInt()) {
        out[i] = v.asInt() == 1;
      } else {
        throw new ModelFormatException(path + "." + name + "[" + i + "]", "expected true/false or 0/1, got " + v);
      }
    }
    return out;
  }
}
