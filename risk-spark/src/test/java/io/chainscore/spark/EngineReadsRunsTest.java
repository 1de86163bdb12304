package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EngineReads#runs}: a task's splits grouped into runs of consecutive segments of one file. */
class EngineReadsRunsTest {
  @Test
  void runs_goOnWhileTheNextSplitIsTheSameFilesNextSegment() {
    List<EngineReads.Split> splits = List.of(
        new EngineReads.Split("invoices", 0, "/p/invoices/a.parquet", 3),
        new EngineReads.Split("invoices", 0, "/p/invoices/a.parquet", 4),
        new EngineReads.Split("invoices", 0, "/p/invoices/a.parquet", 5),
        new EngineReads.Split("invoices", 0, "/p/invoices/a.parquet", 7),   // a gap: a new run
        new EngineReads.Split("invoices", 1, "/p/invoices/b.parquet", 0),   // another file
        new EngineReads.Split("invoices", 1, "/p/invoices/b.parquet", 1),
        new EngineReads.Split("loans", 0, "/p/loans.parquet", 0));
    List<String> runs = new ArrayList<>();
    EngineReads.runs(splits.iterator()).forEachRemaining(r -> runs.add(r.first().path() + "@" + r.first().segment()
        + "x" + r.count()));
    assertThat(runs).containsExactly("/p/invoices/a.parquet@3x3", "/p/invoices/a.parquet@7x1",
        "/p/invoices/b.parquet@0x2", "/p/loans.parquet@0x1");
    assertThat(EngineReads.runs(List.<EngineReads.Split>of().iterator()).hasNext()).isFalse();
  }
}
