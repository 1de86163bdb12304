package io.chainscore.scoring.spi;

import io.chainscore.scoring.tree.TreeEnsemble;

/**
 * A gradient-boosted tree ensemble: the format-neutral {@link TreeEnsemble} the bundle's model
 * section holds, with a few summary figures for reports.
 *
 * <p>Thread safety: immutable value ({@link TreeEnsemble} is immutable).
 *
 * @param ensemble the trees, their base margin, link and precision
 */
public record TreeEnsembleView(TreeEnsemble ensemble) implements ModelView {
  /** Number of trees. */
  public int treeCount() {
    return ensemble.trees().size();
  }

  /** Where the model came from, for example {@code "XGBoost 2.1.0"}. */
  public String source() {
    return ensemble.source();
  }
}
