package io.chainscore.cli;

import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The development rows {@code train} fits on and {@code bins} bins, read and split one way for
 * both: {@code --data} (joined to {@code --labels} on supplier_id and as_of_date when given;
 * instants read as their dates in {@code --time-zone}), the
 * target with both classes, {@code --weight}, the columns that are not characteristics ({@code
 * --exclude}, the keys, the weight, the cohort), and the test rows held out ({@code --test-cohort}
 * of {@code --cohort}, or a seeded random {@code --test-share}), so that a bins file is counted on
 * exactly the rows train will fit.
 *
 * @param table the rows read (labelled rows only when {@code --labels} is given)
 * @param unlabelledRows feature rows left out for want of a label
 * @param weights the rows' weights, or null without {@code --weight}
 * @param cohortOfRow each row's {@code --cohort} value, or null without it
 * @param all every row as samples over the candidate characteristics
 * @param testFlags which rows are held out for testing
 * @param training the rows not held out
 * @param test the rows held out
 */
record DevelopmentData(TabularData table, int unlabelledRows, double[] weights, String[] cohortOfRow,
    TabularSamples all, boolean[] testFlags, TabularSamples training, TabularSamples test) {

  /** The options both commands share, as {@link DevelopmentDataOptions} declares them. */
  record Options(Path data, Path labels, java.time.ZoneId timeZone, String target, String eventLabel, String weight,
      List<String> exclude, String cohort, String testCohort, double testShare, long seed) {}

  /**
   * Reads and splits the rows.
   *
   * @param command the command's name, for its progress lines on {@code err}
   * @param alsoExcluded further columns that are not characteristics (e.g. train's
   *     {@code --central-tendency-from})
   * @throws ParameterException for an option the data contradict (one line, exit 2)
   * @throws IllegalArgumentException for data that cannot be used, naming the file
   */
  static DevelopmentData read(CommandSpec spec, String command, PrintWriter err, Options o,
      Collection<String> alsoExcluded) {
    if (o.testCohort() != null && o.cohort() == null) {
      throw new ParameterException(spec.commandLine(), "--test-cohort needs --cohort"); // before reading any file
    }
    Set<String> excluded = o.exclude() == null ? new HashSet<>() : new HashSet<>(o.exclude());
    excluded.addAll(alsoExcluded);
    TabularData table;
    int unlabelled = 0;
    if (o.labels() != null) {
      err.println(command + ": reading " + o.data() + " and the labels " + o.labels());
      LabelJoin.Result joined = TabularFiles.read(o.data(), o.labels(), o.target(), o.eventLabel(), o.weight(),
          o.timeZone());
      table = joined.data();
      unlabelled = joined.unlabelledRows();
      err.printf(Locale.ROOT, "%s: %,d feature rows: %,d labelled, %,d without a label (left out); %,d labels match"
          + " no feature row%n", command, joined.featureRows(), table.rowCount(), unlabelled, joined.unusedLabels());
      if (table.rowCount() == 0) {
        throw new IllegalArgumentException(o.labels() + ": no row of " + o.data() + " has a label (joined on"
            + " supplier_id and as_of_date)");
      }
      excluded.addAll(LabelJoin.KEYS);
    } else {
      err.println(command + ": reading " + o.data());
      table = TabularFiles.read(o.data(), o.target(), o.eventLabel(), o.timeZone());
    }
    for (String unnamed : TabularFiles.unnamedColumns(o.data())) {
      if (!excluded.contains(unnamed)) {
        // pandas and R write their row numbers as a first column without a name: a row number is
        // no characteristic, but only the user knows that it is one
        err.printf(Locale.ROOT, "%s: column %s of %s has no name in its header; read as %s, a candidate"
            + " characteristic (a row number? leave it out with --exclude %s)%n", command,
            unnamed.substring("column_".length()), o.data(), unnamed, unnamed);
      }
    }
    requireBothClasses(table, table.target(), "--target " + o.target() + " in "
        + (o.labels() != null ? o.labels() : o.data()), o.eventLabel());
    if (o.weight() != null && o.weight().equals(o.target())) {
      throw new ParameterException(spec.commandLine(), "--weight " + o.weight() + ": that is the target");
    }
    double[] weights = TabularFiles.weights(table, o.weight(), o.data(), o.labels());
    if (o.weight() != null) {
      excluded.add(o.weight());
    }
    String[] cohortOfRow = null;
    if (o.cohort() != null) {
      if (!table.columnNames().contains(o.cohort()) || o.cohort().equals(o.target())) {
        throw new ParameterException(spec.commandLine(),
            "--cohort: no column '" + o.cohort() + "' other than the target in " + o.data());
      }
      cohortOfRow = table.categorical(o.cohort());
      excluded.add(o.cohort());
    }
    if (o.exclude() != null) {
      // a misspelt --exclude would leave the column meant among the candidates without a word
      for (String column : o.exclude()) {
        if (!table.columnNames().contains(column) && !column.equals(o.target()) && !LabelJoin.KEYS.contains(column)) {
          throw new IllegalArgumentException("--exclude " + column + ": " + (o.labels() != null ? "neither "
              + o.data() + " nor " + o.labels() + " has" : o.data() + " has no") + " such column");
        }
      }
    }
    java.util.Optional<String> notCandidate = LabelJoin.nonCandidate(table, excluded);
    if (notCandidate.isPresent()) {
      throw new IllegalArgumentException(o.data() + ": " + notCandidate.get() + " and cannot be a characteristic; "
          + (o.labels() == null ? "give the labels with --labels to join on supplier_id and as_of_date, or " : "")
          + "leave it out with --exclude");
    }
    TabularSamples all = TabularSamples.of(table, excluded);
    boolean[] testFlags;
    if (o.testCohort() != null) {
      testFlags = new boolean[all.size()];
      int testRows = 0;
      for (int i = 0; i < testFlags.length; i++) {
        testFlags[i] = TrainCommand.sameCohort(cohortOfRow[i], o.testCohort());
        testRows += testFlags[i] ? 1 : 0;
      }
      if (testRows == 0 || testRows == testFlags.length) {
        throw new ParameterException(spec.commandLine(), "--test-cohort " + o.testCohort() + ": "
            + (testRows == 0 ? "no row of " + o.data() + " has that " + o.cohort()
            : "every row has that " + o.cohort() + ", none is left to train on"));
      }
    } else {
      testFlags = TabularSamples.randomTestFlags(all.size(), o.testShare(), o.seed());
    }
    TabularSamples[] parts = all.split(testFlags);
    requireBothClasses(table, parts[0].labels(), "the training part of --target " + o.target() + " in "
        + (o.labels() != null ? o.labels() : o.data()) + " (the rows not held out for testing)", o.eventLabel());
    return new DevelopmentData(table, unlabelled, weights, cohortOfRow, all, testFlags, parts[0], parts[1]);
  }

  /**
   * Refuses {@code labels} of one class, naming the target's value there in the file's own words
   * ({@link TabularData#targetLabel}: 'false', '0', the one label of a file without the event label).
   */
  private static void requireBothClasses(TabularData table, int[] labels, String what, String eventLabel) {
    long events = 0;
    for (int y : labels) {
      events += y;
    }
    if (labels.length == 0) {
      // e.g. --test-share 0.999 on 1,000 rows: no row is left to train on
      throw new IllegalArgumentException(what + ": no rows; training needs rows of both classes (a smaller"
          + " --test-share, or more rows)");
    }
    if (events == 0 || events == labels.length) {
      int only = events == 0 ? 0 : 1;
      throw new IllegalArgumentException(what + ": all " + labels.length + " rows are "
          + (only == 0 ? "non-events" : "events") + " ('" + table.targetLabel(only) + "')"
          + (only == 0 && eventLabel != null && table.targetLabel(1) == null
              ? ", none is the --event-label '" + eventLabel + "'" : "")
          + "; training needs both classes");
    }
  }
}
