/** Import of XGBoost JSON models into {@link io.chainscore.scoring.tree.TreeEnsemble}. */
package io.chainscore.scoring.tree.xgboost;
