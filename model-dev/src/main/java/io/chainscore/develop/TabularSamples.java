package io.chainscore.develop;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Turns a {@link TabularData} table into a modelling sample: a feature schema (column names
 * normalised to snake_case, numeric columns unbounded, categorical columns with their sorted
 * codes), a row-major matrix and the labels; and splits it into training and test parts.
 *
 * @param schema the feature schema
 * @param rows row-major values in schema order (categories as indexes, NaN missing)
 * @param labels 0/1 per row
 *
 * <p>Thread safety: immutable (arrays are shared; do not modify).
 */
public record TabularSamples(FeatureSchema schema, double[] rows, int[] labels) {
  /**
   * All columns but the target and {@code excluded}, in file order.
   *
   * @throws io.chainscore.tables.InputFormatException for a text column of a CSV at least 95% of
   *     whose values are numbers ({@link TabularData#textAmongNumbers}): a numeric column with stray
   *     text, refused at its first value that is not a number rather than made a categorical
   *     characteristic whose categories are its numbers
   */
  public static TabularSamples of(TabularData data, Set<String> excluded) {
    List<FeatureSpec> specs = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (String column : data.columnNames()) {
      if (column.equals(data.targetColumn()) || excluded.contains(column)) {
        continue;
      }
      String name = TreeEnsemble.schemaName(column);
      if (data.isNumeric(column)) {
        specs.add(FeatureSpec.numeric(name, "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, column));
      } else {
        io.chainscore.tables.InputFormatException strayText = data.textAmongNumbers(column);
        if (strayText != null) {
          throw strayText;
        }
        TreeSet<String> codes = new TreeSet<>();
        for (String v : data.categorical(column)) {
          if (v != null) {
            codes.add(v);
          }
        }
        if (codes.isEmpty()) {
          continue;
        }
        specs.add(FeatureSpec.categorical(name, new ArrayList<>(codes), column));
      }
      columns.add(column);
    }
    FeatureSchema schema = FeatureSchema.of(specs);
    int n = data.rowCount();
    int p = schema.size();
    double[] rows = new double[n * p];
    for (int j = 0; j < p; j++) {
      String column = columns.get(j);
      FeatureSpec f = schema.feature(j);
      if (data.isNumeric(column)) {
        double[] values = data.numeric(column);
        for (int i = 0; i < n; i++) {
          rows[i * p + j] = values[i];
        }
      } else {
        String[] values = data.categorical(column);
        for (int i = 0; i < n; i++) {
          rows[i * p + j] = values[i] == null ? Double.NaN : f.categoryIndex(values[i]);
        }
      }
    }
    return new TabularSamples(schema, rows, data.target().clone());
  }

  public int size() {
    return labels.length;
  }

  /**
   * The rows of another table (reject inference's rejects) in the schema of a sample made by
   * {@link #of}: each feature is read from the column it was made from (its description); other
   * columns are ignored.
   *
   * @throws IllegalArgumentException naming the file, and the row and column where it applies,
   *     for a missing column, text in a numeric column, or a category the schema does not have
   */
  public static double[] rowsOf(LabelJoin.Columns table, FeatureSchema schema) {
    int n = table.rowCount();
    int p = schema.size();
    double[] rows = new double[n * p];
    for (int j = 0; j < p; j++) {
      FeatureSpec f = schema.feature(j);
      String column = f.description();
      int c = table.names().indexOf(column);
      if (c < 0) {
        throw io.chainscore.tables.InputFormatException.missingColumn(table.source(), column,
            "a characteristic of the development data", table.names());
      }
      Object values = table.values().get(c);
      io.chainscore.tables.InputFormatException strayText = table.textAmongNumbers().get(column);
      if (f.type() != io.chainscore.features.FeatureType.CATEGORICAL && strayText != null) {
        // a numeric column read as text for one stray value: name that value, not the first number
        throw strayText;
      }
      for (int i = 0; i < n; i++) {
        double v;
        if (f.type() == io.chainscore.features.FeatureType.CATEGORICAL) {
          String code = values instanceof String[] text ? text[i] : number((double[]) values, i);
          int index = code == null ? -1 : f.categoryIndex(code);
          if (code != null && index < 0) {
            throw new io.chainscore.tables.InputFormatException(table.source(), i + 1, column, "category '" + code
                + "' does not occur in the development data; expected one of " + f.categories());
          }
          v = code == null ? Double.NaN : index;
        } else if (values instanceof double[] d) {
          v = d[i];
        } else {
          String text = ((String[]) values)[i];
          if (text != null) {
            throw new io.chainscore.tables.InputFormatException(table.source(), i + 1, column, "expected a number,"
                + " got '" + text + "'");
          }
          v = Double.NaN;
        }
        rows[i * p + j] = v;
      }
    }
    return rows;
  }

  private static String number(double[] d, int i) {
    return Double.isNaN(d[i]) ? null : Double.toString(d[i]);
  }

  /**
   * Splits into a training and a test part: each row goes to the test part with probability
   * {@code testShare}, drawn from a generator seeded with {@code seed}.
   */
  public TabularSamples[] split(double testShare, long seed) {
    if (!(testShare >= 0 && testShare < 1)) {
      throw new IllegalArgumentException("test share must be in [0, 1), got " + testShare);
    }
    return split(randomTestFlags(size(), testShare, seed));
  }

  /**
   * The test flags {@link #split(double, long)} uses: row i is a test row when the i-th draw of a
   * generator seeded with {@code seed} is below {@code testShare}.
   */
  public static boolean[] randomTestFlags(int rowCount, double testShare, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] test = new boolean[rowCount];
    for (int i = 0; i < rowCount; i++) {
      test[i] = random.nextDouble() < testShare;
    }
    return test;
  }

  /**
   * Splits into a training part (rows whose {@code test} flag is false) and a test part, each in
   * the original row order.
   *
   * @throws IllegalArgumentException when {@code test} does not have one flag per row
   */
  public TabularSamples[] split(boolean[] test) {
    if (test.length != size()) {
      throw new IllegalArgumentException("expected " + size() + " test flags, got " + test.length);
    }
    int p = schema.size();
    int testCount = 0;
    for (boolean t : test) {
      testCount += t ? 1 : 0;
    }
    double[] trainRows = new double[(size() - testCount) * p];
    double[] testRows = new double[testCount * p];
    int[] trainLabels = new int[size() - testCount];
    int[] testLabels = new int[testCount];
    int a = 0;
    int b = 0;
    for (int i = 0; i < size(); i++) {
      if (test[i]) {
        System.arraycopy(rows, i * p, testRows, b * p, p);
        testLabels[b++] = labels[i];
      } else {
        System.arraycopy(rows, i * p, trainRows, a * p, p);
        trainLabels[a++] = labels[i];
      }
    }
    return new TabularSamples[] {new TabularSamples(schema, trainRows, trainLabels),
        new TabularSamples(schema, testRows, testLabels)};
  }
}
