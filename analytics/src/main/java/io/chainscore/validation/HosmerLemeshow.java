package io.chainscore.validation;

/**
 * Result of a Hosmer-Lemeshow calibration test.
 *
 * <p>Thread safety: immutable.
 *
 * @param statistic {@code sum_g (O_g - N_g p_g)^2 / (N_g p_g (1 - p_g))}
 * @param degreesOfFreedom degrees of freedom of the chi-square reference distribution
 * @param pValue upper tail probability of the statistic under chi-square(df)
 * @param groups number of groups the statistic summed over
 */
public record HosmerLemeshow(double statistic, int degreesOfFreedom, double pValue, int groups) {}
