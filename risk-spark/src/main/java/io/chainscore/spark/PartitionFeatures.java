package io.chainscore.spark;

import static io.chainscore.spark.SupplierBlocks.D1;
import static io.chainscore.spark.SupplierBlocks.D2;
import static io.chainscore.spark.SupplierBlocks.D3;
import static io.chainscore.spark.SupplierBlocks.DUP;
import static io.chainscore.spark.SupplierBlocks.READ_PROBLEM;
import static io.chainscore.spark.SupplierBlocks.S1;
import static io.chainscore.spark.SupplierBlocks.S2;
import static io.chainscore.spark.SupplierBlocks.S3;
import static io.chainscore.spark.SupplierBlocks.SUPPLIER_ID;
import static io.chainscore.spark.SupplierBlocks.X1;
import static io.chainscore.spark.SupplierBlocks.X2;

import io.chainscore.features.engine.FeatureEngine;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.features.engine.DeliveryColumns;
import io.chainscore.features.engine.InstalmentColumns;
import io.chainscore.features.engine.InvoiceEvents;
import io.chainscore.features.engine.InvoiceColumns;
import io.chainscore.features.StandardFeatures;
import io.chainscore.features.engine.SupplierTable;
import io.chainscore.scoring.spi.DoubleList;
import io.chainscore.scoring.spi.IntList;
import io.chainscore.trade.Sector;
import io.chainscore.trade.TradeRules;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import io.chainscore.spark.SupplierBlocks.BlockRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One partition's share of {@link SparkFeatures}: its suppliers, loans, credit notes, disputes,
 * invoices, instalments and deliveries (in that order, each in source order, as {@link
 * SupplierBlocks.Merge} gives them from the shuffled blocks) through a single-threaded {@link
 * FeatureEngine}, with the same row checks, in the same order, as {@link
 * io.chainscore.batch.features.PortfolioFeatures}.
 *
 * <p>Output: {@code supplier_id}, the standard features, then the columns of {@link
 * SparkFeatures#QUARANTINE_SCHEMA} prefixed {@code q_}; first one quarantine row per refused row
 * (the {@code q_} columns set, the rest null), then one feature row per supplier (the {@code q_}
 * columns null). Refused rows are held until the partition's input is consumed: they
 * are few, and the single pass over the partition is what keeps the engine from running twice.
 *
 * <p>Thread safety: not thread-safe; one per partition task.
 */
final class PartitionFeatures {
  /** The partition's rows in source order, from the shuffled blocks. */
  private final SupplierBlocks.Rows rows;
  private final Map<String, Integer> buyers;
  private final Map<String, Integer> regions = new HashMap<>();
  private final int asOfDay;
  private final List<Object[]> refused = new ArrayList<>();
  /** Loan ids this partition refused as repeated: their instalments name the wrong supplier. */
  private final java.util.Set<String> repeatedLoans = new java.util.HashSet<>();
  private final String[] files;
  private final Map<String, String> conf;
  /**
   * The refused deliveries whose invoice id the reader left unread ({@link EngineReads#batchFor}),
   * named by {@link #nameDeliveries} once the table is read, as the single machine names them from
   * that column alone.
   */
  private final List<Unnamed> unnamed = new ArrayList<>();
  /** Set: the suppliers' rows are scored here ({@link SparkScoring.InTask}) instead of handed on as features. */
  private SparkScoring.InTask scoring;
  /** The row taken but not yet used (the merge decodes each row into the same instance). */
  private BlockRow pending;

  PartitionFeatures(Iterator<scala.Tuple2<Integer, byte[]>> blocks, Map<String, Integer> buyers, List<String> regions,
      int asOfDay, String[] files) {
    this(new SupplierBlocks.Merge(blocks), buyers, regions, asOfDay, files, Map.of());
  }

  PartitionFeatures(Iterator<scala.Tuple2<Integer, byte[]>> blocks, Map<String, Integer> buyers, List<String> regions,
      int asOfDay, String[] files, Map<String, String> conf) {
    this(new SupplierBlocks.Merge(blocks), buyers, regions, asOfDay, files, conf);
  }

  /**
   * Over {@code rows}, a partition's rows in source order (the shuffled blocks' merge, or a range
   * task's own stream); {@code conf}: the Hadoop settings {@link EngineReads#readIds} opens
   * {@code files} with, to name refused deliveries whose id the reader left unread.
   */
  PartitionFeatures(SupplierBlocks.Rows rows, Map<String, Integer> buyers, List<String> regions, int asOfDay,
      String[] files, Map<String, String> conf) {
    this.rows = rows;
    this.buyers = buyers;
    this.files = files;
    this.conf = conf;
    for (int i = 0; i < regions.size(); i++) {
      this.regions.put(regions.get(i), i);
    }
    this.asOfDay = asOfDay;
  }

  /**
   * Scores the suppliers with {@code value} ({@link SparkScoring#inTask}): each supplier's row is
   * then {@link SparkScoring#rawFields}' (its score, or its quarantine column and reason), followed
   * by the {@code q_} columns, instead of its features. Returns this.
   */
  PartitionFeatures scoring(SparkScoring.InTask value) {
    this.scoring = value;
    return this;
  }

  /** The next row if it is of {@code kind}, else null (kept for the next call). */
  private BlockRow next(int kind) {
    if (pending == null) {
      pending = rows.next();
    }
    if (pending == null || SparkFeatures.kindOf(pending.key()) != kind) {
      return null;
    }
    BlockRow r = pending;
    pending = null;
    return r;
  }

  /** {@link #step}'s outcomes. */
  private static final int END = 0;
  private static final int GOOD = 1;
  private static final int ROW = 2;
  /** The row {@link #step} moved to when it returned {@link #ROW}. */
  private BlockRow current;

  /**
   * Moves to the next row of {@code kind}, for the invoice and delivery loops: {@link #END} when
   * none is left (the next table's first row kept in {@link #pending}); {@link #GOOD} when {@code
   * direct} (a range task's own reader, null for the shuffle's blocks) is on a good row of {@code
   * kind}, to be read column-wise from its batch; {@link #ROW} when {@link #current} holds it, for the
   * row path.
   */
  private int step(EngineReads.DirectRows direct, int kind) {
    if (pending != null || direct == null) {
      current = next(kind);
      return current == null ? END : ROW;
    }
    BlockRow r = direct.nextGood(kind);
    if (r == null) {
      return direct.done() ? END : GOOD;
    }
    if (SparkFeatures.kindOf(r.key()) != kind) {
      pending = r;   // the next table's first row
      return END;
    }
    current = r;
    return ROW;
  }

  /** Where a credit note or dispute added to the join came from, to name it should no invoice claim it. */
  private record EventSource(String table, String file, long row, String recordId, String invoiceId, int supplier,
      String supplierId, int day) {}

  /** The source file of {@code r}, from the file index in its sort key. */
  private String file(BlockRow r) {
    return files[SparkFeatures.fileOf(r.key())];
  }

  /** The 1-based data row of {@code r} within its file, as the single-machine reader counts. */
  private static long row(BlockRow r) {
    return SparkFeatures.rowOf(r.key()) + 1;
  }

  /** Records a refused row with the single-machine engine's table, field and reason; the row is 1-based. */
  private void refuse(BlockRow r, String table, String recordId, String field, String reason) {
    refuse(table, file(r), row(r), recordId, r.getString(SUPPLIER_ID), field, reason);
  }

  private void refuse(BlockRow r, String table, String recordId, TradeRules.Violation v) {
    refuse(r, table, recordId, v.field(), v.reason());
  }

  private void refuse(String table, String file, long row, String recordId, String supplierId, String field,
      String reason) {
    refused.add(new Object[] {table, file, row, recordId, supplierId, field, reason});
  }

  /**
   * Refuses {@code r} if a required value is missing or a date is out of range (what the
   * single-machine reader checks, column by column in schema order: {@code column TAB reason}).
   * The record id is the row's id (column {@code idColumn} of the shuffled row, {@code idName} in
   * the table's layout, its first column) when the fault is in another column: the reader checked
   * the id first and read it, as the single machine's reader does; else {@code ?}.
   */
  private boolean unreadable(BlockRow r, String table, int idColumn, String idName) {
    if (r.isNullAt(READ_PROBLEM)) {
      return false;
    }
    String problem = r.getString(READ_PROBLEM);
    int tab = problem.indexOf('\t');
    String field = problem.substring(0, tab);
    if (table.equals("delivery") && r.isNullAt(idColumn) && !field.equals("row")
        && BadRecord.idRead(field, idName)) {
      // the id read before the fault but not given: left unread, or empty (named ? either way)
      refuse(r, table, null, field, problem.substring(tab + 1));
      nameLater(r.key(), true);
      return true;
    }
    String id = BadRecord.readId(field, idName, r.isNullAt(idColumn) ? null : r.getString(idColumn));
    refuse(r, table, BadRecord.idOrUnknown(id), field, problem.substring(tab + 1));
    return true;
  }

  /** The sort key (kind, file, row) of each row fed in the current chunk, for its quarantine reports. */
  private final long[] chunkKey = new long[SparkFeatures.CHUNK];
  /** The supplier index of each row fed (the engine refuses only rows of known suppliers). */
  private final int[] chunkSupplier = new int[SparkFeatures.CHUNK];
  /** The record id of each row fed, as bytes in {@link #recordBytes}: decoded only if the engine refuses the row. */
  private final int[] chunkRecordAt = new int[SparkFeatures.CHUNK];
  private final int[] chunkRecordLength = new int[SparkFeatures.CHUNK];
  private long fed;

  /**
   * The record ids of the chunk's rows, copied one after the other (a row read straight from a
   * file's batch holds its bytes only until the source reads on); reused from slot 0 on, grown
   * (its bytes kept) when a chunk's ids need more.
   */
  private byte[] recordBytes = new byte[1 << 20];
  private int recordUsed;

  private void remember(int slot, BlockRow r, int supplier, int recordIdColumn) {
    if (r.isNullAt(recordIdColumn)) {
      remember(slot, r.key(), supplier, null, 0, -1);
      return;
    }
    remember(slot, r.key(), supplier, r.bytes(recordIdColumn), r.textAt(recordIdColumn), r.textLength(recordIdColumn));
  }

  /** {@link #remember(int, BlockRow, int, int)} for the row of sort key {@code key} whose record id is {@code id[at, at + n)}. */
  private void remember(int slot, long key, int supplier, byte[] id, int at, int n) {
    chunkKey[slot] = key;
    chunkSupplier[slot] = supplier;
    if (slot == 0) {
      recordUsed = 0;
    }
    if (n < 0) {
      chunkRecordLength[slot] = -1;   // a delivery's id left unread: named later if refused
      return;
    }
    if (recordUsed + n > recordBytes.length) {
      recordBytes = Arrays.copyOf(recordBytes, Math.max(2 * recordBytes.length, recordUsed + n));
    }
    System.arraycopy(id, at, recordBytes, recordUsed, n);
    chunkRecordAt[slot] = recordUsed;
    chunkRecordLength[slot] = n;
    recordUsed += n;
  }

  /** Supplier ids in index order, for the engine's refusals (set once the suppliers are read). */
  private List<String> supplierIds = List.of();

  /** The engine's report of a row it refused (row = rows fed before it), mapped to its source row. */
  private void engineRefused(io.chainscore.features.engine.BadRecord b) {
    int slot = (int) (b.row() - fed);
    String recordId = chunkRecordLength[slot] < 0 ? null : new String(recordBytes, chunkRecordAt[slot],
        chunkRecordLength[slot], java.nio.charset.StandardCharsets.UTF_8);
    long key = chunkKey[slot];
    refuse(b.table(), files[SparkFeatures.fileOf(key)], SparkFeatures.rowOf(key) + 1, recordId,
        supplierIds.get(chunkSupplier[slot]), b.field(), b.reason());
    if (recordId == null) {
      nameLater(key, false);
    }
  }

  /**
   * A refused delivery without its id: its place in {@link #refused}, its sort key, and whether the
   * reader refused it (then named by {@link BadRecord#readId}'s rule).
   */
  private record Unnamed(int refusedAt, long key, boolean byReader) {}

  /** The refusal just added, of the delivery at {@code key}, has no id yet ({@link #unnamed}). */
  private void nameLater(long key, boolean byReader) {
    unnamed.add(new Unnamed(refused.size() - 1, key, byReader));
  }

  /**
   * Names the refused deliveries whose id was left unread, file by file, from the id column alone
   * ({@link EngineReads#readIds}): the value for a rule's or the engine's refusal, {@link
   * BadRecord#readId}'s rule for the reader's; {@code ?} for a row that second read refuses. What
   * the single machine's {@code DeliveryRefusals} gives.
   */
  private void nameDeliveries() {
    if (unnamed.isEmpty()) {
      return;
    }
    Map<Integer, java.util.TreeSet<Long>> rowsOf = new java.util.TreeMap<>();
    for (Unnamed u : unnamed) {
      rowsOf.computeIfAbsent(SparkFeatures.fileOf(u.key()), f -> new java.util.TreeSet<>())
          .add(SparkFeatures.rowOf(u.key()) + 1);
    }
    Map<Integer, Map<Long, String>> ids = new HashMap<>();
    try {
      for (Map.Entry<Integer, java.util.TreeSet<Long>> f : rowsOf.entrySet()) {
        ids.put(f.getKey(), EngineReads.readIds(files[f.getKey()], io.chainscore.tables.PortfolioTables.DELIVERIES,
            EngineReads.DELIVERY_ID, f.getValue().stream().mapToLong(Long::longValue).toArray(), conf));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (Unnamed u : unnamed) {
      Object[] r = refused.get(u.refusedAt());
      String id = ids.get(SparkFeatures.fileOf(u.key())).get(SparkFeatures.rowOf(u.key()) + 1);
      if (u.byReader()) {
        id = BadRecord.readId((String) r[5], EngineReads.DELIVERY_ID, id);
      }
      r[3] = BadRecord.idOrUnknown(id);
    }
  }

  /**
   * Invoice row {@code r} into {@code invoices}' {@code slot}: false if refused (reported here), or
   * if the reader refused it.
   */
  private boolean invoiceRow(BlockRow r, int slot, InvoiceColumns invoices, InvoiceEvents events, RecentIds supplierOf,
      RecentIds buyerOf) {
    if (unreadable(r, "invoice", S1, "invoice_id")) {
      return false;
    }
    Integer s = supplierOf.get(r, SUPPLIER_ID);
    Integer b = buyerOf.get(r, S2);
    TradeRules.Violation v = s != null && b != null ? null
        : TradeRules.invoice(r.getString(SUPPLIER_ID), s != null, r.getString(S2), b != null);
    // Repeated ids were ranked by a window over invoice ids (first in file order wins).
    if (v == null && r.getBoolean(DUP)) {
      v = TradeRules.duplicate(TradeRules.INVOICE_ID);
    }
    if (v != null) {
      refuse(r, "invoice", r.getString(S1), v);
      return false;
    }
    // The id stays bytes: the chunk's id is only for the engine's messages, which this
    // partition words from the remembered bytes, and the event join takes ASCII ids as bytes.
    remember(slot, r, s, S1);
    invoices.set(slot, s, b, r.getInt(D1), r.getInt(D2), r.isNullAt(D3) ? InvoiceColumns.UNPAID : r.getInt(D3),
        r.getDouble(X1), 0.0, false, false, null);
    int idHash = r.asciiHashCode(S1);
    if (idHash != BlockRow.NOT_ASCII) {
      events.fill(invoices, slot, r.bytes(S1), r.textAt(S1), r.textLength(S1), idHash, s);
    } else {
      events.fill(invoices, slot, r.getString(S1), s);
    }
    return true;
  }

  private final int[] place = new int[2];

  /**
   * The good invoice {@code direct} is on, read from its batch's columns into {@code invoices}'
   * {@code slot}, as {@link #invoiceRow} would set it from the row: false, with nothing changed, for
   * a row {@link #invoiceRow} must see (an unknown supplier or buyer, a repeated id, a missing date).
   */
  private boolean invoiceColumns(EngineReads.DirectRows direct, int slot, InvoiceColumns invoices, InvoiceEvents events,
      RecentIds supplierOf, RecentIds buyerOf) {
    EngineReads.Layout layout = direct.layout();
    io.chainscore.batch.io.ColumnBatch batch = direct.batch();
    int i = direct.at();
    long serial = direct.serial();
    int issued = batch.dates(layout.dates()[0])[i];
    int due = batch.dates(layout.dates()[1])[i];
    if (issued == io.chainscore.batch.io.ColumnBatch.NULL_DATE || due == io.chainscore.batch.io.ColumnBatch.NULL_DATE) {
      return false;
    }
    Integer s = supplierOf.get(direct.supplierBytes(), direct.supplierAt(), direct.supplierLength(), serial);
    if (s == null) {
      return false;
    }
    byte[] buyer = direct.text(layout.texts()[1], place);
    Integer b = buyerOf.get(buyer, place[0], place[1], serial);
    if (b == null || direct.repeated()) {
      return false;
    }
    byte[] id = direct.text(layout.texts()[0], place);
    int at = place[0];
    int n = place[1];
    remember(slot, direct.key(), s, id, at, n);
    int paid = batch.dates(layout.dates()[2])[i];
    invoices.set(slot, s, b, issued, due, paid == io.chainscore.batch.io.ColumnBatch.NULL_DATE ? InvoiceColumns.UNPAID
        : paid, batch.doubles(layout.amounts()[0])[i], 0.0, false, false, null);
    int idHash = BlockRow.asciiHashCode(id, at, n);
    if (idHash != BlockRow.NOT_ASCII) {
      events.fill(invoices, slot, id, at, n, idHash, s);
    } else {
      events.fill(invoices, slot, new String(id, at, n, java.nio.charset.StandardCharsets.UTF_8), s);
    }
    return true;
  }

  /** Delivery row {@code r} into {@code deliveries}' {@code slot}: false if refused (reported here). */
  private boolean deliveryRow(BlockRow r, int slot, DeliveryColumns deliveries, RecentIds supplierOf) {
    if (unreadable(r, "delivery", S1, "invoice_id")) {
      return false;
    }
    Integer s = supplierOf.get(r, SUPPLIER_ID);
    TradeRules.Violation v = s != null ? null : TradeRules.supplierOf(r.getString(SUPPLIER_ID), false);
    if (v != null) {
      refuse(r, "delivery", r.getString(S1), v);
      if (r.isNullAt(S1)) {
        nameLater(r.key(), false);
      }
      return false;
    }
    remember(slot, r, s, S1);
    deliveries.set(slot, s, r.getInt(D1), r.getInt(D2), null);
    return true;
  }

  /**
   * The good delivery {@code direct} is on, read from its batch's columns into {@code deliveries}'
   * {@code slot}, as {@link #deliveryRow} would set it: false, with nothing changed, for a row
   * {@link #deliveryRow} must see (an unknown supplier, a missing date).
   */
  private boolean deliveryColumns(EngineReads.DirectRows direct, int slot, DeliveryColumns deliveries,
      RecentIds supplierOf) {
    EngineReads.Layout layout = direct.layout();
    io.chainscore.batch.io.ColumnBatch batch = direct.batch();
    int i = direct.at();
    int promised = batch.dates(layout.dates()[0])[i];
    int actual = batch.dates(layout.dates()[1])[i];
    if (promised == io.chainscore.batch.io.ColumnBatch.NULL_DATE
        || actual == io.chainscore.batch.io.ColumnBatch.NULL_DATE) {
      return false;
    }
    Integer s = supplierOf.get(direct.supplierBytes(), direct.supplierAt(), direct.supplierLength(), direct.serial());
    if (s == null) {
      return false;
    }
    int idColumn = layout.texts()[0];
    if (batch.isUnset(idColumn)) {
      remember(slot, direct.key(), s, null, 0, -1);   // left unread: named later if refused
    } else {
      byte[] id = direct.text(idColumn, place);
      remember(slot, direct.key(), s, id, place[0], place[1]);
    }
    deliveries.set(slot, s, promised, actual, null);
    return true;
  }

  /** Runs the engine and returns the partition's feature rows in supplier source order. */
  Iterator<Row> run() {
    // Suppliers: the same checks as the single-machine loader, first occurrence of an id wins.
    // Ids are looked up as Spark's UTF-8 bytes (keys cloned off the reused row): a String per
    // supplier, buyer and invoice row looked up cost about a third of the partition's time.
    Map<UTF8String, Integer> supplierIndex = new HashMap<>();
    Map<UTF8String, Integer> buyerIndex = new HashMap<>();
    for (Map.Entry<String, Integer> e : buyers.entrySet()) {
      buyerIndex.put(UTF8String.fromString(e.getKey()), e.getValue());
    }
    List<String> ids = new ArrayList<>();
    supplierIds = ids;
    SupplierTable.Builder suppliers = SupplierTable.builder();
    for (BlockRow r = next(SparkFeatures.SUPPLIER); r != null; r = next(SparkFeatures.SUPPLIER)) {
      if (unreadable(r, "supplier", SUPPLIER_ID, "supplier_id")) {
        continue;
      }
      String id = r.getString(SUPPLIER_ID);
      Integer a = buyerIndex.get(r.utf8(S1));
      double t = r.getDouble(X1);
      TradeRules.Violation v = TradeRules.supplier(r.getString(S2), r.getString(S1), a != null, t);
      if (v == null && supplierIndex.putIfAbsent(r.utf8(SUPPLIER_ID).clone(), ids.size()) != null) {
        v = TradeRules.duplicate(TradeRules.SUPPLIER_ID);
      }
      if (v != null) {
        refuse(r, "supplier", id, v);
        continue;
      }
      ids.add(id);
      suppliers.add(a, Sector.fromCode(r.getString(S2)), regions.getOrDefault(r.getString(S3), -1), r.getInt(D1), t);
    }
    SupplierTable table = suppliers.build(Math.max(1, buyers.size()));
    // From here the indexes are read only: rows come supplier by supplier, and a supplier's invoices
    // alternate between few buyers, so most lookups find the id among the last few by its bytes,
    // without a UTF8String, a hash and a probe per row (about a fifth of the partitions' time).
    RecentIds supplierOf = new RecentIds((b, at, n) -> supplierIndex.get(UTF8String.fromBytes(b, at, n)));
    RecentIds buyerOf = new RecentIds((b, at, n) -> buyerIndex.get(UTF8String.fromBytes(b, at, n)));

    // Loans: dense indexes in source order.
    Map<String, Integer> loanIndex = new HashMap<>();
    IntList loanSupplier = new IntList(256);
    IntList loanDrawdown = new IntList(256);
    DoubleList loanAmount = new DoubleList(256);
    // each accepted loan's source, to name it should none of its instalments be accepted
    List<String> loanIds = new ArrayList<>();
    List<String> loanFiles = new ArrayList<>();
    List<Long> loanRows = new ArrayList<>();
    for (BlockRow r = next(SparkFeatures.LOAN); r != null; r = next(SparkFeatures.LOAN)) {
      if (unreadable(r, "loan", S1, "loan_id")) {
        continue;
      }
      String id = r.getString(S1);
      Integer s = supplierOf.get(r, SUPPLIER_ID);
      TradeRules.Violation v = s != null ? null : TradeRules.supplierOf(r.getString(SUPPLIER_ID), false);
      if (v != null) {
        refuse(r, "loan", id, v);
        continue;
      }
      // Repeated ids were ranked by a window over loan ids (first readable row in file order wins),
      // so a loan id repeated under a supplier of another partition is refused here too.
      if (r.getBoolean(DUP) || loanIndex.putIfAbsent(id, loanSupplier.size()) != null) {
        repeatedLoans.add(id);
        refuse(r, "loan", id, TradeRules.duplicate(TradeRules.LOAN_ID));
        continue;
      }
      loanSupplier.add(s);
      loanDrawdown.add(r.getInt(D1));
      loanAmount.add(r.getDouble(X1));
      loanIds.add(id);
      loanFiles.add(file(r));
      loanRows.add(row(r));
    }

    // Credit notes and disputes known at D, joined onto this partition's invoices (an event's
    // supplier decides its partition, so an event of another supplier's invoice finds none here,
    // as on one machine).
    InvoiceEvents events = new InvoiceEvents(asOfDay);
    List<EventSource> eventSources = new ArrayList<>();
    for (BlockRow r = next(SparkFeatures.CREDIT_NOTE); r != null; r = next(SparkFeatures.CREDIT_NOTE)) {
      if (unreadable(r, "credit_note", S2, "credit_note_id")) {
        continue;
      }
      String id = r.getString(S2);
      Integer s = supplierOf.get(r, SUPPLIER_ID);
      TradeRules.Violation v = s != null ? null : TradeRules.supplierOf(r.getString(SUPPLIER_ID), false);
      // Repeated ids were found over the whole table (the first row whose supplier is accepted claims one).
      if (v == null && r.getBoolean(DUP)) {
        v = TradeRules.duplicate(TradeRules.CREDIT_NOTE_ID);
      }
      if (v == null) {
        v = InvoiceEvents.creditNoteAmount(r.getDouble(X1));
      }
      if (v != null) {
        refuse(r, "credit_note", id, v);
        continue;
      }
      events.creditNote(r.getString(S1), s, r.getInt(D1), r.getDouble(X1));
      eventSources.add(new EventSource("credit_note", file(r), row(r), id, r.getString(S1), s,
          r.getString(SUPPLIER_ID), r.getInt(D1)));
    }
    for (BlockRow r = next(SparkFeatures.DISPUTE); r != null; r = next(SparkFeatures.DISPUTE)) {
      if (unreadable(r, "dispute", S1, "invoice_id")) {
        continue;
      }
      String invoiceId = r.getString(S1);
      Integer s = supplierOf.get(r, SUPPLIER_ID);
      TradeRules.Violation v = s != null ? null : TradeRules.supplierOf(r.getString(SUPPLIER_ID), false);
      if (v == null) {
        v = InvoiceEvents.disputeDates(r.getInt(D1), r.isNullAt(D2) ? Integer.MIN_VALUE : r.getInt(D2));
      }
      if (v != null) {
        refuse(r, "dispute", invoiceId, v);
        continue;
      }
      events.dispute(invoiceId, s, r.getInt(D1));
      eventSources.add(new EventSource("dispute", file(r), row(r), invoiceId, invoiceId, s, r.getString(SUPPLIER_ID),
          r.getInt(D1)));
    }

    double[] matrix;
    try (FeatureEngine engine = FeatureEngine.builder(table).asOf(LocalDate.ofEpochDay(asOfDay)).threads(1)
        .quarantine(this::engineRefused).build()) {
      InvoiceColumns invoices = new InvoiceColumns(SparkFeatures.CHUNK);
      int filled = 0;
      // A range task's own rows (EngineReads.DirectRows): its good invoices are read column by
      // column from the reader's batch, without setting each into a row; a refused one, and every
      // row of the shuffle's blocks, goes through invoiceRow.
      EngineReads.DirectRows direct = rows instanceof EngineReads.DirectRows d ? d : null;
      for (int step = step(direct, SparkFeatures.INVOICE); step != END; step = step(direct, SparkFeatures.INVOICE)) {
        BlockRow r = step == ROW ? current : null;
        if (r == null && !invoiceColumns(direct, filled, invoices, events, supplierOf, buyerOf)) {
          r = direct.row();   // refused: named and reported as the row path does
        }
        if (r != null && !invoiceRow(r, filled, invoices, events, supplierOf, buyerOf)) {
          continue;
        }
        if (++filled == SparkFeatures.CHUNK) {
          invoices.setSize(filled);
          engine.addInvoices(invoices);
          fed += filled;
          filled = 0;
        }
      }
      invoices.setSize(filled);
      engine.addInvoices(invoices);
      fed = 0;
      // the events in the order added (credit notes, then disputes, each in source order), as
      // the single-machine loader reports them
      if (events.anyUnclaimed()) {
        for (EventSource e : eventSources) {
          if (events.unclaimed(e.invoiceId(), e.supplier(), e.day())) {
            BadRecord b = InvoiceEvents.unclaimedReport(e.table(), e.row(), e.recordId(), e.invoiceId(), e.supplierId());
            refuse(b.table(), e.file(), b.row(), b.recordId(), e.supplierId(), b.field(), b.reason());
          }
        }
      }

      InstalmentColumns instalments = new InstalmentColumns(SparkFeatures.CHUNK);
      filled = 0;
      // the loan and due dates accepted: a loan's rows are all in its supplier's partition
      LongSet dueDates = new LongSet();
      // loanIndex is complete here (read only from now on)
      RecentIds loanOf = new RecentIds((b, at, n) -> loanIndex.get(new String(b, at, n,
          java.nio.charset.StandardCharsets.UTF_8)));
      for (BlockRow r = next(SparkFeatures.INSTALMENT); r != null; r = next(SparkFeatures.INSTALMENT)) {
        if (unreadable(r, "instalment", S1, "loan_id")) {
          continue;
        }
        // the loan by the id's bytes, among the last few looked up (instalments come loan by loan):
        // no String and no map probe per row; the id as a String only for a refusal
        Integer l = loanOf.get(r, S1);
        Integer s = supplierOf.get(r, SUPPLIER_ID);
        // An unknown loan is provisional: the loan may belong to a supplier of another partition,
        // in which case SparkFeatures rewrites this to the single machine's "not the supplier of
        // loan". A repeated loan id counts as known, so its instalments get the latter here.
        boolean ofLoan = l != null && s != null && s == loanSupplier.get(l);
        TradeRules.Violation v = null;
        if (!ofLoan) {
          String loanId = r.getString(S1);
          v = TradeRules.instalment(loanId, l != null || repeatedLoans.contains(loanId), r.getString(SUPPLIER_ID),
              false);
        }
        if (v == null && !dueDates.add((long) (l + 1) << 32 | (r.getInt(D1) & 0xFFFF_FFFFL))) {
          v = TradeRules.repeatedInstalment(r.getString(S1));
        }
        if (v != null) {
          refuse(r, "instalment", r.getString(S1), v);
          continue;
        }
        remember(filled, r, s, S1);
        instalments.set(filled++, s, l, loanDrawdown.get(l), loanAmount.get(l), r.getInt(D1), r.getDouble(X1),
            r.isNullAt(D2) ? InstalmentColumns.UNREPAID : r.getInt(D2), r.getDouble(X2));
        if (filled == SparkFeatures.CHUNK) {
          instalments.setSize(filled);
          engine.addInstalments(instalments);
          fed += filled;
          filled = 0;
        }
      }
      instalments.setSize(filled);
      engine.addInstalments(instalments);
      fed = 0;
      dueDates = null;
      for (int l = 0; l < loanIds.size(); l++) {
        if (!engine.hasInstalments(l)) {
          TradeRules.Violation v = TradeRules.loanWithoutInstalments();
          refuse("loan", loanFiles.get(l), loanRows.get(l), loanIds.get(l), ids.get(loanSupplier.get(l)), v.field(),
              v.reason());
        }
      }

      DeliveryColumns deliveries = new DeliveryColumns(SparkFeatures.CHUNK);
      filled = 0;
      for (int step = step(direct, SparkFeatures.DELIVERY); step != END; step = step(direct, SparkFeatures.DELIVERY)) {
        BlockRow r = step == ROW ? current : null;
        if (r == null && !deliveryColumns(direct, filled, deliveries, supplierOf)) {
          r = direct.row();
        }
        if (r != null && !deliveryRow(r, filled, deliveries, supplierOf)) {
          continue;
        }
        if (++filled == SparkFeatures.CHUNK) {
          deliveries.setSize(filled);
          engine.addDeliveries(deliveries);
          fed += filled;
          filled = 0;
        }
      }
      deliveries.setSize(filled);
      engine.addDeliveries(deliveries);
      matrix = engine.finish();
      nameDeliveries();
      Probe probe = retainedProbe;
      if (probe != null) {
        probe.measure(ids.size(), loanSupplier.size());
        engine.asOf(); // keeps the engine's accumulators reachable until measured
      }
    }

    // Rows are made as Spark pulls them, so only the feature matrix is held, not a row object per supplier.
    FeatureSchema schema = StandardFeatures.SCHEMA;
    int width = schema.size();
    double[] features = matrix;
    if (scoring != null) {
      return scored(schema, ids, features);
    }
    return new Iterator<>() {
      private int s;
      private int q;

      @Override
      public boolean hasNext() {
        return q < refused.size() || s < ids.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Object[] values = new Object[1 + width + QUARANTINE_WIDTH];
        if (q < refused.size()) {
          Object[] bad = refused.get(q);
          refused.set(q++, null);
          System.arraycopy(bad, 0, values, 1 + width, QUARANTINE_WIDTH);
          return RowFactory.create(values);
        }
        values[0] = ids.get(s);
        for (int j = 0; j < width; j++) {
          double v = features[s * width + j];
          FeatureSpec f = schema.feature(j);
          // missing is null, as chainscore features writes it: Spark SQL's aggregates skip a null,
          // where a NaN makes avg, sum and stddev of the whole column NaN
          values[1 + j] = Double.isNaN(v) ? null
              : f.type() == FeatureType.CATEGORICAL ? f.categories().get((int) v) : (Object) v;
        }
        s++;
        return RowFactory.create(values);
      }
    };
  }

  private static final int QUARANTINE_WIDTH = 7;

  /**
   * {@link #run}'s rows when scoring: the refused transaction rows (every score column null, the
   * {@code q_} columns set), then one scored row per supplier, scored {@link SparkScoring#BATCH_ROWS}
   * suppliers at a time as Spark pulls them.
   */
  private Iterator<Row> scored(FeatureSchema schema, List<String> ids, double[] features) {
    io.chainscore.batch.scoring.FeatureTableScoring processor = scoring.processor();
    int[] featureOf = SparkScoring.featureOfInput(processor.inputSchema(), schema);
    if (featureOf == null) {
      throw new IllegalStateException("the bundle's input is not the feature schema's (SparkScoring.inTask checks)");
    }
    int scoreWidth = SparkScoring.rawFields(processor).size();
    int width = schema.size();
    return new Iterator<>() {
      private int q;
      private int s;
      private List<Object[]> ready = List.of();
      private int next;

      @Override
      public boolean hasNext() {
        return q < refused.size() || next < ready.size() || s < ids.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Object[] values = new Object[scoreWidth + QUARANTINE_WIDTH];
        if (q < refused.size()) {
          Object[] bad = refused.get(q);
          refused.set(q++, null);
          System.arraycopy(bad, 0, values, scoreWidth, QUARANTINE_WIDTH);
          return RowFactory.create(values);
        }
        if (next == ready.size()) {
          int to = Math.min(ids.size(), s + SparkScoring.BATCH_ROWS);
          ready = SparkScoring.scoreMatrix(processor, featureOf, schema, ids, features, width, s, to);
          next = 0;
          s = to;
        }
        Object[] scored = ready.get(next);
        ready.set(next++, null);
        System.arraycopy(scored, 0, values, 0, scoreWidth);
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
}
