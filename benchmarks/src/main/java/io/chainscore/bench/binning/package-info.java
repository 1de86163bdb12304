/** JMH benchmarks of optimal binning (the binning share of scorecard fitting). */
package io.chainscore.bench.binning;
