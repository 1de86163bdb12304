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
 * @param rowsRefused rows of the sample the model's policies refused, left out of every figure
 *     ({@code chainscore validate} lists them in {@code refused.csv}); null when none was
 * @param defaults rows labelled 1
 * @param defaultRate defaults over rows
 * @param meanPd mean predicted PD
 * @param auc area under the ROC curve of the PD; null when the sample has one class only
 * @param aucCi DeLong confidence interval of the AUC; null with fewer than two events or
 *     non-events
 * @param gini {@code 2 AUC - 1}; null with the AUC
 * @param giniCi the AUC's interval on the Gini scale; null with {@code aucCi}
 * @param ks Kolmogorov-Smirnov statistic of the PD; null with the AUC
 * @param brier mean squared error of the PD
 * @param calibrationInTheLarge expected against observed defaults over the whole sample; null
 *     when a PD is 0 or 1
 * @param hosmerLemeshow the test over 10 PD groups, with the degrees of freedom of its sample;
 *     null below 20 rows or with one class only
 * @param grades per-grade calibration tests, in master-scale order, empty grades left out
 * @param comparison the DeLong test of this model's AUC against a second model's on the same
 *     rows; null without one
 * @param psi PSI of the grade distribution against the baseline sample; null without one
 * @param psiBins what the PSI bins are; null without a baseline
 * @param segments for a segmented bundle, the same figures per segment on the rows routed to it;
 *     null for other bundles
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationMetrics(
    String modelId,
    String modelVersion,
    String modelSha256,
    long rows,
    Long rowsRefused,
    long defaults,
    double defaultRate,
    double meanPd,
    Double auc,
    ConfidenceInterval aucCi,
    Double gini,
    ConfidenceInterval giniCi,
    Double ks,
    double brier,
    CalibrationTest calibrationInTheLarge,
    HosmerLemeshowTest hosmerLemeshow,
    List<GradeTest> grades,
    AucComparison comparison,
    Double psi,
    String psiBins,
    List<Segment> segments) {
  /** Copies the grade and segment lists. */
  public ValidationMetrics {
    grades = List.copyOf(grades);
    segments = segments == null ? null : List.copyOf(segments);
  }

  /** These figures, with {@code refused} rows of the sample said to be left out of them. */
  public ValidationMetrics withRowsRefused(long refused) {
    return new ValidationMetrics(modelId, modelVersion, modelSha256, rows, refused, defaults, defaultRate, meanPd,
        auc, aucCi, gini, giniCi, ks, brier, calibrationInTheLarge, hosmerLemeshow, grades, comparison, psi, psiBins,
        segments);
  }

  /**
   * One segment of a segmented bundle: its figures are those of validating the segment's
   * standalone bundle ({@code ModelBundle.Segment#bundle()}) on the rows the bundle routes to it,
   * so its {@code modelSha256} is that standalone bundle's.
   *
   * @param name the segment's name
   * @param rule its routing rule as text
   * @param rows the validation rows routed to it
   * @param defaults the defaults among them
   * @param metrics its figures; null when no row was routed to it
   */
  public record Segment(String name, String rule, long rows, long defaults, ValidationMetrics metrics) {}

  /**
   * A two-sided confidence interval.
   *
   * @param method how it was computed ({@code "delong"}: Wald interval with DeLong's variance)
   * @param confidence its level, e.g. 0.95
   * @param standardError the estimate's standard error
   * @param lower lower bound, after clipping to the scale's range
   * @param upper upper bound, after clipping
   * @param clipped whether the Wald interval left the range ([0, 1] for the AUC, [-1, 1] for Gini)
   *     and was clipped
   */
  public record ConfidenceInterval(String method, double confidence, double standardError, double lower,
      double upper, boolean clipped) {}

  /**
   * Calibration-in-the-large: the sample's expected defaults (sum of PDs) against the observed,
   * under independence and under the one-factor (Vasicek) model with asset correlation.
   *
   * @param expectedDefaults {@code E = sum p_i}
   * @param observedDefaults {@code D}
   * @param observedOverExpected {@code D / E}
   * @param z {@code (D - E) / sqrt(sum p_i (1 - p_i))}
   * @param normalPValue one-sided {@code 1 - Phi(z)}
   * @param binomialPValue exact {@code P(D' >= D)} for independent defaults (Poisson-binomial);
   *     null when rows times defaults exceed 1e9 (the normal p-value stands in)
   * @param interceptShift the logit shift {@code a} with {@code sum expit(logit p_i + a) = D}; null
   *     when no row or every row defaulted
   * @param assetCorrelation the one-factor model's asset correlation {@code rho}
   * @param vasicekPValue {@code P(D' >= D)} for {@code N} obligors of the mean PD with
   *     correlation {@code rho}
   * @param trafficLight green, yellow or red by that distribution's quantiles at the report's
   *     two levels
   */
  public record CalibrationTest(double expectedDefaults, long observedDefaults, double observedOverExpected,
      double z,
      @JsonProperty("normal_p_value") double normalPValue,
      @JsonProperty("binomial_p_value") Double binomialPValue,
      Double interceptShift, double assetCorrelation,
      @JsonProperty("vasicek_p_value") double vasicekPValue,
      String trafficLight) {}

  /**
   * The Hosmer-Lemeshow test with the sample it was computed on, which fixes its degrees of freedom.
   *
   * @param statistic the chi-square statistic over the PD groups
   * @param degreesOfFreedom {@code groups - 2} in sample, {@code groups} out of sample
   * @param pValue upper tail of chi-square(df) at the statistic
   * @param groups non-empty PD groups
   * @param sample {@code "in_sample"} (the PDs were fitted on these rows) or {@code
   *     "out_of_sample"}
   */
  public record HosmerLemeshowTest(double statistic, int degreesOfFreedom,
      @JsonProperty("p_value") double pValue, int groups, String sample) {}

  /**
   * DeLong's test of {@code H0: AUC = AUC_other} for two models scored on the same rows.
   *
   * @param otherModelId the second model's id
   * @param otherModelVersion its version
   * @param otherModelSha256 its content hash
   * @param auc this model's AUC
   * @param otherAuc the second model's AUC
   * @param difference {@code auc - otherAuc}
   * @param standardError {@code sqrt(var + var_other - 2 cov)}
   * @param z {@code difference / standardError}
   * @param pValue two-sided {@code 2 (1 - Phi(|z|))}
   * @param confidence the difference's interval level
   * @param lower {@code difference - z_{(1+confidence)/2} standardError}
   * @param upper {@code difference + z_{(1+confidence)/2} standardError}
   */
  public record AucComparison(String otherModelId, String otherModelVersion,
      @JsonProperty("other_model_sha256") String otherModelSha256, double auc, double otherAuc,
      double difference, double standardError, double z, @JsonProperty("p_value") double pValue,
      double confidence, double lower, double upper) {}

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
   * @param vasicekPValue {@code P(X >= defaults)} in the one-factor model with the report's asset
   *     correlation
   * @param trafficLight green, yellow or red: the defaults against that distribution's quantiles
   *     at the report's two levels (Tasche 2003)
   */
  public record GradeTest(String grade, long count, long defaults, double defaultRate, double meanPd,
      // Named: the snake_case rule reads "PValue" as one acronym ("binomial_pvalue").
      @JsonProperty("binomial_p_value") double binomialPValue,
      @JsonProperty("jeffreys_p_value") double jeffreysPValue,
      @JsonProperty("vasicek_p_value") double vasicekPValue,
      String trafficLight) {}
}
