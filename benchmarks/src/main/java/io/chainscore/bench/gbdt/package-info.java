/**
 * Gradient-boosted trees: ChainScore's evaluator against Smile's own prediction, the xgboost
 * engine's out-of-fold runs for the scikit-learn comparison, and its training speed against bare
 * xgboost4j.
 */
package io.chainscore.bench.gbdt;
