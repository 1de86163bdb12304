package io.chainscore.scoring.spi;

import io.chainscore.scoring.ModelBundle;

/**
 * A read-only view of a loaded bundle's model, taken from what the loader read and compiled (not
 * from re-parsed JSON): a {@link ScorecardView}, a {@link LogisticView} or a {@link
 * TreeEnsembleView}. {@link BundleBuilder#model} accepts the same views, so a bundle can be
 * rebuilt from them byte for byte.
 *
 * <p>Thread safety: views are immutable.
 */
public sealed interface ModelView permits ScorecardView, LogisticView, TreeEnsembleView, SegmentedView {
  /** The view of {@code bundle}'s model. */
  static ModelView of(ModelBundle bundle) {
    return ViewAccess.view(bundle);
  }

  /**
   * The schema columns {@code bundle}'s model reads (a scorecard's characteristics, a logistic
   * model's terms, a tree ensemble's split features), ascending: the same set its
   * {@code max_missing_share} counts.
   */
  static int[] usedColumns(ModelBundle bundle) {
    return ViewAccess.usedColumns(bundle).clone();
  }
}
