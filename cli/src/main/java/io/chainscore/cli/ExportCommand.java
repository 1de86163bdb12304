package io.chainscore.cli;

import io.chainscore.models.DefaultModels;
import io.chainscore.pmml.PmmlExport;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chainscore export pmml|xgboost|lightgbm}: a model bundle as a PMML 4.4 document
 * (docs/pmml.md), or its tree ensemble as an XGBoost JSON model (docs/tree-models.md#export-to-xgboost)
 * or a LightGBM text model (docs/tree-models.md#export-to-lightgbm).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a model bundle in another format.",
      "For pmml, it writes PMML 4.4 (a scorecard as Scorecard with reason codes, a logistic model as RegressionModel, a tree ensemble as a MiningModel summing TreeModels, a segmented bundle as a MiningModel selecting the first segment whose routing predicate holds, with the output field segment) with the output fields score, margin, pd, grade and, for scorecards, reason_1..4 (docs/pmml.md).",
      "For xgboost, it writes a tree ensemble as an XGBoost JSON model (binary:logistic, or binary:logitraw for a margin model) that xgboost.Booster().load_model and xgboost4j read: its raw margins (output_margin=True) are the bundle's bit for bit on rows the bundle's feature policies leave unchanged; the bundle's PD calibration, points and master scales, id, version and feature policies are in the learner's attributes (chainscore_calibration, ...), and import xgboost restores the calibration and scales. Refused (exit 2, naming the field): scorecards, logistic and segmented bundles, trees compared in float64 (LightGBM, Smile), LightGBM's missing-value rules, dart weights.",
      "For lightgbm, it writes a tree ensemble as a LightGBM text model (binary with its sigmoid factor, or regression for a margin model) that lightgbm.Booster(model_file=...) and LightGBM's C API read: every row the bundle's feature policies leave unchanged goes to the bundle's leaves (XGBoost's float32 thresholds are written as the doubles that split alike; a value within 1e-35 of zero, which LightGBM reads as 0, can go the other way at a threshold within 1e-35 of zero); the raw scores (raw_score=True) are the bundle's margins bit for bit for float64 trees (LightGBM's, Smile's) and within float32 rounding for XGBoost's, which XGBoost sums in float32. The calibration, points and master scales, id, version and feature policies are in the file's parameters section, and import lightgbm restores the calibration and scales. Refused (exit 2, naming the field): scorecards, logistic and segmented bundles, categorical splits of XGBoost's trees.",
      "The same bundle always gives the same bytes."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Target format: pmml, xgboost or lightgbm.")
  String format;

  @Option(names = "--model", description = "Bundle JSON or bundled model name (default: "
      + DefaultModels.SCORECARD + ").")
  java.nio.file.Path model;

  @Option(names = "--out", required = true, description = "File to write: the PMML document, the XGBoost JSON model"
      + " or the LightGBM text model.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing file.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    boolean xgboost = format.equalsIgnoreCase("xgboost");
    boolean lightgbm = format.equalsIgnoreCase("lightgbm");
    if (!format.equalsIgnoreCase("pmml") && !xgboost && !lightgbm) {
      throw new IllegalArgumentException("unknown export format '" + format + "'; expected pmml, xgboost or lightgbm");
    }
    String what = xgboost ? "XGBoost JSON model" : lightgbm ? "LightGBM text model" : "PMML file";
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is a directory; --out names the " + what + " to write");
    }
    OutputFiles.refuseAsOutputFile(out, overwrite);
    ModelBundle bundle = DefaultModels.resolve(model == null ? null : model.toString());
    try {
      if (xgboost) {
        // renders the model before it makes the output's directory: a refused bundle leaves nothing
        io.chainscore.scoring.tree.xgboost.XGBoostModelWriter.write(bundle, out);
      } else if (lightgbm) {
        io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter.write(bundle, out);
      } else {
        OutputFiles.createDirectoryOf(out);
        PmmlExport.write(bundle, out);
      }
    } catch (ModelFormatException e) {
      // a bundle the format cannot hold: the line names the bundle file, as a bundle it cannot read
      // is named (a bundled model by name has no file); until 2026-12-07 it said "model file:" alone
      throw e.inFile(model != null && Files.isRegularFile(model) ? model : null);
    }
    long bytes = Files.size(out);
    if (json) {
      java.util.Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model_id", bundle.modelId());
      j.put("model_version", bundle.modelVersion());
      j.put("model_kind", bundle.modelKind());
      j.put("format", xgboost ? "xgboost" : lightgbm ? "lightgbm" : "pmml");
      j.put("bytes", bytes);
      JsonOutput.print(spec.commandLine().getOut(), j);
      return ExitCodes.SUCCESS;
    }
    spec.commandLine().getOut().printf("Exported %s %s (%s) as %s to %s (%d bytes)%n", bundle.modelId(),
        bundle.modelVersion(), bundle.modelKind(), xgboost ? "an XGBoost JSON model" : lightgbm ? "a LightGBM text model"
        : "PMML 4.4", out, bytes);
    return ExitCodes.SUCCESS;
  }
}
