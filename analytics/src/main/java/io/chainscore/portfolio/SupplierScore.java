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
  /** Validates the fields. */
  public SupplierScore {
    if (supplierId == null || supplierId.isBlank()) {
      throw new IllegalArgumentException("score: supplier_id is required");
    }
    if (!(pd >= 0 && pd <= 1)) {
      throw new IllegalArgumentException("score " + supplierId + ": pd must be in [0, 1], got " + pd);
    }
    grade = grade == null ? "" : grade.trim();
  }
}
