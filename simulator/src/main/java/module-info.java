/**
 * The supply-chain portfolio simulator: seeded, byte-reproducible suppliers, anchors, invoices,
 * loans and default outcomes, for demos, tests, benchmarks and the bundled models' pipeline.
 */
module io.chainscore.simulator {
  requires transitive io.chainscore.core;
  requires commons.math3;

  exports io.chainscore.sim;
}
