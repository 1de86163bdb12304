package io.chainscore.spark;

import io.chainscore.features.FeatureEngine;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.InstalmentColumns;
import io.chainscore.features.InvoiceColumns;
import io.chainscore.features.StandardFeatures;
import io.chainscore.features.SupplierTable;
import io.chainscore.trade.Sector;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * One partition's share of {@link SparkFeatures}: its suppliers, loans, invoices and instalments
 * (in that order, each in source order) through a single-threaded {@link FeatureEngine}, with the
 * same row checks, in the same order, as {@link io.chainscore.batch.features.PortfolioFeatures}.
 *
 * <p>Thread safety: not thread-safe; one per partition task.
 */
final class PartitionFeatures {
  private final Iterator<Row> rows;
  private final Map<String, Integer> buyers;
  private final Map<String, Integer> regions = new HashMap<>();
  private final int asOfDay;
  private final LongAccumulator quarantined;
  private long bad;
  private Row pending;

  PartitionFeatures(Iterator<Row> rows, Map<String, Integer> buyers, List<String> regions, int asOfDay,
      LongAccumulator quarantined) {
    this.rows = rows;
    this.buyers = buyers;
    for (int i = 0; i < regions.size(); i++) {
      this.regions.put(regions.get(i), i);
    }
    this.asOfDay = asOfDay;
    this.quarantined = quarantined;
  }

  /** The next row if it is of {@code kind}, else null (kept for the next call). */
  private Row next(int kind) {
    if (pending == null && rows.hasNext()) {
      pending = rows.next();
    }
    if (pending == null || pending.getInt(0) != kind) {
      return null;
    }
    Row r = pending;
    pending = null;
    return r;
  }

  private static boolean anyNull(Row r, int... columns) {
    for (int c : columns) {
      if (r.isNullAt(c)) {
        return true;
      }
    }
    return false;
  }

  // Column positions in SparkFeatures.TAGGED.
  private static final int SUPPLIER_ID = 3;
  private static final int S1 = 4;
  private static final int S2 = 5;
  private static final int S3 = 6;
  private static final int D1 = 7;
  private static final int D2 = 8;
  private static final int D3 = 9;
  private static final int X1 = 10;
  private static final int X2 = 11;
  private static final int B1 = 12;
  private static final int B2 = 13;
  private static final int DUP = 14;

