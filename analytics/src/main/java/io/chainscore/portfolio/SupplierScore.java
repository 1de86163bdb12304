package io.chainscore.portfolio;

/**
 * The scorer's output for one supplier: its one-year PD and rating grade.
 *
 * <p>Thread safety: immutable.
 *
 * @param supplierId the supplier, non-blank
 * @param pd one-year default probability in [0, 1]
 * @param grade rating grade label, may be empty when the scorer gives none
 */
public record SupplierScore(String supplierId, double pd, String grade) {
  /**
   * Validates the fields; a {@link io.chainscore.trade.TradeRecordException} names the field by its
   * column in a score table, as a reader of the table reports it.
   */
  public SupplierScore {
    if (supplierId == null || supplierId.isBlank()) {
      throw new io.chainscore.trade.TradeRecordException("score", "?", "supplier_id", "is required");
    }
    if (!(pd >= 0 && pd <= 1)) {
      throw new io.chainscore.trade.TradeRecordException("score", supplierId, "pd", "must be in [0, 1], got " + pd);
    }
    grade = grade == null ? "" : grade.trim();
  }
}
