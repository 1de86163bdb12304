package io.chainscore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.calibration.CentralTendency;
import io.chainscore.develop.calibration.PdCalibration;
import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.develop.scorecard.ManualBins;
import io.chainscore.develop.scorecard.RejectInference;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.develop.scorecard.SegmentedScorecards;
import io.chainscore.validation.ValidationMetrics;
import io.chainscore.validation.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code chainscore train}: build a points scorecard (default) or gradient-boosted trees ({@code
 * --model-type gbdt}) from any CSV, Arrow or Parquet table with a two-valued target.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a points scorecard (or --model-type gbdt trees) on a CSV, Arrow or Parquet table with a two-valued target and write a model bundle.",
      "Every other column is a candidate characteristic, numeric or categorical as its file types it (in a CSV, numeric when every value present is a number, categorical when fewer than 95%% are; a column of at least 95%% numbers holding text is refused at its first text value, naming file, row and column).",
      "Optimal monotonic binning, selection by IV and correlation, WoE logistic regression, scaling to points; prints the IV ranking, the selected characteristics and the held-out metrics.",
      "With --model-type gbdt it trains gradient-boosted trees instead, with XGBoost (--engine xgboost, the default: missing-value direction learned per split, --monotone constraints, --weight, --early-stopping, categorical splits) or Smile (--engine smile), imported bit-exactly into the tree_ensemble format, with TreeSHAP reason codes."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** --data, --labels, --target, --weight, --test-share, --cohort ...: the development rows, as bins reads them. */
  @Mixin DevelopmentDataOptions dev;

  @Option(names = "--binning", paramLabel = "FILE", description = "Manual classing: a bins file (written by chainscore"
      + " bins, then edited) whose characteristics keep the bins it gives instead of being binned automatically; the"
      + " other characteristics are binned as usual. Scorecard only.")
  Path binning;

  @Option(names = "--rejects", paramLabel = "FILE", description = "Declined applicants for reject inference: a CSV,"
      + " Arrow or Parquet table with the characteristics (other columns, such as a target, are ignored). Their outcomes are"
      + " inferred by --reject-inference from the scorecard fitted on the accepted rows, and the scorecard is then fitted"
      + " on both. Scorecard only. With --cohort the file needs that column too: each reject joins its cohort's"
      + " folds, and the rejects of --test-cohort are left out. With --segment each reject goes to its segment.")
  Path rejects;

  @Option(names = "--reject-inference", paramLabel = "METHOD", description = "How the rejects' outcomes are inferred:"
      + " fuzzy (each reject a bad weighted by its PD and a good weighted by 1 - PD), hard-cutoff (the riskiest rejects"
      + " bad, as many as their PDs add up to) or parcelling (drawn at the accepts' bad rate in the same score decile,"
      + " with --seed). Needs --rejects; the assumptions are in docs/binning.md.")
  String rejectInference;

  @Option(names = "--holdout-out", description = "Write the held-out (test) rows, with the target, to this CSV, for chainscore validate.")
  Path holdoutOut;

  @Option(names = "--model-id", description = "Model id (default: the --out file name without its extension).")
  String modelId;

  @Option(names = "--model-version", defaultValue = "1.0.0", description = "Model version (default ${DEFAULT-VALUE}).")
  String modelVersion;

  @Option(names = "--max-missing-share", defaultValue = "0.5", description = "The bundle's max_missing_share: a row"
      + " missing more than this share of the features the model uses is refused when scored (quarantined by score,"
      + " exit 2 in explain), from 0 to 1, where 1 refuses none (default ${DEFAULT-VALUE}).")
  double maxMissingShare;

  @Option(names = "--reason-reference", paramLabel = "approved:PD|training-average",
      description = "What a gradient-boosted model's reason codes are measured against (docs/adverse-action.md):"
          + " approved:PD, the default approved:0.05, subtracts each reason's mean TreeSHAP contribution over the"
          + " training rows the model approves (PD at or below PD), so a reason says what counted against a supplier"
          + " compared with an approved one; training-average keeps TreeSHAP's own baseline, the average applicant."
          + " The choice is stored in the bundle (reason_reference). Scorecards always use points below the best.")
  String reasonReferenceGiven;

  /** The default of --reason-reference (a message says when it applied: the user did not choose it). */
  private static final String DEFAULT_REASON_REFERENCE = "approved:0.05";

  /** --reason-reference as given, else its default. */
  private String reasonReference() {
    return reasonReferenceGiven != null ? reasonReferenceGiven : DEFAULT_REASON_REFERENCE;
  }

  @Option(names = "--min-iv", defaultValue = "0.02", description = "Smallest information value kept (default ${DEFAULT-VALUE}).")
  double minIv;

  @Option(names = "--max-bins", defaultValue = "8", description = "Most bins per characteristic (default ${DEFAULT-VALUE}).")
  int maxBins;

  @Option(names = "--min-bin-share", defaultValue = "0.05", description = "Smallest share of rows per bin (default ${DEFAULT-VALUE}).")
  double minBinShare;

  // No defaultValue: picocli applies defaults after parsing, which would undo the hidden --model alias.
  @Option(names = "--model-type", paramLabel = "TYPE",
      description = "The kind of model to train: scorecard (default) or gbdt (gradient-boosted trees).")
  String model;

  /** The name --model-type had before the flag convention (--model is a bundle everywhere else); still accepted. */
  @Option(names = "--model", hidden = true, paramLabel = "TYPE")
  void legacyModel(String type) {
    model = type;
  }

  @Option(names = "--engine", paramLabel = "xgboost|smile", description = "gbdt: the training engine, xgboost"
      + " (default: xgboost4j hist, the model read back by the XGBoost reader) or smile (Smile's GradientTreeBoost,"
      + " which sends missing values to the greater side of every split and has no constraints, weights or early"
      + " stopping).")
  String engine;

  @Option(names = "--trees", description = "gbdt: number of trees, the most boosting rounds with --early-stopping"
      + " (default 100 with xgboost, 200 with smile).")
  Integer trees;

  @Option(names = "--depth", paramLabel = "N|auto", description = "gbdt: deepest tree, or auto (xgboost's"
      + " default; smile's is 4): each of depths 3-6 and the 31-leaf shape (31 leaves, no depth limit but"
      + " xgboost's 31; not with --max-leaves, which every depth then takes) trained with --validation-share of"
      + " the training rows held out, the one of the smallest log-loss there trained again on all the rows.")
  String depth;

  @Option(names = "--max-leaves", description = "gbdt: most leaves per tree (default: no limit but the depth with"
      + " xgboost, but 31 in the 31-leaf shape --depth auto may choose; 8 with smile).")
  Integer maxLeaves;

  @Option(names = "--monotone", split = ",", paramLabel = "FEATURE=+1|-1|scorecard", description = "gbdt, xgboost:"
      + " monotone constraints, comma separated: FEATURE=+1 makes the PD never fall as the numeric feature rises,"
      + " FEATURE=-1 never rise, FEATURE=0 leaves it free; scorecard takes the scorecard binning's trend of every numeric feature whose IV reaches"
      + " --min-iv (rising default rate +1, falling -1).")
  List<String> monotone;

  @Option(names = "--early-stopping", paramLabel = "ROUNDS", description = "gbdt, xgboost: hold out a seeded"
      + " --validation-share of the training rows, stop when their log-loss has not improved for ROUNDS rounds and"
      + " keep the trees up to the best round (recorded in the bundle's provenance).")
  Integer earlyStopping;

  @Option(names = "--categorical-splits", paramLabel = "one-vs-rest|partition", description = "gbdt, xgboost: how a"
      + " split divides a categorical (text) feature: one category against the rest (default), or partition, xgboost's"
      + " own default from 4 categories on, which sorts the categories by their gradient statistics and cuts them in"
      + " two; partitions of many small categories overfit (docs/gbdt.md). Recorded in the bundle's provenance.")
  String categoricalSplits;

  @Option(names = "--validation-share", defaultValue = "0.2", description = "gbdt, xgboost: share of the training"
      + " rows held out for --early-stopping and for --depth auto's choice, each drawing its own rows"
      + " (default ${DEFAULT-VALUE}).")
  double validationShare;

  @Option(names = "--threads", description = "gbdt, xgboost: training threads (default 1; the same count always"
      + " gives the same bundle, and 1 and 2 threads gave identical trees in our runs, but xgboost4j does not promise"
      + " that for every data set).")
  Integer threads;

  @Option(names = "--node-size", defaultValue = "20", description = "gbdt, --engine smile only: smallest node split"
      + " further (default ${DEFAULT-VALUE} rows); refused with --engine xgboost, which has no smallest node size in"
      + " rows (its min_child_weight bounds a sum of hessians).")
  int nodeSize;

  @Option(names = "--shrinkage", description = "gbdt: learning rate (default 0.1 with xgboost, 0.05 with smile).")
  Double shrinkage;

  @Option(names = "--subsample", description = "gbdt: share of rows per tree (default 1 with xgboost, 0.7 with smile).")
  Double subsample;

  @Option(names = "--calibration-share", description = "gbdt: share of the training part held out for Platt"
      + " calibration, 0 for none (default 0 with xgboost, whose margin is a fitted log-odds; 0.2 with smile).")
  Double calibrationShare;

  @Option(names = "--central-tendency", paramLabel = "PD|NAME=PD,...", description = "Calibrate the PDs to this"
      + " long-run central tendency: every PD's log-odds move by one constant so that the mean PD of the training rows"
      + " equals it (ranking and points unchanged; recorded in the bundle's provenance.pd_calibration). With --segment"
      + " one PD is the portfolio's: one shift for all segments, so that the mean PD of all training rows equals it;"
      + " NAME=PD for every segment (e.g. thin_file=0.02,seasoned=0.05, names as --segment gives them) calibrates"
      + " each segment to its own: the mean PD of its training rows equals its PD (recorded in its"
      + " provenance.segments[].pd_calibration).")
  String centralTendency;

  /** The single PD of --central-tendency, or null (set by checkOptions). */
  private Double portfolioCentralTendency;
  /** The NAME=PD of --central-tendency by segment, or null (set by checkOptions). */
  private Map<String, Double> segmentCentralTendencies;

  @Option(names = "--central-tendency-from", paramLabel = "COLUMN", description = "Calibrate to the long-run average"
      + " default rate instead: the arithmetic mean of the --cohort cohorts' default rates in this 0/1 column (the"
      + " target or another default flag) over the training rows. Needs --cohort. With --segment each segment is"
      + " calibrated to the average of its own rows' cohort default rates.")
  String centralTendencyFrom;

  @Option(names = "--margin-of-conservatism", paramLabel = "LEVEL", arity = "0..1", fallbackValue = "0.9",
      description = "Calibrate to the upper bound of a one-sided confidence interval of the cohorts' long-run average"
      + " (mean + t(LEVEL, Y-1) s / sqrt(Y) over Y cohort default rates) instead of the average itself, as margin of"
      + " conservatism for the estimation error; LEVEL defaults to 0.9 when the option is given without it."
      + " Needs --central-tendency-from.")
  Double marginOfConservatism;

  @Option(names = "--rating-philosophy", paramLabel = "pit|ttc", description = "Record the rating philosophy"
      + " (point-in-time or through-the-cycle) in the bundle's provenance.pd_calibration.")
  String ratingPhilosophy;

  @Option(names = "--master-scale", paramLabel = "FILE|default|fit:N", description = "The bundle's master scale:"
      + " default (the 8-grade table), fit:N (N grades with about equal shares of the training rows' calibrated PDs),"
      + " or a JSON file in the bundle's master_scale format ({\"grades\": [...]}). Without it the trainer's default"
      + " table is kept. With --segment the segments share it; fit:N is fitted to all segments' rows together.")
  String masterScale;

  @Option(names = "--pdo", defaultValue = "20", description = "Points to double the odds of the score scale (default"
      + " ${DEFAULT-VALUE}).")
  double pdo;

  @Option(names = "--base-score", defaultValue = "600", description = "Score at the base odds (default ${DEFAULT-VALUE}).")
  double baseScore;

  @Option(names = "--base-odds", defaultValue = "50", description = "Good:bad odds at the base score (default"
      + " ${DEFAULT-VALUE}).")
  double baseOdds;

  @Option(names = "--segment", paramLabel = "RULE=NAME", description = "Segmented model: one scorecard (or with"
      + " --model-type gbdt one tree ensemble, with its own reason reference) per"
      + " segment, each fitted on its segment's training rows alone with every other option, in one bundle that routes"
      + " each row by these rules, tried in order (first match wins): FEATURE<VALUE=NAME with <, <=, >, >=, == or !="
      + " on a numeric feature (e.g. tenure_months_anchor<12=thin_file), FEATURE in A,B=NAME on a categorical one,"
      + " RULE|missing=NAME to send rows missing the feature to that segment too (RULE|next=NAME: on to the next"
      + " rule, as PMML's selectFirst), and otherwise=NAME last. Repeat"
      + " per segment. Each segment needs at least " + SegmentedScorecards.MIN_ROWS + " training rows and "
      + SegmentedScorecards.MIN_EVENTS + " events. --central-tendency PD is met by the segments together (NAME=PD,... by each segment on its own),"
      + " --central-tendency-from by each segment from its own rows, --master-scale fit:N is fitted to all"
      + " segments' rows. --rejects are routed by the same rules (one missing a routing feature no segment takes"
      + " is left out and counted) and inferred per segment; --weight, --binning and --cohort apply to each"
      + " segment's rows as to a scorecard of its own.")
  List<String> segments;

  @Option(names = "--out", required = true, description = "Bundle JSON to write.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing bundle.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  /**
   * The held-out rows written beside {@code --holdout-out} until the bundle is written, then moved
   * into place with it ({@link #writeBundle}); deleted when the run fails, so that a failed run
   * leaves no held-out file (until 2026-12-07 they were written to {@code --holdout-out} before
   * training, and stayed there when the training then failed).
   */
  private Path holdoutPartial;
  private int heldOutRows;

  @Override
  public Integer call() throws IOException {
    try {
      return train();
    } finally {
      if (holdoutPartial != null) {
        Files.deleteIfExists(holdoutPartial);
      }
    }
  }

  private Integer train() throws IOException {
    if (model == null) {
      model = "scorecard";
    }
    checkOptions();
    OutputFiles.refuseAsOutputFile(out, overwrite);
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (holdoutOut != null && Files.exists(holdoutOut) && !overwrite) {
      throw new FileAlreadyExistsException(holdoutOut.toString(), null, "already exists; pass --overwrite to replace it");
    }
    if (centralTendencyFrom != null && dev.cohort == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--central-tendency-from needs --cohort"
          + " (the cohorts whose default rates are averaged)");
    }
    DevelopmentData d = DevelopmentData.read(spec, "train", err, dev.options(),
        centralTendencyFrom == null ? List.of() : List.of(centralTendencyFrom));
    TabularData table = d.table();
    int unlabelled = d.unlabelledRows();
    double[] weights = d.weights();
    String[] cohortOfRow = d.cohortOfRow();
    TabularSamples all = d.all();
    boolean[] testFlags = d.testFlags();
    TabularSamples[] parts = {d.training(), d.test()};
    if (centralTendencyFrom != null && !centralTendencyFrom.equals(dev.target)
        && !table.columnNames().contains(centralTendencyFrom)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--central-tendency-from: no column '" + centralTendencyFrom + "' in " + dev.data);
    }
    if (holdoutOut != null) {
      holdoutPartial = OutputFiles.partialBeside(holdoutOut);
      LabelJoin.writeCsv(table, testFlags, holdoutPartial);
      heldOutRows = parts[1].size();
    }
    int[] trainingCohorts = cohortOfRow == null ? null : cohortIds(cohortOfRow, testFlags);
    PdCalibration.Settings calibration = calibrationSettings(d);
    err.printf(Locale.ROOT, "train: %,d rows (%,d to train, %,d to test), %d candidate characteristics; %s%n",
        all.size(), parts[0].size(), parts[1].size(), all.schema().size(),
        model.equals("gbdt") ? "boosting trees" : "binning and fitting");
    String name = dev.data.getFileName().toString();
    // The model is named by the user or after its own file, never after the sample it was fitted on.
    String outName = out.getFileName().toString();
    String id = modelId != null ? modelId : io.chainscore.scoring.tree.TreeEnsemble.schemaName(
        outName.contains(".") ? outName.substring(0, outName.indexOf('.')) : outName).replace('_', '-');
    String trainedAt = Files.getLastModifiedTime(dev.data).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    if (segments != null && model.equals("gbdt")) {
      return trainSegmented(o, err, d, null, trainingCohorts,
          weights == null ? null : trainingWeights(weights, testFlags, parts[0].labels()), ManualBins.NONE, id, name,
          trainedAt);
    }
    if (model.equals("gbdt")) {
      return trainGbdt(o, err, all, parts, id, name, trainedAt, calibration,
          weights == null ? null : trainingWeights(weights, testFlags, parts[0].labels()));
    }
    if (!model.equals("scorecard")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--model-type: expected scorecard or gbdt, got '" + model + "'");
    }
    StandardReasonTexts reasons = StandardReasonTexts.of(all.schema());
    ScorecardTrainer.Options options = ScorecardTrainer.Options.builder().modelId(id).modelVersion(modelVersion)
        .reasonTexts(reasons.texts()).reasonGroups(reasons.groups())
        .description("Scorecard trained by chainscore train on " + name + ".").scaling(pointsScale())
        .minIv(minIv).maxCorrelation(0.7).maxCharacteristics(15).minBinShare(minBinShare).maxBins(maxBins)
        .trainedAt(trainedAt).trainer("chainscore train " + ChainScoreCli.versionText() + developmentSettings().group())
        .maxMissingShare(maxMissingShare).build();
    if (trainingCohorts != null) {
      long cohorts = java.util.Arrays.stream(trainingCohorts).distinct().count();
      err.printf(Locale.ROOT, "train: %d training cohort%s of %s: %s%n", cohorts, cohorts == 1 ? "" : "s", dev.cohort,
          cohorts > 1 ? "characteristics chosen by cohort-out forward selection" : "one cohort, selection by IV");
    }
    double[] trainingWeights = weights == null ? null : trainingWeights(weights, testFlags, parts[0].labels());
    ManualBins manual = binning == null ? ManualBins.NONE : ManualBins.read(binning);
    if (segments != null) {
      return trainSegmented(o, err, d, options, trainingCohorts, trainingWeights, manual, id, name, trainedAt);
    }
    ScorecardTrainer.Result result = new ScorecardTrainer(options)
        .train(all.schema(), parts[0].rows(), parts[0].labels(), trainingCohorts, trainingWeights, manual);
    RejectInference.Augmented augmented = null;
    if (rejects != null) {
      Rejects read = readRejects(err, all, trainingCohorts, cohortOfRow, testFlags);
      double[] rejectRows = read.rows();
      int[] rejectCohorts = read.cohorts();
      RejectInference.Method method = RejectInference.Method.of(rejectInference);
      augmented = RejectInference.augment(method, result, all.schema(),
          parts[0].rows(), parts[0].labels(), trainingWeights, rejectRows, dev.seed);
      err.printf(Locale.ROOT, "train: reject inference (%s): %,d rejects, inferred bad rate %.4f (their mean PD under"
          + " the accepts' scorecard %.4f); fitting again on accepts and rejects%n", rejectInference, augmented.rejects(),
          augmented.inferredBadRate(), augmented.kgbMeanPd());
      result = new ScorecardTrainer(options.withTrainer(options.trainer()
          + RejectInference.settings(method, augmented, rejectRows, dev.seed).group()))
          .train(all.schema(), augmented.rows(), augmented.labels(),
              rejectCohorts == null ? null : RejectInference.cohorts(method, trainingCohorts, rejectCohorts),
              augmented.weights(), manual);
    }
    PdCalibration.Result calibrated = calibrate(result.bundle(), parts[0].rows(), trainingWeights, calibration);
    io.chainscore.scoring.ModelBundle bundle = calibrated == null ? result.bundle() : calibrated.bundle();
    writeBundle(bundle);

    if (json) {
      Map<String, Object> j = jsonHead(bundle, id);
      j.put("rows", table.rowCount());
      j.put("unlabelled_rows", unlabelled);
      j.put("iv", result.ivByFeature());
      if (calibrated != null) {
        j.put("pd_calibration", calibrationJson(calibrated, calibration));
      }
      j.put("characteristics", result.characteristics().stream().map(ScorecardTrainer.Characteristic::feature).toList());
      if (augmented != null) {
        Map<String, Object> ri = JsonOutput.object();
        ri.put("method", rejectInference);
        ri.put("rejects", augmented.rejects());
        ri.put("inferred_bad_rate", augmented.inferredBadRate());
        ri.put("known_good_bad_mean_pd", augmented.kgbMeanPd());
        j.put("reject_inference", ri);
      }
      putTrainingAndTest(j, bundle, parts);
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
    if (calibrated != null) {
      printCalibrationSettings(o, calibrated, calibration, calibrationRows(calibrated.bundle(), parts[0].size()));
    }
    printFigures(o, "training", figures(bundle, parts[0], true));
    if (parts[1].size() > 0) {
      printFigures(o, "test", figures(bundle, parts[1], false));
    }
    o.printf("Wrote %s (%s %s, sha256 %s)%n", out, id, modelVersion, bundle.sha256());
    return ExitCodes.SUCCESS;
  }

  /**
   * {@code --segment}: one scorecard per segment, each fitted and calibrated on its own training
   * rows by {@link SegmentedScorecards}, written as one segmented bundle.
   */
  private Integer trainSegmented(PrintWriter o, PrintWriter err, DevelopmentData d, ScorecardTrainer.Options options,
      int[] trainingCohorts, double[] trainingWeights, ManualBins manual, String id, String name, String trainedAt)
      throws IOException {
    TabularSamples all = d.all();
    TabularSamples[] parts = {d.training(), d.test()};
    boolean[] testFlags = d.testFlags();
    boolean trees = options == null;
    List<SegmentedScorecards.Spec> specs = segments.stream().map(SegmentedScorecards.Spec::parse).toList();
    SegmentedScorecards.check(specs, all.schema());
    // Each segment's own calibration: its central tendency from its own rows' cohorts (--central-tendency-from),
    // the rating philosophy and a given or default master scale. A given --central-tendency and --master-scale
    // fit:N concern the portfolio: applied to all segments together once they are fitted (docs/validation.md).
    PdCalibration.Scale scale = masterScale(masterScale);
    boolean fitted = scale instanceof PdCalibration.FittedScale;
    PdCalibration.Settings joint = portfolioCentralTendency != null || fitted ? new PdCalibration.Settings(
        portfolioCentralTendency == null ? null : CentralTendency.given(portfolioCentralTendency), ratingPhilosophy,
        null, null,
        fitted ? scale : new PdCalibration.KeepScale()) : null;
    int[] segmentOfTraining = SegmentedScorecards.route(specs, all.schema(), parts[0].rows());
    Map<String, boolean[]> rowsOf = new java.util.HashMap<>();
    for (int s = 0; s < specs.size(); s++) {
      boolean[] mine = new boolean[testFlags.length];
      for (int i = 0, k = 0; i < testFlags.length; i++) {
        if (!testFlags[i]) {
          mine[i] = segmentOfTraining[k++] == s;
        }
      }
      rowsOf.put(specs.get(s).name(), mine);
    }
    // --rejects: each reject routed by the same rules as the rows; one missing a routing feature that no
    // segment takes for missing values is left out and counted, as such a row would be refused.
    Rejects read = rejects == null ? null : readRejects(err, all, trainingCohorts, d.cohortOfRow(), testFlags);
    int[] rejectSegment = read == null ? null : SegmentedScorecards.route(specs, all.schema(), read.rows());
    int unrouted = rejectSegment == null ? 0 : (int) java.util.Arrays.stream(rejectSegment).filter(v -> v < 0).count();
    if (unrouted > 0) {
      err.printf(Locale.ROOT, "train: %,d rejects miss a routing feature that no segment takes when missing; left"
          + " out%n", unrouted);
    }
    Map<String, RejectInference.Augmented> inferred = new java.util.LinkedHashMap<>();
    Map<String, ScorecardTrainer.Result> fits = new java.util.LinkedHashMap<>();
    Map<String, GbdtTrainer.Result> treeFits = new java.util.LinkedHashMap<>();
    Map<String, PdCalibration.Result> own = new java.util.LinkedHashMap<>();
    Map<String, PdCalibration.Settings> settingsOf = new java.util.HashMap<>();
    SegmentedScorecards.Result result = SegmentedScorecards.train(specs, all.schema(), parts[0].rows(),
        parts[0].labels(), trainingCohorts, trainingWeights, (segment, rows, labels, cohorts, weights) -> {
          err.printf(Locale.ROOT, "train: segment %s: %,d training rows, %,d events; %s%n", segment,
              labels.length, java.util.Arrays.stream(labels).sum(), trees ? "boosting trees" : "binning and fitting");
          if (trees) {
            GbdtTrainer.Result t = gbdtTrainer(err, all.schema(), rows, labels, id, name, trainedAt,
                " of segment " + segment).train(all.schema(), rows, labels, weights);
            treeFits.put(segment, t);
            PdCalibration.Settings settings = calibrationSettings(d, rowsOf.get(segment), segmentCentralTendency(segment),
                fitted ? new PdCalibration.KeepScale() : scale);
            PdCalibration.Result c = calibrate(t.bundle(), rows, weights, settings);
            if (c != null) {
              own.put(segment, c);
            }
            return c == null ? t.bundle() : c.bundle();
          }
          // cohort ids numbered within the segment by first appearance, as a fit on its rows alone numbers them
          Map<Integer, Integer> local = new java.util.HashMap<>();
          int[] ownCohorts = cohorts == null ? null : new int[cohorts.length];
          for (int i = 0; ownCohorts != null && i < ownCohorts.length; i++) {
            ownCohorts[i] = local.computeIfAbsent(cohorts[i], k -> local.size());
          }
          ScorecardTrainer.Result r = new ScorecardTrainer(options).train(all.schema(), rows, labels, ownCohorts, weights,
              manual);
          if (read != null) {
            int s = specs.stream().map(SegmentedScorecards.Spec::name).toList().indexOf(segment);
            int p = all.schema().size();
            int count = (int) java.util.Arrays.stream(rejectSegment).filter(v -> v == s).count();
            double[] segmentRejects = new double[count * p];
            int[] rejectCohorts = read.cohorts() == null ? null : new int[count];
            for (int q = 0, k = 0; q < rejectSegment.length; q++) {
              if (rejectSegment[q] == s) {
                System.arraycopy(read.rows(), q * p, segmentRejects, k * p, p);
                if (rejectCohorts != null) {
                  Integer localId = local.get(read.cohorts()[q]);
                  if (localId == null) {
                    List<String> texts = trainingCohortTexts(d.cohortOfRow(), testFlags);
                    List<String> segmentCohorts = local.keySet().stream().map(c -> cohortText(texts.get(c)))
                        .sorted(io.chainscore.develop.document.ModelDocumentation::compareCohorts).toList();
                    throw new io.chainscore.tables.InputFormatException(rejects.toString(), read.fileRows()[q],
                        dev.cohort, "cohort '" + cohortText(texts.get(read.cohorts()[q])) + "' has no accepted"
                            + " training row of segment " + segment + ", where this reject is routed; expected one of "
                            + segmentCohorts);
                  }
                  rejectCohorts[k] = localId;
                }
                k++;
              }
            }
            if (count == 0) {
              err.printf(Locale.ROOT, "train: segment %s: no rejects routed to it; fitted on its accepts alone%n",
                  segment);
            } else {
              RejectInference.Method method = RejectInference.Method.of(rejectInference);
              RejectInference.Augmented a = RejectInference.augment(method, r, all.schema(), rows, labels, weights,
                  segmentRejects, dev.seed);
              inferred.put(segment, a);
              err.printf(Locale.ROOT, "train: segment %s: reject inference (%s): %,d rejects, inferred bad rate %.4f"
                  + " (their mean PD under the accepts' scorecard %.4f); fitting again on accepts and rejects%n",
                  segment, rejectInference, a.rejects(), a.inferredBadRate(), a.kgbMeanPd());
              r = new ScorecardTrainer(options.withTrainer(options.trainer()
                  + RejectInference.settings(method, a, segmentRejects, dev.seed).group()))
                  .train(all.schema(), a.rows(), a.labels(),
                      rejectCohorts == null ? null : RejectInference.cohorts(method, ownCohorts, rejectCohorts),
                      a.weights(), manual);
            }
          }
          fits.put(segment, r);
          PdCalibration.Settings settings = calibrationSettings(d, rowsOf.get(segment), segmentCentralTendency(segment),
              fitted ? new PdCalibration.KeepScale() : scale);
          settingsOf.put(segment, settings);
          PdCalibration.Result c = calibrate(r.bundle(), rows, weights, settings);
          if (c != null) {
            own.put(segment, c);
          }
          return c == null ? r.bundle() : c.bundle();
        }, joint, (segment, calibrated, rows) -> trees && !reasonReference().equals("training-average")
            ? approvedReference(calibrated, rows, name + " in segment " + segment) : calibrated,
        segmentedTrainerText(trees, specs, read == null ? null : unrouted));
    io.chainscore.scoring.ModelBundle bundle = result.bundle();
    double[] meanPd = segmentMeanPds(bundle, parts[0].rows(), segmentOfTraining, trainingWeights);
    writeBundle(bundle);
    if (json) {
      Map<String, Object> j = jsonHead(bundle, id);
      j.put("rows", d.table().rowCount());
      j.put("unlabelled_rows", d.unlabelledRows());
      List<Object> list = new java.util.ArrayList<>();
      for (SegmentedScorecards.Segment s : result.segments()) {
        Map<String, Object> sj = JsonOutput.object();
        sj.put("name", s.name());
        sj.put("rule", s.rule());
        sj.put("training_rows", s.rows());
        sj.put("training_events", s.events());
        if (trees) {
          GbdtTrainer.Result t = treeFits.get(s.name());
          sj.put("trees", t.fit().ensemble().trees().size());
          putDepth(sj, t.fit());
          sj.put("importance", t.fit().importanceShares());
        } else {
          sj.put("iv", fits.get(s.name()).ivByFeature());
          sj.put("characteristics", fits.get(s.name()).characteristics().stream()
              .map(ScorecardTrainer.Characteristic::feature).toList());
        }
        if (inferred.containsKey(s.name())) {
          RejectInference.Augmented a = inferred.get(s.name());
          Map<String, Object> ri = JsonOutput.object();
          ri.put("method", rejectInference);
          ri.put("rejects", a.rejects());
          ri.put("inferred_bad_rate", a.inferredBadRate());
          ri.put("known_good_bad_mean_pd", a.kgbMeanPd());
          sj.put("reject_inference", ri);
        }
        if (own.containsKey(s.name()) || joint != null) {
          Map<String, Object> cj = JsonOutput.object();
          JsonNode record = segmentRecord(bundle, s.name());
          if (record.has("central_tendency")) {
            cj.put("central_tendency", record.get("central_tendency").asDouble());
            cj.put("intercept_shift", record.get("intercept_shift").asDouble());
          }
          cj.put("mean_pd", meanPd[segmentIndex(result, s.name())]);
          sj.put("pd_calibration", cj);
        }
        list.add(sj);
      }
      j.put("segments", list);
      if (read != null) {
        j.put("rejects_without_segment", unrouted);
      }
      if (result.joint() != null) {
        Map<String, Object> cj = JsonOutput.object();
        if (joint.centralTendency() != null) {
          cj.put("central_tendency", joint.centralTendency().target());
          cj.put("intercept_shift", result.joint().interceptShift());
        }
        cj.put("mean_pd", result.joint().meanPd());
        cj.put("master_scale", joint.scale().label());
        cj.put("grade_shares", result.joint().gradeShares());
        j.put("pd_calibration", cj);
      }
      putTrainingAndTest(j, bundle, parts);
      JsonOutput.print(o, j);
      return ExitCodes.SUCCESS;
    }
    for (SegmentedScorecards.Segment s : result.segments()) {
      if (trees) {
        GbdtTrainer.Result t = treeFits.get(s.name());
        o.printf(Locale.ROOT, "Segment %s (%s): %,d training rows, %,d events; %d trees, %s; feature importance:%n",
            s.name(), s.rule(), s.rows(), s.events(), t.fit().ensemble().trees().size(), depthText(t.fit()));
        t.fit().importanceShares().forEach((f, v) -> o.printf(Locale.ROOT, "  %-40s %8.4f%n", f, v));
      } else {
        o.printf(Locale.ROOT, "Segment %s (%s): %,d training rows, %,d events; characteristics:%n", s.name(), s.rule(),
            s.rows(), s.events());
        o.printf(Locale.ROOT, "  %-40s %8s %10s %10s %s%n", "characteristic", "IV", "coef", "p-value", "bins");
      }
      for (ScorecardTrainer.Characteristic c : trees ? List.<ScorecardTrainer.Characteristic>of()
          : fits.get(s.name()).characteristics()) {
        o.printf(Locale.ROOT, "  %-40s %8.4f %10.4f %10.2e %d%n", c.feature(), c.binning().iv(), c.coefficient(),
            c.pValue(), c.binning().bins().stream().filter(b -> b.count() > 0).count());
      }
      JsonNode record = segmentRecord(bundle, s.name());
      if (record.has("central_tendency")) {
        o.printf(Locale.ROOT, "  PD calibration: central tendency %s (%s), log-odds shifted by %.4f; %smean PD of"
            + " its %,d training rows %s%n", pdText(record.get("central_tendency").asDouble()),
            joint != null && joint.centralTendency() != null ? "the portfolio's, one shift for all segments"
                : record.has("long_run_average") ? "its own cohorts' average default rate" : "given for this segment",
            record.get("intercept_shift").asDouble(), weighted(), s.rows(),
            pdText(meanPd[segmentIndex(result, s.name())]));
      }
    }
    if (result.joint() != null) {
      PdCalibration.Joint jc = result.joint();
      if (joint.centralTendency() != null) {
        o.printf(Locale.ROOT, "PD calibration of the portfolio: central tendency %s; log-odds of every segment"
            + " shifted by %.4f; %smean PD of the %,d training rows %s%n", pdText(joint.centralTendency().target()),
            jc.interceptShift(), weighted(),
            jc.record().path("calibration_rows").asInt(parts[0].size()), pdText(jc.meanPd()));
      }
      if (joint.scale() instanceof PdCalibration.FittedScale) {
        StringBuilder b = new StringBuilder("Master scale (" + joint.scale().label() + ", fitted to all segments'"
            + " training rows together), " + weighted() + "share of training rows by grade:");
        double[] shares = jc.gradeShares();
        for (int g = 0; g < shares.length; g++) {
          b.append(String.format(Locale.ROOT, " %s %.1f%%", bundle.masterScale().grade(g).name(), 100 * shares[g]));
        }
        o.println(b);
      }
    }
    if (ratingPhilosophy != null) {
      o.println("Rating philosophy: " + (ratingPhilosophy.equals("pit") ? "point-in-time" : "through-the-cycle"));
    }
    printFigures(o, "training", figures(bundle, parts[0], true));
    if (parts[1].size() > 0) {
      printFigures(o, "test", figures(bundle, parts[1], false));
    }
    o.printf("Wrote %s (%s %s, segmented: %s; sha256 %s)%n", out, id, modelVersion,
        String.join(", ", result.segments().stream().map(SegmentedScorecards.Segment::name).toList()), bundle.sha256());
    return ExitCodes.SUCCESS;
  }

  /**
   * The segmented bundle's {@code provenance.trainer}: the trainer's name, the development rows'
   * group (the same for every segment) and the segments, whose own settings (the model's options,
   * and what their rows made of them: rejects, weights, manual bins, trees kept) are in each
   * segment's {@code provenance.segments[].trainer}, as a plain run on its rows would record them;
   * with --rejects also how many rejects no segment took ({@code rejects_without_segment}).
   */
  private String segmentedTrainerText(boolean trees, List<SegmentedScorecards.Spec> specs, Integer unroutedRejects) {
    String name = "chainscore train " + ChainScoreCli.versionText() + (trees ? " (" + gbdtOptions().engineText() + ")"
        : "");
    io.chainscore.develop.TrainerSettings segmentation = new io.chainscore.develop.TrainerSettings()
        .put("segments", specs.stream().map(SegmentedScorecards.Spec::name).toList() + " (routed by"
            + " model.segments[].when, each segment's own settings in provenance.segments[].trainer)");
    if (unroutedRejects != null) {
      segmentation.put("rejects_without_segment", unroutedRejects);
    }
    return name + developmentSettings().group() + segmentation.group();
  }

  /**
   * The rejects of --rejects, row-major in the schema, and with --cohort the cohort id
   * ({@link #cohortIds}) of each; the rejects of --test-cohort are left out (and said so).
   */
  private record Rejects(double[] rows, int[] cohorts, int[] fileRows) {}

  private Rejects readRejects(PrintWriter err, TabularSamples all, int[] trainingCohorts, String[] cohortOfRow,
      boolean[] testFlags) throws IOException {
    io.chainscore.develop.LabelJoin.Columns rejectTable = TabularFiles.columns(rejects, dev.timeZone);
    double[] rejectRows = TabularSamples.rowsOf(rejectTable, all.schema());
    if (rejectRows.length == 0) {
      // refused here, for plain and segmented training alike: with --segment every segment would
      // otherwise be fitted on its accepts alone, and the run end as if the rejects had been used
      throw new IllegalArgumentException(rejects + ": no data rows; expected the declined applicants' rows, one per"
          + " reject");
    }
    int[] rejectCohorts = null;
    int[] fileRows = java.util.stream.IntStream.rangeClosed(1, rejectRows.length / all.schema().size()).toArray();
    if (trainingCohorts != null) {
      // Each reject joins the cohort-out folds of its own cohort; rejects of the test cohort are
      // left out like its accepts, so the out-of-time test stays unseen.
      int[] ids = rejectCohortIds(rejectTable, cohortOfRow, testFlags);
      int p = all.schema().size();
      int kept = (int) java.util.Arrays.stream(ids).filter(v -> v >= 0).count();
      double[] keptRows = new double[kept * p];
      rejectCohorts = new int[kept];
      int[] keptFileRows = new int[kept];
      for (int r = 0, k = 0; r < ids.length; r++) {
        if (ids[r] >= 0) {
          System.arraycopy(rejectRows, r * p, keptRows, k * p, p);
          keptFileRows[k] = fileRows[r];
          rejectCohorts[k++] = ids[r];
        }
      }
      fileRows = keptFileRows;
      if (kept == 0) {
        throw new IllegalArgumentException(rejects + ", column " + dev.cohort + ": all " + ids.length + " rejects are of"
            + " the test cohort " + dev.testCohort + ", which is left out; expected rejects of the training cohorts");
      }
      if (kept < ids.length) {
        err.printf(Locale.ROOT, "train: %,d rejects of the test cohort %s left out%n", ids.length - kept, dev.testCohort);
      }
      rejectRows = keptRows;
    }
    return new Rejects(rejectRows, rejectCohorts, fileRows);
  }

  /**
   * The rows the calibration of a plain bundle was solved on ({@code provenance.pd_calibration.
   * calibration_rows}: the training rows less those its policies refuse), or {@code otherwise}.
   */
  private static int calibrationRows(io.chainscore.scoring.ModelBundle bundle, int otherwise) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson()).path("provenance")
          .path("pd_calibration").path("calibration_rows").asInt(otherwise);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a sealed bundle's own JSON does not parse", e);
    }
  }

  /** The {@code provenance.segments[].pd_calibration} record of a segment, or an empty node. */
  private static JsonNode segmentRecord(io.chainscore.scoring.ModelBundle bundle, String segment) {
    try {
      for (JsonNode s : new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson()).path("provenance")
          .path("segments")) {
        if (s.path("name").asText().equals(segment)) {
          return s.path("pd_calibration");
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a sealed bundle's own JSON does not parse", e);
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static int segmentIndex(SegmentedScorecards.Result result, String segment) {
    return result.segments().stream().map(SegmentedScorecards.Segment::name).toList().indexOf(segment);
  }

  /**
   * The mean PD of each segment's training rows under the segmented bundle, over the rows it scores
   * (a row its policies refuse, such as one missing more than max_missing_share of its segment's
   * features, has no PD, as in the calibration), weighted by {@code --weight} when given (null: each
   * row 1), as the calibration meets its central tendency by the weighted mean.
   */
  private static double[] segmentMeanPds(io.chainscore.scoring.ModelBundle bundle, double[] rows, int[] segmentOf,
      double[] weights) {
    int p = bundle.schema().size();
    int n = segmentOf.length;
    double[] pd = new double[n];
    bundle.scorer().scoreBatch(rows, n, p, new double[n], pd, new int[n], null,
        new io.chainscore.scoring.RowRefusals());
    int segments = bundle.segments().size();
    double[] sum = new double[segments];
    double[] count = new double[segments];
    for (int r = 0; r < n; r++) {
      if (Double.isNaN(pd[r])) {
        continue;
      }
      double w = weights == null ? 1 : weights[r];
      sum[segmentOf[r]] += w * pd[r];
      count[segmentOf[r]] += w;
    }
    for (int s = 0; s < segments; s++) {
      sum[s] /= count[s];
    }
    return sum;
  }

  /** A cohort as a person wrote it: a whole number read as 2021.0 shows as 2021. */
  private static String cohortText(String value) {
    try {
      double d = Double.parseDouble(value);
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : value;
    } catch (NumberFormatException e) {
      return value;
    }
  }

  /**
   * Writes the bundle to --out whole or not at all: a temporary file beside it, moved into place;
   * then the held-out rows of {@code --holdout-out} likewise.
   */
  private void writeBundle(io.chainscore.scoring.ModelBundle bundle) throws IOException {
    Path partial = OutputFiles.partialBeside(out);
    bundle.write(partial);
    Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (holdoutPartial != null) {
      Files.move(holdoutPartial, holdoutOut, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      holdoutPartial = null;
      spec.commandLine().getErr().printf(Locale.ROOT, "train: wrote the %,d held-out rows to %s%n", heldOutRows,
          holdoutOut);
    }
  }

  /** The fields every --json result of train opens with: where the bundle went and which it is. */
  private Map<String, Object> jsonHead(io.chainscore.scoring.ModelBundle bundle, String id) {
    Map<String, Object> j = JsonOutput.object();
    j.put("out", out.toString());
    j.put("model_id", id);
    j.put("model_version", modelVersion);
    j.put("sha256", bundle.sha256());
    return j;
  }

  static boolean sameCohort(String value, String wanted) {
    if (value == null) {
      return false;
    }
    try {
      return Double.parseDouble(value) == Double.parseDouble(wanted);
    } catch (NumberFormatException e) {
      return value.equals(wanted);
    }
  }

  /**
   * The cohort id ({@link #cohortIds}) of each reject, from the rejects' own {@code --cohort} column,
   * or -1 for a reject of the test cohort (left out).
   *
   * @throws IllegalArgumentException naming the file, row and column for a reject without a cohort
   *     or of a cohort no training row has
   */
  /** The training cohorts' values, each once, in the order {@link #cohortIds} numbers them (id k is element k). */
  private static List<String> trainingCohortTexts(String[] cohortOfRow, boolean[] test) {
    List<String> training = new ArrayList<>();
    for (int i = 0; i < cohortOfRow.length; i++) {
      String key = String.valueOf(cohortOfRow[i]);
      if (!test[i] && !training.contains(key)) {
        training.add(key);
      }
    }
    return training;
  }

  private int[] rejectCohortIds(io.chainscore.develop.LabelJoin.Columns rejectTable, String[] cohortOfRow,
      boolean[] test) {
    int c = rejectTable.names().indexOf(dev.cohort);
    if (c < 0) {
      throw io.chainscore.tables.InputFormatException.missingColumn(rejectTable.source(), dev.cohort,
          "--cohort: with --cohort each reject needs its cohort", rejectTable.names());
    }
    List<String> training = trainingCohortTexts(cohortOfRow, test);
    Object values = rejectTable.values().get(c);
    int n = rejectTable.rowCount();
    int[] ids = new int[n];
    for (int r = 0; r < n; r++) {
      String value;
      if (values instanceof double[] d) {
        value = Double.isNaN(d[r]) ? null : cohortText(Double.toString(d[r]));
      } else {
        value = ((String[]) values)[r];
      }
      if (value == null) {
        throw new io.chainscore.tables.InputFormatException(rejectTable.source(), r + 1, dev.cohort,
            "expected the reject's cohort, got an empty cell");
      }
      if (dev.testCohort != null && sameCohort(value, dev.testCohort)) {
        ids[r] = -1;
        continue;
      }
      ids[r] = -1;
      for (int k = 0; k < training.size(); k++) {
        if (sameCohort(value, training.get(k))) {
          ids[r] = k;
          break;
        }
      }
      if (ids[r] < 0) {
        throw new io.chainscore.tables.InputFormatException(rejectTable.source(), r + 1, dev.cohort, "cohort '" + value
            + "' has no accepted training row; expected one of " + training.stream().map(TrainCommand::cohortText).toList());
      }
    }
    return ids;
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
      String name, String trainedAt, PdCalibration.Settings calibration, double[] trainingWeights)
      throws IOException {
    GbdtTrainer trainer = gbdtTrainer(err, all.schema(), parts[0].rows(), parts[0].labels(), id, name, trainedAt, "");
    GbdtTrainer.Options go = trainer.options();
    err.printf(Locale.ROOT, "train: gradient-boosted trees with %s (%d trees, %s, shrinkage %s%s)%n",
        go.engine().id(), go.trees(), shapeText(go), go.shrinkage(),
        go.earlyStoppingRounds() > 0 ? ", early stopping after " + go.earlyStoppingRounds() + " rounds" : "");
    long start = System.nanoTime();
    GbdtTrainer.Result result = trainer.train(all.schema(), parts[0].rows(), parts[0].labels(), trainingWeights);
    err.printf(Locale.ROOT, "train: %d trees fitted in %.1f s%s%n", result.fit().ensemble().trees().size(),
        (System.nanoTime() - start) / 1e9, go.earlyStoppingRounds() > 0 ? String.format(Locale.ROOT,
            " (%d rounds run; validation log-loss %.4f at the best round)", result.fit().roundsTrained(),
            result.fit().bestValidationScore()) : "");
    if (!go.shapeChoices().isEmpty()) {
      err.println("train: " + depthText(result.fit()));
    }
    PdCalibration.Result calibrated = calibrate(result.bundle(), parts[0].rows(), trainingWeights, calibration);
    io.chainscore.scoring.ModelBundle bundle = calibrated == null ? result.bundle() : calibrated.bundle();
    if (!reasonReference().equals("training-average")) {
      bundle = approvedReference(bundle, parts[0].rows(), name);
    }
    writeBundle(bundle);
    Map<String, Double> share = result.fit().importanceShares();
    Figures trainingFigures = figures(bundle, parts[0], true);
    Figures testFigures = parts[1].size() > 0 ? figures(bundle, parts[1], false) : null;
    ValidationMetrics training = trainingFigures.metrics();
    ValidationMetrics test = testFigures == null ? null : testFigures.metrics();
    if (json) {
      Map<String, Object> j = jsonHead(bundle, id);
      j.put("model", "gbdt");
      putDepth(j, result.fit());
      j.put("importance", share);
      Map<String, Object> platt = JsonOutput.object();
      platt.put("intercept", result.calibrationIntercept());
      platt.put("slope", result.calibrationSlope());
      j.put("calibration", platt);
      if (calibrated != null) {
        j.put("pd_calibration", calibrationJson(calibrated, calibration));
      }
      j.put("training", training);
      if (trainingFigures.refused() > 0) {
        j.put("training_rows_refused", trainingFigures.refused());
      }
      if (test != null) {
        j.put("test", test);
        if (testFigures.refused() > 0) {
          j.put("test_rows_refused", testFigures.refused());
        }
      }
      JsonOutput.print(o, j);
      return ExitCodes.SUCCESS;
    }
    o.println(go.engine() == GbdtTrainer.Engine.XGBOOST ? "Feature importance (share of the split gain over all splits):"
        : "Feature importance (share of the impurity decrease over all splits):");
    share.forEach((f, v) -> o.printf(Locale.ROOT, "  %-40s %8.4f%n", f, v));
    if (go.calibrationShare() > 0) {
      o.printf(Locale.ROOT, "Calibration (Platt, hold-out): PD = 1 / (1 + exp(-(%.4f + %.4f * margin)))%n",
          result.calibrationIntercept(), result.calibrationSlope());
    } else {
      o.println("Calibration: none (PD = 1 / (1 + exp(-margin)), the trees' fitted log-odds)");
    }
    if (calibrated != null) {
      printCalibrationSettings(o, calibrated, calibration, calibrationRows(calibrated.bundle(), parts[0].size()));
    }
    printFigures(o, "training", trainingFigures);
    if (testFigures != null) {
      printFigures(o, "test", testFigures);
    }
    o.printf("Wrote %s (%s %s, sha256 %s)%n", out, id, modelVersion, bundle.sha256());
    return ExitCodes.SUCCESS;
  }

  /**
   * A tree ensemble's reason reference measured on the training rows it approves under
   * --reason-reference approved:PD.
   */
  private io.chainscore.scoring.ModelBundle approvedReference(io.chainscore.scoring.ModelBundle bundle, double[] rows,
      String name) {
    int n = rows.length / bundle.schema().size();
    try {
      return io.chainscore.develop.ApprovedPopulation.apply(bundle, io.chainscore.develop.ApprovedPopulation.measure(
          bundle, rows, n, "training rows of " + name, approvalCutoff(reasonReference()),
          io.chainscore.develop.ApprovedPopulation.DEFAULT_MAX_ROWS));
    } catch (IllegalArgumentException | io.chainscore.scoring.ModelFormatException e) {
      throw new IllegalArgumentException("--reason-reference " + reasonReference()
          + (reasonReferenceGiven == null ? " (the default)" : "")
          + ": " + e.getMessage(), e);
    }
  }

  /** The gradient-boosted options as given (checked: a usage error names a bad one). */
  private GbdtOptions.Chosen gbdtOptions() {
    return GbdtOptions.of(spec, engine, trees, depth, maxLeaves, shrinkage, subsample, calibrationShare, monotone,
        earlyStopping, validationShare, threads, dev.weight, categoricalSplits);
  }

  /**
   * The gradient-boosted trainer of the options; with --monotone scorecard the trends of the
   * scorecard binning of {@code rows} ({@code where} names a segment in the message).
   */
  private GbdtTrainer gbdtTrainer(PrintWriter err, io.chainscore.features.FeatureSchema schema, double[] rows,
      int[] labels, String id, String name, String trainedAt, String where) {
    GbdtOptions.Chosen g = gbdtOptions();
    if (g.engine() == GbdtTrainer.Engine.SMILE) {
      g.builder().nodeSize(nodeSize); // the XGBoost engine has none (GbdtOptions refuses the option there)
    }
    StandardReasonTexts reasons = StandardReasonTexts.of(schema);
    GbdtTrainer trainer = g.builder().seed(dev.seed)
        .modelId(id).modelVersion(modelVersion).reasonTexts(reasons.texts()).reasonGroups(reasons.groups())
        .description("Gradient-boosted trees trained by chainscore train on " + name + ".")
        .trainedAt(trainedAt).trainer("chainscore train " + ChainScoreCli.versionText() + " (" + g.engineText() + ")"
            + developmentSettings().group())
        .scaling(pointsScale()).maxMissingShare(maxMissingShare).build();
    if (monotone != null && monotone.equals(List.of("scorecard"))) {
      Map<String, Integer> trends = io.chainscore.develop.gbdt.ScorecardTrends.of(schema, rows, labels,
          java.util.Set.of(), minBinShare, maxBins, minIv);
      err.println("train: monotone constraints from the scorecard binning's trends" + where + ": " + trends);
      trainer = g.builder().monotone(trends).build();
    }
    return trainer;
  }

  /**
   * The development run's group of the bundle's {@code provenance.trainer} ({@link
   * io.chainscore.develop.TrainerSettings}), the same for a scorecard and for trees, and for each
   * segment: the target and its event label, the columns left out of the candidates, the weight
   * column, the cohorts and the train/test split (the test cohort, or the random test share), the
   * seed (of that split, of parcelling's draws and of the trees); not the time zone dates were read
   * in (see the comment at its end). Files are not named: the rows they gave are {@code
   * training_data_sha256}, and nothing here depends on where they lie, on the clock or on the
   * thread count.
   */
  private io.chainscore.develop.TrainerSettings developmentSettings() {
    io.chainscore.develop.TrainerSettings s = new io.chainscore.develop.TrainerSettings().put("target", dev.target)
        .put("event_label", dev.eventLabel == null ? "none" : dev.eventLabel)
        .put("exclude", new java.util.TreeSet<>(dev.exclude == null ? List.of() : dev.exclude))
        .put("weight_column", dev.weight == null ? "none" : dev.weight)
        .put("cohort", dev.cohort == null ? "none" : dev.cohort);
    if (dev.testCohort != null) {
      s.put("test_cohort", dev.testCohort);
    } else {
      s.put("test_share", dev.testShare);
    }
    // --time-zone is not recorded: it says how dates stored as instants are read, the rows read are
    // in training_data_sha256, and a rerun without it is refused naming the option, never read
    // otherwise; so labels of instants read in their zone give the bundle of plain dates, byte for byte
    return s.put("seed", dev.seed);
  }

  /** The training rows' report: the PDs were fitted on them, so Hosmer-Lemeshow has G - 2 degrees of freedom. */
  private static final ValidationReport.Options IN_SAMPLE = ValidationReport.Options.defaults().inSample(true);

  static void printMetrics(PrintWriter o, String sample, ValidationMetrics m) {
    o.printf(Locale.ROOT, "%s: %s rows, AUC %s%s, Gini %s%s, KS %s, Brier %s%n", sample, m.rows(),
        fmt(m.auc()), ci(m.aucCi()), fmt(m.gini()), ci(m.giniCi()), fmt(m.ks()), fmt(m.brier()));
    ValidationMetrics.HosmerLemeshowTest hl = m.hosmerLemeshow();
    if (hl != null) {
      o.printf(Locale.ROOT, "%s: Hosmer-Lemeshow %.4f on %d df (%d groups, %s), p %.4f%n", sample, hl.statistic(),
          hl.degreesOfFreedom(), hl.groups(), hl.sample().replace('_', ' '), hl.pValue());
    }
  }

  /** Calibration-in-the-large and the grades' traffic lights, one line each. */
  static void printCalibration(PrintWriter o, ValidationMetrics m) {
    ValidationMetrics.CalibrationTest c = m.calibrationInTheLarge();
    if (c != null) {
      o.printf(Locale.ROOT, "calibration in the large: %.1f expected, %d observed defaults (O/E %.3f), binomial p %s,"
          + " Vasicek p %.4f at asset correlation %s: %s%n", c.expectedDefaults(), c.observedDefaults(),
          c.observedOverExpected(), c.binomialPValue() == null ? String.format(Locale.ROOT, "%.4f (normal)", c.normalPValue())
          : String.format(Locale.ROOT, "%.4f", c.binomialPValue()), c.vasicekPValue(), c.assetCorrelation(), c.trafficLight());
    }
    if (!m.grades().isEmpty()) {
      StringBuilder lights = new StringBuilder("traffic lights by grade:");
      for (ValidationMetrics.GradeTest g : m.grades()) {
        lights.append(' ').append(g.grade()).append(' ').append(g.trafficLight());
      }
      o.println(lights);
    }
  }

  private static String ci(ValidationMetrics.ConfidenceInterval ci) {
    return ci == null ? "" : String.format(Locale.ROOT, " (%.0f%% CI %.4f-%.4f)", 100 * ci.confidence(), ci.lower(), ci.upper());
  }

  private static String fmt(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : "n/a";
  }

  /** The PD cut-off of an {@code approved:PD} reference, or a usage error naming the option. */
  private double approvalCutoff(String value) {
    return approvalCutoff(spec, value);
  }

  /**
   * The PD of {@code --reason-reference approved:PD}, one rule for train and import.
   *
   * @throws picocli.CommandLine.ParameterException naming the option when {@code value} is not
   *     approved:PD with a PD between 0 and 1 (training-average is the caller's to recognise first)
   */
  static double approvalCutoff(CommandSpec spec, String value) {
    String[] parts = value.split(":", 2);
    double pd = Double.NaN;
    if (parts.length == 2 && parts[0].equals("approved")) {
      try {
        pd = Double.parseDouble(parts[1]);
      } catch (NumberFormatException e) {
        pd = Double.NaN;
      }
    }
    if (!(pd > 0 && pd < 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reason-reference " + value
          + ": expected approved:PD with a PD between 0 and 1 (for example approved:0.05) or training-average");
    }
    return pd;
  }

  /**
   * Refuses an empty {@code --model-id} (null: not given) or {@code --model-version} before any
   * work, naming the option: the bundle's loader refuses an empty id or version, and did so after
   * training as an internal error, and after an import as a fault of the model file. Used by train
   * and import.
   */
  static void checkModelIdAndVersion(CommandSpec spec, String modelId, String modelVersion) {
    if (modelId != null && modelId.isBlank()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--model-id: expected a non-empty id");
    }
    if (modelVersion != null && modelVersion.isBlank()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--model-version: expected a non-empty version");
    }
  }

  /** Refuses option values the trainers would only fail on later with a less precise message. */
  private void checkOptions() {
    BinsCommand.checkMinBinShare(spec, minBinShare);
    checkModelIdAndVersion(spec, modelId, modelVersion);
    if (segments != null) {
      for (String text : segments) {
        try {
          SegmentedScorecards.Spec.parse(text);
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
    }
    if (!reasonReference().equals("training-average")) {
      approvalCutoff(reasonReference());
    }
    if (!(maxMissingShare >= 0 && maxMissingShare <= 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--max-missing-share " + maxMissingShare + ": expected a share from 0 to 1");
    }
    if (maxBins < 2) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--max-bins " + maxBins + ": must be at least 2 (a characteristic with one bin carries no information)");
    }
    dev.check();
    if (!(minIv >= 0) || Double.isInfinite(minIv)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--min-iv " + minIv + ": must be a finite number >= 0");
    }
    if (!(pdo > 0) || Double.isInfinite(pdo)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--pdo " + pdo + ": must be a positive number (the points that double the odds)");
    }
    if (!(baseOdds > 0) || Double.isInfinite(baseOdds)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--base-odds " + baseOdds + ": must be a positive number (good:bad odds at the base score)");
    }
    if (!Double.isFinite(baseScore)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--base-score " + baseScore + ": must be a finite number");
    }
    if (centralTendency != null) {
      parseCentralTendency();
    }
    if (centralTendency != null && centralTendencyFrom != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--central-tendency and --central-tendency-from: give one central tendency, not both");
    }
    if (marginOfConservatism != null) {
      if (centralTendencyFrom == null) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--margin-of-conservatism needs"
            + " --central-tendency-from (the cohorts' default rates give the confidence interval of their average)");
      }
      if (!(marginOfConservatism > 0.5 && marginOfConservatism < 1)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--margin-of-conservatism "
            + marginOfConservatism + ": must be a one-sided confidence level above 0.5 and below 1, e.g. 0.9");
      }
    }
    if (model.equals("scorecard")) {
      GbdtOptions.refuseForScorecard(spec);
    }
    if (model.equals("gbdt") && (binning != null || rejects != null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), (binning != null ? "--binning"
          : "--rejects") + ": scorecard only (--model-type gbdt does not take it)");
    }
    if ((rejects == null) != (rejectInference == null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), rejects == null
          ? "--reject-inference needs --rejects (the declined applicants)"
          : "--rejects needs --reject-inference fuzzy, parcelling or hard-cutoff");
    }
    if (rejectInference != null) {
      try {
        RejectInference.Method.of(rejectInference);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--reject-inference: " + e.getMessage());
      }
    }
    if (ratingPhilosophy != null && !ratingPhilosophy.equals("pit") && !ratingPhilosophy.equals("ttc")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--rating-philosophy: expected pit (point-in-time) or ttc (through-the-cycle), got '" + ratingPhilosophy + "'");
    }
  }

  /**
   * Reads --central-tendency: one PD (the portfolio's) or, with --segment, NAME=PD for every
   * segment exactly once, each PD strictly between 0 and 1; a usage error naming the option and
   * the segment otherwise.
   */
  private void parseCentralTendency() {
    String at = "--central-tendency " + centralTendency + ": ";
    if (!centralTendency.contains("=")) {
      Double pd = number(centralTendency.trim());
      if (pd == null || !(pd > 0 && pd < 1)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            at + "must be a PD strictly between 0 and 1, e.g. 0.03, or NAME=PD for each --segment");
      }
      portfolioCentralTendency = pd;
      return;
    }
    if (segments == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), at + "NAME=PD needs --segment (the"
          + " segments named); without segments give one PD, e.g. 0.03");
    }
    List<String> names = segments.stream().map(t -> SegmentedScorecards.Spec.parse(t).name()).toList();
    Map<String, String> entries;
    try {
      // a comma list: the blanks around its entries are the list's, not the entries' (a=0.02, b=0.05)
      entries = NameValues.parse("--central-tendency", java.util.stream.Stream.of(centralTendency.split(",", -1)).map(String::trim).toList(), "NAME=PD for each"
          + " segment, comma separated (e.g. " + names.get(0) + "=0.02)");
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Double> given = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String name = entry.getKey();
      if (!names.contains(name)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), at + "no segment " + name
            + " (--segment names " + String.join(", ", names) + ")");
      }
      Double pd = number(entry.getValue());
      if (pd == null || !(pd > 0 && pd < 1)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), at + "segment " + name + ": '"
            + entry.getValue() + "' must be a PD strictly between 0 and 1, e.g. 0.03");
      }
      given.put(name, pd);
    }
    for (String name : names) {
      if (!given.containsKey(name)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), at + "segment " + name + " has no"
            + " central tendency; give every segment its PD, or one PD for the whole portfolio");
      }
    }
    segmentCentralTendencies = given;
  }

  /** The central tendency given to {@code segment} by --central-tendency NAME=PD, or null. */
  private Double segmentCentralTendency(String segment) {
    return segmentCentralTendencies == null ? null : segmentCentralTendencies.get(segment);
  }

  /** The points scale of --pdo, --base-score and --base-odds (checked in checkOptions). */
  private PointsScale pointsScale() {
    return new PointsScale(pdo, baseScore, baseOdds);
  }

  /**
   * The PD calibration the options ask for: the central tendency (given, or averaged over the
   * training rows' cohorts), the rating philosophy and the master scale.
   */
  private PdCalibration.Settings calibrationSettings(DevelopmentData d) throws IOException {
    boolean[] testFlags = d.testFlags();
    boolean[] training = new boolean[testFlags.length];
    for (int i = 0; i < training.length; i++) {
      training[i] = !testFlags[i];
    }
    return calibrationSettings(d, training, portfolioCentralTendency, masterScale(masterScale));
  }

  /**
   * The calibration settings of the rows {@code counted} of {@code d} (a cohort central tendency
   * averages their cohorts' default rates, weighted by their --weight when given), with the central
   * tendency {@code given} (or null) and the scale.
   */
  private PdCalibration.Settings calibrationSettings(DevelopmentData d, boolean[] counted, Double given,
      PdCalibration.Scale scale) {
    CentralTendency ct = null;
    if (given != null) {
      ct = CentralTendency.given(given);
    } else if (centralTendencyFrom != null) {
      int[] flags = defaultFlags(d.table(), centralTendencyFrom);
      String[] cohortOfRow = d.cohortOfRow();
      double[] weights = d.weights();
      // each cohort's obligors and defaults, as sums of the rows' --weight when given
      java.util.TreeMap<String, double[]> byCohort = new java.util.TreeMap<>(io.chainscore.develop.document.ModelDocumentation::compareCohorts);
      for (int i = 0; i < flags.length; i++) {
        if (counted[i]) {
          if (cohortOfRow[i] == null) {
            // a row without a cohort is in no year: counted as a cohort of its own, one such row that
            // defaulted was a yearly rate of 1 beside the years' (until 2026-12-07)
            throw new io.chainscore.tables.InputFormatException(dev.data.toString(), i + 1, dev.cohort,
                "--central-tendency-from expected the row's cohort (its default counts in its cohort's default rate),"
                    + " got an empty cell");
          }
          double[] c = byCohort.computeIfAbsent(cohortOfRow[i], k -> new double[2]);
          double w = weights == null ? 1 : weights[i];
          c[0] += w;
          c[1] += w * flags[i];
        }
      }
      double[] obligors = byCohort.values().stream().mapToDouble(c -> c[0]).toArray();
      double[] defaults = byCohort.values().stream().mapToDouble(c -> c[1]).toArray();
      try {
        ct = CentralTendency.fromCohorts(obligors, defaults, marginOfConservatism == null ? Double.NaN : marginOfConservatism);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--central-tendency-from " + centralTendencyFrom + " by --cohort " + dev.cohort
            + " " + byCohort.keySet() + ": " + e.getMessage(), e);
      }
    }
    return new PdCalibration.Settings(ct, ratingPhilosophy, centralTendencyFrom,
        centralTendencyFrom == null || given != null ? null : dev.cohort, scale);
  }

  private static Double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The 0/1 default flags of a column: the target itself, or a numeric column holding only 0 and 1. */
  private int[] defaultFlags(TabularData table, String column) {
    if (column.equals(dev.target)) {
      return table.target();
    }
    if (!table.isNumeric(column)) {
      throw new IllegalArgumentException(dev.data + ", column " + column + ": --central-tendency-from expected 0/1 default"
          + " flags, got text");
    }
    double[] values = table.numeric(column);
    int[] flags = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0 && values[i] != 1) {
        throw new IllegalArgumentException(dev.data + ", row " + (i + 1) + ", column " + column
            + ": --central-tendency-from expected a 0/1 default flag, got " + values[i]);
      }
      flags[i] = (int) values[i];
    }
    return flags;
  }

  /** --master-scale: default, fit:N or a JSON file in the bundle's master_scale format. */
  private PdCalibration.Scale masterScale(String value) throws IOException {
    if (value == null) {
      return new PdCalibration.KeepScale();
    }
    if (value.equals("default")) {
      return new PdCalibration.DefaultScale();
    }
    if (value.startsWith("fit:")) {
      String count = value.substring(4);
      int grades;
      try {
        grades = Integer.parseInt(count);
      } catch (NumberFormatException e) {
        grades = -1;
      }
      if (grades < 1 || grades > 99) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--master-scale " + value + ": expected fit:N with N from 1 to 99 grades");
      }
      return new PdCalibration.FittedScale(grades);
    }
    Path file = Path.of(value);
    if (!Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(value, null,
          "--master-scale: no such file (expected default, fit:N or a JSON master scale)");
    }
    try {
      // a key given twice and anything after the scale's object are refused, as in a bins file or a
      // stress scenario (until 2026-12-08 the last of two keys was taken and a second object ignored)
      return new PdCalibration.FixedScale(io.chainscore.scoring.spi.JsonSyntax.strictMapper().readTree(file.toFile()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // the one wording of a JSON syntax error (JsonSyntax): until 2026-12-08 the line and column alone
      throw new IllegalArgumentException(value + ": --master-scale: not valid JSON: "
          + io.chainscore.scoring.spi.JsonSyntax.problem(e), e);
    }
  }

  /**
   * Applies the settings to a trained bundle, over its training rows weighted by {@code --weight}
   * (null: equal weights); null when they change nothing.
   */
  private PdCalibration.Result calibrate(io.chainscore.scoring.ModelBundle bundle, double[] trainingRows,
      double[] trainingWeights, PdCalibration.Settings settings) {
    if (settings.isIdentity()) {
      return null;
    }
    try {
      return PdCalibration.calibrate(bundle, trainingRows, trainingWeights, settings);
    } catch (io.chainscore.scoring.ModelFormatException e) {
      String field = e.field() == null ? "" : e.field();
      if (settings.scale() instanceof PdCalibration.FixedScale && field.startsWith("master_scale")) {
        String inFile = field.equals("master_scale") ? "" : " field " + field.substring("master_scale".length()).replaceFirst("^\\.", "");
        throw new IllegalArgumentException(masterScale + ": --master-scale" + inFile + ": " + problem(e));
      }
      throw new IllegalStateException("the calibrated bundle is not valid: " + e.getMessage(), e);
    }
  }

  /** The exception's problem without its field prefix. */
  private static String problem(io.chainscore.scoring.ModelFormatException e) {
    String message = e.getMessage();
    String prefix = e.field() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static Map<String, Object> calibrationJson(PdCalibration.Result r, PdCalibration.Settings settings) {
    Map<String, Object> j = JsonOutput.object();
    if (settings.ratingPhilosophy() != null) {
      j.put("rating_philosophy", settings.ratingPhilosophy());
    }
    if (settings.centralTendency() != null) {
      j.put("central_tendency", settings.centralTendency().target());
      j.put("intercept_shift", r.interceptShift());
    }
    j.put("mean_pd", r.meanPd());
    j.put("master_scale", settings.scale().label());
    j.put("grade_shares", r.gradeShares());
    return j;
  }

  /**
   * A PD as the calibration's lines print it: six decimals, or three significant digits in
   * scientific notation below 0.0001, where six decimals keep too few (until 2026-12-07 a target of
   * 1e-7 printed as 0.000000).
   */
  static String pdText(double pd) {
    return pd != 0 && Math.abs(pd) < 1e-4 ? String.format(Locale.ROOT, "%.3e", pd)
        : String.format(Locale.ROOT, "%.6f", pd);
  }

  /**
   * "weighted " with --weight, for the calibration's lines: its mean PD and grade shares are then
   * weighted, as the calibration is (until 2026-12-07 they read as counts of rows); else "".
   */
  private String weighted() {
    return dev.weight != null ? "weighted " : "";
  }

  /** The calibration's lines. */
  private void printCalibrationSettings(PrintWriter o, PdCalibration.Result r, PdCalibration.Settings s, int rows) {
    CentralTendency ct = s.centralTendency();
    if (ct != null) {
      String source = s.cohortColumn() == null ? "given"
          : String.format(Locale.ROOT, "average of %d cohort default rates %.4f%s", ct.yearlyRates().length,
              ct.longRunAverage(), Double.isNaN(ct.conservativeLevel()) ? ""
                  : String.format(Locale.ROOT, ", upper %.0f%% bound as margin of conservatism", 100 * ct.conservativeLevel()));
      o.printf(Locale.ROOT, "PD calibration: central tendency %s (%s); log-odds shifted by %.4f; %smean PD of the %,d"
          + " training rows %s%n", pdText(ct.target()), source, r.interceptShift(), weighted(), rows,
          pdText(r.meanPd()));
    }
    if (s.ratingPhilosophy() != null) {
      o.println("Rating philosophy: " + (s.ratingPhilosophy().equals("pit") ? "point-in-time" : "through-the-cycle"));
    }
    if (!(s.scale() instanceof PdCalibration.KeepScale)) {
      StringBuilder b = new StringBuilder("Master scale (" + s.scale().label() + "), " + weighted()
          + "share of training rows by grade:");
      double[] shares = r.gradeShares();
      for (int g = 0; g < shares.length; g++) {
        b.append(String.format(Locale.ROOT, " %s %.1f%%", r.bundle().masterScale().grade(g).name(), 100 * shares[g]));
      }
      o.println(b);
    }
  }

  /** The training rows' weights; both classes must keep a positive weight. */
  private double[] trainingWeights(double[] weights, boolean[] testFlags, int[] trainingLabels) {
    double[] w = io.chainscore.develop.SampleWeights.select(weights, testFlags, false);
    double[] byClass = new double[2];
    for (int i = 0; i < w.length; i++) {
      byClass[trainingLabels[i]] += w[i];
    }
    if (byClass[0] == 0 || byClass[1] == 0) {
      throw new IllegalArgumentException("--weight " + dev.weight + ": every training row with target "
          + (byClass[1] == 0 ? "1 (event)" : "0 (non-event)") + " has weight 0; training needs both classes");
    }
    return w;
  }


  /** The --json figures of the bundle on the training rows (in sample) and, when any, the test rows. */
  private static void putTrainingAndTest(Map<String, Object> j, io.chainscore.scoring.ModelBundle bundle, TabularSamples[] parts) {
    Figures training = figures(bundle, parts[0], true);
    j.put("training", training.metrics());
    if (training.refused() > 0) {
      j.put("training_rows_refused", training.refused());
    }
    if (parts[1].size() > 0) {
      Figures test = figures(bundle, parts[1], false);
      j.put("test", test.metrics());
      if (test.refused() > 0) {
        j.put("test_rows_refused", test.refused());
      }
    }
  }

  /**
   * The bundle's figures on a part's rows, in or out of sample, and how many rows its policies
   * refuse (for example a row missing more than max_missing_share of the features its model, or
   * its segment's model, uses): those have no PD, so they are left out of the figures, counted,
   * and the first one's problem kept to say so.
   */
  record Figures(ValidationMetrics metrics, int refused, String firstRefusal) {}

  static Figures figures(io.chainscore.scoring.ModelBundle bundle, TabularSamples part, boolean inSample) {
    ValidationReport.Options options = inSample ? IN_SAMPLE : ValidationReport.Options.defaults();
    try {
      // usually the bundle scores every row: one pass
      return new Figures(ValidationReport.of(bundle, part.rows(), part.labels(), null, options).metrics(), 0, null);
    } catch (io.chainscore.scoring.ScoringException e) {
      // a row refused: find them all, and the figures on the others
    }
    RefusedRows refused = new RefusedRows(part.size()).add(bundle, part.rows(), "");
    double[] rows = refused.kept(part.rows(), bundle.schema().size());
    int[] labels = refused.kept(part.labels());
    return new Figures(ValidationReport.of(bundle, rows, labels, null, options).metrics(), refused.count(),
        refused.first().reason());
  }

  /** {@link #printMetrics}, and the count of rows the bundle refused, when any, left out of the figures. */
  private static void printFigures(PrintWriter o, String label, Figures f) {
    printMetrics(o, label, f.metrics());
    if (f.refused() > 0) {
      o.printf(Locale.ROOT, "  %,d %s row%s refused by the bundle's policies, left out of these figures (the first:"
          + " %s)%n", f.refused(), label, f.refused() == 1 ? "" : "s", f.firstRefusal());
    }
  }

  /**
   * The trees' shape the options ask for, for the console: {@code depth 3, any leaves}, or {@code
   * the shape chosen among depths 3, 4, 5, 6 and 31 leaves} ({@code (at most L leaves)} after the
   * depths with a leaf limit).
   */
  static String shapeText(GbdtTrainer.Options go) {
    String leaves = go.maxNodes() == 0 ? "any" : String.valueOf(go.maxNodes());
    if (go.shapeChoices().isEmpty()) {
      return "depth " + go.maxDepth() + ", " + leaves + " leaves";
    }
    java.util.StringJoiner depths = new java.util.StringJoiner(", ");
    java.util.StringJoiner others = new java.util.StringJoiner(", ");
    for (GbdtTrainer.TreeShape shape : go.shapeChoices()) {
      (shape.maxLeaves() == 0 ? depths : others).add(shape.toString());
    }
    return "the shape chosen among depths " + depths + (go.maxNodes() > 0 ? " (at most " + leaves + " leaves)" : "")
        + (others.length() > 0 ? " and " + others : "");
  }

  /**
   * The trees' depth for the console: {@code depth D}, or, when the shape was chosen on held-out
   * rows (the xgboost engine's default), {@code depth D chosen on N held-out training rows (log-loss
   * by shape 3:L3 ... 31 leaves:L)}, {@code 31 leaves (depth up to 31) chosen ...} for the 31-leaf
   * shape.
   */
  static String depthText(GbdtTrainer.Fit fit) {
    if (fit.depthValidationRows() == 0) {
      return "depth " + fit.depth();
    }
    String shape = fit.shape().maxLeaves() == 0 ? "depth " + fit.depth()
        : fit.shape() + " (depth up to " + fit.depth() + ")";
    return String.format(Locale.ROOT, "%s chosen on %d held-out training rows (%s)", shape,
        fit.depthValidationRows(), fit.shapeLogLoss().isEmpty()
            ? "untried: one class only on a side of the split, the first taken"
            : "log-loss by shape " + GbdtTrainer.shapeLogLossText(fit.shapeLogLoss()));
  }

  /**
   * The trees' depth for {@code --json}: {@code depth}, and {@code depth_choice} when the shape was
   * chosen ({@code chosen}: {@code "3"} for a depth, {@code "31 leaves"} for the 31-leaf shape; the
   * log-loss of each shape under the same names).
   */
  private static void putDepth(Map<String, Object> j, GbdtTrainer.Fit fit) {
    j.put("depth", fit.depth());
    if (fit.depthValidationRows() > 0) {
      Map<String, Object> choice = JsonOutput.object();
      choice.put("validation_rows", fit.depthValidationRows());
      choice.put("chosen", fit.shape().toString());
      Map<String, Object> logLoss = JsonOutput.object();
      fit.shapeLogLoss().forEach((shape, v) -> logLoss.put(shape.toString(), v));
      choice.put("log_loss", logLoss);
      j.put("depth_choice", choice);
    }
  }

  /**
   * The reason codes and statements a model trained on {@code schema} gets: when every candidate is
   * a standard supplier feature (the sample is {@code chainscore features} output), those of the
   * bundled models ({@link io.chainscore.models.StandardReasons}: correlated features share a code,
   * each code a statement a notice can give the supplier), so that the model's reasons read as
   * theirs do; else none given (each characteristic its own code, its column name as the text).
   *
   * @param texts statement by reason code, for the trainers' {@code reasonTexts}
   * @param groups reason code by feature name, for their {@code reasonGroups}
   */
  record StandardReasonTexts(Map<String, String> texts, Map<String, String> groups) {
    static StandardReasonTexts of(io.chainscore.features.FeatureSchema schema) {
      Map<String, String> groups = io.chainscore.models.StandardReasons.codesFor(schema);
      Map<String, String> texts = new java.util.LinkedHashMap<>();
      groups.values().forEach(code -> texts.put(code, io.chainscore.models.StandardReasons.statements().get(code)));
      return new StandardReasonTexts(texts, groups);
    }
  }
}
