/** Import of XGBoost JSON and UBJSON models into {@link io.chainscore.scoring.tree.TreeEnsemble}. */
package io.chainscore.scoring.tree.xgboost;
