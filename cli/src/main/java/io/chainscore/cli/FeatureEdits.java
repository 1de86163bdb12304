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

  /** What a scaled value the feature does not take becomes ({@code --scaled-values}). */
  enum ScaledValues {
    /** Refused: the supplier's edit fails ({@link Refused}). */
    REFUSE,
    /**
     * The nearest value the feature takes: the range's bound it passed, and for a whole-number
     * feature the nearest whole number inside the range (a tie to the even one), as a stress
     * scenario caps a rate at 100%.
     */
    NEAREST
  }

  /** A supplier's edit the feature cannot take, naming the feature ({@link #feature}). */
  static final class Refused extends IllegalArgumentException {
    private final String feature;

    Refused(String feature, String message) {
      super(message);
      this.feature = feature;
    }

    String feature() {
      return feature;
    }
  }

  private final List<Edit> edits = new ArrayList<>();
  private final FeatureSchema schema;
  private final ScaledValues scaledValues;
  /** Scaled values moved to the nearest valid one ({@link ScaledValues#NEAREST}) so far. */
  private long movedToNearest;

  FeatureEdits(FeatureSchema schema, Map<String, String> set, Map<String, String> scale) {
    this(schema, set, scale, ScaledValues.REFUSE);
  }

  FeatureEdits(FeatureSchema schema, Map<String, String> set, Map<String, String> scale, ScaledValues scaledValues) {
    this.schema = schema;
    this.scaledValues = scaledValues;
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
   * by {@code --set} alone). A scaled value the feature does not take is refused, or becomes the
   * nearest one it takes ({@link ScaledValues}).
   *
   * @throws Refused when a scaled value is no longer a finite number inside the feature's valid
   *     range (or, for a whole-number feature, has a fraction) and is refused, or has no nearest
   *     valid value (a range holding no whole number), naming the supplier, the feature, the value
   *     and the range
   */
  double[] apply(double[] row, String supplier) {
    double[] out = row.clone();
    for (Edit e : edits) {
      if (e.scale()) {
        double before = out[e.column()];
        double after = before * e.value();
        FeatureSpec f = schema.feature(e.column());
        if (before == before && !f.accepts(after)) {
          double nearest = scaledValues == ScaledValues.NEAREST ? nearest(f, after) : Double.NaN;
          if (nearest != nearest) {
            throw new Refused(f.name(), "--scale " + f.name() + "=" + number(e.value()) + ": "
                + (supplier == null ? "" : "supplier " + supplier + "'s ") + f.name() + " " + number(before)
                + " becomes " + number(after) + ", " + (inRange(f, after) ? "not a whole number, which the feature"
                    + " takes only" : "outside the feature's valid range " + range(f)));
          }
          after = nearest;
          movedToNearest++;
        }
        out[e.column()] = after;
      } else {
        out[e.column()] = e.value();
      }
    }
    return out;
  }

  /** Scaled values moved to the nearest valid one by {@link #apply} so far. */
  long movedToNearest() {
    return movedToNearest;
  }

  /**
   * The value numeric feature {@code f} takes nearest to {@code x} (not NaN; an infinity is beyond
   * a bound): {@code x} clamped into the valid range, then, for a whole-number feature, the nearest
   * whole number inside it (a tie to the even one); NaN when the range holds none.
   */
  static double nearest(FeatureSpec f, double x) {
    double clamped = Math.max(f.min(), Math.min(f.max(), x));
    if (f.wholeNumber()) {
      double whole = Math.rint(clamped);
      // a bound with a fraction: the whole number on its inner side
      clamped = whole > f.max() ? Math.floor(f.max()) : whole < f.min() ? Math.ceil(f.min()) : whole;
    }
    // + 0.0: rint(-0.25) is -0.0, a sign no feature value carries
    return f.accepts(clamped) && Double.isFinite(clamped) ? clamped + 0.0 : Double.NaN;
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
