/**
 * Table files of the batch engine: CSV (through the shared {@code io.chainscore.tables} reader and
 * writer), Arrow IPC and Parquet readers and writers with atomic commit, and the writer of
 * supplier portfolios ({@link io.chainscore.batch.io.TradeTables}) in the layouts of {@link
 * io.chainscore.tables.PortfolioTables}.
 */
package io.chainscore.batch.io;
