/**
 * Table files of the batch engine: CSV (RFC 4180) and Arrow IPC writers with atomic commit, and
 * the file layout of supplier portfolios ({@link io.chainscore.batch.io.TradeTables}).
 */
package io.chainscore.batch.io;
