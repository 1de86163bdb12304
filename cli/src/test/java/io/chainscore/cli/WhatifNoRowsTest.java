package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.features.StandardFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feature table of a header and no rows: {@code score} refuses it (exit 2, "no data rows"), and
 * {@code whatif --out} wrote a before/after table of no supplier, exit 0 ("Rescored 0 suppliers");
 * it is refused as score refuses it, and no output is written.
 */
class WhatifNoRowsTest {
  @TempDir Path dir;

  @Test
  void headerOnlyTable_isRefusedAndNothingIsWritten() throws Exception {
    List<String> header = new ArrayList<>(List.of("supplier_id", "as_of_date"));
    for (int j = 0; j < StandardFeatures.SCHEMA.size(); j++) {
      header.add(StandardFeatures.SCHEMA.feature(j).name());
    }
    Path features = Files.writeString(dir.resolve("features.csv"), String.join(",", header) + "\n");
    Path out = dir.resolve("whatif.csv");
    CliRun run = CliRun.of("whatif", "--features", features.toString(), "--scale",
        "invoiced_amount_3m=1.1", "--out", out.toString());
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore whatif: " + features
        + ": no data rows; expected one row per supplier to rescore after the header");
    assertThat(out).doesNotExist();
    assertThat(dir.resolve("whatif.quarantine.csv")).doesNotExist();
  }
}
