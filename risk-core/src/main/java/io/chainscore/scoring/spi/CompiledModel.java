package io.chainscore.scoring.spi;

/**
 * A model compiled for the hot path: it maps feature rows to a margin (log-odds for binary
 * classifiers, the raw prediction for regression) using only primitive arrays.
 *
 * <p>Rows are laid out row-major in a caller-owned {@code double[]}: row {@code r} occupies
 * {@code rows[r * stride + offset .. r * stride + offset + featureCount())} in the column order of
 * the {@link io.chainscore.features.FeatureSchema} the model was compiled against. Categorical
 * values are category indexes; {@code NaN} is missing.
 *
 * <p>Thread safety: implementations are immutable and safe for concurrent use; none allocates
 * per row.
 */
public interface CompiledModel {
  /** Number of schema columns a row must have. */
  int featureCount();

  /**
   * The schema columns the model reads, ascending and distinct: the features whose value can
   * change the margin. A bundle's {@code max_missing_share} limits the share of these that may be
   * missing in a row. Default: every column.
   */
  default int[] usedColumns() {
    return java.util.stream.IntStream.range(0, featureCount()).toArray();
  }

  /** The margin of the row that starts at {@code offset} in {@code row}. */
  double margin(double[] row, int offset);

  /**
   * Writes the margins of {@code rowCount} rows to {@code out[0 .. rowCount)}.
   *
   * @param rows row-major feature values
   * @param rowCount number of rows to score
   * @param stride distance between the starts of consecutive rows, at least {@link #featureCount()}
   * @param out receives one margin per row
   */
  default void margins(double[] rows, int rowCount, int stride, double[] out) {
    for (int r = 0; r < rowCount; r++) {
      out[r] = margin(rows, r * stride);
    }
  }

  /**
   * Splits the margin of one row into a contribution per schema column plus a bias, such that the
   * bias plus the sum of {@code out[0 .. featureCount())} equals {@link #margin} up to rounding.
   *
   * @return the bias (the expected margin over the training data)
   */
  double contributions(double[] row, int offset, double[] out);

  /**
   * As {@link #contributions(double[], int, double[])}, given the row's {@link #margin}, which an
   * implementation that needs it (to fold its rounding into the bias) then does not compute again.
   *
   * @param margin exactly {@code margin(row, offset)}
   */
  default double contributions(double[] row, int offset, double[] out, double margin) {
    return contributions(row, offset, out);
  }

  /**
   * The contributions of {@code rowCount} rows at once: row r's (row r at {@code r * stride}) to
   * {@code out[r * featureCount() .. (r + 1) * featureCount())}, exactly the values {@link
   * #contributions(double[], int, double[], double)} gives row by row; the biases are not returned.
   * Tree ensembles compute blocks of rows tree by tree from per-leaf tables here. Default: row by
   * row, the last row first, each computed at the start of {@code out} and moved to its place.
   *
   * @param margins exactly {@code margin(rows, r * stride)} at index r
   */
  default void contributions(double[] rows, int rowCount, int stride, double[] margins, double[] out) {
    int width = featureCount();
    for (int r = rowCount - 1; r >= 0; r--) {
      contributions(rows, r * stride, out, margins[r]);
      if (r > 0) {
        System.arraycopy(out, 0, out, r * width, width);
      }
    }
  }
}
