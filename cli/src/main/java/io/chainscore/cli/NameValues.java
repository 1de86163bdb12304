package io.chainscore.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule for options whose values are {@code NAME=VALUE} items ({@code --set}, {@code
 * --scale}, {@code --monotone}, {@code --categories}, {@code --central-tendency NAME=PD,...}):
 * each item holds an {@code =} with a name before it (split at the first {@code =}, nothing
 * trimmed: a padded value is the caller's to refuse, as {@code --scale x= 2} is refused as no
 * number), and a name is given once. What a value may be is the caller's rule.
 *
 * <p>Why one place: until 2026-12-07 four commands each parsed these items their own way, with
 * their own words for the same two faults, and one split at the last {@code =}.
 *
 * <p>Thread safety: stateless.
 */
final class NameValues {
  private NameValues() {}

  /**
   * The items as name to value, in the order given, or null when the option was not given
   * ({@code items} null).
   *
   * @param option the option as the user typed it, for the message (e.g. {@code --monotone})
   * @param items the items given (each one option value)
   * @param expected the form the option takes, for the message (e.g. {@code FEATURE=+1|-1|0})
   * @throws IllegalArgumentException "{@code OPTION ITEM: expected FORM}" for an item without a
   *     name and an {@code =}, or "{@code OPTION ITEM: NAME is given twice (also as EARLIER)}"
   */
  static Map<String, String> parse(String option, List<String> items, String expected) {
    if (items == null) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> itemOf = new LinkedHashMap<>();
    for (String item : items) {
      String name = name(item);
      if (name.isEmpty()) {
        throw new IllegalArgumentException(option + " " + item + ": expected " + expected);
      }
      String earlier = itemOf.putIfAbsent(name, item);
      if (earlier != null) {
        throw new IllegalArgumentException(option + " " + item + ": " + name + " is given twice (also as "
            + earlier + ")");
      }
      values.put(name, item.substring(item.indexOf('=') + 1));
    }
    return values;
  }

  /** The name of an item as {@link #parse} reads it; empty when it has none. */
  static String name(String item) {
    int eq = item.indexOf('=');
    return eq < 0 ? "" : item.substring(0, eq);
  }
}
