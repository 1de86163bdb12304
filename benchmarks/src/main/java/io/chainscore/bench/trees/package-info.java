/** JMH benchmarks of the tree-ensemble evaluator against xgboost4j. */
package io.chainscore.bench.trees;
