/** Import of LightGBM text models ({@code model.txt}) into {@link io.chainscore.scoring.tree.TreeEnsemble}. */
package io.chainscore.scoring.tree.lightgbm;
