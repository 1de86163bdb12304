/**
 * Gradient-boosted trees for credit models: training with Smile 2.6.0's {@code
 * GradientTreeBoost} (binary, deviance loss) and export into risk-core's flat {@link
 * io.chainscore.scoring.tree.TreeEnsemble} format, so the runtime reproduces Smile's margins bit
 * for bit.
 *
 * <ul>
 *   <li>{@link io.chainscore.develop.gbdt.GbdtTrainer}: options through a builder; {@code fit}
 *       gives the Smile model and its exported ensemble, {@code train} a sealed model bundle
 *       (calibration, master scale, TreeSHAP reason codes, provenance, golden rows);
 *   <li>{@link io.chainscore.develop.gbdt.SmileTreeExport}: any binary Smile {@code
 *       GradientTreeBoost} as a {@code TreeEnsemble}.
 * </ul>
 *
 * <p>Smile is LGPL: it is used here (the {@code models} module and the CLI jar), never in
 * risk-core. Arithmetic and precision: {@code docs/gbdt.md}.
 */
package io.chainscore.develop.gbdt;
