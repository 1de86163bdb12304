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

  @Option(names = "--supplier", description = "Supplier id in the feature table.")
  String supplier;

  @Option(names = "--set", description = "FEATURE=VALUE (repeatable): a number inside the feature's valid range, a category code, or missing; any other value is refused (exit 2).")
  Map<String, String> set;

  @Option(names = "--json", description = "Print the explanation as JSON: numbers as numbers, a missing value as null, reason codes with their statements.")
  boolean json;

  @Option(names = "--adverse-action", description = "Print only the principal reasons as an adverse-action notice lists them: at most four statements, most adverse first, each with the values of the characteristics behind it, and the method (docs/adverse-action.md).")
  boolean adverseAction;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    ModelBundle bundle = trust.load(model);
    double[] row = supplierRow(bundle, features, supplier);
    row = new FeatureEdits(bundle.schema(), set, null).apply(row, supplier);
    Explanation e = bundle.scorer().explain(row);
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
    printItems(out, e);
    printReasons(out, bundle, e, "Reasons, most adverse first:");
    return ExitCodes.SUCCESS;
  }

  /** The supplier's row from the table, or an all-missing row when no table is given. */
  static double[] supplierRow(ModelBundle bundle, Path features, String supplier) throws IOException {
    if (features == null) {
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
    double[] row = FeatureRows.read(features, bundle).get(supplier);
    if (row == null) {
      throw new IllegalArgumentException(features + " has no supplier '" + supplier + "'");
    }
    return row;
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
    for (String code : e.score().reasonCodes()) {
      out.printf(Locale.ROOT, "  %-6s %s%n", code, ExplanationJson.statement(bundle, code));
    }
  }

  static void printItems(PrintWriter out, Explanation e) {
    out.printf(Locale.ROOT, "%-34s %14s %-22s %8s %8s %10s %s%n", "characteristic", "value", "bin", "points",
        "below", "log-odds", "reason");
    out.printf(Locale.ROOT, "%-34s %14s %-22s %8.0f%n", "(base points)", "", "", e.basePoints());
    for (Explanation.Item item : e.items()) {
      out.printf(Locale.ROOT, "%-34s %14s %-22s %8s %8s %10s %s%n", item.name(), shorten(item.value(), 14),
          shorten(item.bin(), 22), fixed(item.points(), 1), fixed(item.pointsBelowBest(), 1),
          signed(item.contribution(), 4), item.reasonCode());
    }
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
