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
    return new FeatureSchema(features);
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
