/**
 * ChainScore's internal seams, exported to its own modules only: compiled models and model kinds
 * (how the bundle reader finds evaluators) and {@link io.chainscore.scoring.spi.ResultJson}, the
 * one configured writer of every JSON result the tools write.
 */
package io.chainscore.scoring.spi;
