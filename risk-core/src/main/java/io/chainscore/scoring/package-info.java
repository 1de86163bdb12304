/**
 * Scoring runtime: versioned model bundles ({@link io.chainscore.scoring.ModelBundle}) and the
 * thread-safe {@link io.chainscore.scoring.Scorer} that turns a supplier's feature row into score
 * points, a probability of default, a master-scale grade and adverse reason codes.
 *
 * <p>Loading is split in two steps: a reader turns the JSON document into a format-neutral model
 * specification (names, bins, coefficients), and a compiler resolves names to column indexes and
 * builds flat primitive arrays. Evaluators never see strings or maps. Every problem found while
 * loading is a {@link io.chainscore.scoring.ModelFormatException} naming the field at fault; a row
 * that the bundle's feature policies refuse is a {@link io.chainscore.scoring.ScoringException}
 * naming the row and the feature. The file format is specified in {@code docs/model-bundle.md}.
 */
package io.chainscore.scoring;
