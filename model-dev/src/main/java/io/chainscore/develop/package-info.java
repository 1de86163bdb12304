/**
 * Model development: loading labelled development data ({@link io.chainscore.develop.TabularData})
 * and the tools that turn it into models. Binning, weight of evidence and information value are
 * in {@code io.chainscore.develop.binning}; nothing here is needed at scoring time.
 */
package io.chainscore.develop;
