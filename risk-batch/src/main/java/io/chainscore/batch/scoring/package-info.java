/** Batch scoring of feature tables with model bundles, on the batch engine. */
package io.chainscore.batch.scoring;
