package io.chainscore.trade;

/**
 * The rules that span trade records, defined once for every path that loads them: the record
 * path ({@link TradeBook}, the feature engine's record chunks), the batch loader and Spark.
 * Ids must be unique per record type, every supplier must belong to a known anchor, every invoice
 * to a known supplier and buyer, every loan to a known supplier, every instalment to a known loan
 * of the same supplier.
 *
 * <p>A check returns {@code null} when the record passes and a {@link Violation} naming the field
 * at fault otherwise, so the hot loops allocate nothing for good rows; each path decides whether
 * a violation is thrown (the record path, as a {@link TradeRecordException}) or quarantined (the
 * engines). Lookups stay with the caller, which knows its own id index (an exact map, or the
 * batch loader's 64-bit fingerprints): a check is told whether a reference resolved.
 *
 * <p>Field names are the column names of the portfolio tables ({@code supplier_id}, {@code
 * buyer_id}...), the one vocabulary of every message and quarantine report.
 *
 * <p>Thread safety: stateless.
 */
public final class TradeRules {
  /** Earliest date accepted anywhere: older records are almost surely a parsing error. */
  public static final java.time.LocalDate MIN_DATE = java.time.LocalDate.of(1900, 1, 1);
  /** Latest date accepted anywhere. */
  public static final java.time.LocalDate MAX_DATE = java.time.LocalDate.of(2199, 12, 31);
  /** {@link #MIN_DATE} as an epoch day, for columnar readers. */
  public static final int MIN_DAY = (int) MIN_DATE.toEpochDay();
  /** {@link #MAX_DATE} as an epoch day. */
  public static final int MAX_DAY = (int) MAX_DATE.toEpochDay();

  /** The largest amount a single record may carry: ten trillion currency units. */
  public static final double MAX_AMOUNT = 1e13;
  /** Slack allowed when two amounts that should balance are compared: half a cent. */
  public static final double CENT_TOLERANCE = 0.005;

  public static final String ANCHOR_ID = "anchor_id";
  public static final String SUPPLIER_ID = "supplier_id";
  public static final String BUYER_ID = "buyer_id";
  public static final String INVOICE_ID = "invoice_id";
  public static final String LOAN_ID = "loan_id";
  public static final String CREDIT_NOTE_ID = "credit_note_id";
  public static final String SECTOR = "sector";
  public static final String DECLARED_TURNOVER = "declared_turnover";
  public static final String AS_OF_DATE = "as_of_date";
  public static final String ISSUE_DATE = "issue_date";
  public static final String DUE_DATE = "due_date";
  public static final String PAID_DATE = "paid_date";
  public static final String AMOUNT = "amount";
  public static final String RETURNED_AMOUNT = "returned_amount";
  public static final String DRAWDOWN_DATE = "drawdown_date";
  /** The loan's principal: column {@code amount} of the loans table, repeated on each instalment row. */
  public static final String LOAN_AMOUNT = "amount";
  public static final String AMOUNT_DUE = "amount_due";
  public static final String REPAID_DATE = "repaid_date";
  public static final String AMOUNT_REPAID = "amount_repaid";

  /** The reason given for a repeated id. */
  public static final String DUPLICATE = "is a duplicate";

  private TradeRules() {}

  /**
   * A rule a record broke.
   *
   * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
   *
   * @param field the field at fault, a column name of the portfolio tables
   * @param reason what is wrong and what was expected
   */
  public record Violation(String field, String reason) {
    /** The violation as the record path's exception for record {@code recordId} of {@code recordType}. */
    public TradeRecordException toException(String recordType, String recordId) {
      return new TradeRecordException(recordType, recordId, field, reason);
    }
  }

  /** The violation of an id already seen: {@code idField} "is a duplicate". */
  public static Violation duplicate(String idField) {
    return new Violation(idField, DUPLICATE);
  }

  /**
   * Checks a supplier's references and static values, in this order: the sector code is known,
   * the anchor is known, the declared turnover is a finite amount of at least zero.
   */
  public static Violation supplier(String sectorCode, String anchorId, boolean anchorKnown, double declaredTurnover) {
    try {
      Sector.fromCode(sectorCode);
    } catch (IllegalArgumentException e) {
      return new Violation(SECTOR, e.getMessage());
    }
    if (!anchorKnown) {
      return new Violation(ANCHOR_ID, unknown(anchorId, "anchor"));
    }
    if (!(declaredTurnover >= 0) || !Double.isFinite(declaredTurnover)) {
      return new Violation(DECLARED_TURNOVER, "must be a finite amount >= 0, got " + declaredTurnover);
    }
    return null;
  }

  /** Checks an invoice's references: its supplier, then its buyer. */
  public static Violation invoice(String supplierId, boolean supplierKnown, String buyerId, boolean buyerKnown) {
    if (!supplierKnown) {
      return new Violation(SUPPLIER_ID, unknown(supplierId, "supplier"));
    }
    if (!buyerKnown) {
      return new Violation(BUYER_ID, unknown(buyerId, "anchor"));
    }
    return null;
  }

  /** Checks the reference of a loan or a default label to its supplier. */
  public static Violation supplierOf(String supplierId, boolean supplierKnown) {
    return supplierKnown ? null : new Violation(SUPPLIER_ID, unknown(supplierId, "supplier"));
  }

  /**
   * Checks an instalment's references: its loan is known, and the supplier the row names is the
   * loan's.
   */
  public static Violation instalment(String loanId, boolean loanKnown, String supplierId, boolean supplierOfLoan) {
    if (!loanKnown) {
      return new Violation(LOAN_ID, unknown(loanId, "loan"));
    }
    if (!supplierOfLoan) {
      return new Violation(SUPPLIER_ID, quoted(supplierId) + NOT_SUPPLIER_OF_LOAN + loanId);
    }
    return null;
  }

  /**
   * The violation of an instalment row that repeats the due date of an earlier row of its loan
   * (the record path's rule: a schedule's due dates strictly increase, so two instalments of one
   * loan are never due the same day). The first row of a loan with a due date, in file order, that
   * names a known loan of its own supplier claims that date; every later one is refused with this,
   * so a row repeated in an export is counted once.
   */
  public static Violation repeatedInstalment(String loanId) {
    return new Violation(DUE_DATE, DUPLICATE + ": an earlier instalment of loan " + quoted(loanId) + " is due that day");
  }

  /**
   * The violation of a loan none of whose instalments was accepted: no row of the instalments
   * table names it, or every one that does was refused. The record path refuses such a loan ({@link
   * Loan}: at least one instalment); the engines leave it out of {@code outstanding_financing},
   * whose share repaid needs a schedule, and report it with this.
   */
  public static Violation loanWithoutInstalments() {
    return new Violation(LOAN_ID, "has no accepted instalment: no row of the instalments table names it, or every"
        + " row that does was refused");
  }

  /**
   * What follows the quoted supplier id in the reason of an instalment whose supplier is not its
   * loan's; Spark, which learns this only after a join, builds the same reason from it.
   */
  public static final String NOT_SUPPLIER_OF_LOAN = " is not the supplier of loan ";

  /** {@code 'value' is not a known what}. */
  public static String unknown(String value, String what) {
    return quoted(value) + " is not a known " + what;
  }

  /** {@code value} in single quotes, with control characters escaped so a message stays one line. */
  public static String quoted(String value) {
    if (value == null) {
      return "null";
    }
    return '\'' + io.chainscore.tables.Printable.escape(value) + '\'';
  }
}
