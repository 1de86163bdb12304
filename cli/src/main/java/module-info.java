/**
 * The {@code chainscore} command-line tool: each command parses its options, calls a library and
 * prints. Shipped as one shaded jar, run on the class path by the {@code chainscore} launcher.
 */
module io.chainscore.cli {
  requires io.chainscore.core;
  requires io.chainscore.models;
  requires io.chainscore.analytics;
  requires io.chainscore.simulator;
  requires io.chainscore.develop;
  requires io.chainscore.reports;
  requires io.chainscore.batch;
  requires io.chainscore.pmml;
  requires com.fasterxml.jackson.databind;
  requires org.apache.arrow.vector;
  requires org.apache.arrow.memory.core;
  requires info.picocli;

  // picocli sets the commands' option fields reflectively.
  opens io.chainscore.cli to info.picocli;
}
