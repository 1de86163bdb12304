/**
 * ChainScore's own service interface to the runtime, for the modules that build, evaluate, run
 * and report on models (trainers, importers, evaluators, the batch engine, reports), not for
 * embedders: a qualified export to ChainScore's modules only ({@code module-info.java}), whose
 * types may change without notice.
 *
 * <ul>
 *   <li>Bundles: {@link io.chainscore.scoring.spi.BundleBuilder} assembles a bundle from typed parts
 *       and seals it through the same load-time checks as any bundle file (no JSON written by hand
 *       outside {@code io.chainscore.scoring}); {@link io.chainscore.scoring.spi.ModelView} gives
 *       read-only views of a loaded bundle's model (scorecard characteristics with their bins and
 *       points, logistic terms, a tree-ensemble summary).
 *   <li>Evaluators: {@link io.chainscore.scoring.spi.CompiledModel}, what compiled models
 *       implement, and {@link io.chainscore.scoring.spi.ModelKind}, the service through which the
 *       bundle reader finds evaluators other than scorecards and logistic models (the tree
 *       ensembles register this way, so {@code scoring} never names {@code scoring.tree}).
 *   <li>Building blocks that let libraries keep no per-thread state and own no threads: {@link
 *       io.chainscore.scoring.spi.ScratchPool}, the per-evaluator pool of reusable scratch that
 *       replaces thread-locals, and {@link io.chainscore.scoring.spi.BorrowedExecutor}, the view
 *       of a caller's executor through which an engine runs its tasks; and the one growable
 *       {@link io.chainscore.scoring.spi.IntList} and {@link io.chainscore.scoring.spi.DoubleList}.
 *   <li>Results: {@link io.chainscore.scoring.spi.ResultJson}, the one configured writer of every
 *       JSON result the tools write (snake_case names, records in component order, maps sorted by
 *       key, atomic files); {@link io.chainscore.scoring.spi.BundleSigning}, the signing side of
 *       detached bundle signatures; {@link io.chainscore.scoring.spi.PointsScale}, the one score
 *       scale (points from log-odds) that training and scoring share.
 * </ul>
 */
package io.chainscore.scoring.spi;
