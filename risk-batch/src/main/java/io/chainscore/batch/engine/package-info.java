/**
 * The batch engine: {@link io.chainscore.batch.engine.BatchJob} runs a {@link
 * io.chainscore.batch.engine.ChunkProcessor} over a table in ordered parallel chunks with
 * checkpoints, resume, quarantine and atomic output.
 */
package io.chainscore.batch.engine;
