package io.chainscore.cli;

import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.validation.ValidationMetrics;
import io.chainscore.validation.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code chainscore train}: build a points scorecard (default) or gradient-boosted trees ({@code
 * --model gbdt}) from any CSV or Arrow table with a two-valued target.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a points scorecard (or --model gbdt trees) on a CSV or Arrow table with a two-valued target and write a model bundle.",
      "Every other column is a candidate characteristic (numeric or categorical, inferred).",
      "Optimal monotonic binning, selection by IV and correlation, WoE logistic regression, scaling to points; prints the IV ranking, the selected characteristics and the held-out metrics.",
      "With --model gbdt it trains gradient-boosted trees with Smile instead (exported bit-exactly to the tree_ensemble format, Platt-calibrated on a hold-out of the training part, TreeSHAP reason codes)."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "CSV file with a header row, or an Arrow IPC file (.arrow, .feather, .ipc):"
      + " the characteristics, and the target unless --labels gives it.")
  Path data;

  @Option(names = "--labels", description = "Labels table (CSV or Arrow, e.g. the generator's labels.arrow) holding --target,"
      + " joined to --data on supplier_id and as_of_date; feature rows without a label are counted and left out.")
  Path labels;

  @Option(names = "--target", required = true, description = "Target column: 0/1 or true/false, or two labels with --event-label.")
  String target;

  @Option(names = "--holdout-out", description = "Write the held-out (test) rows, with the target, to this CSV, for chainscore validate.")
  Path holdoutOut;

  @Option(names = "--event-label", description = "The target label that means default (event).")
  String eventLabel;

  @Option(names = "--exclude", split = ",", description = "Columns to leave out (comma separated).")
  List<String> exclude;

  @Option(names = "--test-share", defaultValue = "0.3", description = "Share of rows held out for testing (default ${DEFAULT-VALUE}).")
  double testShare;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the train/test split (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--cohort", description = "Column grouping the rows into development cohorts (e.g. the as-of year):"
      + " left out of the characteristics; a scorecard selects characteristics by cohort-out forward selection.")
  String cohort;

  @Option(names = "--test-cohort", description = "Hold out this value of --cohort as the test set (out-of-time"
      + " validation) instead of a random --test-share.")
  String testCohort;

  @Option(names = "--model-id", description = "Model id (default: the --out file name without its extension).")
  String modelId;

  @Option(names = "--model-version", defaultValue = "1.0.0", description = "Model version (default ${DEFAULT-VALUE}).")
  String modelVersion;

  @Option(names = "--max-missing-share", defaultValue = "0.5", description = "The bundle's max_missing_share: a row"
      + " missing more than this share of the features the model uses is refused when scored (quarantined by score,"
      + " exit 2 in explain), from 0 to 1, where 1 refuses none (default ${DEFAULT-VALUE}).")
  double maxMissingShare;

  @Option(names = "--min-iv", defaultValue = "0.02", description = "Smallest information value kept (default ${DEFAULT-VALUE}).")
  double minIv;

  @Option(names = "--max-bins", defaultValue = "8", description = "Most bins per characteristic (default ${DEFAULT-VALUE}).")
  int maxBins;

  @Option(names = "--min-bin-share", defaultValue = "0.05", description = "Smallest share of rows per bin (default ${DEFAULT-VALUE}).")
  double minBinShare;

  @Option(names = "--model", defaultValue = "scorecard",
      description = "scorecard (default) or gbdt (gradient-boosted trees).")
  String model;

  @Option(names = "--trees", defaultValue = "200", description = "gbdt: number of trees (default ${DEFAULT-VALUE}).")
  int trees;

  @Option(names = "--depth", defaultValue = "4", description = "gbdt: deepest tree (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--max-leaves", defaultValue = "8", description = "gbdt: most leaves per tree (default ${DEFAULT-VALUE}).")
  int maxLeaves;

  @Option(names = "--node-size", defaultValue = "20", description = "gbdt: smallest node split further (default ${DEFAULT-VALUE} rows).")
  int nodeSize;

  @Option(names = "--shrinkage", defaultValue = "0.05", description = "gbdt: learning rate (default ${DEFAULT-VALUE}).")
  double shrinkage;

  @Option(names = "--subsample", defaultValue = "0.7", description = "gbdt: share of rows per tree (default ${DEFAULT-VALUE}).")
  double subsample;

  @Option(names = "--calibration-share", defaultValue = "0.2",
      description = "gbdt: share of the training part held out for Platt calibration, 0 for none (default ${DEFAULT-VALUE}).")
  double calibrationShare;

  @Option(names = "--out", required = true, description = "Bundle JSON to write.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing bundle.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    if (Files.exists(out) && !overwrite) {
      throw new FileAlreadyExistsException(out.toString(), null, "already exists; pass --overwrite to replace it");
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (holdoutOut != null && Files.exists(holdoutOut) && !overwrite) {
      throw new FileAlreadyExistsException(holdoutOut.toString(), null, "already exists; pass --overwrite to replace it");
    }
    java.util.Set<String> excluded = exclude == null ? new HashSet<>() : new HashSet<>(exclude);
    TabularData table;
    int unlabelled = 0;
    if (labels != null) {
      err.println("train: reading " + data + " and the labels " + labels);
      LabelJoin.Result joined = TabularFiles.read(data, labels, target, eventLabel);
      table = joined.data();
      unlabelled = joined.unlabelledRows();
      err.printf(Locale.ROOT, "train: %,d feature rows: %,d labelled, %,d without a label (left out); %,d labels match no feature row%n",
          joined.featureRows(), table.rowCount(), unlabelled, joined.unusedLabels());
      if (table.rowCount() == 0) {
        throw new IllegalArgumentException(labels + ": no row of " + data + " has a label (joined on supplier_id and as_of_date)");
      }
      excluded.addAll(LabelJoin.KEYS);
    } else {
      err.println("train: reading " + data);
      table = TabularFiles.read(data, target, eventLabel);
    }
    requireBothClasses(table.target(), "--target " + target + " in " + (labels != null ? labels : data));
    String[] cohortOfRow = null;
    if (cohort != null) {
      if (!table.columnNames().contains(cohort) || cohort.equals(target)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--cohort: no column '" + cohort + "' other than the target in " + data);
      }
      cohortOfRow = table.categorical(cohort);
      excluded.add(cohort);
    } else if (testCohort != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--test-cohort needs --cohort");
    }
    java.util.Optional<String> notCandidate = LabelJoin.nonCandidate(table, excluded);
    if (notCandidate.isPresent()) {
      throw new IllegalArgumentException(data + ": " + notCandidate.get() + " and cannot be a characteristic; "
          + (labels == null ? "give the labels with --labels to join on supplier_id and as_of_date, or " : "")
          + "leave it out with --exclude");
    }
    TabularSamples all = TabularSamples.of(table, excluded);
    TabularSamples[] parts;
    boolean[] testFlags = new boolean[all.size()];
    if (testCohort != null) {
      int testRows = 0;
      for (int i = 0; i < testFlags.length; i++) {
        testFlags[i] = sameCohort(cohortOfRow[i], testCohort);
        testRows += testFlags[i] ? 1 : 0;
      }
      if (testRows == 0 || testRows == testFlags.length) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--test-cohort " + testCohort + ": "
            + (testRows == 0 ? "no row of " + data + " has that " + cohort : "every row has that " + cohort + ", none is left to train on"));
      }
      parts = all.split(testFlags);
    } else {
      testFlags = TabularSamples.randomTestFlags(all.size(), testShare, seed);
      parts = all.split(testFlags);
    }
    requireBothClasses(trainingTargets(table.target(), testFlags), "the training part of --target " + target
        + " (the rows not held out for testing)");
    if (holdoutOut != null) {
      LabelJoin.writeCsv(table, testFlags, holdoutOut);
      err.printf(Locale.ROOT, "train: wrote the %,d held-out rows to %s%n", parts[1].size(), holdoutOut);
    }
    int[] trainingCohorts = cohortOfRow == null ? null : cohortIds(cohortOfRow, testFlags);
    err.printf(Locale.ROOT, "train: %,d rows (%,d to train, %,d to test), %d candidate characteristics; %s%n",
        all.size(), parts[0].size(), parts[1].size(), all.schema().size(),
        model.equals("gbdt") ? "boosting trees" : "binning and fitting");
    String name = data.getFileName().toString();
    // The model is named by the user or after its own file, never after the sample it was fitted on.
    String outName = out.getFileName().toString();
    String id = modelId != null ? modelId : io.chainscore.scoring.tree.TreeEnsemble.schemaName(
        outName.contains(".") ? outName.substring(0, outName.indexOf('.')) : outName).replace('_', '-');
    String trainedAt = Files.getLastModifiedTime(data).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    if (model.equals("gbdt")) {
      return trainGbdt(o, err, all, parts, id, name, trainedAt);
    }
    if (!model.equals("scorecard")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--model: expected scorecard or gbdt, got '" + model + "'");
    }
    ScorecardTrainer.Options options = ScorecardTrainer.Options.builder().modelId(id).modelVersion(modelVersion)
        .description("Scorecard trained by chainscore train on " + name + ".").scaling(new PointsScale(20, 600, 50))
        .minIv(minIv).maxCorrelation(0.7).maxCharacteristics(15).minBinShare(minBinShare).maxBins(maxBins)
        .trainedAt(trainedAt).trainer("chainscore train " + ChainScoreCli.versionText())
        .maxMissingShare(maxMissingShare).build();
    if (trainingCohorts != null) {
      long cohorts = java.util.Arrays.stream(trainingCohorts).distinct().count();
      err.printf(Locale.ROOT, "train: %d training cohort%s of %s: %s%n", cohorts, cohorts == 1 ? "" : "s", cohort,
          cohorts > 1 ? "characteristics chosen by cohort-out forward selection" : "one cohort, selection by IV");
    }
    ScorecardTrainer.Result result = new ScorecardTrainer(options)
        .train(all.schema(), parts[0].rows(), parts[0].labels(), trainingCohorts);
    Path partial = out.resolveSibling("." + out.getFileName() + ".tmp");
    result.bundle().write(partial);
    Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model_id", id);
      j.put("model_version", modelVersion);
      j.put("sha256", result.bundle().sha256());
      j.put("rows", table.rowCount());
      j.put("unlabelled_rows", unlabelled);
      j.put("iv", result.ivByFeature());
      j.put("characteristics", result.characteristics().stream().map(ScorecardTrainer.Characteristic::feature).toList());
      j.put("training", ValidationReport.of(result.bundle(), parts[0].rows(), parts[0].labels(), null).metrics());
      if (parts[1].size() > 0) {
        j.put("test", ValidationReport.of(result.bundle(), parts[1].rows(), parts[1].labels(), null).metrics());
      }
      JsonOutput.print(o, j);
      return ExitCodes.SUCCESS;
    }
    o.println("Information value of every candidate (highest first):");
    result.ivByFeature().entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue().isNaN() ? -1 : b.getValue(), a.getValue().isNaN() ? -1 : a.getValue()))
        .forEach(e -> o.printf(Locale.ROOT, "  %-40s %8.4f%n", e.getKey(), e.getValue()));
    o.println("Selected characteristics:");
    o.printf(Locale.ROOT, "  %-40s %8s %10s %10s %s%n", "characteristic", "IV", "coef", "p-value", "bins");
    for (ScorecardTrainer.Characteristic c : result.characteristics()) {
      o.printf(Locale.ROOT, "  %-40s %8.4f %10.4f %10.2e %d%n", c.feature(), c.binning().iv(), c.coefficient(),
          c.pValue(), c.binning().bins().stream().filter(b -> b.count() > 0).count());
    }
    printMetrics(o, "training", ValidationReport.of(result.bundle(), parts[0].rows(), parts[0].labels(), null).metrics());
    if (parts[1].size() > 0) {
      printMetrics(o, "test", ValidationReport.of(result.bundle(), parts[1].rows(), parts[1].labels(), null).metrics());
    }
    o.printf("Wrote %s (%s %s, sha256 %s)%n", out, id, modelVersion, result.bundle().sha256());
    return ExitCodes.SUCCESS;
  }

  /** Cohort values compare as numbers when both parse (so "2024" matches 2024.0), else as text. */
  private static boolean sameCohort(String value, String wanted) {
    if (value == null) {
      return false;
    }
    try {
      return Double.parseDouble(value) == Double.parseDouble(wanted);
    } catch (NumberFormatException e) {
      return value.equals(wanted);
    }
  }

  /** Dense ids, in order of first appearance, of the cohorts of the training rows; missing is its own cohort. */
  private static int[] cohortIds(String[] cohortOfRow, boolean[] test) {
    Map<String, Integer> ids = new java.util.HashMap<>();
    int trainingRows = 0;
    for (boolean t : test) {
      trainingRows += t ? 0 : 1;
    }
    int[] out = new int[trainingRows];
    for (int i = 0, k = 0; i < cohortOfRow.length; i++) {
      if (!test[i]) {
        out[k++] = ids.computeIfAbsent(String.valueOf(cohortOfRow[i]), key -> ids.size());
      }
    }
    return out;
  }

  private Integer trainGbdt(PrintWriter o, PrintWriter err, TabularSamples all, TabularSamples[] parts, String id,
      String name, String trainedAt) throws IOException {
    GbdtTrainer trainer = GbdtTrainer.builder().trees(trees).maxDepth(depth).maxNodes(maxLeaves).nodeSize(nodeSize)
        .shrinkage(shrinkage).subsample(subsample).seed(seed).calibrationShare(calibrationShare)
        .modelId(id).modelVersion(modelVersion)
        .description("Gradient-boosted trees trained by chainscore train on " + name + ".")
        .trainedAt(trainedAt).trainer("chainscore train " + ChainScoreCli.versionText() + " (Smile 2.6.0)")
        .maxMissingShare(maxMissingShare).build();
    err.printf(Locale.ROOT, "train: gradient-boosted trees (%d trees, depth %d, %d leaves, shrinkage %s)%n",
        trees, depth, maxLeaves, shrinkage);
    long start = System.nanoTime();
    GbdtTrainer.Result result = trainer.train(all.schema(), parts[0].rows(), parts[0].labels());
    err.printf(Locale.ROOT, "train: trees fitted in %.1f s%n", (System.nanoTime() - start) / 1e9);
    Path partial = out.resolveSibling("." + out.getFileName() + ".tmp");
    result.bundle().write(partial);
    Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Map<String, Double> share = result.fit().importanceShares();
    ValidationMetrics training = ValidationReport.of(result.bundle(), parts[0].rows(), parts[0].labels(), null).metrics();
    ValidationMetrics test = parts[1].size() > 0
        ? ValidationReport.of(result.bundle(), parts[1].rows(), parts[1].labels(), null).metrics() : null;
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("model", "gbdt");
      j.put("model_id", id);
      j.put("model_version", modelVersion);
      j.put("sha256", result.bundle().sha256());
      j.put("importance", share);
      Map<String, Object> calibration = JsonOutput.object();
      calibration.put("intercept", result.calibrationIntercept());
      calibration.put("slope", result.calibrationSlope());
      j.put("calibration", calibration);
      j.put("training", training);
      if (test != null) {
        j.put("test", test);
      }
      JsonOutput.print(o, j);
      return ExitCodes.SUCCESS;
    }
    o.println("Feature importance (share of the impurity decrease over all splits):");
    share.forEach((f, v) -> o.printf(Locale.ROOT, "  %-40s %8.4f%n", f, v));
    o.printf(Locale.ROOT, "Calibration (Platt, hold-out): PD = 1 / (1 + exp(-(%.4f + %.4f * margin)))%n",
        result.calibrationIntercept(), result.calibrationSlope());
    printMetrics(o, "training", training);
    if (test != null) {
      printMetrics(o, "test", test);
    }
    o.printf("Wrote %s (%s %s, sha256 %s)%n", out, id, modelVersion, result.bundle().sha256());
    return ExitCodes.SUCCESS;
  }

  static void printMetrics(PrintWriter o, String sample, ValidationMetrics m) {
    o.printf(Locale.ROOT, "%s: %s rows, AUC %s, Gini %s, KS %s, Brier %s%n", sample, m.rows(),
        fmt(m.auc()), fmt(m.gini()), fmt(m.ks()), fmt(m.brier()));
  }

  private static String fmt(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : "n/a";
  }

  /** Refuses option values the trainers would only fail on later with a less precise message. */
  private void checkOptions() {
    if (!(maxMissingShare >= 0 && maxMissingShare <= 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--max-missing-share " + maxMissingShare + ": expected a share from 0 to 1");
    }
    if (maxBins < 2) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--max-bins " + maxBins + ": must be at least 2 (a characteristic with one bin carries no information)");
    }
    if (!(testShare >= 0 && testShare < 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--test-share " + testShare + ": must be at least 0 and below 1 (the share of rows held out for testing)");
    }
    if (!(minIv >= 0) || Double.isInfinite(minIv)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--min-iv " + minIv + ": must be a finite number >= 0");
    }
  }

  /** Training needs both defaults and non-defaults; say so rather than "no characteristic has IV". */
  private void requireBothClasses(int[] labels, String what) {
    long events = 0;
    for (int y : labels) {
      events += y;
    }
    if (events == 0 || events == labels.length) {
      throw new IllegalArgumentException(what + ": all " + labels.length + " rows are "
          + (events == 0 ? "non-events (0)" : "events (1)") + "; training needs both classes"
          + (eventLabel == null ? " (is --event-label needed?)" : ""));
    }
  }

  private static int[] trainingTargets(int[] labels, boolean[] testFlags) {
    int n = 0;
    for (boolean t : testFlags) {
      n += t ? 0 : 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < labels.length; i++) {
      if (!testFlags[i]) {
        out[k++] = labels[i];
      }
    }
    return out;
  }
}
