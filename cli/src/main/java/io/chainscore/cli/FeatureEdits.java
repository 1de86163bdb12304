package io.chainscore.cli;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.tables.CsvReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses and applies {@code --set FEATURE=VALUE} and {@code --scale FEATURE=FACTOR} edits. */
final class FeatureEdits {
  private record Edit(int column, boolean scale, double value) {}

  private final List<Edit> edits = new ArrayList<>();
  private final FeatureSchema schema;

  FeatureEdits(FeatureSchema schema, Map<String, String> set, Map<String, String> scale) {
    this.schema = schema;
    if (set != null) {
      for (Map.Entry<String, String> e : set.entrySet()) {
        int column = column(schema, e.getKey());
        edits.add(new Edit(column, false, parseValue(schema.feature(column), e.getValue())));
      }
    }
    if (scale != null) {
      for (Map.Entry<String, String> e : scale.entrySet()) {
        int column = column(schema, e.getKey());
        if (schema.feature(column).type() != FeatureType.NUMERIC) {
          throw new IllegalArgumentException("--scale " + e.getKey() + ": only numeric features can be scaled");
        }
        double factor;
        if (!CsvReader.isNumber(e.getValue())) {
          throw new IllegalArgumentException("--scale " + e.getKey() + "=" + e.getValue()
              + ": the factor is not a number; expected a decimal such as 0.5");
        }
        factor = Double.parseDouble(e.getValue());
        if (!Double.isFinite(factor)) {
          throw new IllegalArgumentException("--scale " + e.getKey() + "=" + e.getValue() + ": the factor is not a finite number");
        }
        edits.add(new Edit(column, true, factor));
      }
    }
  }

  boolean isEmpty() {
    return edits.isEmpty();
  }

  /**
   * Applies the edits to a copy of {@code row}, the row of {@code supplier} (null for a row given
   * by {@code --set} alone).
   *
   * @throws IllegalArgumentException when a scaled value is no longer a finite number inside the
   *     feature's valid range (or, for a whole-number feature, has a fraction), naming the supplier,
   *     the feature, the value and the range
   */
  double[] apply(double[] row, String supplier) {
    double[] out = row.clone();
    for (Edit e : edits) {
      if (e.scale()) {
        double before = out[e.column()];
        double after = before * e.value();
        FeatureSpec f = schema.feature(e.column());
        if (before == before && !f.accepts(after)) {
          throw new IllegalArgumentException("--scale " + f.name() + "=" + number(e.value()) + ": "
              + (supplier == null ? "" : "supplier " + supplier + "'s ") + f.name() + " " + number(before)
              + " becomes " + number(after) + ", " + (inRange(f, after) ? "not a whole number, which the feature takes"
                  + " only" : "outside the feature's valid range " + range(f)));
        }
        out[e.column()] = after;
      } else {
        out[e.column()] = e.value();
      }
    }
    return out;
  }

  private static boolean inRange(FeatureSpec f, double x) {
    return Double.isFinite(x) && x >= f.min() && x <= f.max();
  }

  /** A feature's valid range as {@code [min, max]}, unbounded ends as -inf and +inf. */
  static String range(FeatureSpec f) {
    return "[" + (f.min() == Double.NEGATIVE_INFINITY ? "-inf" : number(f.min())) + ", "
        + (f.max() == Double.POSITIVE_INFINITY ? "+inf" : number(f.max())) + "]";
  }

  /** A number as a person writes it: integers without a decimal point, others in their shortest form. */
  static String number(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return Double.toString(x);
  }

  static int column(FeatureSchema schema, String name) {
    int column = schema.indexOf(name);
    if (column < 0) {
      List<String> names = schema.features().stream().map(FeatureSpec::name).toList();
      throw new IllegalArgumentException("unknown feature '" + name + "'; the model's features are " + names);
    }
    return column;
  }

  /**
   * A value for a feature ({@code --set}): a number inside the feature's valid range (whole where
   * the feature takes whole numbers only), a category code, or "missing" / empty for NaN.
   *
   * @throws IllegalArgumentException naming the feature, the value and what is accepted
   */
  static double parseValue(FeatureSpec f, String text) {
    if (text == null || text.isEmpty() || text.equalsIgnoreCase("missing") || text.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (f.type() == FeatureType.CATEGORICAL) {
      int index = f.categoryIndex(text);
      if (index < 0) {
        throw new IllegalArgumentException("--set " + f.name() + "=" + text + ": unknown category; expected one of "
            + f.categories() + " or missing");
      }
      return index;
    }
    // The strict grammar of every ChainScore reader: Double.parseDouble would also take 0x1p3 or " 5".
    if (!CsvReader.isNumber(text)) {
      throw new IllegalArgumentException("--set " + f.name() + "=" + text
          + ": not a number; expected a decimal such as -12.5 in the feature's valid range " + range(f));
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      // the grammar takes "Infinity" and "1e999" (the writers' own forms); no feature has an infinite value
      throw new IllegalArgumentException("--set " + f.name() + "=" + text + ": not a finite number; expected a value in"
          + " the feature's valid range " + range(f));
    }
    if (!inRange(f, value)) {
      throw new IllegalArgumentException("--set " + f.name() + "=" + text + ": outside the feature's valid range "
          + range(f));
    }
    if (!f.accepts(value)) {
      throw new IllegalArgumentException("--set " + f.name() + "=" + text + ": not a whole number, which the feature"
          + " takes only");
    }
    return value;
  }
}
