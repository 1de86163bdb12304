package io.chainscore.validation;

import java.util.List;

/**
 * A scorecard characteristic's bins on a validation sample, in the bundle's bin order. WoE and IV
 * follow {@code docs/binning.md}: {@code WoE = ln(%events / %non-events)} over the sample's
 * totals, with R scorecard's 0.99 rule when a non-empty bin has no events or no non-events; an
 * empty bin has WoE 0 and IV 0.
 *
 * <p>Thread safety: immutable.
 *
 * @param name the characteristic's name
 * @param feature the feature it reads
 * @param bins its bins
 * @param iv information value on the sample (sum of the bins' contributions)
 */
public record CharacteristicBins(String name, String feature, List<Bin> bins, double iv) {
  /** Copies the bins. */
  public CharacteristicBins {
    bins = List.copyOf(bins);
  }

  /**
   * One bin.
   *
   * @param label the bin: {@code [a, b)}, {@code = v}, a list of categories or {@code missing}
   * @param count rows in the bin
   * @param share count over all rows
   * @param events defaults in the bin
   * @param eventRate events over count (NaN for an empty bin)
   * @param woe weight of evidence on the sample
   * @param ivContribution the bin's term of the information value
   * @param points the bin's points in the scorecard
   */
  public record Bin(String label, long count, double share, long events, double eventRate, double woe,
      double ivContribution, double points) {}
}
