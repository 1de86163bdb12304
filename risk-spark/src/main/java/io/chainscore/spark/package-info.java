/**
 * ChainScore on Apache Spark: the standard features of a portfolio computed per supplier
 * partition with the single-machine {@link io.chainscore.features.engine.FeatureEngine}, and feature
 * tables scored with a broadcast model bundle through the batch engine's evaluator, so features
 * and scores are bit-identical to {@code chainscore features} and {@code chainscore score}.
 * {@link io.chainscore.spark.ChainScoreSparkJob} is the {@code spark-submit} entry point.
 */
package io.chainscore.spark;
