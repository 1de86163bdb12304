package io.chainscore.cli;

import io.chainscore.develop.TabularData;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.reports.ValidationHtml;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore validate}: validate a model bundle on a labelled CSV or Arrow sample. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a model bundle on a labelled CSV or Arrow table: writes metrics.json (auc, gini, ks, brier,",
      "hosmer_lemeshow, per-grade binomial and Jeffreys tests, psi against --baseline) and",
      "report.html (ROC, KS curve, score distributions, calibration by grade and, for a",
      "scorecard, the bin table of every characteristic on the data) to --out.",
      "Columns are matched to the model's features by name (lower case, non-alphanumerics as _)."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--data", required = true, description = "CSV or Arrow IPC file (.arrow, .feather, .ipc) with the model's features and the target.")
  Path data;

  @Option(names = "--target", required = true, description = "Target column: 0/1, or two labels with --event-label.")
  String target;

  @Option(names = "--event-label", description = "The target label that means default.")
  String eventLabel;

  @Option(names = "--baseline", description = "A baseline CSV or Arrow file (same columns) for the PSI of the grade distribution.")
  Path baseline;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    ModelBundle bundle = ExplainCommand.loadModel(model);
    TabularData table = TabularFiles.read(data, target, eventLabel);
    double[] rows = rows(bundle.schema(), table, data);
    double[] baselineRows = null;
    if (baseline != null) {
      baselineRows = rows(bundle.schema(), TabularFiles.read(baseline, target, eventLabel), baseline);
    }
    ValidationReport report = ValidationReport.of(bundle, rows, table.target(), baselineRows);
    report.writeMetrics(out);
    ValidationHtml.write(report, out.resolve("report.html"));
    if (json) {
      JsonOutput.print(spec.commandLine().getOut(), report.metrics());
      return ExitCodes.SUCCESS;
    }
    TrainCommand.printMetrics(spec.commandLine().getOut(), "validation", report.metrics());
    if (report.metrics().psi() != null) {
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "PSI of the grade distribution against the baseline: %.4f%n",
          report.metrics().psi());
    }
    spec.commandLine().getOut().println("Wrote " + out.resolve("metrics.json") + " and " + out.resolve("report.html"));
    return ExitCodes.SUCCESS;
  }

  /** The table's columns in the bundle's schema order. */
  static double[] rows(FeatureSchema schema, TabularData table, Path file) {
    Map<String, String> columnOf = new HashMap<>();
    for (String c : table.columnNames()) {
      columnOf.putIfAbsent(TreeEnsemble.schemaName(c), c);
    }
    int n = table.rowCount();
    int p = schema.size();
    double[] rows = new double[n * p];
    for (int j = 0; j < p; j++) {
      FeatureSpec f = schema.feature(j);
      String column = columnOf.get(f.name());
      if (column == null) {
        throw new IllegalArgumentException(file + ": no column for the model's feature " + f.name());
      }
      if (f.type() == FeatureType.CATEGORICAL) {
        String[] values = table.isNumeric(column) ? null : table.categorical(column);
        double[] numbers = table.isNumeric(column) ? table.numeric(column) : null;
        for (int i = 0; i < n; i++) {
          String code = values != null ? values[i]
              : Double.isNaN(numbers[i]) ? null
              : numbers[i] == Math.rint(numbers[i]) ? Long.toString((long) numbers[i]) : Double.toString(numbers[i]);
          int index = code == null ? -2 : f.categoryIndex(code);
          if (index == -1) {
            throw new IllegalArgumentException(file + ", row " + (i + 1) + ", column " + column + ": unknown category '"
                + code + "'; the model knows " + f.categories());
          }
          rows[i * p + j] = index == -2 ? Double.NaN : index;
        }
      } else {
        if (!table.isNumeric(column)) {
          throw new IllegalArgumentException(file + ", column " + column + ": the model's feature " + f.name()
              + " is numeric but the column holds text");
        }
        double[] values = table.numeric(column);
        for (int i = 0; i < n; i++) {
          rows[i * p + j] = values[i];
        }
      }
    }
    return rows;
  }
}
