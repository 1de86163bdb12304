/**
 * Scoring types that ChainScore's own modules share with the runtime but that are not part of
 * the library's public API: the {@link io.chainscore.scoring.spi.PointsScale} that model training
 * and the {@link io.chainscore.scoring.Scorer} both use. Exported only to ChainScore's modules.
 */
package io.chainscore.scoring.spi;
