/**
 * ChainScore's own service interface to model bundles, for the modules that build and report on
 * them (trainers, importers, validation reports), not for embedders: {@link
 * io.chainscore.scoring.spi.BundleBuilder} assembles a bundle from typed parts and seals it through
 * the same load-time checks as any bundle file, and {@link io.chainscore.scoring.spi.ModelView}
 * gives read-only views of a loaded bundle's model (scorecard characteristics with their bins and
 * points, logistic terms, a tree-ensemble summary).
 *
 * <p>Also here: {@link io.chainscore.scoring.spi.CompiledModel}, what evaluators implement, and
 * {@link io.chainscore.scoring.spi.ModelKind}, the service through which the bundle reader finds
 * evaluators other than scorecards and logistic models (the tree ensembles), so that {@code
 * scoring} never names {@code scoring.tree}.
 *
 * <p>The embedder API stays {@link io.chainscore.scoring}; this package is a qualified export to
 * ChainScore's own modules ({@code module-info.java}). Everything here is a value or a builder: no reading of JSON
 * by hand outside {@code io.chainscore.scoring}.
 */
package io.chainscore.scoring.spi;
