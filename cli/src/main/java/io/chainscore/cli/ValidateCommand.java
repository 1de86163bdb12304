package io.chainscore.cli;

import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.reports.ValidationHtml;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.validation.ValidationMetrics;
import io.chainscore.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore validate}: validate a model bundle on a labelled CSV, Arrow or Parquet sample. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a model bundle on a labelled CSV, Arrow or Parquet table.",
      "Writes metrics.json (auc and gini with DeLong 95%% confidence intervals, ks, brier, calibration-in-the-large (binomial and Vasicek-adjusted), hosmer_lemeshow with the degrees of freedom of its sample, per-grade binomial, Jeffreys and Vasicek tests with Basel traffic lights, the DeLong test against --compare, psi against --baseline) and report.html (ROC, KS curve, score distributions, calibration by grade and, for a scorecard, the bin table of every characteristic on the data) to --out.",
      "For a segmented bundle (train --segment) every figure is also given per segment, on the rows routed to it (metrics.json segments[]).",
      "Columns are matched to the model's features by name: the exact name, else the column whose name in snake_case (lower case, non-alphanumerics as _) it is.",
      "Rows the model's policies refuse (too many missing features, a value out of range) are left out of every figure, as train leaves them out, and listed in refused.csv in --out (exit 3)."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--data", required = true, description = "CSV, Arrow IPC (.arrow, .feather, .ipc; .arrows for a stream) or Parquet (.parquet) file with the model's features and the target.")
  Path data;

  @Option(names = "--labels", description = "Labels table (CSV, Arrow or Parquet) holding --target, joined to --data on supplier_id"
      + " and as_of_date; feature rows without a label are counted and left out;"
      + " an empty target in the labels is refused (leave a row whose outcome is not known out of them).")
  Path labels;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Read the dates stored as instants in --data and"
      + " --labels (and --baseline): a Parquet timestamp adjusted to UTC or INT96, an Arrow timestamp with a time zone,"
      + " as their dates in ZONE, e.g. UTC or Europe/Berlin; and join an as_of_date written to CSV with an offset"
      + " (2025-06-30T00:00:00+08:00) on its date there. Without it they are refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--target", required = true, description = "Target column: 0/1 or true/false, or two labels with --event-label.")
  String target;

  @Option(names = "--event-label", description = "The target label that means default.")
  String eventLabel;

  @Option(names = "--baseline", description = "A baseline CSV, Arrow or Parquet file for the PSI of the grade distribution: the"
      + " model's feature columns (its target is not read; with --labels it is joined to them too and its rows"
      + " without a label are left out).")
  Path baseline;

  @Option(names = "--compare", description = "A second model (bundle file or bundled model name) scored on the same rows:"
      + " metrics.json and report.html add the DeLong test of the difference of the two AUCs (difference, standard error,"
      + " z, two-sided p-value and 95%% confidence interval).")
  Path compare;

  @Option(names = "--in-sample", description = "The rows are the ones the model was fitted on: Hosmer-Lemeshow then has"
      + " G - 2 degrees of freedom instead of G (the default, for held-out rows).")
  boolean inSample;

  @Option(names = "--asset-correlation", defaultValue = "0.12", description = "Asset correlation of the one-factor"
      + " (Vasicek) binomial tests and traffic lights, in [0, 1); 0 gives the independent binomial test (default"
      + " ${DEFAULT-VALUE}, the Basel corporate floor).")
  double assetCorrelation;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--overwrite", description = "Replace metrics.json, report.html and refused.csv in an existing"
      + " --out.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    if (!(assetCorrelation >= 0 && assetCorrelation < 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--asset-correlation " + assetCorrelation + ": must be at least 0 and below 1");
    }
    OutputFiles.refuseAsResultFolder(out, "metrics.json", "report.html", "refused.csv");   // before the work
    // Like every other command: results already in --out are replaced only when asked.
    if (!overwrite) {
      for (String name : new String[] {"metrics.json", "report.html", "refused.csv"}) {
        if (java.nio.file.Files.exists(out.resolve(name))) {
          throw new java.nio.file.FileAlreadyExistsException(out.resolve(name).toString(), null,
              "already exists; pass --overwrite to replace it");
        }
      }
    }
    ModelBundle bundle = trust.load(model);
    TabularFiles.Sample sample = TabularFiles.readSample(data, labels, target, eventLabel, timeZone,
        spec.commandLine().getErr(), "validate");
    TabularData table = sample.table();
    double[] rows = rows(bundle.schema(), sample, data);
    double[] baselineRows = null;
    TabularFiles.Sample baselineSample = new TabularFiles.Sample(null, null);
    if (baseline != null) {
      if (labels != null) {
        io.chainscore.develop.LabelJoin.Result joined = TabularFiles.read(baseline, labels, target, eventLabel, null,
            timeZone);
        TabularData base = joined.data();
        if (joined.unlabelledRows() > 0 && base.rowCount() > 0) {
          // as the sample's join is counted: rows of the baseline left out of the PSI are said, not dropped
          // silently (until 2026-12-07)
          spec.commandLine().getErr().printf(java.util.Locale.ROOT, "validate: the baseline %s: %,d rows: %,d labelled,"
              + " %,d without a label in %s (left out of the PSI)%n", baseline, joined.featureRows(), base.rowCount(),
              joined.unlabelledRows(), labels);
        }
        if (base.rowCount() == 0) {
          // no grade distribution to compare with: said of the file, not by the PSI's "expected counts
          // are all zero" after the work (until 2026-12-07)
          throw new IllegalArgumentException(labels + ": no row of the baseline " + baseline + " has a label"
              + " (--baseline is joined to --labels on supplier_id and as_of_date); there is no grade distribution"
              + " to compare with");
        }
        baselineSample = new TabularFiles.Sample(base, joined.featureRowOf());
        baselineRows = rows(bundle.schema(), baselineSample, baseline);
      } else {
        // the PSI grades the baseline's rows and reads no outcome: its target column, if it has one, is not
        // read (until 2026-12-07 it had to hold --target in the sample's coding, so neither the training
        // file of `train --holdout-out`'s rows, good/bad against the held-out file's 0/1, nor a feature
        // table without labels could be the baseline)
        io.chainscore.develop.LabelJoin.Columns base = TabularFiles.columns(baseline, timeZone);
        if (base.rowCount() == 0) {
          throw new IllegalArgumentException(baseline + ": no data rows; there is no grade distribution to compare with");
        }
        baselineRows = rows(bundle.schema(), base, baseline);
      }
    }
    ValidationReport.Options options = ValidationReport.Options.defaults().inSample(inSample)
        .assetCorrelation(assetCorrelation);
    ModelBundle other = null;
    double[] otherRows = null;
    if (compare != null) {
      other = trust.load(compare, "--compare");
      try {
        otherRows = rows(other.schema(), sample, data);
      } catch (IllegalArgumentException e) {
        throw ofCompared(e);
      }
    }
    // Rows a model's policies refuse (too many missing values, a value out of its range) are left
    // out of every figure, as train leaves them out of its own, counted, and listed in --out: a
    // held-out file train wrote is then validated on the rows its test figures were computed on.
    int[] labelsOfRows = table.target();
    RefusedRows refused = new RefusedRows(labelsOfRows.length).add(bundle, rows, "");
    if (other != null) {
      refused.add(other, otherRows, "--compare " + compare + ": ");
    }
    if (refused.all()) {
      throw new IllegalArgumentException(data + ": the model refuses every row (the first: " + refused.first().reason()
          + "); nothing is left to validate on");
    }
    if (refused.count() > 0) {
      rows = refused.kept(rows, bundle.schema().size());
      labelsOfRows = refused.kept(labelsOfRows);
      if (other != null) {
        otherRows = refused.kept(otherRows, other.schema().size());
      }
    }
    int baselineRefused = 0;
    if (baselineRows != null) {
      // the baseline is graded by the model for the PSI alone: its refused rows have no grade
      RefusedRows base = new RefusedRows(baselineRows.length / bundle.schema().size()).add(bundle, baselineRows, "");
      if (base.all()) {
        throw new IllegalArgumentException(baseline + ": the model refuses every row of the baseline (the first: row "
            + baselineSample.fileRow(base.first().row()) + ": " + base.first().reason() + "); there is no grade"
            + " distribution to compare with");
      }
      baselineRefused = base.count();
      baselineRows = base.kept(baselineRows, bundle.schema().size());
    }
    if (other != null) {
      options = options.compareWith(other, otherRows);
    }
    int refusedCount = refused.count();
    ValidationReport report = ValidationReport.of(bundle, rows, labelsOfRows, baselineRows, options);
    if (refusedCount > 0) {
      report = report.withRowsRefused(refusedCount);
    }
    // The files are committed together, metrics.json last, as ecl, monitor and portfolio commit
    // theirs: until 2026-12-07 metrics.json was written in place first, and a run that failed after
    // it left this run's metrics beside an earlier run's report
    OutputFiles.createFolder(out);
    Path metricsFile = out.resolve("metrics.json");
    Path refusedFile = out.resolve("refused.csv");
    io.chainscore.batch.engine.FileSetCommit commit = io.chainscore.batch.engine.FileSetCommit.begin(metricsFile,
        overwrite);
    try {
      if (refusedCount > 0) {
        writeRefused(commit.stage(refusedFile), refused.inRowOrder(), sample);
      }
      ValidationHtml.write(report, commit.stage(out.resolve("report.html")));
      report.writeMetricsFile(commit.stage(metricsFile));
      commit.commit();
    } catch (IOException | RuntimeException e) {
      commit.abandon();
      throw e;
    }
    if (refusedCount == 0) {
      java.nio.file.Files.deleteIfExists(refusedFile);  // an earlier run's list is not this run's
    }
    if (refusedCount > 0) {
      // on stderr, so that --json's stdout stays one object; the exit code says it too
      spec.commandLine().getErr().printf(java.util.Locale.ROOT, "validate: %,d row%s of %s refused by the model's"
          + " policies, left out of every figure (the first: row %s); listed in %s%n", refusedCount,
          refusedCount == 1 ? "" : "s", data, sample.fileRow(refused.first().row()) + ": " + refused.first().reason(),
          refusedFile);
    }
    if (baselineRefused > 0) {
      spec.commandLine().getErr().printf(java.util.Locale.ROOT, "validate: %,d row%s of the baseline %s refused by"
          + " the model's policies, left out of the PSI%n", baselineRefused, baselineRefused == 1 ? "" : "s", baseline);
    }
    if (json) {
      JsonOutput.print(spec.commandLine().getOut(), report.metrics());
      return refusedCount > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
    }
    TrainCommand.printMetrics(spec.commandLine().getOut(), "validation", report.metrics());
    TrainCommand.printCalibration(spec.commandLine().getOut(), report.metrics());
    ValidationMetrics.AucComparison c = report.metrics().comparison();
    if (c != null) {
      spec.commandLine().getOut().printf(java.util.Locale.ROOT,
          "DeLong test against %s %s: AUC %.4f vs %.4f, difference %.4f (95%% CI %.4f to %.4f), se %.4f, z %.3f, p %.4f%n",
          c.otherModelId(), c.otherModelVersion(), c.auc(), c.otherAuc(), c.difference(), c.lower(), c.upper(),
          c.standardError(), c.z(), c.pValue());
    } else if (other != null) {
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "DeLong test against %s %s: not computed, it needs two"
          + " defaults and two non-defaults (the rows hold %,d and %,d)%n", other.modelId(), other.modelVersion(),
          report.metrics().defaults(), report.metrics().rows() - report.metrics().defaults());
    }
    if (report.metrics().psi() != null) {
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "PSI of the grade distribution against the baseline: %.4f%n",
          report.metrics().psi());
    }
    if (report.metrics().segments() != null) {
      for (ValidationMetrics.Segment s : report.metrics().segments()) {
        String label = "segment " + s.name() + " (" + s.rule() + ")";
        if (s.metrics() == null) {
          spec.commandLine().getOut().println(label + ": no validation row");
          continue;
        }
        TrainCommand.printMetrics(spec.commandLine().getOut(), label, s.metrics());
        TrainCommand.printCalibration(spec.commandLine().getOut(), s.metrics());
        ValidationMetrics.AucComparison sc = s.metrics().comparison();
        if (sc != null) {
          spec.commandLine().getOut().printf(java.util.Locale.ROOT, "  DeLong test against %s: AUC difference %.4f,"
              + " p %.4f%n", sc.otherModelId(), sc.difference(), sc.pValue());
        }
        if (s.metrics().psi() != null) {
          spec.commandLine().getOut().printf(java.util.Locale.ROOT, "  PSI against the baseline: %.4f%n",
              s.metrics().psi());
        }
      }
    }
    spec.commandLine().getOut().println("Wrote " + out.resolve("metrics.json") + " and " + out.resolve("report.html"));
    return refusedCount > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
  }

  /**
   * {@code refused.csv}: {@code row,reason}, one line per refused row, in the order given, each
   * row its data row in {@code --data} (with {@code --labels} too: until 2026-12-07 its row among
   * the rows joined, which no file holds, so an unlabelled row before it shifted it to another
   * supplier's row).
   */
  private static void writeRefused(Path file, List<RefusedRows.Refusal> lines, TabularFiles.Sample sample)
      throws IOException {
    StringBuilder b = new StringBuilder();
    io.chainscore.tables.CsvWriter csv = new io.chainscore.tables.CsvWriter(b);
    csv.header(new io.chainscore.tables.TableSchema("refused", List.of(
        io.chainscore.tables.TableSchema.required("row", io.chainscore.tables.ColumnType.INT),
        io.chainscore.tables.TableSchema.required("reason", io.chainscore.tables.ColumnType.STRING))));
    for (RefusedRows.Refusal r : lines) {
      csv.integer(sample.fileRow(r.row())).text(r.reason()).endRow();
    }
    java.nio.file.Files.writeString(file, b.toString());
  }

  /** A failure that is the {@code --compare} model's, said to be its rather than {@code --model}'s. */
  private IllegalArgumentException ofCompared(IllegalArgumentException e) {
    return new IllegalArgumentException("--compare " + compare + ": " + e.getMessage(), e);
  }


  /** The table's columns in the bundle's schema order. */
  static double[] rows(FeatureSchema schema, TabularData table, Path file) {
    return rows(schema, new TabularFiles.Sample(table, null), file);
  }

  /**
   * The sample's columns in the bundle's schema order, a bad value named at its data row in {@code
   * file} ({@link TabularFiles.Sample#fileRow}: with {@code --labels} not its row among the rows
   * joined, which until 2026-12-07 an unlabelled row before it shifted to the row above).
   */
  static double[] rows(FeatureSchema schema, TabularFiles.Sample sample, Path file) {
    TabularData table = sample.table();
    return rows(schema, new Columns() {
      @Override public java.util.List<String> names() { return table.columnNames(); }
      @Override public int rowCount() { return table.rowCount(); }
      @Override public boolean isNumeric(String column) { return table.isNumeric(column); }
      @Override public double[] numeric(String column) { return table.numeric(column); }
      @Override public String[] text(String column) { return table.categorical(column); }
      @Override public io.chainscore.tables.InputFormatException textAmongNumbers(String column) {
        return table.textAmongNumbers(column);
      }
    }, file, sample::fileRow);
  }

  /**
   * The columns of a file read before any target is chosen ({@link TabularFiles#columns}), in the
   * bundle's schema order, by the rule of {@link #rows(FeatureSchema, TabularData, Path)}: for rows
   * that need no label, such as the reference rows of {@code import --reason-reference}.
   */
  static double[] rows(FeatureSchema schema, LabelJoin.Columns table, Path file) {
    return rows(schema, new Columns() {
      @Override public java.util.List<String> names() { return table.names(); }
      @Override public int rowCount() { return table.rowCount(); }
      @Override public boolean isNumeric(String column) { return table.values().get(index(column)) instanceof double[]; }
      @Override public double[] numeric(String column) { return (double[]) table.values().get(index(column)); }
      @Override public String[] text(String column) { return (String[]) table.values().get(index(column)); }
      @Override public io.chainscore.tables.InputFormatException textAmongNumbers(String column) {
        return table.textAmongNumbers().get(column);
      }

      private int index(String column) {
        return table.names().indexOf(column);
      }
    }, file, row -> row);
  }

  /** What {@link #rows(FeatureSchema, Columns, Path, java.util.function.IntUnaryOperator)} reads of a table: its named columns, numbers or text. */
  private interface Columns {
    java.util.List<String> names();

    int rowCount();

    boolean isNumeric(String column);

    double[] numeric(String column);

    String[] text(String column);

    /** The refusal of the first text in a column otherwise of numbers, else null. */
    io.chainscore.tables.InputFormatException textAmongNumbers(String column);
  }

  /** One rule for every table read against a bundle's schema: columns by schema name, categories by index. */
  private static double[] rows(FeatureSchema schema, Columns table, Path file,
      java.util.function.IntUnaryOperator fileRow) {
    int n = table.rowCount();
    int p = schema.size();
    double[] rows = new double[n * p];
    for (int j = 0; j < p; j++) {
      FeatureSpec f = schema.feature(j);
      int at = io.chainscore.tables.TableSchema.columnIn(table.names(), f.name(), file.toString());
      if (at < 0) {
        throw io.chainscore.tables.InputFormatException.missingColumn(file.toString(), f.name(), "a feature of the"
            + " model", null);
      }
      String column = table.names().get(at);
      if (f.type() == FeatureType.CATEGORICAL) {
        String[] values = table.isNumeric(column) ? null : table.text(column);
        double[] numbers = table.isNumeric(column) ? table.numeric(column) : null;
        for (int i = 0; i < n; i++) {
          String code = values != null ? values[i]
              : Double.isNaN(numbers[i]) ? null
              : numbers[i] == Math.rint(numbers[i]) ? Long.toString((long) numbers[i]) : Double.toString(numbers[i]);
          int index = code == null ? -2 : f.categoryIndex(code);
          if (index == -1) {
            throw new IllegalArgumentException(file + ", row " + fileRow.applyAsInt(i + 1) + ", column " + column
                + ": unknown category '"
                + code + "'; the model knows " + f.categories());
          }
          rows[i * p + j] = index == -2 ? Double.NaN : index;
        }
      } else {
        if (!table.isNumeric(column)) {
          // a numeric column with stray text is refused at its first text, as train refuses it
          if (table.textAmongNumbers(column) != null) {
            throw table.textAmongNumbers(column);
          }
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
