package io.chainscore.tables;

import static io.chainscore.tables.TableSchema.nullable;
import static io.chainscore.tables.TableSchema.optional;
import static io.chainscore.tables.TableSchema.required;

import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * The layouts of the tables ChainScore reads and writes, defined once for every format (CSV,
 * Arrow, Parquet) and engine (single machine, Spark): a supplier portfolio's trade and event tables, the
 * feature table, the score and what-if tables and the feature run's quarantine table. The columns are
 * documented in the README ("Data files").
 *
 * <p>Thread safety: immutable constants.
 */
public final class PortfolioTables {
  public static final TableSchema ANCHORS = new TableSchema("anchors", List.of(
      required("anchor_id", ColumnType.STRING),
      required("name", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      required("annual_revenue", ColumnType.DOUBLE)));

  public static final TableSchema SUPPLIERS = new TableSchema("suppliers", List.of(
      required("supplier_id", ColumnType.STRING),
      required("anchor_id", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      required("region", ColumnType.STRING),
      required("registration_date", ColumnType.DATE),
      required("declared_turnover", ColumnType.DOUBLE)));

  public static final TableSchema INVOICES = new TableSchema("invoices", List.of(
      required("invoice_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("buyer_id", ColumnType.STRING),
      required("issue_date", ColumnType.DATE),
      required("due_date", ColumnType.DATE),
      required("amount", ColumnType.DOUBLE),
      required("delivered_on_time", ColumnType.BOOLEAN),
      required("returned_amount", ColumnType.DOUBLE),
      required("disputed", ColumnType.BOOLEAN),
      nullable("paid_date", ColumnType.DATE),
      required("paid_amount", ColumnType.DOUBLE)));

  public static final TableSchema LOANS = new TableSchema("loans", List.of(
      required("loan_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("drawdown_date", ColumnType.DATE),
      required("amount", ColumnType.DOUBLE)));

  public static final TableSchema INSTALMENTS = new TableSchema("instalments", List.of(
      required("loan_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("instalment_number", ColumnType.INT),
      required("due_date", ColumnType.DATE),
      required("amount_due", ColumnType.DOUBLE),
      nullable("repaid_date", ColumnType.DATE),
      required("amount_repaid", ColumnType.DOUBLE)));

  /**
   * The labels table as {@code chainscore generate} writes it, with the simulator's true_pd; the
   * commands that read outcomes read them with {@link #OUTCOMES}, which leaves true_pd out.
   */
  public static final TableSchema LABELS = new TableSchema("labels", List.of(
      required("supplier_id", ColumnType.STRING),
      required("as_of_date", ColumnType.DATE),
      required("defaulted", ColumnType.BOOLEAN),
      nullable("default_date", ColumnType.DATE),
      required("true_pd", ColumnType.DOUBLE)));

  /**
   * The columns an outcome table is read with ({@code ecl --labels}, {@code monitor --labels}):
   * supplier_id, as_of_date, defaulted and default_date (empty while none; the column may be left
   * out, as {@code monitor} needs only the flags, while {@code ecl --migration-from} refuses a
   * default without its date), those of {@link #LABELS} without true_pd, which only the simulator
   * knows: a lender's default register has none, and a labels table that has it is read all the
   * same (other columns are ignored).
   */
  public static final TableSchema OUTCOMES = new TableSchema("labels", List.of(
      required("supplier_id", ColumnType.STRING),
      required("as_of_date", ColumnType.DATE),
      required("defaulted", ColumnType.BOOLEAN),
      TableSchema.optional("default_date", ColumnType.DATE)));

  /**
   * Credit notes against invoices, known from their booking date on (the features of an as-of date
   * D read only those booked on or before D).
   */
  public static final TableSchema CREDIT_NOTES = new TableSchema("credit_notes", List.of(
      required("credit_note_id", ColumnType.STRING),
      required("invoice_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("booking_date", ColumnType.DATE),
      required("amount", ColumnType.DOUBLE),
      required("reason", ColumnType.STRING)));

  /** Buyers' disputes of invoices, known from the day opened; resolved_date empty while open. */
  public static final TableSchema DISPUTES = new TableSchema("disputes", List.of(
      required("invoice_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("opened_date", ColumnType.DATE),
      nullable("resolved_date", ColumnType.DATE)));

  /** Deliveries made, known from the actual date; on time when actual_date &lt;= promised_date. */
  public static final TableSchema DELIVERIES = new TableSchema("deliveries", List.of(
      required("invoice_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("promised_date", ColumnType.DATE),
      required("actual_date", ColumnType.DATE)));

  /** The dated invoice events, in the order they are written. */
  public static final List<TableSchema> EVENTS = List.of(CREDIT_NOTES, DISPUTES, DELIVERIES);

  /**
   * The trade tables in the order they are written. The invoices' delivered_on_time,
   * returned_amount and disputed columns are the outcomes as finally known (they leak the future
   * into any feature of an earlier date); the features read the {@link #EVENTS} tables instead.
   */
  public static final List<TableSchema> ALL = List.of(ANCHORS, SUPPLIERS, INVOICES, LOANS, INSTALMENTS, LABELS,
      CREDIT_NOTES, DISPUTES, DELIVERIES);

  /**
   * The lender's facility per supplier, in the columns {@code chainscore portfolio --exposures}
   * reads ({@code chainscore generate} writes every column). A file may leave out the optional
   * columns or leave them empty: asset_class (corporate), undrawn (0), ccf (required when undrawn
   * &gt; 0), lgd (the regime's supervisory value), collateral (unsecured), maturity_years (2.5),
   * annual_sales_eur_m (unknown), product (term_loan), expected_dilution (none; purchased
   * receivables only), trade_maturity_exemption (true or false; empty = false).
   */
  public static final TableSchema EXPOSURES = new TableSchema("exposures", List.of(
      required("supplier_id", ColumnType.STRING),
      required("anchor_id", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      optional("asset_class", ColumnType.STRING),
      required("drawn", ColumnType.DOUBLE),
      optional("undrawn", ColumnType.DOUBLE),
      optional("ccf", ColumnType.DOUBLE),
      optional("lgd", ColumnType.DOUBLE),
      optional("collateral", ColumnType.STRING),
      optional("maturity_years", ColumnType.DOUBLE),
      optional("annual_sales_eur_m", ColumnType.DOUBLE),
      required("anchor_sales_share", ColumnType.DOUBLE),
      optional("product", ColumnType.STRING),
      optional("expected_dilution", ColumnType.DOUBLE),
      optional("trade_maturity_exemption", ColumnType.STRING)));

  /** Each anchor's one-year PD, for {@code portfolio --anchor-pds}. */
  public static final TableSchema ANCHOR_PDS = new TableSchema("anchor_pds", List.of(
      required("anchor_id", ColumnType.STRING),
      required("pd", ColumnType.DOUBLE)));

  /** Forward-looking scenarios for {@code ecl --scenarios}: name, weight (summing to 1), systematic factor z. */
  public static final TableSchema ECL_SCENARIOS = new TableSchema("ecl_scenarios", List.of(
      required("name", ColumnType.STRING),
      required("weight", ColumnType.DOUBLE),
      required("factor", ColumnType.DOUBLE)));

  /** Days past due per supplier for {@code ecl --days-past-due} (the 30-day backstop). */
  public static final TableSchema DAYS_PAST_DUE = new TableSchema("days_past_due", List.of(
      required("supplier_id", ColumnType.STRING),
      required("days_past_due", ColumnType.INT)));

  /** One row per facility of {@code chainscore ecl}: its stage, the rule that set it, and its ECLs. */
  public static final TableSchema ECL_FACILITIES = new TableSchema("ecl_facilities", List.of(
      required("supplier_id", ColumnType.STRING),
      required("anchor_id", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      required("asset_class", ColumnType.STRING),
      required("product", ColumnType.STRING),
      required("obligor", ColumnType.STRING),
      required("grade", ColumnType.STRING),
      required("pd", ColumnType.DOUBLE),
      nullable("origination_pd", ColumnType.DOUBLE),
      required("days_past_due", ColumnType.INT),
      required("stage", ColumnType.INT),
      required("stage_reason", ColumnType.STRING),
      nullable("previous_stage", ColumnType.INT),
      required("ead", ColumnType.DOUBLE),
      required("lgd", ColumnType.DOUBLE),
      required("maturity_years", ColumnType.DOUBLE),
      required("ecl_12m", ColumnType.DOUBLE),
      required("ecl_lifetime", ColumnType.DOUBLE),
      required("ecl", ColumnType.DOUBLE)));

  /** The portfolio-risk inputs a generated portfolio carries beside its trade tables. */
  public static final List<TableSchema> PORTFOLIO = List.of(EXPOSURES, ANCHOR_PDS);

  /** Reason codes per score row: the columns reason_1 .. reason_4. */
  public static final int REASONS_PER_ROW = 4;

  /**
   * The columns of a score table that {@code chainscore portfolio --scores} reads: any table with
   * supplier_id and pd (a {@link #SCORES} table, or a hand-made one), grade optional (empty: from
   * the grade function), model_id and model_version optional (which model scored the row, checked
   * against the model that re-scores a stress scenario's rows).
   */
  public static final TableSchema PORTFOLIO_SCORES = new TableSchema("scores", List.of(
      required("supplier_id", ColumnType.STRING),
      required("pd", ColumnType.DOUBLE),
      optional("grade", ColumnType.STRING),
      optional("model_id", ColumnType.STRING),
      optional("model_version", ColumnType.STRING)));

  /**
   * Columns of every score table ({@code chainscore score}, Spark scoring): supplier_id,
   * as_of_date, score, pd, grade, reason_1 .. reason_4 (codes, most adverse first), model_id,
   * model_version.
   */
  public static final TableSchema SCORES = scores(false);

  /**
   * A score table with the reasons' customer-facing statements ({@code chainscore score --reasons
   * statements}): the columns of {@link #SCORES} with reason_1_text .. reason_4_text (the bundle's
   * {@code reason_codes[].text} of reason_1 .. reason_4) after reason_4.
   */
  public static final TableSchema SCORES_WITH_STATEMENTS = scores(true);

  /**
   * A what-if table ({@code chainscore whatif --out}): each supplier's score, PD and grade before
   * and after, then the reasons before (reason_1_before .. reason_4_before, each followed by its
   * statement reason_1_text_before ..) and after (reason_1_after, reason_1_text_after, ..).
   */
  public static final TableSchema WHATIF = whatif();

  /**
   * A score table of a champion/challenger run ({@code chainscore score --challenger}): the
   * champion's columns ({@link #SCORES}, or {@link #SCORES_WITH_STATEMENTS}), then the
   * challenger's: challenger_score, challenger_pd, challenger_grade, challenger_reason_1 ..
   * challenger_reason_4, challenger_model_id, challenger_model_version. The challenger's columns are
   * empty on a row the challenger's own policies refuse (the champion decides which rows are
   * scored).
   */
  public static TableSchema scoresWithChallenger(boolean statements) {
    return scoresWithChallenger(statements, false);
  }

  /**
   * As {@link #scoresWithChallenger(boolean)}, with the champion's {@code segment} column after its
   * model_version when the champion is a segmented bundle ({@link #scores(boolean, boolean)}).
   */
  public static TableSchema scoresWithChallenger(boolean statements, boolean segmented) {
    return scoresWithChallenger(statements, segmented, false);
  }

  /**
   * As {@link #scoresWithChallenger(boolean, boolean)}, with a challenger_segment column after
   * challenger_model_version when the challenger is a segmented bundle (empty where the challenger
   * did not score the row).
   */
  public static TableSchema scoresWithChallenger(boolean statements, boolean segmented, boolean challengerSegmented) {
    List<TableSchema.Column> columns = new ArrayList<>(scores(statements, segmented).columns());
    columns.add(nullable("challenger_score", ColumnType.DOUBLE));
    columns.add(nullable("challenger_pd", ColumnType.DOUBLE));
    columns.add(nullable("challenger_grade", ColumnType.STRING));
    for (int k = 1; k <= REASONS_PER_ROW; k++) {
      columns.add(nullable("challenger_reason_" + k, ColumnType.STRING));
    }
    columns.add(nullable("challenger_model_id", ColumnType.STRING));
    columns.add(nullable("challenger_model_version", ColumnType.STRING));
    if (challengerSegmented) {
      columns.add(nullable("challenger_segment", ColumnType.STRING));
    }
    return new TableSchema("scores", columns);
  }

  /**
   * The columns monitoring reads from a champion/challenger score table: supplier_id, as_of_date
   * and the challenger's score, PD, grade and model id (a table without them reads as all empty).
   */
  public static final TableSchema CHALLENGER_SCORES = new TableSchema("challenger scores", List.of(
      required("supplier_id", ColumnType.STRING),
      required("as_of_date", ColumnType.DATE),
      optional("challenger_score", ColumnType.DOUBLE),
      optional("challenger_pd", ColumnType.DOUBLE),
      optional("challenger_grade", ColumnType.STRING),
      optional("challenger_model_id", ColumnType.STRING)));

  private static TableSchema scores(boolean statements) {
    return scores(statements, false);
  }

  /**
   * A score table: {@link #SCORES} or {@link #SCORES_WITH_STATEMENTS}, and for a segmented bundle a
   * {@code segment} column after model_version naming the segment whose scorecard scored the row.
   */
  public static TableSchema scores(boolean statements, boolean segmented) {
    List<TableSchema.Column> columns = new ArrayList<>(List.of(
        required("supplier_id", ColumnType.STRING),
        required("as_of_date", ColumnType.DATE),
        required("score", ColumnType.DOUBLE),
        required("pd", ColumnType.DOUBLE),
        required("grade", ColumnType.STRING)));
    for (int k = 1; k <= REASONS_PER_ROW; k++) {
      columns.add(nullable("reason_" + k, ColumnType.STRING));
    }
    if (statements) {
      for (int k = 1; k <= REASONS_PER_ROW; k++) {
        columns.add(nullable("reason_" + k + "_text", ColumnType.STRING));
      }
    }
    columns.add(required("model_id", ColumnType.STRING));
    columns.add(required("model_version", ColumnType.STRING));
    if (segmented) {
      columns.add(required("segment", ColumnType.STRING));
    }
    return new TableSchema("scores", columns);
  }

  /**
   * The what-if table of a bundle: {@link #WHATIF}, and for a segmented bundle segment_before and
   * segment_after at the end (an edit can move a supplier to another segment).
   */
  public static TableSchema whatif(boolean segmented) {
    if (!segmented) {
      return WHATIF;
    }
    List<TableSchema.Column> columns = new ArrayList<>(WHATIF.columns());
    columns.add(required("segment_before", ColumnType.STRING));
    columns.add(required("segment_after", ColumnType.STRING));
    return new TableSchema("whatif", columns);
  }

  private static TableSchema whatif() {
    List<TableSchema.Column> columns = new ArrayList<>(List.of(
        required("supplier_id", ColumnType.STRING),
        required("score_before", ColumnType.DOUBLE),
        required("score_after", ColumnType.DOUBLE),
        required("pd_before", ColumnType.DOUBLE),
        required("pd_after", ColumnType.DOUBLE),
        required("grade_before", ColumnType.STRING),
        required("grade_after", ColumnType.STRING)));
    for (String when : List.of("before", "after")) {
      for (int k = 1; k <= REASONS_PER_ROW; k++) {
        columns.add(nullable("reason_" + k + "_" + when, ColumnType.STRING));
        columns.add(nullable("reason_" + k + "_text_" + when, ColumnType.STRING));
      }
    }
    return new TableSchema("whatif", columns);
  }

  /**
   * Rows a feature run refused: the trade table, the file the row was read from (as the portfolio
   * directory was given: {@code portfolio/invoices.csv}, or a part file of a table directory), its
   * 1-based data row in that file, the record's id ({@code ?} when the id itself is missing or
   * unreadable), the field and why.
   */
  public static final TableSchema FEATURE_QUARANTINE = new TableSchema("quarantine", List.of(
      required("table", ColumnType.STRING),
      required("file", ColumnType.STRING),
      required("row", ColumnType.LONG),
      nullable("record_id", ColumnType.STRING),
      nullable("field", ColumnType.STRING),
      required("reason", ColumnType.STRING)));

  /** Columns of a feature table: supplier_id, as_of_date and the standard features. */
  public static final TableSchema FEATURES = features();

  private PortfolioTables() {}

  private static TableSchema features() {
    List<TableSchema.Column> columns = new ArrayList<>();
    columns.add(required("supplier_id", ColumnType.STRING));
    columns.add(required("as_of_date", ColumnType.DATE));
    for (FeatureSpec f : StandardFeatures.SCHEMA.features()) {
      columns.add(nullable(f.name(), f.type() == FeatureType.CATEGORICAL ? ColumnType.STRING : ColumnType.DOUBLE));
    }
    return new TableSchema("features", columns);
  }
}
