package io.chainscore.features;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Name, type, unit and valid range of one feature.
 *
 * <p>Numeric values outside {@code [min, max]} are invalid input (the batch engine quarantines
 * them); use infinite bounds for an open range. Categorical features carry the index of their
 * category in a {@code double} row, so {@code min} is 0 and {@code max} is the last index. A
 * whole-number numeric feature (a count, a PMML {@code integer} field) accepts only values without
 * a fraction: 3.0 is 3, and 2.5 is refused as a categorical feature's 2.5 is.
 *
 * <p>Thread safety: immutable.
 *
 * @param name snake_case identifier, unique within a schema, for example
 *     {@code invoiced_amount_12m}; never one of the feature table's {@link #KEY_COLUMNS}
 * @param type numeric or categorical
 * @param unit unit of a numeric value ({@code "currency"}, {@code "days"}, {@code "ratio"},
 *     {@code "count"}, {@code "months"}), empty for categorical features
 * @param min smallest valid value
 * @param max largest valid value
 * @param categories the category codes of a categorical feature, empty for a numeric one; copied
 * @param description one sentence saying what the value measures
 * @param wholeNumber whether a numeric feature's values are whole numbers only; always false for
 *     a categorical feature (whose values are category indexes anyway)
 */
public record FeatureSpec(
    String name,
    FeatureType type,
    String unit,
    double min,
    double max,
    List<String> categories,
    String description,
    boolean wholeNumber) {
  /**
   * The key columns of a feature table, in order ({@code supplier_id}, {@code as_of_date}): no
   * feature has one of these names, since a feature table's column of that name is the row's key
   * and never the feature's value (a model using it could score no row).
   */
  public static final List<String> KEY_COLUMNS = List.of("supplier_id", "as_of_date");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * A feature whose numeric values may have a fraction: the record as it was before {@link
   * #wholeNumber} was added, kept so that callers written then still compile and link.
   */
  public FeatureSpec(String name, FeatureType type, String unit, double min, double max, List<String> categories,
      String description) {
    this(name, type, unit, min, max, categories, description, false);
  }

  /** Validates the name, the range and the categories. */
  public FeatureSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "feature name must be snake_case ([a-z][a-z0-9_]*), got " + name);
    }
    if (KEY_COLUMNS.contains(name)) {
      throw new IllegalArgumentException("feature name " + name + " is a key column of the feature table ("
          + String.join(", ", KEY_COLUMNS) + "), so no feature table can hold it as a feature; rename the feature");
    }
    if (type == null) {
      throw new IllegalArgumentException("feature " + name + ": type is required");
    }
    unit = unit == null ? "" : unit;
    description = description == null ? "" : description;
    categories = categories == null ? List.of() : List.copyOf(categories);
    if (type == FeatureType.CATEGORICAL) {
      if (categories.isEmpty()) {
        throw new IllegalArgumentException("feature " + name + ": a categorical feature needs categories");
      }
      if (categories.stream().distinct().count() != categories.size()) {
        throw new IllegalArgumentException("feature " + name + ": categories must be unique");
      }
      if (wholeNumber) {
        throw new IllegalArgumentException("feature " + name + ": only a numeric feature is declared a whole number"
            + " (a categorical feature's values are category indexes)");
      }
      min = 0;
      max = categories.size() - 1;
    } else if (!categories.isEmpty()) {
      throw new IllegalArgumentException("feature " + name + ": a numeric feature has no categories");
    }
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException(
          "feature " + name + ": valid range [" + min + ", " + max + "] is empty or NaN");
    }
  }

  /** A numeric feature with a valid range. */
  public static FeatureSpec numeric(String name, String unit, double min, double max, String description) {
    return new FeatureSpec(name, FeatureType.NUMERIC, unit, min, max, List.of(), description, false);
  }

  /**
   * A numeric feature whose values are whole numbers in a valid range (a count; a PMML {@code
   * integer} field): a value with a fraction is refused.
   */
  public static FeatureSpec integer(String name, String unit, double min, double max, String description) {
    return new FeatureSpec(name, FeatureType.NUMERIC, unit, min, max, List.of(), description, true);
  }

  /** A categorical feature over the given codes. */
  public static FeatureSpec categorical(String name, List<String> categories, String description) {
    return new FeatureSpec(name, FeatureType.CATEGORICAL, "", 0, 0, categories, description, false);
  }

  /**
   * Whether {@code value} is missing (NaN) or a finite number inside the valid range (an infinity
   * never is, even where the range has no bound: no feature is infinite), and a whole number where
   * the feature takes only those (a categorical feature's index, a {@link #wholeNumber} feature).
   */
  public boolean accepts(double value) {
    if (Double.isNaN(value)) {
      return true;
    }
    if (value < min || value > max || Double.isInfinite(value)) {
      return false;
    }
    return (type == FeatureType.NUMERIC && !wholeNumber) || value == Math.rint(value);
  }

  /** The index of a category code, or -1 when the code is not one of this feature's. */
  public int categoryIndex(String code) {
    return categories.indexOf(code);
  }
}
