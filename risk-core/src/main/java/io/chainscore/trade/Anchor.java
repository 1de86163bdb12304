package io.chainscore.trade;

/**
 * A large buyer ("anchor") whose suppliers are financed against their receivables on it.
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param id unique buyer id, the {@link Invoice#buyerId()} of invoices to it
 * @param name display name
 * @param sector industry sector of the anchor
 * @param annualRevenue the anchor's annual revenue, its size, in the reporting currency
 */
public record Anchor(String id, String name, Sector sector, double annualRevenue) {
  private static final String TYPE = "anchor";

  /** Validates every field. */
  public Anchor {
    Checks.id(TYPE, "anchor_id", id);
    Checks.text(TYPE, id, "name", name);
    Checks.required(TYPE, id, "sector", sector);
    Money.requirePositive(TYPE, id, "annual_revenue", annualRevenue);
  }
}
