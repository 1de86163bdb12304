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
    write(node, sb, omitKey, null);
    return sb.toString();
  }

  /**
   * The canonical text of the object {@code root} without its top-level field {@code key}, from
   * which {@link Split#with} gives the text with that field set to a string without writing the
   * tree again: a bundle's hashed content and its full text differ only by the {@code sha256}
   * member. Equal to {@code write(root, key)} and, for the full text, to {@code write(root, null)}
   * after setting the field.
   */
  static Split without(JsonNode root, String key) throws ModelFormatException {
    List<String> keys = new ArrayList<>(root.size());
    root.fieldNames().forEachRemaining(k -> {
      if (!k.equals(key)) {
        keys.add(k);
      }
    });
    Collections.sort(keys);
    StringBuilder sb = new StringBuilder(4096).append('{');
    int insertAt = -1; // before the first member whose key sorts after key (before its comma)
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      if (insertAt < 0 && k.compareTo(key) > 0) {
        insertAt = sb.length();
      }
      if (i > 0) {
        sb.append(',');
      }
      string(k, sb);
      sb.append(':');
      write(root.get(k), sb, null, new Where(null, k, -1));
    }
    sb.append('}');
    if (insertAt < 0) {
      insertAt = sb.length() - 1;
    }
    return new Split(sb.toString(), key, insertAt, !keys.isEmpty());
  }

  /**
   * A bundle's canonical text without one top-level member, and where that member goes.
   *
   * @param without the canonical text without the member (what the bundle's hash covers)
   */
  record Split(String without, String key, int insertAt, boolean otherMembers) {
    /** The canonical text with the member set to the string {@code value}. */
    String with(String value) {
      StringBuilder member = new StringBuilder(key.length() + value.length() + 8);
      string(key, member);
      member.append(':');
      string(value, member);
      boolean first = insertAt == 1;
      return without.substring(0, insertAt) + (first ? "" : ",") + member + (first && otherMembers ? "," : "")
          + without.substring(insertAt);
    }
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

  /**
   * Where a node is, built into a field path ({@link Json#at}) only for a message: a bundle has
   * hundreds of thousands of nodes, and their path strings cost more than writing them.
   */
  private record Where(Where parent, String key, int index) {
    String path() {
      String up = parent == null ? "" : parent.path();
      return key != null ? Json.at(up, key) : Json.at(up, index);
    }
  }

  private static void write(JsonNode node, StringBuilder sb, String omitKey, Where where)
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
        write(node.get(keys.get(i)), sb, null, new Where(where, keys.get(i), -1));
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(node.get(i), sb, null, new Where(where, null, i));
      }
      sb.append(']');
    } else if (node.isTextual()) {
      string(node.textValue(), sb);
    } else if (node.isNumber()) {
      double v = node.doubleValue();
      if (!Double.isFinite(v)) {
        throw new ModelFormatException(where == null ? "" : where.path(), "expected a finite number, got "
            + node.asText());
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
    // The shortest length is the least d whose half-even rounding of the exact value parses back
    // to v. Rounding to more digits is never farther from the exact value (the coarser grid's
    // points are on the finer grid) and, v not being a power of two, the values that parse back to
    // v form an interval centred on it, so the property is monotone in d: a length known to work
    // bounds the search from above and the search walks down until a length fails.
    // Double.toString gives such a length (its text parses back to v, in at most 17 digits),
    // usually the shortest or one more, so this takes two or three roundings instead of up to 17.
    if ((Double.doubleToRawLongBits(v) & 0x000F_FFFF_FFFF_FFFFL) == 0) {
      // a power of two: the doubles below it are twice as dense as above, so the interval that
      // parses back to v is lopsided, and the shortest decimal in it need not be the nearest
      // rounding of that length, which is what the definition takes
      return shortestByScan(v);
    }
    // Schubfach (Giulietti; jackson-core's port, the algorithm of JDK 19's Double.toString) gives
    // the shortest decimal that parses back to v, the nearest to v among those (ties to an even
    // last digit). Away from powers of two the interval is centred on v, so the nearest
    // half-even rounding of that length lies in it too and no shorter rounding does: the
    // definition's answer, at a fraction of its cost (BigDecimal roundings of the exact value
    // were most of the time a large bundle took to load). One exception in its rule: when one
    // digit would do, it may pick a nearer two-digit decimal, so short results take the scan.
    BigDecimal shortest = new BigDecimal(com.fasterxml.jackson.core.io.NumberOutput.toString(v, true))
        .stripTrailingZeros();
    if (shortest.precision() <= 2) {
      return shortestByScan(v);
    }
    return shortest.toString();
  }

  /**
   * The definition of {@link #number} for non-integral values, by trying every length from 1 up:
   * the reference the fast search is tested against.
   */
  static String shortestByScan(double v) {
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
