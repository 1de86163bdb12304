package io.chainscore.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The figures of a model validation on a labelled sample, as written to {@code metrics.json}
 * (snake_case names in this order; a figure that cannot be computed on the sample is left out).
 *
 * <p>Thread safety: immutable.
 *
 * @param modelId the bundle's id
 * @param modelVersion the bundle's version
 * @param modelSha256 the bundle's content hash
 * @param rows validation rows
 * @param defaults rows labelled 1
 * @param defaultRate defaults over rows
 * @param meanPd mean predicted PD
 * @param auc area under the ROC curve of the PD; null when the sample has one class only
 * @param gini {@code 2 AUC - 1}; null with the AUC
 * @param ks Kolmogorov-Smirnov statistic of the PD; null with the AUC
 * @param brier mean squared error of the PD
 * @param hosmerLemeshow the test over 10 PD groups; null below 20 rows or with one class only
 * @param grades per-grade calibration tests, in master-scale order, empty grades left out
 * @param psi PSI of the grade distribution against the baseline sample; null without one
 * @param psiBins what the PSI bins are; null without a baseline
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationMetrics(
    String modelId,
    String modelVersion,
    String modelSha256,
    long rows,
    long defaults,
    double defaultRate,
    double meanPd,
    Double auc,
    Double gini,
    Double ks,
    double brier,
    HosmerLemeshow hosmerLemeshow,
    List<GradeTest> grades,
    Double psi,
    String psiBins) {
  /** Copies the grade list. */
  public ValidationMetrics {
    grades = List.copyOf(grades);
  }

  /**
   * Calibration of one grade of the master scale.
   *
   * @param grade the grade's name
   * @param count rows in the grade
   * @param defaults defaults among them
   * @param defaultRate defaults over count
   * @param meanPd mean predicted PD of the grade
   * @param binomialPValue {@code P(X >= defaults | count, meanPd)}, one-sided
   * @param jeffreysPValue the {@code Beta(D + 1/2, N - D + 1/2)} CDF at the mean PD
   */
  public record GradeTest(String grade, long count, long defaults, double defaultRate, double meanPd,
      // Named: the snake_case rule reads "PValue" as one acronym ("binomial_pvalue").
      @JsonProperty("binomial_p_value") double binomialPValue,
      @JsonProperty("jeffreys_p_value") double jeffreysPValue) {}
}
