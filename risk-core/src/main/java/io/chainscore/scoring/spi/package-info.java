/**
 * ChainScore's own service interface to model bundles, for the modules that build and report on
 * them (trainers, importers, validation reports), not for embedders: {@link
 * io.chainscore.scoring.spi.BundleBuilder} assembles a bundle from typed parts and seals it through
 * the same load-time checks as any bundle file, and {@link io.chainscore.scoring.spi.ModelView}
 * gives read-only views of a loaded bundle's model (scorecard characteristics with their bins and
 * points, logistic terms, a tree-ensemble summary).
 *
 * <p>The embedder API stays {@link io.chainscore.scoring}; this package is meant as a qualified
 * export to ChainScore's own modules. Everything here is a value or a builder: no reading of JSON
 * by hand outside {@code io.chainscore.scoring}.
 */
package io.chainscore.scoring.spi;
