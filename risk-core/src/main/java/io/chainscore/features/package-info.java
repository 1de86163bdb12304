/**
 * Supplier features computed point-in-time from trade records, and the {@link
 * io.chainscore.features.FeatureSchema} that names their columns for models.
 *
 * <p>A feature row is a {@code double[]} in schema order; categorical values are category
 * indexes and {@code NaN} means missing or undefined. The standard features are {@link
 * io.chainscore.features.StandardFeatures#SCHEMA}, defined in {@code docs/features.md}.
 *
 * <p>Entry points: {@link io.chainscore.features.StandardFeatures#compute} for one supplier from
 * its records; {@link io.chainscore.features.engine.FeatureEngine} for a portfolio streamed as columnar
 * chunks ({@link io.chainscore.features.engine.InvoiceColumns}, {@link
 * io.chainscore.features.engine.InstalmentColumns}) over a {@link io.chainscore.features.engine.SupplierTable}.
 */
package io.chainscore.features;
