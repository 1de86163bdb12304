/**
 * ChainScore's runtime: trade records, the standard supplier features and the engine that computes
 * them, model bundles and the thread-safe {@link io.chainscore.scoring.Scorer} (points, PD, grade,
 * reason codes, explanations).
 *
 * <p>What an embedder uses is exported: {@code io.chainscore.trade}, {@code io.chainscore.features}
 * (the schema types and {@code StandardFeatures}) and {@code io.chainscore.scoring}. The columnar
 * feature engine the batch engine feeds ({@code io.chainscore.features.engine}), the evaluators' internals (compiled tree ensembles, their
 * bundle codec, the XGBoost and LightGBM readers) and the service-provider seam ({@code
 * io.chainscore.scoring.spi}: compiled models, model kinds) are exported only to ChainScore's own
 * modules. Depends on Jackson alone.
 */
module io.chainscore.core {
  requires com.fasterxml.jackson.databind;

  exports io.chainscore.trade;
  exports io.chainscore.features;
  exports io.chainscore.scoring;

  exports io.chainscore.scoring.spi to
      io.chainscore.models, io.chainscore.analytics, io.chainscore.simulator, io.chainscore.develop,
      io.chainscore.batch, io.chainscore.reports, io.chainscore.cli, io.chainscore.pmml;
  exports io.chainscore.features.engine to
      io.chainscore.develop, io.chainscore.batch, io.chainscore.cli;
  exports io.chainscore.tables to
      io.chainscore.models, io.chainscore.analytics, io.chainscore.simulator, io.chainscore.develop,
      io.chainscore.batch, io.chainscore.reports, io.chainscore.cli;
  exports io.chainscore.scoring.tree to
      io.chainscore.develop, io.chainscore.batch, io.chainscore.cli, io.chainscore.pmml;
  exports io.chainscore.scoring.tree.xgboost to
      io.chainscore.develop, io.chainscore.batch, io.chainscore.cli;
  exports io.chainscore.scoring.tree.lightgbm to
      io.chainscore.develop, io.chainscore.batch, io.chainscore.cli;

  uses io.chainscore.scoring.spi.ModelKind;

  provides io.chainscore.scoring.spi.ModelKind with
      io.chainscore.scoring.tree.TreeEnsembleKind;
}
