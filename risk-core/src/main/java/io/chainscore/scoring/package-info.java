/**
 * Scoring runtime: versioned model bundles ({@link io.chainscore.scoring.ModelBundle}) and the
 * thread-safe {@link io.chainscore.scoring.Scorer} that turns a supplier's feature row into score
 * points, a probability of default, a master-scale grade and adverse reason codes.
 *
 * <p>Loading is split in two steps: a reader turns the JSON document into a format-neutral model
 * specification (names, bins, coefficients), and a compiler resolves names to column indexes and
 * builds flat primitive arrays. Evaluators never see strings or maps. Every problem found while
 * loading is a {@link io.chainscore.scoring.ModelFormatException} naming the field at fault; a row
 * that the bundle's feature policies refuse is data: the batch call reports it in a {@link
 * io.chainscore.scoring.RowRefusals} with its {@link io.chainscore.scoring.RowRefusals.Reason} and
 * column and scores the other rows, and the single-row calls throw a {@link
 * io.chainscore.scoring.ScoringException} carrying the same reason. The file format is specified
 * in {@code docs/model-bundle.md}.
 *
 * <p>Failures follow one split, by type: bad input is an {@link IllegalArgumentException} (such as
 * {@code ScoringException}) or the checked {@code ModelFormatException}; an argument check only a
 * programming error can fail throws {@link IndexOutOfBoundsException}; I/O failures are {@link
 * java.io.IOException}s. Nothing here keeps per-thread state; loading a bundle hashes its canonical
 * text on a short-lived daemon thread of its own while the content is compiled (on the caller's
 * thread when none can be started, and for a bundle read with a trust store, whose signature is
 * checked on that text before the content is read).
 */
package io.chainscore.scoring;
