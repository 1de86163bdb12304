package io.chainscore.scoring.spi;

import java.util.List;

/**
 * A scorecard characteristic (or the binning of a logistic WoE term): a feature cut into bins,
 * in the order the bundle lists them.
 *
 * <p>Thread safety: immutable value.
 *
 * @param name characteristic name, unique within the model
 * @param feature schema feature the characteristic reads
 * @param reasonCode code in the bundle's reason-code table (empty for a WoE term, whose code is the term's)
 * @param bins the bins in bundle order
 */
public record Characteristic(String name, String feature, String reasonCode, List<Bin> bins) {
  /** Copies the list. */
  public Characteristic {
    bins = List.copyOf(bins);
  }
}
