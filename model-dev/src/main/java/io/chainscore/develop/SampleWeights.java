package io.chainscore.develop;

import io.chainscore.tables.InputFormatException;

/**
 * Sample weights read from a column of the development data or of its labels table ({@code train
 * --weight COLUMN}): one finite number {@code >= 0} per row. A row of weight 0 takes no part in
 * the fit; an integer weight counts the row that many times.
 *
 * <p>Errors are {@link InputFormatException}s naming the file, the 1-based data row and the
 * column: a missing (empty, NA or NaN), negative or infinite weight, or a text column.
 *
 * <p>Thread safety: stateless.
 */
public final class SampleWeights {
  private SampleWeights() {}

  /**
   * The weights in {@code values} (a {@code double[]}, or a {@code String[]} text column, which
   * is refused) of {@code column} in {@code source}.
   *
   * @throws InputFormatException naming file, row and column at the first bad weight
   */
  public static double[] check(String source, String column, Object values) {
    return check(source, column, values, null);
  }

  /**
   * As {@link #check(String, String, Object)}, for a column its reader took as text for a few
   * stray values among numbers: {@code strayText}, the reader's refusal of its first value that is
   * not a number ({@link TabularData#textAmongNumbers}), is thrown (it names that row and value;
   * the first value of the column, a number, was named before).
   */
  public static double[] check(String source, String column, Object values,
      InputFormatException strayText) {
    if (values instanceof String[] && strayText != null) {
      throw strayText;
    }
    if (values instanceof String[] text) {
      for (int i = 0; i < text.length; i++) {
        if (text[i] != null) {
          throw new InputFormatException(source, i + 1, column, "expected a sample weight (a number >= 0), got '"
              + text[i] + "'");
        }
      }
      throw new InputFormatException(source, 1, column, "expected a sample weight (a number >= 0), got nothing");
    }
    double[] w = ((double[]) values).clone();
    for (int i = 0; i < w.length; i++) {
      if (Double.isNaN(w[i])) {
        throw new InputFormatException(source, i + 1, column, "the sample weight is missing; expected a number >= 0");
      }
      if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
        throw new InputFormatException(source, i + 1, column, "expected a finite sample weight >= 0, got " + w[i]);
      }
    }
    return w;
  }

  /**
   * The weight column of a table read from {@code source} (its rows numbered as in the file).
   *
   * @throws IllegalArgumentException when the table has no such column, or as {@link #check}
   */
  public static double[] of(TabularData table, String column, String source) {
    if (!table.columnNames().contains(column)) {
      throw io.chainscore.tables.InputFormatException.missingColumn(source, column, "the --weight column",
          table.columnNames());
    }
    return check(source, column, table.isNumeric(column) ? table.numeric(column) : table.categorical(column),
        table.textAmongNumbers(column));
  }

  /** The weights of the rows whose flag is {@code keep}. */
  public static double[] select(double[] weights, boolean[] flags, boolean keep) {
    int n = 0;
    for (boolean f : flags) {
      n += f == keep ? 1 : 0;
    }
    double[] out = new double[n];
    for (int i = 0, k = 0; i < flags.length; i++) {
      if (flags[i] == keep) {
        out[k++] = weights[i];
      }
    }
    return out;
  }
}
