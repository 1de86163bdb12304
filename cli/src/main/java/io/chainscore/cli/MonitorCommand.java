package io.chainscore.cli;

import io.chainscore.batch.engine.FileSetCommit;
import io.chainscore.batch.scoring.Monitoring;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.ResultJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore monitor}: stability and back-testing of a model over a series of score runs. */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Monitor a model over a series of score runs and raise alerts when it drifts.",
      "Each --runs folder is a chainscore score run (its manifest, scores and, when kept, features, checked against"
          + " the manifest). For every run it reports the PSI of scores and grades and the CSI of every feature against"
          + " the reference run, the grade migration from it, and, where --labels hold outcomes for the run's suppliers"
          + " and as-of date, a back-test (AUC with its DeLong 95%% interval, calibration-in-the-large); for a segmented"
          + " model the PSI, CSI and back-test of every segment too (each against the reference run's rows of that"
          + " segment), each able to alert on its own. Writes"
          + " monitor.json, alerts.json and monitor.html to --out, and exits 4 when an alert fired."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no alert", "1:failure", "2:bad usage or bad input", "4:an alert fired (see alerts.json)"})
final class MonitorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--runs", required = true, arity = "1..*", description = "Score run folders, oldest first (a folder holding"
      + " several runs: the manifest of the one to use).")
  List<Path> runs;

  @Option(names = "--reference", description = "The reference run folder (default: the first of --runs).")
  Path reference;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt; every run must have been scored with it.")
  Path model;

  @Option(names = "--labels", arity = "1..*", description = "Outcome tables (supplier_id, as_of_date, defaulted), as chainscore generate writes labels.")
  List<Path> labels;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Read the --labels' dates stored as instants"
      + " (timestamps with a time zone) as their dates in ZONE, e.g. UTC or Europe/Berlin; without it they are refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--psi-warning", defaultValue = "0.10", description = "PSI from which a run is flagged (default ${DEFAULT-VALUE}).")
  double psiWarning;

  @Option(names = "--psi-alert", defaultValue = "0.25", description = "PSI of scores or grades from which an alert fires (default ${DEFAULT-VALUE}).")
  double psiAlert;

  @Option(names = "--csi-warning", defaultValue = "0.10", description = "A feature's CSI from which it is flagged (default ${DEFAULT-VALUE}).")
  double csiWarning;

  @Option(names = "--auc-floor", defaultValue = "0.60", description = "An alert fires when a back-test's AUC upper 95%% bound is below this (default ${DEFAULT-VALUE}).")
  double aucFloor;

  @Option(names = "--calibration-level", defaultValue = "0.01", description = "An alert fires when the realised defaults are above the PDs at this one-sided level (default ${DEFAULT-VALUE}).")
  double calibrationLevel;

  @Option(names = "--quarantine-warning", paramLabel = "SHARE", defaultValue = "0.01", description = "Share of a run's rows read that it"
      + " quarantined from which the run is flagged, a data-quality warning (default ${DEFAULT-VALUE}, 1%%).")
  double quarantineWarning;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an earlier report in --out.")
  boolean overwrite;

  @Option(names = "--json", description = "Print monitor.json on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    OutputFiles.refuseAsResultFolder(out, "monitor.json", "alerts.json", "monitor.html");   // before the work; the folder is made after it
    Monitoring.Thresholds thresholds = new Monitoring.Thresholds(psiWarning, psiAlert, csiWarning, aucFloor,
        calibrationLevel, quarantineWarning);
    ModelBundle bundle;
    try {
      bundle = trust.load(model);
    } catch (io.chainscore.scoring.ModelFormatException e) {
      throw new IllegalArgumentException("model file: " + e.getMessage(), e);
    }
    List<Monitoring.Run> list = new ArrayList<>();
    int referenceIndex = 0;
    for (Path dir : runs) {
      BaselineRun run = BaselineRun.of(dir, "--runs");
      if (!run.modelSha256().equals(bundle.sha256())) {
        throw new IllegalArgumentException("--runs " + dir + ": scored with the model of SHA-256 "
            + run.modelSha256() + ", not " + bundle.modelId() + " " + bundle.modelVersion() + " (" + bundle.sha256()
            + "); pass that run's model with --model");
      }
      list.add(new Monitoring.Run(dir.toString(), run.scores(), run.features(), run.rows()));
    }
    if (reference != null) {
      referenceIndex = -1;
      for (int i = 0; i < runs.size(); i++) {
        // the run's folder however it is spelled (through a link too), by the commands' one rule
        if (io.chainscore.batch.io.FileIdentity.sameFile(runs.get(i), reference)) {
          referenceIndex = i;
        }
      }
      if (referenceIndex < 0) {
        throw new IllegalArgumentException("--reference " + reference + ": not one of --runs");
      }
    }
    if (timeZone != null && labels == null) {
      throw new IllegalArgumentException("--time-zone reads the dates of --labels; none were given");
    }
    Map<String, Map<LocalDate, Boolean>> outcomes = labels == null ? null : readLabels(labels, timeZone);
    Map<String, Object> report = Monitoring.report(list, referenceIndex, bundle, outcomes, thresholds);
    if (outcomes != null && noBacktest(report)) {
      // labels that hold no outcome of any run (other suppliers, other as-of dates, a header only)
      // change nothing in the report: said, so that a wrong file is not read as a model without findings
      spec.commandLine().getErr().println("monitor: note: no row of --labels " + labels.stream().map(Path::toString)
          .collect(java.util.stream.Collectors.joining(", ")) + " is the outcome of a run's supplier at the run's"
          + " as-of date; no back-test");
    }

    Path jsonFile = out.resolve("monitor.json");
    Path alertsFile = out.resolve("alerts.json");
    Path htmlFile = out.resolve("monitor.html");
    OutputFiles.createFolder(out);
    FileSetCommit commit = FileSetCommit.begin(jsonFile, overwrite);
    if (!overwrite) {
      for (Path p : new Path[] {jsonFile, alertsFile, htmlFile}) {
        if (Files.exists(p)) {
          throw new FileAlreadyExistsException(p.toString(), null, "already exists; pass --overwrite to replace it");
        }
      }
    }
    try {
      Files.writeString(commit.stage(alertsFile), ResultJson.toJson(report.get("alerts")));
      io.chainscore.reports.MonitorHtml.write(report, psiWarning, psiAlert, commit.stage(htmlFile));
      Files.writeString(commit.stage(jsonFile), ResultJson.toJson(report));
      commit.commit();
    } catch (IOException | RuntimeException e) {
      commit.abandon();
      throw e;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> alerts = (List<Map<String, Object>>) report.get("alerts");
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(o, report);
    } else {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("runs");
      o.printf(Locale.ROOT, "%-3s %-40s %-10s %9s %11s %8s %10s %10s  %s%n", "#", "run", "as of", "suppliers",
          "quarantined", "mean PD", "PSI score", "PSI grade", "status");
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> r = rows.get(i);
        o.printf(Locale.ROOT, "%-3d %-40s %-10s %,9d %11s %8s %10s %10s  %s%n", i + 1, r.get("run"),
            r.get("as_of_date") == null ? "n/a" : r.get("as_of_date"), ((Number) r.get("suppliers")).longValue(),
            r.get("rows_quarantined") == null ? "n/a" : String.format(Locale.ROOT, "%,d", (Long) r.get("rows_quarantined")),
            r.get("mean_pd") == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * (Double) r.get("mean_pd")),
            psiText(r.get("psi_score_deciles")), psiText(r.get("psi_grades")), r.get("status"));
        if (r.get("transaction_rows_quarantined") instanceof Number refused && refused.longValue() > 0) {
          // refused before the features: a supplier whose own row went is missing from the run's count
          o.printf(Locale.ROOT, "    and %,d trade-table row%s refused before the features%n", refused.longValue(),
              refused.longValue() == 1 ? "" : "s");
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> bySegment = (List<Map<String, Object>>) r.get("segments");
        for (Map<String, Object> sr : bySegment == null ? List.<Map<String, Object>>of() : bySegment) {
          o.printf(Locale.ROOT, "    segment %-31s %-10s %,9d %11s %8s %10s %10s  %s%n", sr.get("segment"), "",
              ((Number) sr.get("suppliers")).longValue(), "", sr.get("mean_pd") == null ? "n/a"
                  : String.format(Locale.ROOT, "%.2f%%", 100 * (Double) sr.get("mean_pd")),
              psiText(sr.get("psi_score_deciles")), psiText(sr.get("psi_grades")), sr.get("status"));
        }
      }
      for (Map<String, Object> a : alerts) {
        o.printf(Locale.ROOT, "ALERT %s%s: %s = %.4f (threshold %.4f)%n", a.get("run"),
            a.containsKey("segment") ? " segment " + a.get("segment") : "", a.get("metric"),
            (Double) a.get("value"), (Double) a.get("threshold"));
      }
      o.println("Wrote " + jsonFile + ", " + alertsFile + " and " + htmlFile);
    }
    return alerts.isEmpty() ? ExitCodes.SUCCESS : ExitCodes.ALERT;
  }

  /** Whether no run of {@code report} has a back-test (its labels matched none of its suppliers). */
  private static boolean noBacktest(Map<String, Object> report) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("runs");
    return rows.stream().allMatch(r -> r.get("backtest") == null);
  }

  private static String psiText(Object v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", (Double) v);
  }

  /** Outcomes by supplier and as-of date from the label tables (a pair listed twice is refused). */
  static Map<String, Map<LocalDate, Boolean>> readLabels(List<Path> files, java.time.ZoneId timeZone)
      throws IOException {
    Map<String, Map<LocalDate, Boolean>> out = new HashMap<>();
    // where each supplier and date was first labelled, to name both rows of a repeat
    record Labelled(Path file, long row) {}
    Map<String, Map<LocalDate, Labelled>> first = new HashMap<>();
    for (Path file : files) {
      for (io.chainscore.batch.io.PortfolioInputs.Outcome o : io.chainscore.batch.io.PortfolioInputs.readOutcomes(file, timeZone)) {
        Labelled before = first.computeIfAbsent(o.supplierId(), k -> new HashMap<>())
            .putIfAbsent(o.asOfDate(), new Labelled(file, o.row()));
        if (before != null) {
          throw new IllegalArgumentException(file + ", row " + o.row() + ", column supplier_id: supplier "
              + o.supplierId() + " has a second label as of " + o.asOfDate() + " (the first: "
              + (before.file().equals(file) ? "" : before.file() + ", ") + "row " + before.row()
              + "); expected one label per supplier and as-of date");
        }
        out.computeIfAbsent(o.supplierId(), k -> new HashMap<>()).put(o.asOfDate(), o.defaulted());
      }
    }
    return out;
  }
}
