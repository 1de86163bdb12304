/**
 * The table layer every ChainScore module shares: the layouts of the tables it reads and writes
 * ({@link io.chainscore.tables.PortfolioTables}, {@link io.chainscore.tables.TableSchema}), the one
 * CSV reader with strict value parsing ({@link io.chainscore.tables.CsvReader}), the one CSV
 * writer ({@link io.chainscore.tables.CsvWriter}), and the error that names file, row and column
 * ({@link io.chainscore.tables.InputFormatException}). Columnar formats (Arrow, Parquet) stay in
 * the batch engine, which maps them onto these layouts.
 *
 * <p>Exported only to ChainScore's own modules: this is not part of the library's public API.
 */
package io.chainscore.tables;
