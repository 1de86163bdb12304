/**
 * Model development: binning, WoE/IV, characteristic selection, logistic fitting, scorecard
 * scaling, gradient-boosted trees (Smile, LGPL: this module and the command-line tool only),
 * imports of XGBoost and LightGBM models and the bundled models' pipeline. Validation figures are
 * analytics' ({@code io.chainscore.validation.ValidationReport}), their HTML the reports module's.
 */
module io.chainscore.develop {
  requires transitive io.chainscore.core;
  requires transitive io.chainscore.analytics;
  requires io.chainscore.models;
  requires io.chainscore.simulator;
  requires com.fasterxml.jackson.databind;
  requires commons.math3;
  requires smile.core;
  requires smile.data;
  requires smile.math;
  requires ml.dmlc.xgboost4j;

  exports io.chainscore.develop;
  exports io.chainscore.develop.binning;
  exports io.chainscore.develop.calibration;
  exports io.chainscore.develop.document;
  exports io.chainscore.develop.fit;
  exports io.chainscore.develop.gbdt;
  exports io.chainscore.develop.imports;
  exports io.chainscore.develop.pipeline;
  exports io.chainscore.develop.scorecard;
}
