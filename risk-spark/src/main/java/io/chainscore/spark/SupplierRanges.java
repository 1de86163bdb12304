package io.chainscore.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The supplier ranges path: no shuffle when the input files are clustered by supplier. Each
 * transaction segment's smallest and largest supplier id ({@link EngineReads#scan}, one
 * read of the supplier id column) let the driver cut the supplier ids into ranges at segment
 * boundaries and give each task one range and every segment, of every table, whose ids overlap it.
 * The task reads those segments in source order with the batch engine's reader, keeps its range's
 * rows ({@link EngineReads#encodeRange}) and runs its own feature engine on them ({@link
 * PartitionFeatures} over a {@link SupplierBlocks.Stream}): nothing is shuffled, spilled or merged.
 *
 * <p>Why this is exact: a range task holds every row of each supplier in its range (a row lies in
 * its segment's bounds, and every segment whose bounds meet the range is read by the task), no row
 * of another range, and its rows in source order; so each supplier's sums form in the single
 * machine's order, as on the shuffle path, whose partitions are only cut otherwise (by a hash of
 * the id). A row the reader refuses (its supplier may be unreadable) is encoded once, by the task
 * whose range holds its segment's smallest id. Nothing here depends on how the files are ordered:
 * on files not clustered by supplier the ranges overlap many segments each, and the job then takes
 * the shuffle path because reading the same segments again in several tasks would cost more
 * ({@link SparkFeatures.RangeOptions#readLimit}), not because the result would differ. {@code
 * --supplier-partitioning ranges} or {@code shuffle} chooses a path whatever the files.
 *
 * <p>Thread safety: stateless.
 */
final class SupplierRanges {
  private SupplierRanges() {}

  /**
   * The default of {@link SparkFeatures.RangeOptions#readLimit}: the most rows the range tasks may
   * read together, as a multiple of the rows of the transaction tables, for the ranges path to be
   * taken (segments that straddle a cut are read by each task they meet); beyond it {@link
   * SparkFeatures.Partitioning#AUTO} shuffles. A user forces either path with {@code
   * --supplier-partitioning} ({@link SparkFeatures.Options#partitioning}); only the benchmark's
   * experiments set another limit ({@code -Dchainscore.bench.readLimit}).
   *
   * <p>Why 1.5: at 20,000 suppliers the ranges read 1.35x the rows (the small tables, one segment
   * each, read by all 8 ranges) and still took less CPU than the shuffle (6.8-8.2 against 8.2-9.7
   * CPU-seconds by minima, benchmarks/results/spark.md); where the two break even was not measured.
   */
  static final double READ_LIMIT = 1.5;

  /** One task: the supplier ids {@code [low, high)} (UTF-8 bytes; null: unbounded) and the segments to read, in source order. */
  record Task(byte[] low, byte[] high, List<EngineReads.Split> splits) implements Serializable {}

  /** The tasks of a cut, and the rows they read together as a multiple of the tables' rows. */
  record Cut(List<Task> tasks, double readFactor) {}

  /**
   * Cuts the supplier ids into at most {@code partitions} ranges of about equal rows, at the
   * smallest ids of segments, for {@code splits} (the transaction tables' segments) whose supplier
   * bounds are {@code bounds} (index for index; null: no readable id); {@code testCuts}: the
   * supplier ids to cut at instead, ascending ({@link SparkFeatures.RangeOptions#cuts}; null in use).
   */
  static Cut cut(List<EngineReads.Split> splits, List<byte[][]> bounds, int partitions, List<String> testCuts) {
    if (splits.size() != bounds.size()) {
      throw new IllegalStateException(splits.size() + " segments but " + bounds.size() + " bounds");
    }
    long total = 0;
    long bounded = 0;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      total += splits.get(i).rows();
      if (bounds.get(i) != null) {
        order.add(i);
        bounded += splits.get(i).rows();
      }
    }
    order.sort((a, b) -> compare(bounds.get(a)[0], bounds.get(b)[0]));
    List<byte[]> cuts = new ArrayList<>();
    long before = 0;
    for (int i : order) {
      byte[] min = bounds.get(i)[0];
      byte[] last = cuts.isEmpty() ? bounds.get(order.get(0))[0] : cuts.get(cuts.size() - 1);
      if (cuts.size() < partitions - 1 && (double) before >= (double) bounded * (cuts.size() + 1) / partitions
          && compare(min, last) > 0) {
        cuts.add(min);
      }
      before += splits.get(i).rows();
    }
    if (testCuts != null) {
      cuts.clear();
      testCuts.forEach(c -> cuts.add(c.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    int ranges = cuts.size() + 1;
    List<List<EngineReads.Split>> of = new ArrayList<>();
    for (int j = 0; j < ranges; j++) {
      of.add(new ArrayList<>());
    }
    long read = 0;
    for (int i = 0; i < splits.size(); i++) {
      EngineReads.Split s = splits.get(i);
      byte[][] b = bounds.get(i);
      int first = b == null ? 0 : rangeOf(cuts, b[0]);
      int last = b == null ? 0 : rangeOf(cuts, b[1]);
      for (int j = first; j <= last; j++) {
        of.get(j).add(s.owning(j == first));
        read += s.rows();
      }
    }
    Comparator<EngineReads.Split> sourceOrder = Comparator
        .comparingInt((EngineReads.Split s) -> EngineReads.KINDS.get(s.table()))
        .thenComparingInt(EngineReads.Split::file).thenComparingLong(EngineReads.Split::firstRow);
    List<Task> tasks = new ArrayList<>();
    for (int j = 0; j < ranges; j++) {
      List<EngineReads.Split> own = of.get(j);
      own.sort(sourceOrder);
      tasks.add(new Task(j == 0 ? null : cuts.get(j - 1), j == ranges - 1 ? null : cuts.get(j), List.copyOf(own)));
    }
    return new Cut(List.copyOf(tasks), total == 0 ? 1.0 : (double) read / total);
  }

  /** The range holding {@code id}: the number of cuts at or below it. */
  static int rangeOf(List<byte[]> cuts, byte[] id) {
    int low = 0;
    int high = cuts.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (compare(cuts.get(mid), id) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** UTF-8 bytes compared unsigned: the order of Spark's strings, and of the ids in a sorted file. */
  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
