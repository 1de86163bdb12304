/** Wrapping models trained elsewhere (XGBoost, LightGBM) into ChainScore bundles. */
package io.chainscore.develop.imports;
