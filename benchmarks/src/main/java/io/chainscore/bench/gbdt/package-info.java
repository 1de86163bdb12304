/** Benchmarks of Smile-trained gradient-boosted trees: ChainScore's evaluator against Smile's own. */
package io.chainscore.bench.gbdt;
