/**
 * The records a supply-chain lender receives about its suppliers: suppliers, anchors (buyers),
 * trade invoices, financing with instalments, and default labels for model development.
 *
 * <p>Every record type is immutable and validates itself on construction, throwing a
 * {@link io.chainscore.trade.TradeRecordException} naming the record, the field and what was
 * expected ({@link io.chainscore.trade.TradeBook.Builder} is the one mutable type: one thread at a
 * time). {@link io.chainscore.trade.TradeBook} checks what a single record cannot: unique ids
 * and references to known suppliers and buyers.
 *
 * <h2>Money</h2>
 * Amounts are {@code double} values in the invoice currency. A double holds every whole cent
 * exactly up to 2<sup>53</sup>/100, about 9&times;10<sup>13</sup> currency units, far above the
 * {@link io.chainscore.trade.TradeRules#MAX_AMOUNT} accepted here; records do not round, and sums in
 * the engines are taken in a fixed order so results are reproducible bit for bit. Comparisons of
 * amounts that should balance (a payment against an invoice, a repayment against an instalment)
 * allow {@link io.chainscore.trade.TradeRules#CENT_TOLERANCE} for rounding in the source system.
 *
 * <h2>Dates</h2>
 * Dates are {@link java.time.LocalDate}s without time zone: the business day on which the event
 * was booked.
 */
package io.chainscore.trade;
