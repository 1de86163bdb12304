package io.chainscore.cli;

import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.Tables;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.PortfolioTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore whatif}: the score before and after changing features. */
@Command(
    name = "whatif",
    mixinStandardHelpOptions = true,
    description = {
      "Score a supplier, or every supplier of a feature table, before and after changing features.",
      "The changes are --set FEATURE=VALUE and --scale FEATURE=FACTOR (both repeatable).",
      "For one supplier it prints score, PD, grade and reason codes with their statements before and after, the PD change in percentage points and the change per characteristic; for a whole table (--out) it writes one row per supplier with both scores and both sets of reasons."
    })
final class WhatifCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--features", description = "Feature table.")
  Path features;

  @Option(names = "--supplier", description = "One supplier of the feature table; without it, every supplier (needs --out).")
  String supplier;

  @Option(names = "--id-column", paramLabel = "COLUMN", description = "The --features table's column that identifies"
      + " each row, when it is not supplier_id (found by its name, else by its snake_case spelling).")
  String idColumn;

  @Option(names = "--set", paramLabel = "FEATURE=VALUE", description = "FEATURE=VALUE (repeatable, each feature once): a number inside the feature's valid range, a category code, or missing; any other value is refused (exit 2).")
  List<String> set;

  @Option(names = "--scale", paramLabel = "FEATURE=FACTOR", description = "FEATURE=FACTOR (repeatable, each feature once), numeric features only; a scaled value outside the feature's valid range (or a fraction for a whole-number feature) is refused, naming the supplier: exit 2 with --supplier, the supplier quarantined without it (see --scaled-values).")
  List<String> scale;

  @Option(names = "--scaled-values", paramLabel = "refuse|nearest", defaultValue = "refuse",
      description = "A --scale product the feature does not take: refuse (the default: exit 2 with --supplier,"
          + " the supplier quarantined in the whole-table mode) or nearest (the range's bound it passed, for a"
          + " whole-number feature the nearest whole number inside the range; counted in the output).")
  String scaledValues;

  @Option(names = "--out", description = "Table of before/after scores, PDs, grades and reason codes with their statements for every supplier (whole-table mode, without --supplier; refused with it); .csv, .arrow or .parquet by its extension.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing --out file.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout: both explanations, points_change, and pd_change_pp (the PD change in percentage points).")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    FeatureEdits.ScaledValues scaled = switch (scaledValues) {
      case "refuse" -> FeatureEdits.ScaledValues.REFUSE;
      case "nearest" -> FeatureEdits.ScaledValues.NEAREST;
      default -> throw new IllegalArgumentException("--scaled-values " + scaledValues + ": expected refuse or nearest");
    };
    if (out != null && (supplier != null || features == null)) {
      // until 2026-12-07 --out was ignored there: exit 0 and no file
      throw new IllegalArgumentException("--out " + out + ": the before/after table of every supplier of --features,"
          + " not written for " + (supplier != null ? "one --supplier, whose result is printed; leave out --supplier"
              + " for the table, or --out for the supplier" : "a row given by --set alone; give --features"));
    }
    ModelBundle bundle = trust.load(model);
    FeatureEdits edits = new FeatureEdits(bundle.schema(), NameValues.parse("--set", set, "FEATURE=VALUE"),
        NameValues.parse("--scale", scale, "FEATURE=FACTOR"), scaled);
    if (edits.isEmpty()) {
      throw new IllegalArgumentException("nothing to change: give --set FEATURE=VALUE or --scale FEATURE=FACTOR");
    }
    if (supplier == null && features != null) {
      return wholeTable(bundle, edits);
    }
    double[] before = ExplainCommand.supplierRow(bundle, features, idColumn, supplier);
    double[] after = edits.apply(before, supplier);
    Scorer scorer = bundle.scorer();
    Explanation b = ExplainCommand.explain(scorer, before, supplier, false);
    Explanation a = ExplainCommand.explain(scorer, after, supplier, true);
    double pointsChange = a.score().points() - b.score().points();
    double pdChangePp = 100 * (a.score().pd() - b.score().pd());
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("supplier_id", supplier);
      j.put("before", ExplanationJson.of(bundle, supplier, b));
      j.put("after", ExplanationJson.of(bundle, supplier, a));
      j.put("points_change", ExplanationJson.plusZero(pointsChange));
      // percentage points: PD after minus PD before, times 100 (4.39 % -> 2.10 % is -2.29)
      j.put("pd_change_pp", ExplanationJson.plusZero(pdChangePp));
      j.put("grade_before", b.score().grade());
      j.put("grade_after", a.score().grade());
      j.put("scaled_to_nearest", edits.movedToNearest());
      JsonOutput.print(o, j);
      return ExitCodes.SUCCESS;
    }
    o.printf(Locale.ROOT, "%s with %s %s%n", supplier == null ? "Supplier" : "Supplier " + supplier,
        bundle.modelId(), bundle.modelVersion());
    o.print("before: ");
    ExplainCommand.printScore(o, b);
    o.print("after:  ");
    ExplainCommand.printScore(o, a);
    o.printf(Locale.ROOT, "change: %s points, PD %.2f%% -> %.2f%% (%s pp), grade %s -> %s%n",
        ExplainCommand.signed(pointsChange, 0), 100 * b.score().pd(), 100 * a.score().pd(),
        ExplainCommand.signed(pdChangePp, 2), b.score().grade(), a.score().grade());
    if (edits.movedToNearest() > 0) {
      o.printf(Locale.ROOT, "%,d scaled value%s outside what the feature takes became the nearest valid value"
          + " (--scaled-values nearest)%n", edits.movedToNearest(), edits.movedToNearest() == 1 ? "" : "s");
    }
    ExplainCommand.printReasons(o, bundle, b, "Reasons before:");
    ExplainCommand.printReasons(o, bundle, a, "Reasons after:");
    o.printf(Locale.ROOT, "%n%-34s %14s %14s %9s %9s %8s%n", "characteristic", "value before", "value after",
        "points", "after", "change");
    for (int i = 0; i < b.items().size(); i++) {
      Explanation.Item x = b.items().get(i);
      Explanation.Item y = a.items().get(i);
      // a tree's other contributions move a little with any change (its features interact): marked
      // when the change shows, not for a change that prints as 0.0
      String change = ExplainCommand.signed(y.points() - x.points(), 1);
      boolean changed = !x.value().equals(y.value()) || !change.equals(ExplainCommand.fixed(0, 1));
      o.printf(Locale.ROOT, "%-34s %14s %14s %9s %9s %8s%s%n", x.name(), ExplainCommand.shorten(x.value(), 14),
          ExplainCommand.shorten(y.value(), 14), ExplainCommand.fixed(x.points(), 1),
          ExplainCommand.fixed(y.points(), 1), change, changed ? "  *" : "");
    }
    return ExitCodes.SUCCESS;
  }

  private int wholeTable(ModelBundle bundle, FeatureEdits edits) throws IOException {
    if (out == null) {
      throw new IllegalArgumentException("without --supplier, give --out for the before/after table");
    }
    Scorer scorer = bundle.scorer();
    long moved = 0;
    long scaledBeyond = 0;
    boolean segmented = !bundle.segments().isEmpty();
    Path quarantine = io.chainscore.batch.engine.BatchJob.sideFile(out, ".quarantine.csv");
    if (!overwrite && Files.exists(quarantine)) {
      throw new java.nio.file.FileAlreadyExistsException(quarantine.toString(), null,
          "already exists; pass --overwrite to replace it");
    }
    // the rows score would quarantine are quarantined here too, with the same reasons: a row the
    // reader cannot parse, an unknown category, a repeated id, a row the policies refuse
    List<InputFormatException> refused = new ArrayList<>();
    Map<String, Long> firstRows = new java.util.HashMap<>();
    FeatureRows.Table table = ExplainCommand.table(features, idColumn);
    if (!TableColumns.hasDataRows(features, table.idColumn())) {
      // as score refuses it: a before/after table of no supplier is a mistake, not a scenario (until
      // 2026-12-07 a header-only table wrote one, exit 0, "Rescored 0 suppliers")
      throw new InputFormatException(features.toString(), -1, null,
          "no data rows; expected one row per supplier to rescore after the header");
    }
    // the format by --out's extension, as every table the tool writes, refused (an existing file
    // without --overwrite too) before the features are read; the file appears complete or not at all
    OutputFiles.createDirectoryOf(out);
    long written = 0;
    try (TableWriter w = Tables.openFile(out, PortfolioTables.whatif(segmented), overwrite)) {
      // in the table's order, as score writes its rows, so the two tables line up row by row
      Map<String, double[]> rows = FeatureRows.read(table, bundle, refused::add, firstRows);
      for (Map.Entry<String, double[]> e : rows.entrySet()) {
        ScoreResult b;
        try {
          b = scorer.score(e.getValue());
        } catch (io.chainscore.scoring.ScoringException refusal) {
          // worded as score words it: too many missing values name the row's id, not one column
          boolean tooManyMissing = refusal.reason() == io.chainscore.scoring.RowRefusals.Reason.TOO_MANY_MISSING;
          refused.add(new InputFormatException(features.toString(), firstRows.get(e.getKey()),
              tooManyMissing ? null : refusal.feature(), tooManyMissing
                  ? FeatureTableScoring.tooManyMissing(table.idColumn(), e.getKey(), refusal.problem())
                  : refusal.problem()).withRecordId(e.getKey()));
          continue;
        }
        // a supplier the edits cannot be applied to, or whose edited row the policies refuse, is
        // quarantined as score quarantines a row, naming the feature and the edit: the scenario
        // stands for every other supplier (until 2026-12-07 the first such supplier refused the
        // whole table, exit 2)
        ScoreResult a;
        try {
          a = scorer.score(edits.apply(e.getValue(), e.getKey()));
        } catch (FeatureEdits.Refused refusal) {
          scaledBeyond++;
          refused.add(new InputFormatException(features.toString(), firstRows.get(e.getKey()), refusal.feature(),
              refusal.getMessage()).withRecordId(e.getKey()));
          continue;
        } catch (io.chainscore.scoring.ScoringException refusal) {
          refused.add(new InputFormatException(features.toString(), firstRows.get(e.getKey()), refusal.feature(),
              "after the edits: " + refusal.problem()).withRecordId(e.getKey()));
          continue;
        }
        moved += b.gradeIndex() != a.gradeIndex() ? 1 : 0;
        w.setString(0, e.getKey());
        w.setDouble(1, b.points());
        w.setDouble(2, a.points());
        w.setDouble(3, b.pd());
        w.setDouble(4, a.pd());
        w.setString(5, b.grade());
        w.setString(6, a.grade());
        reasons(w, 7, bundle, b);
        reasons(w, 7 + 2 * PortfolioTables.REASONS_PER_ROW, bundle, a);
        if (segmented) {
          w.setString(7 + 4 * PortfolioTables.REASONS_PER_ROW, b.segment());
          w.setString(8 + 4 * PortfolioTables.REASONS_PER_ROW, a.segment());
        }
        w.endRow();
        written++;
      }
      if (refused.isEmpty()) {
        // an earlier run's quarantine is not this table's
        Files.deleteIfExists(quarantine);
      } else {
        refused.sort(java.util.Comparator.comparingLong(InputFormatException::row));
        try (TableWriter q = Tables.openFile(quarantine, io.chainscore.batch.engine.BatchJob.QUARANTINE_SCHEMA, true)) {
          for (InputFormatException e : refused) {
            q.setLong(0, e.row());
            if (e.recordId() == null) {
              q.setNull(1);
            } else {
              q.setString(1, e.recordId());
            }
            if (e.column() == null) {
              q.setNull(2);
            } else {
              q.setString(2, e.column());
            }
            q.setString(3, e.problem());
            q.endRow();
          }
          q.commit();
        }
      }
      w.commit();
    }
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("suppliers", written);
      j.put("changed_grade", moved);
      j.put("quarantined", refused.size());
      j.put("quarantine", refused.isEmpty() ? null : quarantine.toString());
      j.put("scaled_to_nearest", edits.movedToNearest());
      JsonOutput.print(spec.commandLine().getOut(), j);
    } else {
      spec.commandLine().getOut().printf(Locale.ROOT, "Rescored %,d suppliers (%,d changed grade): %s%n", written, moved, out);
      if (edits.movedToNearest() > 0) {
        spec.commandLine().getOut().printf(Locale.ROOT, "%,d scaled values outside what the feature takes became the"
            + " nearest valid value (--scaled-values nearest)%n", edits.movedToNearest());
      }
      if (!refused.isEmpty()) {
        spec.commandLine().getOut().printf(Locale.ROOT, "Quarantined %,d rows: %s%n", refused.size(), quarantine);
      }
      if (scaledBeyond > 0) {
        spec.commandLine().getOut().printf(Locale.ROOT, "(%,d of them: a --scale took the value outside what the feature"
            + " takes; --scaled-values nearest moves such values to the nearest valid one)%n", scaledBeyond);
      }
    }
    return refused.isEmpty() ? ExitCodes.SUCCESS : ExitCodes.QUARANTINED;
  }

  /** The four reason columns of one side from column {@code at}: each code then its statement, empty where none. */
  private static void reasons(TableWriter w, int at, ModelBundle bundle, ScoreResult r) {
    for (int k = 0; k < PortfolioTables.REASONS_PER_ROW; k++) {
      if (k < r.reasonCodes().size()) {
        String code = r.reasonCodes().get(k);
        w.setString(at + 2 * k, code);
        w.setString(at + 2 * k + 1, ExplanationJson.statement(bundle, code));
      } else {
        w.setNull(at + 2 * k);
        w.setNull(at + 2 * k + 1);
      }
    }
  }
}
