package io.chainscore.batch.engine;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of the full-input resume fingerprint (docs/reliability.md): SHA-256 throughput of
 * {@link InputDigest} on this machine, and a batch job over a feature-table-shaped input with and
 * without a concurrent fingerprint. Not part of the suite: run with
 * {@code -Dsurefire.jvm.flags="... -Dchainscore.measure=true" -Dtest=FingerprintCostMeasurement}.
 */
@EnabledIfSystemProperty(named = "chainscore.measure", matches = "true")
class FingerprintCostMeasurement {
  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    // 1. Raw SHA-256 throughput over 1 GiB (page-cached after the first pass).
    Path blob = dir.resolve("blob.bin");
    byte[] block = new byte[1 << 20];
    new SplittableRandom(1).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(blob)) {
      for (int i = 0; i < 1024; i++) {
        out.write(block);
      }
    }
    InputDigest.sha256(blob);
    for (int k = 0; k < 3; k++) {
      long t = System.nanoTime();
      InputDigest.sha256(blob);
      double s = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "MEASURE sha256 1 GiB: %.3f s, %.0f MB/s%n", s, 1024 * 1.048576 / s);
    }
    Files.delete(blob);

    // 2. A batch job over 1M rows of 41 columns (a feature table's shape), fingerprint included.
    Path csv = dir.resolve("wide.csv");
    List<TableSchema.Column> columns = new ArrayList<>();
    columns.add(TableSchema.required("id", ColumnType.STRING));
    StringBuilder header = new StringBuilder("id");
    for (int c = 0; c < 40; c++) {
      columns.add(TableSchema.nullable("f" + c, ColumnType.DOUBLE));
      header.append(",f").append(c);
    }
    SplittableRandom random = new SplittableRandom(2);
    try (BufferedWriter w = Files.newBufferedWriter(csv)) {
      w.write(header + "\n");
      for (int i = 0; i < 1_000_000; i++) {
        StringBuilder line = new StringBuilder("S").append(i);
        for (int c = 0; c < 40; c++) {
          line.append(',').append(random.nextInt(100000) / 100.0);
        }
        w.write(line.append('\n').toString());
      }
    }
    long bytes = Files.size(csv);
    for (int k = 0; k < 2; k++) {
      long t = System.nanoTime();
      InputDigest.sha256(csv);
      double hash = (System.nanoTime() - t) / 1e9;
      t = System.nanoTime();
      BatchJob.builder().input(csv, new TableSchema("wide", columns)).processor(new CopyIdProcessor())
          .output(dir.resolve("out" + k + ".csv")).threads(2).build().run();
      double run = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "MEASURE 1M rows x 41 columns CSV, %.0f MB: hash alone %.3f s, whole job"
          + " (reading, a trivial processor, writing; fingerprint on its own thread) %.2f s; hash/job %.1f%%%n",
          bytes / 1e6, hash, run, 100 * hash / run);
    }
  }

  /** Copies the id: the cheapest processor, so the job is mostly reading and writing. */
  static final class CopyIdProcessor implements ChunkProcessor {
    static final TableSchema OUT = new TableSchema("ids", List.of(TableSchema.required("id", ColumnType.STRING)));

    @Override
    public TableSchema outputSchema() {
      return OUT;
    }

    @Override
    public void process(io.chainscore.batch.io.ColumnBatch in, OutputRows out, Quarantine quarantine) {
      for (int r = 0; r < in.size(); r++) {
        out.batch().strings(0)[out.batch().size()] = in.strings(0)[r];
        out.append(r);
      }
    }
  }
}
