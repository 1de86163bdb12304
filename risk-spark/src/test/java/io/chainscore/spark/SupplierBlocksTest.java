package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The compact blocks of the supplier shuffle against the rows they were made from: every value
 * (nulls, text with multi-byte characters, dates, amounts, flags) comes back, each row in the
 * partition {@code repartition(P, supplier_id)} would give it, and a partition's rows come out in
 * key order, also when blocks interleave (rows of one file split between map tasks by row, which
 * Parquet splits never do, but the merge must not depend on it). No SparkSession needed.
 */
class SupplierBlocksTest {
  private static final int PARTITIONS = 5;

  @Test
  void rowsComeBackWhole_inTheirSuppliersPartition_inKeyOrder_evenWhenBlocksInterleave() {
    assertRowsComeBackWhole(false);
  }

  /** The same with every block written to the scratch file and read back as the merge reaches it. */
  @Test
  void rowsComeBackWhole_whenEveryBlockSpills() {
    long limit = SupplierBlocks.spillAfterBytes;
    SupplierBlocks.spillAfterBytes = 0;
    try {
      assertRowsComeBackWhole(true);
    } finally {
      SupplierBlocks.spillAfterBytes = limit;
    }
  }

  private static void assertRowsComeBackWhole(boolean spills) {
    Random random = new Random(11);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int kind = random.nextInt(7);
      int file = random.nextInt(3);
      long key = SparkFeatures.key(kind, file, i);
      rows.add(randomRow(random, key));
    }
    // Three "map tasks": each takes the rows i with i % 3 == task, in key order, so the blocks of
    // a file from different tasks interleave row by row.
    List<Tuple2<Integer, byte[]>> shuffled = new ArrayList<>();
    for (int task = 0; task < 3; task++) {
      List<InternalRow> input = new ArrayList<>();
      for (int i = task; i < rows.size(); i += 3) {
        input.add(new GenericInternalRow(rows.get(i)));
      }
      input.sort(Comparator.comparingLong(r -> r.getLong(0)));
      SupplierBlocks.encode(input.iterator(), PARTITIONS).forEachRemaining(shuffled::add);
    }
    Collections.shuffle(shuffled, random); // the order blocks arrive in is not the order of the rows

    int seen = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      List<Tuple2<Integer, byte[]>> mine = new ArrayList<>();
      for (Tuple2<Integer, byte[]> b : shuffled) {
        if (b._1() == p) {
          mine.add(b);
        }
      }
      List<Object[]> expected = new ArrayList<>();
      for (Object[] r : rows) {
        if (Math.floorMod(murmur(r[1]), PARTITIONS) == p) {
          expected.add(r);
        }
      }
      expected.sort(Comparator.comparingLong(r -> (Long) r[0]));
      SupplierBlocks.Merge merge = new SupplierBlocks.Merge(mine.iterator());
      assertThat(merge.spilled()).isEqualTo(spills);
      for (Object[] want : expected) {
        SupplierBlocks.BlockRow got = merge.next();
        assertThat(got).isNotNull();
        assertSame(want, got);
        seen++;
      }
      assertThat(merge.next()).isNull();
    }
    assertThat(seen).isEqualTo(rows.size());
  }

  @Test
  void rowsOfOneFileInOrder_makeFewBlocks() {
    Random random = new Random(3);
    List<InternalRow> input = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      input.add(new GenericInternalRow(randomRow(random, SparkFeatures.key(SparkFeatures.INVOICE, 2, i))));
    }
    Iterator<Tuple2<Integer, byte[]>> blocks = SupplierBlocks.encode(input.iterator(), 2);
    int count = 0;
    while (blocks.hasNext()) {
      blocks.next();
      count++;
    }
    assertThat(count).isEqualTo(2); // one per partition: no block ends before the input does
  }

  /** Spark's partitioning hash of a supplier id: Murmur3 of its UTF-8 bytes, seed 42 (42 for null). */
  private static int murmur(Object supplierId) {
    return new org.apache.spark.sql.catalyst.expressions.Murmur3Hash(
        scala.jdk.javaapi.CollectionConverters.asScala(List.<org.apache.spark.sql.catalyst.expressions.Expression>of(
            org.apache.spark.sql.catalyst.expressions.Literal.create(supplierId,
                org.apache.spark.sql.types.DataTypes.StringType))).toSeq(), 42).eval(null) instanceof Integer h ? h : 0;
  }

  private static Object[] randomRow(Random random, long key) {
    Object[] r = new Object[14];
    r[0] = key;
    String[] texts = {"S-" + random.nextInt(400), "INV-" + random.nextInt(1_000_000), "B\u00e9\u4e2d" + random.nextInt(9),
        ""};
    for (int c = 1; c <= 4; c++) {
      r[c] = random.nextInt(10) == 0 ? null : UTF8String.fromString(texts[c - 1]);
    }
    for (int c = 5; c <= 7; c++) {
      r[c] = random.nextInt(10) == 0 ? null : random.nextInt(80_000) - 20_000;
    }
    for (int c = 8; c <= 9; c++) {
      r[c] = random.nextInt(10) == 0 ? null : random.nextGaussian() * 1e6;
    }
    for (int c = 10; c <= 12; c++) {
      r[c] = random.nextInt(10) == 0 ? null : random.nextBoolean();
    }
    r[13] = random.nextInt(20) == 0 ? UTF8String.fromString("amount\tis null; a value is required") : null;
    return r;
  }

  private static void assertSame(Object[] want, SupplierBlocks.BlockRow got) {
    assertThat(got.key()).isEqualTo((Long) want[0]);
    for (int c = 1; c <= 13; c++) {
      assertThat(got.isNullAt(c)).as("null at %d", c).isEqualTo(want[c] == null);
      if (want[c] == null) {
        continue;
      }
      if (c <= 4 || c == 13) {
        assertThat(got.getString(c)).isEqualTo(want[c].toString());
        assertThat(got.utf8(c)).isEqualTo(want[c]);
      } else if (c <= 7) {
        assertThat(got.getInt(c)).isEqualTo((Integer) want[c]);
      } else if (c <= 9) {
        assertThat(Double.doubleToRawLongBits(got.getDouble(c))).isEqualTo(Double.doubleToRawLongBits((Double) want[c]));
      } else {
        assertThat(got.getBoolean(c)).isEqualTo((Boolean) want[c]);
      }
    }
  }
}
