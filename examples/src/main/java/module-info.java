/** The embedding example: what a lending service writes to score with a bundled model. */
module io.chainscore.examples {
  requires io.chainscore.core;
  requires io.chainscore.models;

  exports io.chainscore.examples;
}
