/**
 * IFRS 9 expected credit loss (IFRS 9 section 5.5): PD term structures from cumulative curves or
 * grade migration matrices ({@link io.chainscore.ifrs9.PdTermStructure}, {@link
 * io.chainscore.ifrs9.MigrationMatrix}), the discounted 12-month and lifetime ECL of a facility
 * ({@link io.chainscore.ifrs9.ExpectedCreditLoss}), staging by significant increase in credit risk
 * ({@link io.chainscore.ifrs9.Staging}) and probability-weighted scenarios. Formulas and sources:
 * {@code docs/ifrs9.md}.
 */
package io.chainscore.ifrs9;
