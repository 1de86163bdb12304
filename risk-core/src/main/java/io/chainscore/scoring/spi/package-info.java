/**
 * Small building blocks shared by the evaluators and engines so that libraries neither keep
 * per-thread state nor own threads: {@link io.chainscore.scoring.spi.ScratchPool}, the
 * per-evaluator pool of reusable scratch buffers that replaces thread-locals, and {@link
 * io.chainscore.scoring.spi.BorrowedExecutor}, the view of a caller's executor through which an
 * engine that was given one runs its tasks.
 *
 * <p>These types are public only so that the packages and modules of ChainScore (the scoring and
 * tree evaluators, the feature engine, the batch engine, portfolio and simulator) can share them;
 * applications have no reason to use them and they may change without notice.
 */
package io.chainscore.scoring.spi;
