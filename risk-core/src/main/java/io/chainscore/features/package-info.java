/**
 * Supplier features computed point-in-time from trade records, and the {@link
 * io.chainscore.features.FeatureSchema} that names their columns for models.
 *
 * <p>A feature row is a {@code double[]} in schema order; categorical values are category
 * indexes and {@code NaN} means missing or undefined. The standard features are {@link
 * io.chainscore.features.StandardFeatures#SCHEMA}, defined in {@code docs/features.md}.
 *
 * <p>Entry points: {@link io.chainscore.features.StandardFeatures#compute} for one supplier from
 * its records, {@code computeAll} for a whole trade book. Both run the columnar engine of {@code
 * io.chainscore.features.engine} (exported to ChainScore's own modules only), which the batch
 * engine and Spark feed chunk by chunk; the two packages are facade and engine and refer to each
 * other.
 */
package io.chainscore.features;
