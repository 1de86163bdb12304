package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The claim rule on worked rows, each verdict written from the single machine's order of checks
 * (PortfolioFeatures: the supplier, then for an invoice the buyer, then the id): the first row in
 * source order that passes the checks claims the id.
 */
class IdClaimsTest {
  private static final Set<String> ANCHORS = Set.of("A1", "A2");

  @Test
  void acceptedSuppliers_anyReadableRowPassingTheSupplierRule() {
    List<IdClaims.SupplierRow> rows = List.of(
        new IdClaims.SupplierRow("S1", "A1", "glass", 100),
        new IdClaims.SupplierRow("S1", "A1", "glass", 100),      // a duplicate row: S1 stays accepted
        new IdClaims.SupplierRow("S2", "A9", "glass", 100),      // unknown anchor
        new IdClaims.SupplierRow("S3", "A2", "not-a-sector", 100),     // unknown sector
        new IdClaims.SupplierRow("S4", "A2", "glass", -1),       // negative turnover
        new IdClaims.SupplierRow("S5", "A2", "glass", Double.NaN),
        new IdClaims.SupplierRow("S6", "A9", "glass", 100),      // refused, then accepted by a later row
        new IdClaims.SupplierRow("S6", "A2", "glass", 0));
    assertThat(IdClaims.acceptedSuppliers(rows, ANCHORS)).containsExactlyInAnyOrder("S1", "S6");
  }

  @Test
  void firsts_theFirstRowThatPassesTheChecks() {
    Set<String> accepted = Set.of("S1", "S2");
    List<IdClaims.Candidate> invoices = List.of(
        new IdClaims.Candidate("I1", 5, "S1", "A1"),
        new IdClaims.Candidate("I1", 3, "S2", "A2"),        // earlier in source order: claims I1
        new IdClaims.Candidate("I2", 1, "S9", "A1"),        // unknown supplier: cannot claim
        new IdClaims.Candidate("I2", 2, "S1", "A9"),        // unknown buyer: cannot claim
        new IdClaims.Candidate("I2", 4, "S1", "A1"),        // claims I2
        new IdClaims.Candidate("I2", 6, "S2", "A1"),
        new IdClaims.Candidate("I3", 7, "S9", "A1"),        // repeated, no row can claim: none marked
        new IdClaims.Candidate("I3", 8, null, "A1"),
        new IdClaims.Candidate("I4", 9, "S1", "A1"));       // a hash collision's only row: not repeated
    assertThat(IdClaims.firsts(invoices, accepted, ANCHORS, true)).isEqualTo(Map.of("I1", 3L, "I2", 4L));
    // loans have no buyer: the row of the unknown buyer claims I2 when read as a loan table's
    assertThat(IdClaims.firsts(invoices, accepted, ANCHORS, false)).isEqualTo(Map.of("I1", 3L, "I2", 2L));
  }
}
