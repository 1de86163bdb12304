package io.chainscore.cli;

import io.chainscore.batch.engine.RunManifest;
import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.document.ModelDocumentation;
import io.chainscore.reports.DocumentHtml;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.validation.ModelDocument;
import io.chainscore.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore document}: the development and validation document of a model. */
@Command(
    name = "document",
    mixinStandardHelpOptions = true,
    description = {
      "Write the development and validation document of a model on a labelled sample as one printable HTML page.",
      "Sections: purpose and scope, data and cohorts, method (characteristics, master scale, reason statements,"
          + " PD calibration), performance with DeLong confidence intervals and calibration tests (the figures of"
          + " chainscore validate), bin tables with WoE and IV for scorecards, the characteristics' weights"
          + " re-estimated on the sample with their significance, stability from the first cohort to the last,"
          + " limitations stated from those figures, and provenance.",
      "For a segmented bundle, the routing rules, the figures of the whole with its per-segment table, and a section"
          + " per segment (its characteristics, calibration, figures and bin tables with points on the rows routed to"
          + " it); the weights are re-estimated per segment."
    })
final class DocumentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--data", required = true, description = "CSV, Arrow IPC or Parquet table with the model's features (and the target unless --labels).")
  Path data;

  @Option(names = "--labels", description = "Labels table holding --target, joined to --data on supplier_id and as_of_date.")
  Path labels;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Read the dates stored as instants in --data and"
      + " --labels: a Parquet timestamp adjusted to UTC or INT96, an Arrow timestamp with a time zone, as their dates"
      + " in ZONE, e.g. UTC or Europe/Berlin; and join an as_of_date written to CSV with an offset"
      + " (2025-06-30T00:00:00+08:00) on its date there. Without it they are refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--target", defaultValue = "defaulted", description = "Target column: 0/1 or true/false, or two labels with --event-label (default ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--event-label", description = "The target label that means default.")
  String eventLabel;

  @Option(names = "--cohort", description = "Column of development cohorts (e.g. as_of_date or a year): a table by cohort and the stability from the first to the last.")
  String cohort;

  @Option(names = "--in-sample", description = "The sample is the one the model was fitted on (Hosmer-Lemeshow df G - 2, and a limitation says so).")
  boolean inSample;

  @Option(names = "--out", required = true, description = "HTML file to write.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing --out.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the document's headline figures and limitations as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    OutputFiles.refuseAsOutputFile(out, overwrite, "document.html");
    ModelBundle bundle = trust.load(model);
    TabularFiles.Sample labelled = TabularFiles.readSample(data, labels, target, eventLabel, timeZone,
        spec.commandLine().getErr(), "document");
    TabularData table = labelled.table();
    String[] cohorts = null;
    if (cohort != null) {
      if (!table.columnNames().contains(cohort)) {
        throw io.chainscore.tables.InputFormatException.missingColumn(data.toString(), cohort, "--cohort",
            table.columnNames());
      }
      cohorts = new String[table.rowCount()];
      if (table.isNumeric(cohort)) {
        double[] v = table.numeric(cohort);
        for (int i = 0; i < v.length; i++) {
          cohorts[i] = Double.isNaN(v[i]) ? ModelDocumentation.MISSING_COHORT
              : v[i] == Math.rint(v[i]) ? Long.toString((long) v[i]) : Double.toString(v[i]);
        }
      } else {
        String[] v = table.categorical(cohort);
        for (int i = 0; i < v.length; i++) {
          cohorts[i] = v[i] == null ? ModelDocumentation.MISSING_COHORT : v[i];
        }
      }
    }
    double[] rows = ValidateCommand.rows(bundle.schema(), labelled, data);
    int[] targets = table.target();
    // Rows the model's policies refuse are left out of every figure, as train and validate leave
    // them out, and the document says so among its limitations (it stopped at the first, exit 2).
    RefusedRows refused = new RefusedRows(targets.length).add(bundle, rows, "");
    String sample = data.toString();
    if (refused.all()) {
      throw new IllegalArgumentException(data + ": the model refuses every row (the first: "
          + refused.first().reason() + "); nothing is left to document");
    }
    if (refused.count() > 0) {
      rows = refused.kept(rows, bundle.schema().size());
      targets = refused.kept(targets);
      cohorts = cohorts == null ? null : refused.kept(cohorts);
    }
    ModelDocument document = ModelDocumentation.build(bundle, rows, targets, cohorts, data.toString(),
        RunManifest.sha256(data), labels == null ? null : labels.toString(),
        ValidationReport.Options.defaults().inSample(inSample));
    String refusedNote = null;
    if (refused.count() > 0) {
      refusedNote = String.format(Locale.ROOT, "%,d row%s of the sample (%s) %s refused by the model's policies and"
          + " left out of every figure here (the first: row %d: %s); chainscore validate lists them all.",
          refused.count(), refused.count() == 1 ? "" : "s", sample, refused.count() == 1 ? "was" : "were",
          labelled.fileRow(refused.first().row()), refused.first().reason());
      List<String> limitations = new java.util.ArrayList<>(List.of(refusedNote));
      limitations.addAll(document.limitations());
      document = new ModelDocument(document.model(), document.data(), document.cohorts(), document.weights(),
          document.stability(), limitations, document.validation().withRowsRefused(refused.count()),
          document.segments());
    }
    // Written whole under a temporary name, then renamed: never a half-written document.
    Path tmp = OutputFiles.partialBeside(out);
    DocumentHtml.write(document, tmp);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (json) {
      java.util.Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model", document.model().id() + " " + document.model().version());
      j.put("rows", document.data().rows());
      j.put("defaults", document.data().defaults());
      j.put("auc", document.validation().metrics().auc());
      j.put("auc_ci", document.validation().metrics().aucCi());
      j.put("limitations", document.limitations());
      if (refused.count() > 0) {
        j.put("rows_refused", refused.count());
      }
      JsonOutput.print(spec.commandLine().getOut(), j);
      if (refusedNote != null) {
        spec.commandLine().getErr().println("document: " + refusedNote);
      }
      return refused.count() == 0 ? ExitCodes.SUCCESS : ExitCodes.QUARANTINED;
    }
    spec.commandLine().getOut().printf(Locale.ROOT, "Documented %s %s on %,d rows (%,d defaults): %s%n",
        bundle.modelId(), bundle.modelVersion(), document.data().rows(), document.data().defaults(), out);
    if (refusedNote != null) {
      spec.commandLine().getErr().println("document: " + refusedNote);
    }
    return refused.count() == 0 ? ExitCodes.SUCCESS : ExitCodes.QUARANTINED;
  }
}
