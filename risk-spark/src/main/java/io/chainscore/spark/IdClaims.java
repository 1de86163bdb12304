package io.chainscore.spark;

import io.chainscore.trade.TradeRules;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which row claims a repeated loan or invoice id: the single machine's rule, for the Spark job's
 * repeated-id check. On one machine ({@code PortfolioFeatures}) an id is claimed by the first row
 * in source order that the reader could read <em>and</em> whose supplier is an accepted supplier
 * (and, for an invoice, whose buyer is a known anchor); every later row with the id is refused as a
 * duplicate, and a row before it that failed those checks is refused for them, not as a duplicate.
 * So a repeated id whose first occurrence names an unknown supplier is claimed by a later row.
 *
 * <p>The Spark job finds the few rows whose id repeats before the supplier partitions exist; it
 * collects them to the driver with their supplier and buyer ids, reads the supplier rows they name,
 * and decides here. (Until 2026-12-07 it ranked every readable occurrence, so it refused the later
 * row in that case: a documented difference from one machine.)
 *
 * <p>Thread safety: stateless.
 */
final class IdClaims {
  private IdClaims() {}

  /**
   * A readable row of a loan or invoice table whose id hash repeats.
   *
   * @param id the loan or invoice id
   * @param order the row's place in source order (smaller first): {@link SparkFeatures#key}
   * @param supplierId the row's supplier id, null when missing
   * @param buyerId an invoice's buyer id (null when missing); ignored for loans
   */
  record Candidate(String id, long order, String supplierId, String buyerId) implements Serializable {}

  /** A readable supplier row: the columns {@link TradeRules#supplier} checks. */
  record SupplierRow(String id, String anchorId, String sector, double declaredTurnover) implements Serializable {}

  /**
   * The ids of the suppliers that are accepted: an id one readable row of which passes {@link
   * TradeRules#supplier} (a later row with an accepted id is refused as a duplicate, but the id
   * stays accepted).
   */
  static Set<String> acceptedSuppliers(List<SupplierRow> rows, Set<String> anchors) {
    Set<String> accepted = new HashSet<>();
    for (SupplierRow r : rows) {
      if (r.id() != null && TradeRules.supplier(r.sector(), r.anchorId(), r.anchorId() != null
          && anchors.contains(r.anchorId()), r.declaredTurnover()) == null) {
        accepted.add(r.id());
      }
    }
    return accepted;
  }

  /**
   * For each id of {@code candidates} that two or more of them hold, the order of the first row
   * that claims it (supplier accepted; for invoices, buyer a known anchor); an id no row can claim
   * is left out (each of its rows is refused for its own supplier or buyer).
   */
  static Map<String, Long> firsts(List<Candidate> candidates, Set<String> acceptedSuppliers, Set<String> anchors,
      boolean invoices) {
    Map<String, Integer> count = new HashMap<>();
    for (Candidate c : candidates) {
      count.merge(c.id(), 1, Integer::sum);
    }
    Map<String, Long> firsts = new HashMap<>();
    for (Candidate c : candidates) {
      boolean claims = c.supplierId() != null && acceptedSuppliers.contains(c.supplierId())
          && (!invoices || c.buyerId() != null && anchors.contains(c.buyerId()));
      if (claims && count.get(c.id()) > 1) {
        firsts.merge(c.id(), c.order(), Math::min);
      }
    }
    return firsts;
  }
}