  /** Runs the engine and returns the partition's feature rows in supplier source order. */
  Iterator<Row> run() {
    // Suppliers: the same checks as the single-machine loader, first occurrence of an id wins.
    Map<String, Integer> supplierIndex = new HashMap<>();
    List<String> ids = new ArrayList<>();
    IntList anchor = new IntList();
    IntList sector = new IntList();
    IntList region = new IntList();
    IntList registered = new IntList();
    DoubleList turnover = new DoubleList();
    for (Row r = next(SparkFeatures.SUPPLIER); r != null; r = next(SparkFeatures.SUPPLIER)) {
      if (anyNull(r, SUPPLIER_ID, S1, S2, S3, D1, X1)) {
        bad++;
        continue;
      }
      Integer a = buyers.get(r.getString(S1));
      Sector s;
      try {
        s = Sector.fromCode(r.getString(S2));
      } catch (IllegalArgumentException e) {
        bad++;
        continue;
      }
      double t = r.getDouble(X1);
      if (a == null || !(t >= 0) || !Double.isFinite(t) || supplierIndex.putIfAbsent(r.getString(SUPPLIER_ID), ids.size()) != null) {
        bad++;
        continue;
      }
      ids.add(r.getString(SUPPLIER_ID));
      anchor.add(a);
      sector.add(s.ordinal());
      region.add(regions.getOrDefault(r.getString(S3), -1));
      registered.add(r.getInt(D1));
      turnover.add(t);
    }
    SupplierTable table = new SupplierTable(anchor.toArray(), sector.toArray(), region.toArray(),
        registered.toArray(), turnover.toArray(), Math.max(1, buyers.size()));

    // Loans: dense indexes in source order.
    Map<String, Integer> loanIndex = new HashMap<>();
    IntList loanSupplier = new IntList();
    IntList loanDrawdown = new IntList();
    DoubleList loanAmount = new DoubleList();
    for (Row r = next(SparkFeatures.LOAN); r != null; r = next(SparkFeatures.LOAN)) {
      if (anyNull(r, SUPPLIER_ID, S1, D1, X1)) {
        bad++;
        continue;
      }
      Integer s = supplierIndex.get(r.getString(SUPPLIER_ID));
      if (s == null || loanIndex.putIfAbsent(r.getString(S1), loanSupplier.size()) != null) {
        bad++;
        continue;
      }
      loanSupplier.add(s);
      loanDrawdown.add(r.getInt(D1));
      loanAmount.add(r.getDouble(X1));
    }

    double[] matrix;
    try (FeatureEngine engine = FeatureEngine.builder(table).asOf(LocalDate.ofEpochDay(asOfDay)).threads(1)
        .quarantine(record -> bad++).build()) {
      InvoiceColumns invoices = new InvoiceColumns(SparkFeatures.CHUNK);
      int filled = 0;
      for (Row r = next(SparkFeatures.INVOICE); r != null; r = next(SparkFeatures.INVOICE)) {
        if (anyNull(r, SUPPLIER_ID, S1, S2, D1, D2, X1, X2, B1, B2)) {
          bad++;
          continue;
        }
        Integer s = supplierIndex.get(r.getString(SUPPLIER_ID));
        Integer b = s == null ? null : buyers.get(r.getString(S2));
        // Repeated ids were ranked by a window over invoice ids (first in file order wins).
        if (b == null || r.getBoolean(DUP)) {
          bad++;
          continue;
        }
        invoices.set(filled++, s, b, r.getInt(D1), r.getInt(D2), r.isNullAt(D3) ? InvoiceColumns.UNPAID : r.getInt(D3),
            r.getDouble(X1), r.getDouble(X2), r.getBoolean(B1), r.getBoolean(B2), r.getString(S1));
        if (filled == SparkFeatures.CHUNK) {
          invoices.setSize(filled);
          engine.addInvoices(invoices);
          filled = 0;
        }
      }
      invoices.setSize(filled);
      engine.addInvoices(invoices);

      InstalmentColumns instalments = new InstalmentColumns(SparkFeatures.CHUNK);
      filled = 0;
      for (Row r = next(SparkFeatures.INSTALMENT); r != null; r = next(SparkFeatures.INSTALMENT)) {
        if (anyNull(r, SUPPLIER_ID, S1, D1, D3, X1, X2)) {
          bad++;
          continue;
        }
        Integer l = loanIndex.get(r.getString(S1));
        Integer s = supplierIndex.get(r.getString(SUPPLIER_ID));
        if (l == null || s == null || s != loanSupplier.get(l)) {
          bad++;
          continue;
        }
        instalments.set(filled++, s, l, loanDrawdown.get(l), loanAmount.get(l), r.getInt(D1), r.getDouble(X1),
            r.isNullAt(D2) ? InstalmentColumns.UNREPAID : r.getInt(D2), r.getDouble(X2));
        if (filled == SparkFeatures.CHUNK) {
          instalments.setSize(filled);
          engine.addInstalments(instalments);
          filled = 0;
        }
      }
      instalments.setSize(filled);
      engine.addInstalments(instalments);
      matrix = engine.finish();
      Probe probe = retainedProbe;
      if (probe != null) {
        probe.measure(ids.size(), loanSupplier.size());
        engine.asOf(); // keeps the engine's accumulators reachable until measured
      }
    }
    quarantined.add(bad);

    // Rows are made as Spark pulls them, so only the feature matrix is held, not a row object per supplier.
    FeatureSchema schema = StandardFeatures.SCHEMA;
    int width = schema.size();
    double[] features = matrix;
    return new Iterator<>() {
      private int s;

      @Override
      public boolean hasNext() {
        return s < ids.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Object[] values = new Object[1 + width];
        values[0] = ids.get(s);
        for (int j = 0; j < width; j++) {
          double v = features[s * width + j];
          FeatureSpec f = schema.feature(j);
          values[1 + j] = f.type() == FeatureType.CATEGORICAL
              ? (Double.isNaN(v) ? null : f.categories().get((int) v)) : (Object) v;
        }
        s++;
        return RowFactory.create(values);
      }
    };
  }

  /** Measures the heap a partition holds once its rows are consumed (for the scale-out benchmark). */
  @FunctionalInterface
  interface Probe {
    void measure(int suppliers, int loans);
  }

  /** Called, when set, with the partition's state still reachable; null outside benchmarks. */
  static volatile Probe retainedProbe;

  /** A growable int array. */
  private static final class IntList {
    private int[] values = new int[256];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int get(int i) {
      return values[i];
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** A growable double array. */
  private static final class DoubleList {
    private double[] values = new double[256];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    double get(int i) {
      return values[i];
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
