package io.chainscore.cli;

import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore explain}: one supplier's score, characteristic by characteristic. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Explain one supplier's score characteristic by characteristic.",
      "Prints every characteristic's value, bin, points (or contribution to the log-odds) and reason code, and the reason codes with their customer-facing statements.",
      "The supplier comes from a feature table (--features, --supplier) or from --set FEATURE=VALUE pairs (features not set are missing)."
    })
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--features", description = "Feature table holding the supplier.")
  Path features;

  @Option(names = "--supplier", description = "Supplier id in the feature table (its supplier_id column, or --id-column).")
  String supplier;

  @Option(names = "--id-column", paramLabel = "COLUMN", description = "The --features table's column that identifies"
      + " each row, when it is not supplier_id (found by its name, else by its snake_case spelling).")
  String idColumn;

  @Option(names = "--set", paramLabel = "FEATURE=VALUE", description = "FEATURE=VALUE (repeatable, each feature once): a number inside the feature's valid range, a category code, or missing; any other value is refused (exit 2).")
  List<String> set;

  @Option(names = "--json", description = "Print the explanation as JSON: numbers as numbers, a missing value as null, reason codes with their statements.")
  boolean json;

  @Option(names = "--adverse-action", description = "Print only the principal reasons as an adverse-action notice lists them: at most four statements, most adverse first, each with the values of the characteristics behind it, and the method (docs/adverse-action.md).")
  boolean adverseAction;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    ModelBundle bundle = trust.load(model);
    double[] row = supplierRow(bundle, features, idColumn, supplier);
    FeatureEdits edits = new FeatureEdits(bundle.schema(), NameValues.parse("--set", set, "FEATURE=VALUE"), null);
    row = edits.apply(row, supplier);
    Explanation e = explain(bundle.scorer(), row, supplier, !edits.isEmpty());
    PrintWriter out = spec.commandLine().getOut();
    if (adverseAction) {
      AdverseActionNotice notice = AdverseActionNotice.of(bundle, supplier, e);
      if (json) {
        JsonOutput.print(out, notice);
      } else {
        out.print(notice.text());
        out.flush();
      }
      return ExitCodes.SUCCESS;
    }
    if (json) {
      JsonOutput.print(out, ExplanationJson.of(bundle, supplier, e));
      return ExitCodes.SUCCESS;
    }
    out.printf(Locale.ROOT, "%s with %s %s%n", supplier == null ? "Supplier" : "Supplier " + supplier,
        bundle.modelId(), bundle.modelVersion());
    printScore(out, e);
    printItems(out, bundle, e);
    printReasons(out, bundle, e, "Reasons, most adverse first:");
    return ExitCodes.SUCCESS;
  }

  /**
   * The supplier's row from the table, its id read from {@code idColumn} (null: supplier_id), or an
   * all-missing row when no table is given.
   */
  static double[] supplierRow(ModelBundle bundle, Path features, String idColumn, String supplier)
      throws IOException {
    if (features == null) {
      table(null, idColumn);
      if (supplier != null) {
        throw new IllegalArgumentException("--supplier needs --features");
      }
      double[] row = new double[bundle.schema().size()];
      Arrays.fill(row, Double.NaN);
      return row;
    }
    if (supplier == null) {
      throw new IllegalArgumentException("--features needs --supplier");
    }
    double[] row = FeatureRows.readOne(table(features, idColumn), bundle, supplier);
    if (row == null) {
      // a supplier whose own row the features run refused: said from that run's quarantine
      String why = io.chainscore.batch.io.PortfolioInputs.whyNoFeatures(features, supplier);
      throw new IllegalArgumentException(features + " has no supplier '" + supplier + "'" + (why == null ? "" : why));
    }
    return row;
  }

  /**
   * The explanation of {@code row}, the row of {@code supplier} (null: the row the {@code --set}
   * values give), {@code edited} or not; a row the bundle's policies refuse is refused naming the
   * supplier, whether the edits were made, and the feature (the scorer's own words say "row 0",
   * which names nothing a user has).
   *
   * @throws IllegalArgumentException for a refused row
   */
  static Explanation explain(io.chainscore.scoring.Scorer scorer, double[] row, String supplier, boolean edited) {
    try {
      return scorer.explain(row);
    } catch (io.chainscore.scoring.ScoringException refusal) {
      String whose = supplier == null ? "the row the --set values give"
          : "supplier " + supplier + (edited ? ", after the edits" : "");
      boolean oneFeature = refusal.feature() != null
          && refusal.reason() != io.chainscore.scoring.RowRefusals.Reason.TOO_MANY_MISSING;
      throw new IllegalArgumentException(whose + ": " + (oneFeature ? refusal.feature() + ": " : "")
          + refusal.problem(), refusal);
    }
  }

  /**
   * The feature table with its id column; refuses --id-column without --features, and a table
   * without supplier_id unless --id-column names its id column.
   */
  static FeatureRows.Table table(Path features, String idColumn) throws IOException {
    if (features == null) {
      if (idColumn != null) {
        throw new IllegalArgumentException("--id-column names a column of --features; give the feature table");
      }
      return null;
    }
    TableColumns.requireRowIds(features, idColumn);
    return idColumn == null ? FeatureRows.Table.of(features) : new FeatureRows.Table(features, idColumn);
  }

  static void printScore(PrintWriter out, Explanation e) {
    out.printf(Locale.ROOT, "Score %.0f, PD %.2f%%, grade %s, reason codes %s%s%n", e.score().points(),
        100 * e.score().pd(), e.score().grade(), e.score().reasonCodes(),
        e.score().segment().isEmpty() ? "" : ", segment " + e.score().segment());
  }

  /** The score's reason codes with their customer-facing statements, one a line under {@code heading}. */
  static void printReasons(PrintWriter out, ModelBundle bundle, Explanation e, String heading) {
    out.println(heading);
    if (e.score().reasonCodes().isEmpty()) {
      out.println("  (none: no characteristic scored below its best)");
    }
    Map<String, Double> weights = reasonWeights(bundle, e);
    boolean pointsBelow = pointsBelowBest(referenceOf(bundle, e.score().segment()));
    for (String code : e.score().reasonCodes()) {
      // what ranked it: its points below the best, or its log-odds against the reference
      double w = weights.getOrDefault(code, 0.0);
      out.printf(Locale.ROOT, "  %-6s %8s  %s%n", code, pointsBelow ? fixed(w, 1) : signed(w, 4),
          ExplanationJson.statement(bundle, code));
    }
  }

  /**
   * The items table: value, bin, points, what the row's reasons are ranked by, contribution to the
   * log-odds, reason code. For a scorecard the ranking column is {@code below}, the points below the
   * characteristic's best; for other models it is {@code vs ref}, the contribution minus the mean
   * contribution of the reference the bundle ranks reasons against (an approved population, or the
   * training average: 0), shown where the item's reason code is its own (a code shared by several
   * items is ranked by their sum). Trees' contributions alone were shown beside an always-zero
   * "below" column, so a reason ranked adverse against an approved population read as favourable.
   */
  static void printItems(PrintWriter out, ModelBundle bundle, Explanation e) {
    ModelBundle.ReasonReference reference = referenceOf(bundle, e.score().segment());
    boolean pointsBelow = pointsBelowBest(reference);
    Map<String, Integer> itemsPerCode = new java.util.HashMap<>();
    int nameWidth = "characteristic".length();
    for (Explanation.Item item : e.items()) {
      itemsPerCode.merge(item.reasonCode(), 1, Integer::sum);
      nameWidth = Math.max(nameWidth, item.name().length());
    }
    String row = "%-" + nameWidth + "s %14s %-22s %8s %8s %10s %s%n";
    out.printf(Locale.ROOT, row, "characteristic", "value", "bin", "points", pointsBelow ? "below" : "vs ref",
        "log-odds", "reason");
    out.printf(Locale.ROOT, "%-" + nameWidth + "s %14s %-22s %8.0f%n", "(base points)", "", "", e.basePoints());
    for (Explanation.Item item : e.items()) {
      String ranking;
      if (pointsBelow) {
        ranking = fixed(item.pointsBelowBest(), 1);
      } else if (item.reasonCode().isEmpty() || itemsPerCode.get(item.reasonCode()) > 1) {
        ranking = "";
      } else {
        ranking = signed(item.contribution() - reference.contributions().getOrDefault(item.reasonCode(), 0.0), 4);
      }
      out.printf(Locale.ROOT, row, item.name(), shorten(item.value(), 14), shorten(item.bin(), 22),
          fixed(item.points(), 1), ranking, signed(item.contribution(), 4), item.reasonCode());
    }
    if (!pointsBelow) {
      out.println(ModelBundle.ReasonReference.APPROVED_POPULATION.equals(reference.method())
          ? "vs ref: the log-odds contribution minus its mean over the approved population (" + reference.population()
              + "); the positive ones, largest first, are the reasons"
          : "vs ref: the log-odds contribution against the model's reference (" + reference.method().replace('_', ' ')
              + "); the positive ones, largest first, are the reasons");
    }
  }

  /**
   * Each reason code's weight in the row's ranking: the points below the best of its
   * characteristics (scorecards), or the sum of its items' contributions to the log-odds minus the
   * reference's mean for the code (other models); the row's reasons are the positive ones, largest
   * first (docs/adverse-action.md).
   */
  static Map<String, Double> reasonWeights(ModelBundle bundle, Explanation e) {
    ModelBundle.ReasonReference reference = referenceOf(bundle, e.score().segment());
    boolean pointsBelow = pointsBelowBest(reference);
    Map<String, Double> weights = new java.util.LinkedHashMap<>();
    for (Explanation.Item item : e.items()) {
      if (!item.reasonCode().isEmpty()) {
        weights.merge(item.reasonCode(), pointsBelow ? item.pointsBelowBest() : item.contribution(), Double::sum);
      }
    }
    if (!pointsBelow) {
      weights.replaceAll((code, sum) -> sum - reference.contributions().getOrDefault(code, 0.0));
    }
    return weights;
  }

  private static boolean pointsBelowBest(ModelBundle.ReasonReference reference) {
    return reference == null || ModelBundle.ReasonReference.POINTS_BELOW_BEST.equals(reference.method());
  }

  /** The reason reference that ranked a row's reasons: its segment's in a segmented bundle. */
  static ModelBundle.ReasonReference referenceOf(ModelBundle bundle, String segment) {
    if (!segment.isEmpty()) {
      for (ModelBundle.Segment s : bundle.segments()) {
        if (s.name().equals(segment)) {
          return s.bundle().reasonReference();
        }
      }
    }
    return bundle.reasonReference();
  }

  /**
   * {@code x} with {@code decimals} decimals and a sign, except that a value that rounds to zero
   * prints as an unsigned zero ({@code 0.0000}, never {@code -0.0000} or {@code +0.0000}).
   */
  static String signed(double x, int decimals) {
    String text = String.format(Locale.ROOT, "%+." + decimals + "f", x);
    return roundsToZero(text) ? String.format(Locale.ROOT, "%." + decimals + "f", 0.0) : text;
  }

  /** {@code x} with {@code decimals} decimals; a value that rounds to zero prints unsigned. */
  static String fixed(double x, int decimals) {
    String text = String.format(Locale.ROOT, "%." + decimals + "f", x);
    return roundsToZero(text) ? String.format(Locale.ROOT, "%." + decimals + "f", 0.0) : text;
  }

  private static boolean roundsToZero(String text) {
    // "-0.0000" or "+0.00" (never "NaN", which has no digit at all)
    return text.indexOf('0') >= 0 && text.chars().noneMatch(c -> c >= '1' && c <= '9');
  }

  static String shorten(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "~";
  }
}
