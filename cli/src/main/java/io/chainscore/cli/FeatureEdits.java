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

  FeatureEdits(FeatureSchema schema, Map<String, String> set, Map<String, String> scale) {
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

  /** Applies the edits to a copy of {@code row}. */
  double[] apply(double[] row) {
    double[] out = row.clone();
    for (Edit e : edits) {
      out[e.column()] = e.scale() ? out[e.column()] * e.value() : e.value();
    }
    return out;
  }

  static int column(FeatureSchema schema, String name) {
    int column = schema.indexOf(name);
    if (column < 0) {
      List<String> names = schema.features().stream().map(FeatureSpec::name).toList();
      throw new IllegalArgumentException("unknown feature '" + name + "'; the model's features are " + names);
    }
    return column;
  }

  /** A value for a feature: a number, a category code, or "missing" / empty for NaN. */
  static double parseValue(FeatureSpec f, String text) {
    if (text == null || text.isEmpty() || text.equalsIgnoreCase("missing") || text.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (f.type() == FeatureType.CATEGORICAL) {
      int index = f.categoryIndex(text);
      if (index < 0) {
        throw new IllegalArgumentException(f.name() + "=" + text + ": unknown category; expected one of " + f.categories());
      }
      return index;
    }
    // The strict grammar of every ChainScore reader: Double.parseDouble would also take 0x1p3 or " 5".
    if (!CsvReader.isNumber(text)) {
      throw new IllegalArgumentException(f.name() + "=" + text + ": not a number; expected a decimal such as -12.5");
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      // the grammar takes "Infinity" and "1e999" (the writers' own forms); no feature has an infinite value
      throw new IllegalArgumentException(f.name() + "=" + text + ": not a finite number");
    }
    return value;
  }
}
