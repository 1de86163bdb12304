package io.chainscore.portfolio;

/**
 * An exposure lacks the PD its obligor rule ({@link ObligorPd}) asks for: its anchor's, when the
 * anchor owes it, else its supplier's score. Carries the exposure's index in the list the engine
 * was given and the exposures-table column that names the obligor without a PD, so that a caller
 * that read the exposures from a file can name the row and column; the message names the supplier
 * (and anchor) but no file, the engines not knowing where their inputs came from.
 *
 * <p>Thread safety: immutable.
 */
public final class MissingPdException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** {@link #column()} when the anchor owes the exposure and has no PD. */
  public static final String ANCHOR_ID = "anchor_id";

  /** {@link #column()} when the supplier owes the exposure and has no score. */
  public static final String SUPPLIER_ID = "supplier_id";

  private final int index;
  private final String column;

  /**
   * @param index the exposure's 0-based position in the list the engine was given
   * @param column {@link #ANCHOR_ID} or {@link #SUPPLIER_ID}
   * @param message what is missing, naming the supplier (and the anchor), without a file
   */
  public MissingPdException(int index, String column, String message) {
    super(message);
    if (!ANCHOR_ID.equals(column) && !SUPPLIER_ID.equals(column)) {
      throw new IllegalArgumentException("column: expected " + ANCHOR_ID + " or " + SUPPLIER_ID + ", got " + column);
    }
    this.index = index;
    this.column = column;
  }

  /** The exposure's 0-based position in the list the engine was given. */
  public int index() {
    return index;
  }

  /**
   * The exposures-table column naming the obligor without a PD: {@link #ANCHOR_ID} (the anchor
   * PDs lack it) or {@link #SUPPLIER_ID} (the scores lack it).
   */
  public String column() {
    return column;
  }

  /** Whether the anchor PDs, not the scores, lack the PD ({@link #column()} is {@link #ANCHOR_ID}). */
  public boolean anchorPdMissing() {
    return ANCHOR_ID.equals(column);
  }
}
