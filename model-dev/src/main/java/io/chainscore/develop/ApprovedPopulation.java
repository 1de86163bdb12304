package io.chainscore.develop;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.BundleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures a tree model's reasons against an approved population (docs/adverse-action.md): the
 * mean TreeSHAP contribution per reason code over the development rows the model itself would
 * approve (PD at or below a cut-off), stored in the bundle's {@code reason_reference} so that a
 * row's reasons say what counted against the supplier compared with an approved supplier, not
 * with the average applicant.
 *
 * <p>Why subtracting means is the right comparison: a row's contributions sum to its margin minus
 * the model's expected margin; the approved population's mean contributions sum to its mean
 * margin minus the same expected margin. The differences therefore sum to the row's margin minus
 * the approved population's mean margin, split by reason code.
 *
 * <p>Determinism: rows are taken in order (every k-th approved row when there are more than the
 * cap) and summed in that order, so the same rows give the same bytes.
 *
 * <p>Thread safety: stateless.
 */
public final class ApprovedPopulation {
  /**
   * Most approved rows averaged; more are thinned to every k-th in order (TreeSHAP of a 300-tree
   * depth-6 model costs about 0.3 ms a row in blocks).
   */
  public static final int DEFAULT_MAX_ROWS = 20_000;

  /** Values (rows times features) of the approved rows explained at once: bounds the working arrays. */
  private static final int CONTRIBUTION_ROWS = 1 << 18;

  private ApprovedPopulation() {}

  /**
   * An approved-population reference.
   *
   * @param population which rows, in words (sample, cut-off, how many of how many)
   * @param rows how many rows were averaged
   * @param contributions mean contribution to the log-odds per reason code, in the bundle's code order
   */
  public record Reference(String population, long rows, Map<String, Double> contributions) {}

  /**
   * Measures the reference on {@code rows} (row-major, the bundle's schema order, categories as
   * indexes, NaN missing).
   *
   * @param sample the sample's name for the record, for example "development cohorts 2023-06-30 to 2024-06-30"
   * @param maxPd approval cut-off: rows whose PD under the bundle is at most this are approved
   * @param maxRows most rows averaged
   * @throws IllegalArgumentException when the model is not a tree ensemble or no row is approved
   */
  public static Reference measure(ModelBundle bundle, double[] rows, int rowCount, String sample, double maxPd,
      int maxRows) {
    if (!"tree_ensemble".equals(bundle.modelKind())) {
      throw new IllegalArgumentException("an approved-population reference is for tree ensembles; this is a "
          + bundle.modelKind() + " model");
    }
    if (!(maxPd > 0 && maxPd < 1)) {
      throw new IllegalArgumentException("the approval cut-off must be a PD in (0, 1), got " + maxPd);
    }
    int width = bundle.schema().size();
    List<Integer> approved = new ArrayList<>();
    int scored = 0;
    double lowest = Double.NaN;
    // PDs in one batch without reason codes: row by row, each score also ranked its reason codes
    // by TreeSHAP, which no approval needs (on 105,000 training rows of depth-6 trees that was most
    // of a minute of `train`)
    double[] pd = new double[rowCount];
    bundle.scorer().scoreBatch(rows, rowCount, width, new double[rowCount], pd, new int[rowCount], null,
        new io.chainscore.scoring.RowRefusals());
    for (int r = 0; r < rowCount; r++) {
      if (Double.isNaN(pd[r])) {
        continue;   // refused by the feature policies: a refused row alone has no PD
      }
      scored++;
      lowest = Double.isNaN(lowest) ? pd[r] : Math.min(lowest, pd[r]);
      if (pd[r] <= maxPd) {
        approved.add(r);
      }
    }
    if (approved.isEmpty()) {
      throw new IllegalArgumentException(Double.isNaN(lowest)
          ? String.format(Locale.ROOT, "no row of the %s has a PD at or below the approval cut-off %.4f (none was"
              + " scored)", sample, maxPd)
          : String.format(Locale.ROOT, "no row of the %s has a PD at or below the approval cut-off %.4f: the lowest is"
              + " %.4f; give a cut-off above it, or training-average", sample, maxPd, lowest));
    }
    int step = (approved.size() + maxRows - 1) / maxRows;
    // every step-th approved row, in order, explained in blocks (one explanation at a time ran
    // TreeSHAP twice per row: once for the score's reason codes, once for the contributions)
    io.chainscore.scoring.Scorer scorer = bundle.scorer();
    List<ModelBundle.ReasonCode> codes = bundle.reasonCodes();
    int[] codeOf = new int[width];
    for (int j = 0; j < width; j++) {
      codeOf[j] = scorer.reasonCodeOfColumn(j);
    }
    double[] sum = new double[codes.size()];
    int chunk = Math.max(1, CONTRIBUTION_ROWS / Math.max(1, width));
    double[] chosen = new double[Math.min(chunk, approved.size()) * width];
    double[] contributions = new double[chosen.length];
    io.chainscore.scoring.RowRefusals refusals = new io.chainscore.scoring.RowRefusals();
    long used = 0;
    for (int first = 0; first < approved.size(); first += chunk * step) {
      int count = 0;
      for (int i = first; i < approved.size() && count < chunk; i += step) {
        int r = approved.get(i);
        System.arraycopy(rows, r * width, chosen, count++ * width, width);
      }
      scorer.contributions(chosen, count, width, contributions, refusals);
      for (int k = 0; k < count; k++) {
        // summed in row order and, within a row, in schema order: the order the explanations summed
        for (int j = 0; j < width; j++) {
          if (codeOf[j] >= 0) {
            sum[codeOf[j]] += contributions[k * width + j];
          }
        }
      }
      used += count;
    }
    Map<String, Double> means = new LinkedHashMap<>();
    for (int c = 0; c < codes.size(); c++) {
      means.put(codes.get(c).code(), sum[c] / used + 0.0);
    }
    String population = String.format(Locale.ROOT, "%s: the %,d of %,d scored rows with PD at or below %s%s", sample,
        approved.size(), scored, percent(maxPd), step > 1 ? String.format(Locale.ROOT, ", every %d%s of them",
            step, ordinalSuffix(step)) : "");
    return new Reference(population, used, means);
  }

  /** The bundle with its reasons measured against {@code reference}; points, PD and grades unchanged. */
  public static ModelBundle apply(ModelBundle bundle, Reference reference) throws ModelFormatException {
    return BundleBuilder.withApprovedPopulationReference(bundle, reference.population(), reference.rows(),
        reference.contributions());
  }

  private static String percent(double pd) {
    return new java.math.BigDecimal(pd * 100).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString() + "%";
  }

  private static String ordinalSuffix(int n) {
    int tens = n % 100;
    if (tens >= 11 && tens <= 13) {
      return "th";
    }
    return switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }
}
