package io.chainscore.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of the development rows, declared once for {@code train} and {@code bins} (a picocli
 * {@code @Mixin} of both), so that the two commands read and split the rows ({@link DevelopmentData})
 * from the same options: the same {@code --test-share} and {@code --seed}, or {@code --cohort} and
 * {@code --test-cohort}, leave the same rows out. Each description is worded to hold in the help of
 * both commands.
 */
final class DevelopmentDataOptions {
  /** The command the options are mixed into (train or bins), whose command line an error names. */
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--data", required = true, description = "CSV file with a header row, an Arrow IPC file (.arrow, .feather, .ipc) or stream (.arrows), or a Parquet file (.parquet):"
      + " the characteristics, and the target unless --labels gives it.")
  Path data;

  @Option(names = "--labels", description = "Labels table (CSV, Arrow or Parquet, e.g. the generator's labels.arrow) holding --target,"
      + " joined to --data on supplier_id and as_of_date; feature rows without a label are counted and left out;"
      + " an empty target in the labels is refused (leave a row whose outcome is not known out of them).")
  Path labels;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Read the dates stored as instants in --data and"
      + " --labels (and train's --rejects): a Parquet timestamp adjusted to UTC or INT96, an Arrow timestamp with a time"
      + " zone, as their dates in ZONE, e.g. UTC or Europe/Berlin; and join an as_of_date written to CSV with an offset"
      + " (2025-06-30T00:00:00+08:00) on its date there. Without it they are refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--target", required = true, description = "Target column: 0/1 or true/false, or two labels with --event-label.")
  String target;

  @Option(names = "--event-label", description = "The target label that means default (event).")
  String eventLabel;

  @Option(names = "--weight", paramLabel = "COLUMN", description = "Sample weights: a column of --data or of --labels"
      + " holding a number >= 0 per row. A scorecard weighs every step by them (binning counts, those bins writes too,"
      + " WoE, IV, selection and the logistic regression), so a weight of 2 counts a row twice and 0 leaves it out;"
      + " gradient-boosted trees (--engine xgboost) weigh each row's gradient by it; the PD calibration"
      + " (--central-tendency, --central-tendency-from, --master-scale fit:N) weighs the rows too. The column is not a"
      + " candidate characteristic; the metrics train prints are unweighted.")
  String weight;

  @Option(names = "--exclude", split = ",", description = "Columns to leave out (comma separated).")
  List<String> exclude;

  @Option(names = "--test-share", defaultValue = "0.3", description = "Share of rows held out for testing (default ${DEFAULT-VALUE}).")
  double testShare;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the train/test split (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--cohort", description = "Column grouping the rows into development cohorts (e.g. the as-of year):"
      + " left out of the characteristics; with --test-cohort it holds one cohort out; train's scorecard selects"
      + " characteristics by cohort-out forward selection over the others.")
  String cohort;

  @Option(names = "--test-cohort", description = "Hold out this value of --cohort as the test set (out-of-time"
      + " validation) instead of a random --test-share.")
  String testCohort;

  /**
   * Refuses a value no split can use, in one line (exit 2), before any file is read; the options the
   * data contradict are refused by {@link DevelopmentData#read}.
   */
  void check() {
    if (!(testShare >= 0 && testShare < 1)) {
      throw new ParameterException(spec.commandLine(),
          "--test-share " + testShare + ": must be at least 0 and below 1 (the share of rows held out for testing)");
    }
  }

  /** The options as {@link DevelopmentData#read} takes them. */
  DevelopmentData.Options options() {
    return new DevelopmentData.Options(data, labels, timeZone, target, eventLabel, weight, exclude, cohort, testCohort,
        testShare, seed);
  }
}
