package io.chainscore.trade;

import java.time.LocalDate;

/**
 * A small supplier that sells to one or more anchors and may be financed against its
 * receivables.
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param id unique supplier id
 * @param anchorId the anchor whose supply-chain finance programme the supplier is enrolled in;
 *     features "with the anchor" refer to it
 * @param sector industry sector
 * @param region region of registration, free text such as {@code "CN-GD"}
 * @param registrationDate date the firm was registered (its age follows)
 * @param declaredAnnualTurnover turnover the supplier declared, in its currency; zero when unknown
 */
public record Supplier(
    String id,
    String anchorId,
    Sector sector, String region, LocalDate registrationDate, double declaredAnnualTurnover) {
  private static final String TYPE = "supplier";

  /** Validates every field; see the package documentation for the rules. */
  public Supplier {
    Checks.id(TYPE, "supplier_id", id);
    Checks.id(TYPE, "anchor_id", anchorId);
    Checks.required(TYPE, id, "sector", sector);
    Checks.text(TYPE, id, "region", region);
    Checks.date(TYPE, id, "registration_date", registrationDate);
    Money.requireAmount(TYPE, id, "declared_turnover", declaredAnnualTurnover);
  }
}
