package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link SupplierRanges} cuts segments' supplier bounds into ranges, and what its tasks read. */
class SupplierRangesTest {
  private static byte[] id(int i) {
    return String.format("S%07d", i).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code segments} segments of 100,000 invoices over suppliers 0..n-1 in order, plus one of 10,000 suppliers. */
  private static SupplierRanges.Cut clustered(int segments, int partitions) {
    List<EngineReads.Split> splits = new ArrayList<>();
    List<byte[][]> bounds = new ArrayList<>();
    splits.add(new EngineReads.Split("suppliers", 0, "/p/suppliers.parquet", 0, 0, 10_000, true));
    bounds.add(new byte[][] {id(0), id(9_999)});
    int per = 10_000 / segments;
    for (int s = 0; s < segments; s++) {
      splits.add(new EngineReads.Split("invoices", 1, "/p/invoices.parquet", s, s * 100_000L, (s + 1) * 100_000L,
          true));
      // a supplier's invoices span the boundary: the next segment starts with the last one's supplier
      bounds.add(new byte[][] {id(s * per), id(Math.min(9_999, (s + 1) * per))});
    }
    return SupplierRanges.cut(splits, bounds, partitions, null);
  }

  @Test
  void clusteredSegments_areCutIntoBalancedRanges_eachSegmentReadByTheRangesItMeets() {
    SupplierRanges.Cut cut = clustered(40, 8);
    assertThat(cut.tasks()).hasSize(8);
    // each invoice segment read by one task, or two where a cut falls on its shared boundary supplier;
    // the suppliers' one segment by all 8
    assertThat(cut.readFactor()).isLessThan(1.25);
    long owned = 0;
    for (SupplierRanges.Task t : cut.tasks()) {
      for (EngineReads.Split s : t.splits()) {
        owned += s.ownsBadRows() ? 1 : 0;
      }
      // source order: the suppliers' segment first, then the invoices' by row
      assertThat(t.splits().get(0).table()).isEqualTo("suppliers");
      for (int k = 2; k < t.splits().size(); k++) {
        assertThat(t.splits().get(k).firstRow()).isGreaterThan(t.splits().get(k - 1).firstRow());
      }
    }
    assertThat(owned).as("each segment's bad rows encoded by one task").isEqualTo(41);
    // consecutive ranges, unbounded at both ends
    assertThat(cut.tasks().get(0).low()).isNull();
    assertThat(cut.tasks().get(7).high()).isNull();
    for (int j = 1; j < 8; j++) {
      assertThat(cut.tasks().get(j).low()).isEqualTo(cut.tasks().get(j - 1).high());
    }
  }

  @Test
  void segmentsNotClusteredBySupplier_readByEveryRange_exceedTheLimit() {
    List<EngineReads.Split> splits = new ArrayList<>();
    List<byte[][]> bounds = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      splits.add(new EngineReads.Split("invoices", 0, "/p/invoices.parquet", s, s * 100_000L, (s + 1) * 100_000L,
          true));
      bounds.add(new byte[][] {id(s), id(9_960 + s)});   // every segment holds nearly every supplier
    }
    SupplierRanges.Cut cut = SupplierRanges.cut(splits, bounds, 8, null);
    assertThat(cut.readFactor()).isGreaterThan(SupplierRanges.READ_LIMIT);
  }

  @Test
  void segmentWithoutAReadableId_isReadByTheFirstRangeAlone() {
    List<EngineReads.Split> splits = new ArrayList<>();
    List<byte[][]> bounds = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      splits.add(new EngineReads.Split("invoices", 0, "/p/invoices.parquet", s, s * 10L, (s + 1) * 10L, true));
      bounds.add(s == 2 ? null : new byte[][] {id(s * 10), id(s * 10 + 9)});
    }
    SupplierRanges.Cut cut = SupplierRanges.cut(splits, bounds, 3, null);
    assertThat(cut.tasks()).hasSize(3);
    assertThat(cut.tasks().get(0).splits()).extracting(EngineReads.Split::segment).contains(2);
    assertThat(cut.tasks().stream().skip(1).flatMap(t -> t.splits().stream()).map(EngineReads.Split::segment))
        .doesNotContain(2);
    assertThat(cut.readFactor()).isEqualTo(1.0);
  }

  @Test
  void rangeOf_countsTheCutsAtOrBelowTheId() {
    List<byte[]> cuts = List.of(id(10), id(20));
    assertThat(SupplierRanges.rangeOf(cuts, id(0))).isZero();
    assertThat(SupplierRanges.rangeOf(cuts, id(10))).isEqualTo(1);
    assertThat(SupplierRanges.rangeOf(cuts, id(19))).isEqualTo(1);
    assertThat(SupplierRanges.rangeOf(cuts, id(20))).isEqualTo(2);
    assertThat(SupplierRanges.rangeOf(cuts, "\u00e9".getBytes(StandardCharsets.UTF_8))).as("unsigned bytes")
        .isEqualTo(2);
  }
}
