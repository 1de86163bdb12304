/**
 * Small building blocks shared by the scoring evaluators: today {@link
 * io.chainscore.scoring.spi.ScratchPool}, the per-evaluator pool of reusable scratch buffers that
 * replaces thread-locals.
 *
 * <p>These types are public only so that the evaluator packages ({@code io.chainscore.scoring} and
 * {@code io.chainscore.scoring.tree}) can share them; applications have no reason to use them and
 * they may change without notice.
 */
package io.chainscore.scoring.spi;
