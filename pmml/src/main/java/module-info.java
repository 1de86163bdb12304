/**
 * PMML 4.4 in and out for ChainScore model bundles ({@link io.chainscore.pmml.PmmlExport},
 * {@link io.chainscore.pmml.PmmlImport}): scorecards as {@code Scorecard}, logistic regressions as
 * {@code RegressionModel}, tree ensembles as a {@code MiningModel} summing {@code TreeModel}
 * segments. Uses the JDK's XML parser and Jackson only; kept out of the runtime modules, so an
 * embedder of risk-core or models gets no PMML code.
 */
module io.chainscore.pmml {
  requires io.chainscore.core;
  requires com.fasterxml.jackson.databind;
  requires java.xml;

  exports io.chainscore.pmml;
}
