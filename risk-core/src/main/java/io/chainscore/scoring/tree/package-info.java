/**
 * Gradient-boosted tree ensembles: a format-neutral model ({@link
 * io.chainscore.scoring.tree.TreeEnsemble}, {@link io.chainscore.scoring.tree.DecisionTree}), its
 * compilation into flat primitive arrays with a branch-light batch evaluator and exact TreeSHAP,
 * and the bundle codec ({@link io.chainscore.scoring.tree.TreeEnsembleCodec}). Readers of
 * XGBoost JSON and LightGBM text models live in the {@code xgboost} and {@code lightgbm}
 * subpackages. Precision rules are documented in {@code docs/tree-models.md}.
 */
package io.chainscore.scoring.tree;
