package io.chainscore.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The adverse-action reasons of the standard supplier features: each feature belongs to one reason
 * group, and each group has a customer-facing statement a notice can give a supplier (specific, in
 * plain words, naming the factor the model scored, never the model or the score;
 * {@code shared/reference/adverse-action.md}). A statement is comparative, "... counted against you
 * compared with the businesses we rate best on it", because that is what a reason is under every
 * documented method: a scorecard gives it when a characteristic scored below its best attainable
 * points, a tree ensemble when the group's contributions exceeded an approved population's average
 * (whose best-rated members are rated better still). A statement never asserts an absolute fact
 * about the supplier ("your sales have fallen", "registered only recently"): a supplier whose sales
 * grew, but less than the best bin's, gets the reason too, and the fact would be false for it
 * (comment 9(b)(2)-2 asks each reason to describe truthfully a factor actually scored; -3 allows
 * naming the factor without saying how it hurt). Correlated features share a group (the four invoiced
 * amounts, the four overdue shares, the three concentration measures...), and a model's reason
 * codes are totals per code, so a row's top four reasons are four different statements.
 *
 * <p>The bundled models take their reason codes from here; a model trained or imported on the
 * standard features can too ({@link #codeOf}, {@link #statements}).
 *
 * <p>Thread safety: immutable.
 */
public final class StandardReasons {
  /** Reason code by standard feature name. */
  private static final Map<String, String> CODE_OF_FEATURE = new LinkedHashMap<>();
  /** Statement by reason code, in code order. */
  private static final Map<String, String> STATEMENT = new LinkedHashMap<>();

  static {
    group("A01", "The length of your trading record counted against you compared with the businesses we rate best"
        + " on it: how long you have invoiced your buyers and your anchor buyer, and in how many of the last 24 months"
        + " you invoiced.", "tenure_months_any", "tenure_months_anchor", "active_month_share_24m");
    group("A02", "The trend of your invoiced sales counted against you compared with the businesses we rate best on"
        + " it: how your recent months compare with the months before and with the same months a year earlier, and"
        + " months without invoices.", "growth_3m_yoy", "growth_6m_vs_prior_6m", "max_month_drop_12m",
        "days_since_last_invoice", "months_without_invoices_12m");
    group("A03", "The size of your invoiced sales and receivables counted against you compared with the businesses we"
        + " rate best on it: the amounts and numbers of invoices you issued, what your customers owe you, and your"
        + " declared turnover.", "invoiced_amount_3m", "invoiced_amount_6m", "invoiced_amount_12m",
        "invoiced_amount_24m", "invoice_count_3m", "invoice_count_6m", "invoice_count_12m", "invoice_count_24m",
        "open_receivables", "declared_turnover");
    group("A04", "How much your monthly invoiced sales vary from one month to the next counted against you compared"
        + " with the businesses we rate best on it.", "monthly_amount_cv_12m");
    group("A05", "How your sales are spread across your customers counted against you compared with the businesses"
        + " we rate best on it: how many customers you invoiced in the last 12 months and the share of your sales that went"
        + " to the largest.",
        "buyer_count_12m", "top_buyer_share_12m", "buyer_hhi_12m");
    group("A06", "Your record of delivering to your customers on time in the last 12 months counted against you"
        + " compared with the businesses we rate best on it.", "on_time_delivery_rate_12m");
    group("A07", "The share of your invoice value of the last 12 months reduced by returns or credit notes counted"
        + " against you compared with the businesses we rate best on it.", "dilution_rate_12m");
    group("A08", "The share of your invoice value of the last 12 months disputed by your customers counted against"
        + " you compared with the businesses we rate best on it.", "disputed_share_12m");
    group("A09", "How promptly your customers pay your invoices counted against you compared with the businesses we"
        + " rate best on it: the share of what they owe you that is past its due date, and how long invoices stay"
        + " unpaid.", "days_sales_outstanding", "overdue_share_1_30", "overdue_share_31_60", "overdue_share_61_90",
        "overdue_share_90_plus", "avg_days_paid_beyond_terms_12m");
    group("A10", "Your existing financing and its ratio to the receivables that secure it counted against you"
        + " compared with the businesses we rate best on it.", "outstanding_financing", "financing_utilisation");
    group("A11", "Your record of repaying loans counted against you compared with the businesses we rate best on it:"
        + " how punctually you paid your loan instalments in the last 24 months, or having no loan repayments on"
        + " record yet.", "max_days_past_due_12m", "avg_days_past_due_12m", "instalments_30dpd_count_24m");
    group("A12", "The sector your business works in counted against you compared with the businesses we rate best"
        + " on it.", "sector");
    group("A13", "The region your business is located in counted against you compared with the businesses we rate"
        + " best on it.", "region_index");
    group("A14", "The time since your business was registered counted against you compared with the businesses we"
        + " rate best on it.", "firm_age_years");
  }

  private StandardReasons() {}

  private static void group(String code, String statement, String... features) {
    STATEMENT.put(code, statement);
    for (String f : features) {
      CODE_OF_FEATURE.put(f, code);
    }
  }

  /**
   * The reason code of a standard feature.
   *
   * @throws IllegalArgumentException for a name that is not a standard feature
   */
  public static String codeOf(String feature) {
    String code = CODE_OF_FEATURE.get(feature);
    if (code == null) {
      throw new IllegalArgumentException("'" + feature + "' is not a standard feature with a reason group");
    }
    return code;
  }

  /** The reason code of every standard feature, in schema order. */
  public static Map<String, String> codes() {
    return java.util.Collections.unmodifiableMap(CODE_OF_FEATURE);
  }

  /**
   * The reason code of each feature of {@code schema}, in schema order, when every one is a
   * standard feature (the schema of a {@code chainscore features} table or part of it); else an
   * empty map: a schema with any other column is not the standard features', and its
   * characteristics keep codes of their own. One rule for every model trained or imported on a
   * table ({@code chainscore train}, {@code chainscore import --schema standard}).
   */
  public static Map<String, String> codesFor(io.chainscore.features.FeatureSchema schema) {
    Map<String, String> codes = new LinkedHashMap<>();
    for (int j = 0; j < schema.size(); j++) {
      String code = CODE_OF_FEATURE.get(schema.feature(j).name());
      if (code == null) {
        return Map.of();
      }
      codes.put(schema.feature(j).name(), code);
    }
    return java.util.Collections.unmodifiableMap(codes);
  }

  /** Every reason code with its statement, in code order. */
  public static Map<String, String> statements() {
    return java.util.Collections.unmodifiableMap(STATEMENT);
  }

  /** The standard features of reason code {@code code}, in schema order (empty for an unknown code). */
  public static List<String> featuresOf(String code) {
    return CODE_OF_FEATURE.entrySet().stream().filter(e -> e.getValue().equals(code)).map(Map.Entry::getKey).toList();
  }
}
