/**
 * The supply-chain portfolio simulator: seeded, deterministic generation of anchors, suppliers,
 * invoices, financing and default labels with known true PDs, streamed to a {@link
 * io.chainscore.sim.PortfolioSink}. The model and its parameters are in {@code docs/simulator.md}.
 */
package io.chainscore.sim;
