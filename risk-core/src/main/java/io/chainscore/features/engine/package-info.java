/**
 * The columnar engine behind {@link io.chainscore.features.StandardFeatures}: {@link
 * io.chainscore.features.engine.FeatureEngine} consumes a portfolio streamed as chunks ({@link
 * io.chainscore.features.engine.InvoiceColumns}, {@link
 * io.chainscore.features.engine.InstalmentColumns}) over a {@link
 * io.chainscore.features.engine.SupplierTable} and reports refused rows as {@link
 * io.chainscore.features.engine.BadRecord}s. Exported only to ChainScore's own modules (the batch
 * engine, the CLI, model development); Spark uses it from the class path.
 */
package io.chainscore.features.engine;
