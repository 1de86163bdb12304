package io.chainscore.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical text of a bundle, which its SHA-256 covers: no whitespace, object keys sorted by
 * UTF-16 code units ({@link String#compareTo}), strings escaped minimally, every number written as
 * the shortest decimal that parses back to the same binary64 double.
 *
 * <p>Numbers: the value is taken as a double; an integral value of magnitude below 2^53 is written
 * as an integer ({@code 600}, {@code -3}, {@code 0}; {@code -0.0} becomes {@code 0}); any other
 * value is the shortest {@link BigDecimal} (1 to 17 significant digits, rounded half-even) whose
 * double value equals it, written by {@link BigDecimal#toString()} after stripping trailing zeros
 * ({@code 0.0015}, {@code 1.5E+20}, {@code 1E-7}). Both rules depend only on exact decimal
 * arithmetic, so the text is the same on every JDK.
 *
 * <p>Strings: {@code "} and {@code \} are escaped with a backslash, characters below U+0020 as
 * {@code \\u00XX} with lowercase hex; everything else is written as is, and the text is hashed as
 * UTF-8.
 */
final class CanonicalJson {
  private static final double TWO_TO_53 = 9007199254740992.0;

  private CanonicalJson() {}

  /** Canonical text of {@code node}, leaving out the top-level field {@code omitKey} (may be null). */
  static String write(JsonNode node, String omitKey) throws ModelFormatException {
    StringBuilder sb = new StringBuilder(4096);
    write(node, sb, omitKey, "");
    return sb.toString();
  }

  /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code text}. */
  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static void write(JsonNode node, StringBuilder sb, String omitKey, String path)
      throws ModelFormatException {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>(node.size());
      Iterator<String> it = node.fieldNames();
      while (it.hasNext()) {
        String key = it.next();
        if (!key.equals(omitKey)) {
          keys.add(key);
        }
      }
      Collections.sort(keys);
      sb.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        string(keys.get(i), sb);
        sb.append(':');
        write(node.get(keys.get(i)), sb, null, Json.at(path, keys.get(i)));
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(node.get(i), sb, null, Json.at(path, i));
      }
      sb.append(']');
    } else if (node.isTextual()) {
      string(node.textValue(), sb);
    } else if (node.isNumber()) {
      double v = node.doubleValue();
      if (!Double.isFinite(v)) {
        throw new ModelFormatException(path, "expected a finite number, got " + node.asText());
      }
      sb.append(number(v));
    } else if (node.isBoolean()) {
      sb.append(node.booleanValue() ? "true" : "false");
    } else {
      sb.append("null");
    }
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("canonical JSON has no text for " + v);
    }
    if (v == Math.rint(v) && Math.abs(v) < TWO_TO_53) {
      return Long.toString((long) v);
    }
    BigDecimal exact = new BigDecimal(v);
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == v) {
        return rounded.stripTrailingZeros().toString();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros().toString();
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') {
        sb.append('\\').append(ch);
      } else if (ch < 0x20) {
        sb.append(String.format("\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    sb.append('"');
  }
}
