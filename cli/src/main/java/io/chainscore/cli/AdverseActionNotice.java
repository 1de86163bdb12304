package io.chainscore.cli;

import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.ModelView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The principal reasons of one decision as an adverse-action notice lists them ({@code explain
 * --adverse-action}): at most four, most adverse first, each the reason code's statement to the
 * supplier with the values of the characteristics the model scored under that code, and the
 * method that ranked them (docs/adverse-action.md).
 *
 * @param supplier the supplier, or null for a row given by --set
 * @param method how the reasons were ranked
 * @param reasons the principal reasons, most adverse first
 */
record AdverseActionNotice(String supplier, String model, String method, List<Reason> reasons) {

  /** One principal reason. */
  record Reason(int rank, String code, String statement, List<Factor> factors) {}

  /**
   * A characteristic behind a reason, with the supplier's value of it as the row holds it: the
   * exact number, the category code, or null when missing (as {@code explain --json} gives it).
   */
  record Factor(String name, Object value) {
    /**
     * The value as the text notice prints it: the number to 12 significant digits, trailing zeros
     * dropped (every cent of an amount up to ten billion, without the last-bit noise of a sum of
     * floating-point amounts: 1031668.1000000001 prints 1031668.1), the category, or "missing".
     */
    String valueText() {
      if (value == null) {
        return "missing";
      }
      return value instanceof Double d ? new java.math.BigDecimal(d).round(new java.math.MathContext(12))
          .stripTrailingZeros().toPlainString() : value.toString();
    }
  }

  static AdverseActionNotice of(ModelBundle bundle, String supplier, Explanation e) {
    List<Reason> reasons = new ArrayList<>();
    Set<String> scored = scoredFeatures(bundle, e.score().segment());
    int rank = 1;
    for (String code : e.score().reasonCodes()) {
      List<Factor> factors = new ArrayList<>();
      for (Explanation.Item item : e.items()) {
        // a tree ensemble's explanation lists every schema feature; a feature its trees never split
        // on shares the code of its reason group but was not scored, so it is no factor behind it
        if (code.equals(item.reasonCode()) && scored.contains(item.feature())) {
          factors.add(new Factor(item.feature(), ExplanationJson.value(bundle, item)));
        }
      }
      reasons.add(new Reason(rank++, code, ExplanationJson.statement(bundle, code), factors));
    }
    // the reference that ranked this row's reasons: a segmented bundle's is its segment's
    String method = method(ExplainCommand.referenceOf(bundle, e.score().segment()));
    return new AdverseActionNotice(supplier, bundle.modelId() + " " + bundle.modelVersion(), method, reasons);
  }

  /**
   * The features the model that scored the row reads (a segmented bundle's: its segment's): a
   * scorecard's characteristics, a logistic model's terms, a tree ensemble's split features.
   */
  private static Set<String> scoredFeatures(ModelBundle bundle, String segment) {
    ModelBundle model = bundle;
    for (ModelBundle.Segment s : bundle.segments()) {
      if (s.name().equals(segment)) {
        model = s.bundle();
      }
    }
    Set<String> names = new HashSet<>();
    for (int column : ModelView.usedColumns(model)) {
      names.add(model.schema().feature(column).name());
    }
    return names;
  }

  /** The bundle's reason method in words (docs/adverse-action.md). */
  static String method(ModelBundle.ReasonReference reference) {
    return switch (reference.method()) {
      case ModelBundle.ReasonReference.POINTS_BELOW_BEST -> "points below the best attainable points of each"
          + " characteristic, summed per reason code (PMML pointsBelow with baseline max)";
      case ModelBundle.ReasonReference.REFERENCE_VALUES -> "coefficient times the distance of each term from its"
          + " reference value, summed per reason code";
      case ModelBundle.ReasonReference.APPROVED_POPULATION -> String.format(Locale.ROOT, "exact TreeSHAP"
          + " contributions to the log-odds, summed per reason code, minus the same sums averaged over the approved"
          + " population (%s; %,d rows): what counted against the supplier compared with an approved supplier",
          reference.population(), reference.rows());
      default -> "exact TreeSHAP contributions to the log-odds against the model's expected margin on its training"
          + " data (the average applicant, not an approved one), summed per reason code";
    };
  }

  /** The notice as text, one reason a paragraph. */
  String text() {
    StringBuilder b = new StringBuilder();
    b.append(supplier == null ? "Principal reasons for the decision" : "Principal reasons for the decision on supplier " + supplier)
        .append(" (").append(model).append("):\n");
    if (reasons.isEmpty()) {
      b.append("  none: no characteristic counted against the supplier.\n");
    }
    for (Reason r : reasons) {
      b.append(String.format(Locale.ROOT, "  %d. %s%n", r.rank(), r.statement()));
      List<String> values = new ArrayList<>();
      for (Factor f : r.factors()) {
        values.add(f.name() + " " + f.valueText());
      }
      if (!values.isEmpty()) {
        b.append("     (").append(String.join("; ", values)).append(")\n");
      }
    }
    b.append("Method: ").append(method).append(".\n");
    return b.toString();
  }
}
