/**
 * Supplier features computed point-in-time from trade records, and the {@link
 * io.chainscore.features.FeatureSchema} that names their columns for models.
 *
 * <p>A feature row is a {@code double[]} in schema order; categorical values are category
 * indexes and {@code NaN} means missing or undefined.
 */
package io.chainscore.features;
