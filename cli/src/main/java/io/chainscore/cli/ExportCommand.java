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
 * {@code chainscore export pmml|xgboost}: a model bundle as a PMML 4.4 document (docs/pmml.md), or
 * its tree ensemble as an XGBoost JSON model (docs/tree-models.md#export-to-xgboost).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a model bundle in another format.",
      "For pmml, it writes PMML 4.4 (a scorecard as Scorecard with reason codes, a logistic model as RegressionModel, a tree ensemble as a MiningModel summing TreeModels, a segmented bundle as a MiningModel selecting the first segment whose routing predicate holds, with the output field segment) with the output fields score, margin, pd, grade and, for scorecards, reason_1..4 (docs/pmml.md).",
      "For xgboost, it writes a tree ensemble as an XGBoost JSON model (binary:logistic, or binary:logitraw for a margin model) that xgboost.Booster().load_model and xgboost4j read: its raw margins (output_margin=True) are the bundle's bit for bit on rows the bundle's feature policies leave unchanged; the bundle's PD calibration, id, version and feature policies are in the learner's attributes (chainscore_calibration, ...). Refused (exit 2, naming the field): scorecards, logistic and segmented bundles, trees compared in float64 (LightGBM, Smile), LightGBM's missing-value rules, dart weights.",
      "The same bundle always gives the same bytes."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Target format: pmml or xgboost.")
  String format;

  @Option(names = "--model", description = "Bundle JSON or bundled model name (default: "
      + DefaultModels.SCORECARD + ").")
  java.nio.file.Path model;

  @Option(names = "--out", required = true, description = "File to write: the PMML document, or the XGBoost JSON model.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing file.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    boolean xgboost = format.equalsIgnoreCase("xgboost");
    if (!format.equalsIgnoreCase("pmml") && !xgboost) {
      throw new IllegalArgumentException("unknown export format '" + format + "'; expected pmml or xgboost");
    }
    String what = xgboost ? "XGBoost JSON model" : "PMML file";
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is a directory; --out names the " + what + " to write");
    }
    OutputFiles.refuseAsOutputFile(out, overwrite);
    ModelBundle bundle = DefaultModels.resolve(model == null ? null : model.toString());
    if (xgboost) {
      // renders the model before it makes the output's directory: a refused bundle leaves nothing
      io.chainscore.scoring.tree.xgboost.XGBoostModelWriter.write(bundle, out);
    } else {
      OutputFiles.createDirectoryOf(out);
      PmmlExport.write(bundle, out);
    }
    long bytes = Files.size(out);
    if (json) {
      java.util.Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model_id", bundle.modelId());
      j.put("model_version", bundle.modelVersion());
      j.put("model_kind", bundle.modelKind());
      j.put("format", xgboost ? "xgboost" : "pmml");
      j.put("bytes", bytes);
      JsonOutput.print(spec.commandLine().getOut(), j);
      return ExitCodes.SUCCESS;
    }
    spec.commandLine().getOut().printf("Exported %s %s (%s) as %s to %s (%d bytes)%n", bundle.modelId(),
        bundle.modelVersion(), bundle.modelKind(), xgboost ? "an XGBoost JSON model" : "PMML 4.4", out, bytes);
    return ExitCodes.SUCCESS;
  }
}
