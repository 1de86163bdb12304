package io.chainscore.features;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered list of features: the column layout of a feature row ({@code double[]}) that the
 * feature engine produces and models consume.
 *
 * <p>Models name the features they use; a model is compiled against a schema once, resolving
 * names to column indexes, so evaluation never looks names up.
 *
 * <p>Thread safety: immutable.
 */
public final class FeatureSchema {
  private final List<FeatureSpec> features;
  private final Map<String, Integer> indexByName;

  private FeatureSchema(List<FeatureSpec> features) {
    this.features = List.copyOf(features);
    this.indexByName = new HashMap<>(features.size() * 2);
    for (int i = 0; i < this.features.size(); i++) {
      if (indexByName.put(this.features.get(i).name(), i) != null) {
        throw new IllegalArgumentException(
            "feature schema: duplicate feature name " + this.features.get(i).name());
      }
    }
  }

  /**
   * Creates a schema from features in column order.
   *
   * @throws IllegalArgumentException when two features share a name
   */
  public static FeatureSchema of(List<FeatureSpec> features) {
    return new FeatureSchema(java.util.Objects.requireNonNull(features, "features"));
  }

  /** Number of features, the width of a row. */
  public int size() {
    return features.size();
  }

  /** The feature in column {@code index}. */
  public FeatureSpec feature(int index) {
    return features.get(index);
  }

  /** All features in column order. */
  public List<FeatureSpec> features() {
    return features;
  }

  /** The column of the named feature, or -1 when the schema has no such feature. */
  public int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  /**
   * A new row of this schema with every feature missing (NaN), to fill by feature name: the way
   * to build a row without counting columns.
   *
   * <pre>{@code
   * double[] row = bundle.schema().row()
   *     .set("tenure_months_any", 38)
   *     .set("sector", "glass")          // a categorical feature, by its code
   *     .values();
   * }</pre>
   */
  public Row row() {
    return new Row(this);
  }

  /**
   * A feature row being filled by name; an unknown feature name or category code is an error,
   * never a silent index of -1. Unset features stay missing (NaN), which the model's missing-value
   * policy then handles.
   *
   * <p>Thread safety: not thread safe; build one per row (it is cheap: one {@code double[]}).
   */
  public static final class Row {
    private final FeatureSchema schema;
    private final double[] values;

    private Row(FeatureSchema schema) {
      this.schema = schema;
      this.values = new double[schema.size()];
      java.util.Arrays.fill(values, Double.NaN);
    }

    /**
     * Sets a numeric feature (NaN = missing).
     *
     * @throws IllegalArgumentException when the schema has no feature {@code name}, or it is
     *     categorical (set those by code)
     * @throws NullPointerException when {@code name} is null (naming it)
     */
    public Row set(String name, double value) {
      FeatureSpec f = schema.feature(index(name));
      if (f.type() == FeatureType.CATEGORICAL) {
        throw new IllegalArgumentException("feature " + name + " is categorical: set it by one of its codes "
            + f.categories());
      }
      values[schema.indexOf(name)] = value;
      return this;
    }

    /**
     * Sets a categorical feature by its category code ({@code null} = missing).
     *
     * @throws IllegalArgumentException when the schema has no feature {@code name}, it is numeric,
     *     or {@code code} is not one of its categories
     * @throws NullPointerException when {@code name} is null (naming it)
     */
    public Row set(String name, String code) {
      int column = index(name);
      FeatureSpec f = schema.feature(column);
      if (f.type() != FeatureType.CATEGORICAL) {
        throw new IllegalArgumentException("feature " + name + " is numeric: set it to a number");
      }
      if (code == null) {
        values[column] = Double.NaN;
        return this;
      }
      int category = f.categoryIndex(code);
      if (category < 0) {
        throw new IllegalArgumentException("feature " + name + " has no category '" + code + "'; its categories are "
            + f.categories());
      }
      values[column] = category;
      return this;
    }

    /** The row in schema order (a copy), ready for {@code Scorer.score}. */
    public double[] values() {
      return values.clone();
    }

    private int index(String name) {
      // a null name is the caller's bug, not bad input: an NPE naming the parameter, as the
      // library's null arguments are (it was "no feature 'null' in the schema", an
      // IllegalArgumentException, which a service reports as a bad request)
      java.util.Objects.requireNonNull(name, "name");
      int column = schema.indexOf(name);
      if (column < 0) {
        throw new IllegalArgumentException("no feature '" + name + "' in the schema; its features are "
            + schema.features().stream().map(FeatureSpec::name).toList());
      }
      return column;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSchema other && features.equals(other.features);
  }

  @Override
  public int hashCode() {
    return features.hashCode();
  }

  @Override
  public String toString() {
    return "FeatureSchema" + features.stream().map(FeatureSpec::name).toList();
  }
}
