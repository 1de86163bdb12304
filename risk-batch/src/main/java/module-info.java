/**
 * The batch engine: feature and scoring runs over Arrow IPC, CSV and Parquet tables, chunked and
 * parallel, with quarantine of refused rows, checkpoints and resume, and run manifests.
 */
module io.chainscore.batch {
  requires transitive io.chainscore.core;
  requires transitive io.chainscore.analytics;
  requires io.chainscore.simulator;
  requires com.fasterxml.jackson.databind;
  requires org.apache.arrow.vector;
  requires org.apache.arrow.memory.core;
  requires org.apache.arrow.dataset;
  requires aircompressor;
  requires jdk.management;

  exports io.chainscore.batch.engine;
  exports io.chainscore.batch.features;
  exports io.chainscore.batch.io;
  exports io.chainscore.batch.scoring;
}
