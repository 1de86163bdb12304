package io.chainscore.batch.features;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.InputFormatException;
import io.chainscore.batch.io.OutputSpool;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.batch.io.TradeTables;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.features.engine.FeatureEngine;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
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
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Computes the standard features of every supplier of a portfolio stored as table files (the
 * layout of {@link TradeTables}: {@code anchors}, {@code suppliers}, {@code invoices}, {@code
 * loans}, {@code instalments} and, when present, the dated events {@code credit_notes}, {@code
 * disputes} and {@code deliveries}, each as {@code .csv}, {@code .arrow}, {@code .arrows} or {@code
 * .parquet}), streaming the transactions through the {@link FeatureEngine} in chunks.
 *
 * <p>Point in time: credit notes booked and disputes opened on or before D are joined onto their
 * invoices (by invoice id and supplier; an event no invoice of its supplier claims is quarantined
 * with field {@code invoice_id}), deliveries count from their actual date; events dated after D
 * are not read. The invoices' own {@code returned_amount}, {@code delivered_on_time} and {@code
 * disputed} columns (outcomes as finally known) are not read.
 *
 * <p>Memory grows with the number of suppliers, loans and invoices with a credit note or dispute
 * known at D (a few percent of the invoices), not with all invoices; the optional duplicate check
 * of invoice ids keeps a 64-bit fingerprint per invoice outside the heap (8 bytes each, {@link
 * KeyLog}), and reads the invoices a second time only when some id repeats.
 *
 * <p>Bad rows (unparseable, unknown supplier, buyer or loan, rules of the data model) are
 * reported to the quarantine sink with table, file, row (in that file), record id, field and
 * reason, and left out.
 *
 * <p>Thread safety: stateless; each call is independent.
 */
public final class PortfolioFeatures {
  /**
   * Region codes in the order {@code region_index} numbers them, unless a caller gives others:
   * the feature schema's dictionary, {@link StandardFeatures#REGIONS}.
   */
  public static final List<String> DEFAULT_REGIONS = StandardFeatures.REGIONS;

  /** The dated event tables, read when present (a portfolio without them has no events known). */
  static final String[] EVENT_TABLES = {"credit_notes", "disputes", "deliveries"};

  private static final int CHUNK = 65_536;
  /**
   * Repeated invoice keys the duplicate check holds on the heap for its second pass (32 MB); a
   * file with more (its invoices twice over, say) is checked against a set of every key instead.
   */
  private static final int REPEATS_HELD = 1 << 22;
  /** {@link KeyLog#repeatedKeys} of a log in which no key repeats. */
  private static final long[] NO_REPEATS = new long[0];

  private PortfolioFeatures() {}

  /**
   * The features of a portfolio.
   *
   * @param supplierIds supplier ids in the order of the suppliers table
   * @param matrix row-major features, {@link StandardFeatures#SCHEMA} order
   * @param quarantined rows left out
   * @param rowsRead data rows read of each table read, good and bad, by its quarantine name
   *     ({@link #QUARANTINE_TABLES}), in the order read
   */
  public record Result(List<String> supplierIds, double[] matrix, long quarantined, Map<String, Long> rowsRead) {
    /** Copies the counts (unmodifiable). */
    public Result {
      rowsRead = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowsRead));
    }

    /** Invoice rows read, good and bad. */
    public long invoices() {
      return rowsRead.getOrDefault("invoice", 0L);
    }

    /** Instalment rows read, good and bad. */
    public long instalments() {
      return rowsRead.getOrDefault("instalment", 0L);
    }
  }

  /**
   * Options of a computation.
   *
   * @param timeZone the zone in which date columns stored as instants (timestamps with a time zone)
   *     are read as their dates ({@link TableSchema#timeZone}); null refuses them
   */
  public record Options(LocalDate asOf, int threads, boolean checkDuplicateInvoices, List<String> regions,
      java.time.ZoneId timeZone) {
    /**
     * Refuses a region dictionary with an empty or a repeated code: a repeated code took the
     * index of its last place and left its first unused, an empty one matched no supplier, both
     * without a word until 2026-12-07.
     *
     * @throws IllegalArgumentException naming the code and its places
     */
    public Options {
      if (regions != null) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < regions.size(); i++) {
          String code = regions.get(i);
          if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("regions: the code at region_index " + i + " is empty; expected a"
                + " region code (the suppliers table's region) at each place");
          }
          Integer first = seen.putIfAbsent(code, i);
          if (first != null) {
            throw new IllegalArgumentException("regions: '" + code + "' is listed twice, at region_index " + first
                + " and " + i + "; each region code once, in region_index order");
          }
        }
      }
    }

    /** Options refusing instants as dates. */
    public Options(LocalDate asOf, int threads, boolean checkDuplicateInvoices, List<String> regions) {
      this(asOf, threads, checkDuplicateInvoices, regions, null);
    }
  }

  /**
   * How a computation opens its tables: with {@code decoders} threads decoding ahead (0: on the
   * calling thread), each table's layout reading instants in {@code timeZone}; and where each
   * table's reader, once done, records its data rows read ({@code rowsRead}, for {@link Result}).
   */
  private record Reads(int decoders, java.time.ZoneId timeZone, Map<String, Long> rowsRead) {
    TableSchema of(TableSchema layout) {
      return layout.withTimeZone(timeZone);
    }

    /** Records that {@code table}'s file held {@code rows} data rows, good and bad (a table read again: the same). */
    void read(String table, TableReader reader) {
      rowsRead.put(table, reader.rowsRead());
    }
  }

  /**
   * The extensions a table file may have in a portfolio directory ({@code name.<ext>}), in the
   * order {@link #table} looks for them; the Spark job looks for the same ones, to refuse by name
   * a table it cannot read rather than pass over it.
   */
  public static final List<String> TABLE_EXTENSIONS = List.of("arrow", "parquet", "csv", "arrows", "feather");

  /**
   * Finds {@code name.<ext>} in {@code dir} for a supported extension ({@link #TABLE_EXTENSIONS}).
   *
   * @throws IllegalArgumentException when the table is there in two formats (which one is current
   *     cannot be told), naming both files
   */
  static Path table(Path dir, String name) throws IOException {
    Path found = null;
    for (String ext : TABLE_EXTENSIONS) {
      Path p = dir.resolve(name + "." + ext);
      if (Files.isDirectory(p) && !ext.equals("parquet")) {
        throw new InputFormatException(p.toString(), -1, null, "is a directory; expected the " + name + " table file"
            + " (a directory of part files is read as one table when it is named " + name + ".parquet)");
      }
      if (Files.exists(p)) {
        if (found != null) {
          throw new IllegalArgumentException(dir + ": the " + name + " table is there twice, as " + found.getFileName()
              + " and " + p.getFileName() + "; remove one (chainscore generate --overwrite replaces a portfolio whole)");
        }
        found = p;
      }
    }
    if (found != null) {
      return found;
    }
    throw new NoSuchFileException(dir.resolve(name + ".{csv,arrow,arrows,parquet}").toString(), null,
        "the portfolio directory has no " + name + " table");
  }

  /** The rows {@code file}'s metadata says it holds (0 when there is no file or it does not say). */
  private static long rowsHinted(Path file) {
    return file == null ? 0 : Math.max(0, TableReader.rowCountHint(file));
  }

  /** The file of table {@code name} in {@code dir}, or null when the portfolio has none. */
  static Path optionalTable(Path dir, String name) throws IOException {
    try {
      return table(dir, name);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * The table files {@link #compute} reads from {@code dir}, in the order it reads them: for each
   * table the one file it picks when several formats are present, or the part files of a table
   * directory ({@code NAME.parquet/}, as Spark writes a table) in the order they are read.
   */
  public static List<Path> tables(Path dir) throws IOException {
    List<Path> tables = new ArrayList<>();
    for (String name : new String[] {"anchors", "suppliers", "loans"}) {
      tables.add(table(dir, name));
    }
    for (String name : new String[] {"credit_notes", "disputes"}) {
      Path p = optionalTable(dir, name);
      if (p != null) {
        tables.add(p);
      }
    }
    tables.add(table(dir, "invoices"));
    tables.add(table(dir, "instalments"));
    Path deliveries = optionalTable(dir, "deliveries");
    if (deliveries != null) {
      tables.add(deliveries);
    }
    List<Path> files = new ArrayList<>();
    for (Path table : tables) {
      files.addAll(TableReader.files(table));
    }
    return files;
  }

  /**
   * Reads the portfolio in {@code dir} and computes its features.
   *
   * @throws InputFormatException when a table as a whole is unreadable (missing column, wrong type)
   */
  public static Result compute(Path dir, Options options, Consumer<BadRecord> quarantine) throws IOException {
    return compute(dir, options, quarantine, null);
  }

  /**
   * As {@link #compute(Path, Options, Consumer)}, calling {@code invoiceProgress} with the invoice
   * rows read after every chunk (on the calling thread).
   */
  public static Result compute(Path dir, Options options, Consumer<BadRecord> quarantine,
      java.util.function.LongConsumer invoiceProgress) throws IOException {
    return compute(dir, options, quarantine, invoiceProgress, null);
  }

  /**
   * As {@link #compute(Path, Options, Consumer, java.util.function.LongConsumer)}, ending a phase
   * of {@code clock} (when not null) after each step: {@code reference_tables} (anchors,
   * suppliers), {@code invoice_events} (credit notes, disputes), {@code invoices}, {@code loans},
   * {@code instalments}, {@code deliveries} (each read, decoded and fed to the engine, reading
   * overlapping the engine) and {@code engine_finish}. The quarantine gets the refused rows in the order of the tables
   * above, except that the loans' come before the credit notes' (file order: anchors, suppliers,
   * loans, credit notes, disputes, invoices, instalments, deliveries), and within a table in row
   * order, events no invoice claimed after the invoices' own refusals.
   */
  public static Result compute(Path dir, Options options, Consumer<BadRecord> quarantine,
      java.util.function.LongConsumer invoiceProgress, io.chainscore.batch.engine.RunManifest.PhaseClock clock)
      throws IOException {
    long[] bad = {0};
    // With more than one thread every table is decoded ahead of its use on threads of their own
    // (a Parquet file on as many as the run's threads, each taking its turn of the row groups);
    // 0: on this thread.
    // the tables' data rows read, good and bad, in the order read (filled in as each is read)
    Map<String, Long> rowsRead = new java.util.LinkedHashMap<>();
    Reads reads = new Reads(options.threads() > 1 ? options.threads() : 0, options.timeZone(), rowsRead);
    Consumer<BadRecord> counting = r -> {
      bad[0]++;
      quarantine.accept(r);
    };

    // Buyers: anchors in file order.
    Map<String, Integer> buyerIndex = new HashMap<>();
    Source anchors = new Source(table(dir, "anchors"));
    readAll(anchors, PortfolioTables.ANCHORS, counting, reads, (batch, i, row) -> {
      String id = batch.strings(0)[i];
      if (buyerIndex.putIfAbsent(id, buyerIndex.size()) != null) {
        refuse(counting, anchors, "anchor", row, id, TradeRules.duplicate(TradeRules.ANCHOR_ID));
      }
    });
    if (buyerIndex.isEmpty()) {
      throw new InputFormatException(table(dir, "anchors").toString(), -1, null, "holds no anchors");
    }

    // Suppliers in file order, with their static columns.
    Map<String, Integer> regionIndex = new HashMap<>();
    for (int i = 0; i < options.regions().size(); i++) {
      regionIndex.put(options.regions().get(i), i);
    }
    IdIndex supplierIndex = IdIndex.sizedFor(rowsHinted(table(dir, "suppliers")));
    List<String> ids = new ArrayList<>();
    SupplierTable.Builder table = SupplierTable.builder();
    Source supplierFile = new Source(table(dir, "suppliers"));
    readAll(supplierFile, PortfolioTables.SUPPLIERS, counting, reads, (batch, i, row) -> {
      String id = batch.strings(0)[i];
      Integer a = buyerIndex.get(batch.strings(1)[i]);
      double t = batch.doubles(5)[i];
      TradeRules.Violation v = TradeRules.supplier(batch.strings(2)[i], batch.strings(1)[i], a != null, t);
      if (v == null && supplierIndex.putIfAbsent(id, ids.size()) >= 0) {
        v = TradeRules.duplicate(TradeRules.SUPPLIER_ID);
      }
      if (v != null) {
        refuse(counting, supplierFile, "supplier", row, id, v);
        return;
      }
      ids.add(id);
      table.add(a, Sector.fromCode(batch.strings(2)[i]), regionIndex.getOrDefault(batch.strings(3)[i], -1),
          batch.dates(4)[i], t);
    });
    SupplierTable suppliers = table.build(buyerIndex.size());

    // Loans are read after the invoices: only the instalments need them, and at a million
    // suppliers their index (10M loans, about 400 MB) and the invoice events did not fit in a 2 GB
    // heap together. Their refusals still come where the file order puts them, after the
    // suppliers' and before the credit notes': the refusals of the tables read meanwhile wait
    // in `afterLoans` (the quarantine is kept whole by every caller anyway).
    DeferredQuarantine afterLoans = new DeferredQuarantine(counting);
    if (clock != null) {
      clock.end("reference_tables");
    }

    // Credit notes and disputes known at D, by invoice, joined onto the invoices as they stream.
    int asOfDay = Math.toIntExact(options.asOf().toEpochDay());
    Path creditNotes = optionalTable(dir, "credit_notes");
    Path disputeTable = optionalTable(dir, "disputes");
    long eventRows = rowsHinted(creditNotes) + rowsHinted(disputeTable);
    InvoiceEvents events = new InvoiceEvents(asOfDay, eventRows);
    // A credit note id is claimed by its first row in file order whose supplier is known, every
    // later row with it refused (as invoice ids): the first pass logs the claims' keys and holds
    // its refusals; a run with a repeated key (nearly none) reads the events again, refusing the
    // repeats, into new events.
    long[] repeatedNotes = NO_REPEATS;
    DeferredQuarantine eventPass = new DeferredQuarantine(afterLoans);
    try (KeyLog noteKeys = creditNotes == null ? null : new KeyLog()) {
      readEvents(creditNotes, disputeTable, supplierIndex, events, eventPass, reads, false, noteKeys, NO_REPEATS);
      if (noteKeys != null) {
        repeatedNotes = noteKeys.repeatedKeys(Math.max(1, reads.decoders()), REPEATS_HELD);
      }
    }
    if (repeatedNotes != null && repeatedNotes.length == 0) {
      eventPass.release();
    } else {
      eventPass.discard();
      events = new InvoiceEvents(asOfDay, eventRows);
      readEvents(creditNotes, disputeTable, supplierIndex, events, afterLoans, reads, false, null, repeatedNotes);
    }

    SourceRows rows = new SourceRows(afterLoans);
    if (clock != null) {
      clock.end("invoice_events");
    }
    FeatureEngine.Builder engines = FeatureEngine.builder(suppliers)
        .asOf(options.asOf()).threads(options.threads()).quarantine(rows);
    FeatureEngine engine = engines.build();
    try {
      Path invoiceFile = table(dir, "invoices");
      if (!options.checkDuplicateInvoices()) {
        streamInvoices(invoiceFile, engine, supplierIndex, buyerIndex, null, null, events, afterLoans,
            rows, reads, invoiceProgress);
      } else {
        // The duplicate check's first pass logs the accepted invoices' keys (KeyLog says why not a
        // set probed per invoice) and holds the pass's refusals until the log is checked.
        DeferredQuarantine pass = new DeferredQuarantine(afterLoans);
        long[] repeated;
        rows.sink = pass;
        try (KeyLog log = new KeyLog()) {
          streamInvoices(invoiceFile, engine, supplierIndex, buyerIndex, log, null, events, pass,
              rows, reads, invoiceProgress);
          rows.sink = afterLoans;
          repeated = log.repeatedKeys(Math.max(1, reads.decoders()), REPEATS_HELD);
        }
        if (repeated != null && repeated.length == 0) {
          pass.release();
        } else {
          // Some invoice id repeats (nearly never): the pass is void, and the invoices are read
          // again into a new engine, the first invoice of each repeated id accepted and every
          // later one refused, in file order; the events claimed by the void pass are unclaimed.
          pass.discard();
          engine.close();
          engine = engines.build();
          events.forgetClaims();
          rows.fed = 0;
          try (RepeatedKeys repeats = new RepeatedKeys(repeated, TableReader.rowCountHint(invoiceFile),
              Math.max(1, reads.decoders()))) {
            streamInvoices(invoiceFile, engine, supplierIndex, buyerIndex, null, repeats, events,
                afterLoans, rows, reads, invoiceProgress);
          }
        }
      }
      if (events.anyUnclaimed()) {
        // the events are not kept, only the join per invoice: the event tables are read again to
        // name the rows no invoice claimed (a run with none, the usual case, skips this)
        readEvents(creditNotes, disputeTable, supplierIndex, events, afterLoans, reads, true, null, repeatedNotes);
      }
      events.release();
      if (clock != null) {
        clock.end("invoices");
      }

      streamLoansAndInstalments(dir, engine, supplierIndex, counting, afterLoans, rows,
          reads, clock);
      Path deliveries = optionalTable(dir, "deliveries");
      if (deliveries != null) {
        rows.fed = 0;
        streamDeliveries(new Source(deliveries), engine, supplierIndex, counting, rows, reads);
        if (clock != null) {
          clock.end("deliveries");
        }
      }
      double[] matrix = engine.finish();
      if (clock != null) {
        clock.end("engine_finish");
      }
      return new Result(List.copyOf(ids), matrix, bad[0], rowsRead);
    } finally {
      engine.close();
    }
  }

  /**
   * Reads the loans, then streams the instalments into the engine, then reports the loans none of
   * whose instalments was accepted ({@link TradeRules#loanWithoutInstalments}). The refusals come
   * in file order: the loans' (those without instalments among them, by row), then the held
   * refusals of the tables read before, {@code afterLoans}, then the instalments'. In a method of
   * its own so that the loan index and lists (hundreds of megabytes at a million suppliers) are
   * garbage once the instalments are in, before the deliveries and the engine's finish.
   *
   * <p>A loan's instalments must not repeat a due date (the record path's schedule rule): the
   * first row of a loan and due date claims it, later ones are refused. Nearly every file lists
   * each loan's instalments in due-date order, and then no row can repeat an earlier one: the pass
   * checks only that each row is due after the last row of its loan (4 bytes a loan). A file that
   * breaks that order anywhere has its instalments read again, the engine's instalments forgotten,
   * each row checked against the set of the loan and due dates accepted before it.
   */
  private static void streamLoansAndInstalments(Path dir, FeatureEngine engine, IdIndex supplierIndex,
      Consumer<BadRecord> counting, DeferredQuarantine afterLoans, SourceRows rows, Reads reads,
      io.chainscore.batch.engine.RunManifest.PhaseClock clock) throws IOException {
    // Loans: principal and drawdown per loan id, for the instalments.
    // sized from the file's row count: 2M loans at 200k suppliers grew it ten times over, each a rehash
    long loanRows = rowsHinted(table(dir, "loans"));
    IdIndex loanIndex = IdIndex.sizedFor(loanRows);
    // the lists too, while the hint is believable (16 bytes a loan within an eighth of the heap)
    int loanCapacity = loanRows > 0 && loanRows * 16 <= Runtime.getRuntime().maxMemory() / 8 ? (int) loanRows : 1024;
    IntList loanSupplier = new IntList(loanCapacity);
    IntList loanDrawdown = new IntList(loanCapacity);
    DoubleList loanAmount = new DoubleList(loanCapacity);
    long[][] loanKeys = {new long[loanCapacity]};   // in index order, for the instalments' runs
    int[] loanCount = {0};
    Source loans = new Source(table(dir, "loans"));
    // held: a loan without instalments is known only after them, and is reported among them
    DeferredQuarantine loanPass = new DeferredQuarantine(counting);
    readLoans(loans, supplierIndex, loanPass, reads, (batch, i, row, k, s, v) -> {
      if (v == null && loanIndex.putKeyIfAbsent(k, loanCount[0]) >= 0) {
        v = TradeRules.duplicate(TradeRules.LOAN_ID);
      }
      if (v != null) {
        refuse(loanPass, loans, "loan", row, batch.string(0, i), v);
        return;
      }
      if (loanCount[0] == loanKeys[0].length) {
        loanKeys[0] = java.util.Arrays.copyOf(loanKeys[0], Math.max(1024, 2 * loanCount[0]));
      }
      loanKeys[0][loanCount[0]] = k;
      loanCount[0]++;
      loanSupplier.add(s);
      loanDrawdown.add(batch.dates(2)[i]);
      loanAmount.add(batch.doubles(3)[i]);
    });
    if (clock != null) {
      clock.end("loans");
    }

    // the engine's own per-loan state, sized once instead of doubling (each doubling held both copies)
    engine.reserveLoans(loanCount[0]);
    Source instalments = new Source(table(dir, "instalments"));
    IdRuns loanIds = new IdRuns(loanIndex, loanKeys[0], loanCount[0]);
    DeferredQuarantine instalmentPass = new DeferredQuarantine(counting);
    rows.sink = instalmentPass;
    rows.fed = 0;
    int[] lastDue = new int[loanCount[0]];
    java.util.Arrays.fill(lastDue, Integer.MIN_VALUE);
    boolean outOfOrder = streamInstalments(instalments, engine, supplierIndex, loanIds, loanSupplier, loanDrawdown,
        loanAmount, lastDue, null, instalmentPass, rows, reads);
    lastDue = null;
    if (outOfOrder) {
      instalmentPass.discard();
      engine.forgetInstalments();
      instalmentPass = new DeferredQuarantine(counting);
      rows.sink = instalmentPass;
      rows.fed = 0;
      try (FingerprintSet accepted = FingerprintSet.create(rowsHinted(instalments.path), Math.max(1, reads.decoders()))) {
        streamInstalments(instalments, engine, supplierIndex, new IdRuns(loanIndex, loanKeys[0], loanCount[0]),
            loanSupplier, loanDrawdown, loanAmount, null, accepted, instalmentPass, rows, reads);
      }
    }

    // Loans without an accepted instalment: read the loans again (only then) to name them, in row
    // order among the loans' other refusals, which the second reading makes again.
    boolean anyWithout = false;
    for (int l = 0; l < loanCount[0] && !anyWithout; l++) {
      anyWithout = !engine.hasInstalments(l);
    }
    if (!anyWithout) {
      loanPass.release();
    } else {
      loanPass.discard();
      long[] keys = loanKeys[0];
      int count = loanCount[0];
      int[] next = {0};
      readLoans(loans, supplierIndex, counting, reads, (batch, i, row, k, s, v) -> {
        // the loan accepted next has the next key in index order; a row with another key that
        // passed the supplier check repeats an earlier loan's (the keys in order are distinct)
        if (v == null && !(next[0] < count && keys[next[0]] == k)) {
          v = TradeRules.duplicate(TradeRules.LOAN_ID);
        }
        if (v == null && !engine.hasInstalments(next[0]++)) {
          v = TradeRules.loanWithoutInstalments();
        }
        if (v != null) {
          refuse(counting, loans, "loan", row, batch.string(0, i), v);
        }
      });
    }
    afterLoans.release();   // from here on it passes refusals straight on
    instalmentPass.release();
    rows.sink = afterLoans;
    if (clock != null) {
      clock.end("instalments");
    }
  }

  /** What {@link #readLoans} gives for each loan row the reader accepts. */
  @FunctionalInterface
  private interface LoanRow {
    /**
     * Row {@code i} of {@code batch}, 1-based row {@code row} of its file, its id's key {@code k},
     * its supplier's index {@code s} and the violation of its supplier check (null when known).
     */
    void accept(ColumnBatch batch, int i, long row, long k, int s, TradeRules.Violation v);
  }

  /** Reads the loans table, the reader's refusals to {@code quarantine}, the others to {@code visitor}. */
  private static void readLoans(Source loans, IdIndex supplierIndex, Consumer<BadRecord> quarantine, Reads reads,
      LoanRow visitor) throws IOException {
    IdRuns loanSuppliers = new IdRuns(supplierIndex);
    ColumnBatch loanBatch = new ColumnBatch(PortfolioTables.LOANS, CHUNK);
    // the loan and supplier ids stay bytes where the reader allows it (a loan id is unique: a
    // String per loan, 10M at a million suppliers, only to be hashed); a String for a refusal only
    loanBatch.keepTextAsBytes(0);
    loanBatch.keepTextAsBytes(1);
    readAll(loans, loanBatch, "loan", quarantine, reads, (batch, i, row) -> {
      String id = batch.strings(0)[i];
      int s = loanSuppliers.indexOf(batch, 1, i);
      TradeRules.Violation v = s >= 0 ? null : TradeRules.supplierOf(batch.string(1, i), false);
      long k = id != null ? IdIndex.key(id) : IdIndex.key(batch.textBytes(0), batch.textStart(0)[i], batch.textLength(0)[i]);
      visitor.accept(batch, i, row, k, s, v);
    });
  }

  /**
   * Reads the credit notes and disputes (either may be null: no such table). The first pass ({@code
   * reportUnclaimed} false) quarantines the rows that break a rule and adds the others to {@code
   * events}; the second, after the invoices, goes through the same rows in the same order, skips
   * the refused ones (already reported) and quarantines each kept event no invoice claimed. Both
   * passes apply the same rules, so the second sees exactly the events the first added, and the
   * reports come ordered by table (credit notes, then disputes), then row.
   *
   * <p>The credit notes' ids: with {@code noteKeys} the pass logs the key of every credit note
   * that claims its id (its supplier known); without, it refuses the later rows of the ids of
   * {@code repeatedNotes} ({@link KeyLog#repeatedKeys}: null when any id may repeat, {@link
   * #NO_REPEATS} when none does) as duplicates, each pass anew, so every pass refuses the same rows.
   */
  private static void readEvents(Path creditNotes, Path disputeTable, IdIndex supplierIndex, InvoiceEvents events,
      Consumer<BadRecord> quarantine, Reads reads, boolean reportUnclaimed, KeyLog noteKeys, long[] repeatedNotes)
      throws IOException {
    try (RepeatedKeys repeats = noteKeys != null || creditNotes == null
        || repeatedNotes != null && repeatedNotes.length == 0 ? null
        : new RepeatedKeys(repeatedNotes, rowsHinted(creditNotes), 1)) {
      readEvents(creditNotes, disputeTable, supplierIndex, events, quarantine, reads, reportUnclaimed, noteKeys, repeats);
    }
  }

  private static void readEvents(Path creditNotes, Path disputeTable, IdIndex supplierIndex, InvoiceEvents events,
      Consumer<BadRecord> quarantine, Reads reads, boolean reportUnclaimed, KeyLog noteKeys, RepeatedKeys repeats)
      throws IOException {
    IdRuns eventSuppliers = new IdRuns(supplierIndex);
    // rows refused, by the reader or a rule, were reported by the first pass
    Consumer<BadRecord> refusals = reportUnclaimed ? r -> { } : quarantine;
    // The ids stay bytes where the reader allows it (a String is built for a refusal only, the
    // invoice id hashed from its bytes): at a million suppliers (14M events) a String per id cost
    // more than the join itself. (A credit note's reason is read: the data model checks it.)
    if (creditNotes != null) {
      ColumnBatch batch = new ColumnBatch(PortfolioTables.CREDIT_NOTES, CHUNK);
      batch.keepTextAsBytes(0);
      batch.keepTextAsBytes(1);
      Source source = new Source(creditNotes);
      readAll(source, batch, "credit_note", refusals, reads, (b, i, row) -> {
        String supplierId = b.strings(2)[i];
        int s = eventSuppliers.indexOf(b, 2, i);
        double amount = b.doubles(4)[i];
        TradeRules.Violation v = TradeRules.supplierOf(supplierId, s >= 0);
        if (v == null && (noteKeys != null || repeats != null)) {
          String id = b.strings(0)[i];
          long k = id != null ? IdIndex.key(id) : IdIndex.key(b.textBytes(0), b.textStart(0)[i], b.textLength(0)[i]);
          if (noteKeys != null) {
            noteKeys.add(k);
          } else if (repeats.isRepeat(k, j -> b.string(0, j), i)) {
            v = TradeRules.duplicate(TradeRules.CREDIT_NOTE_ID);
          }
        }
        if (v == null) {
          v = InvoiceEvents.creditNoteAmount(amount);
        }
        if (v != null) {
          refuse(refusals, source, "credit_note", row, b.string(0, i), v);
          return;
        }
        int booked = b.dates(3)[i];
        String invoiceId = b.strings(1)[i];
        if (!reportUnclaimed) {
          if (invoiceId != null) {
            events.creditNote(invoiceId, s, booked, amount);
          } else {
            int start = b.textStart(1)[i];
            int length = b.textLength(1)[i];
            events.creditNote(b.textBytes(1), start, length, asciiHashCode(b.textBytes(1), start, length), s, booked,
                amount);
          }
        } else if (events.unclaimed(b.string(1, i), s, booked)) {
          quarantine.accept(source.place(InvoiceEvents.unclaimedReport("credit_note", row, b.string(0, i),
              b.string(1, i), supplierId)));
        }
      });
    }
    if (disputeTable != null) {
      ColumnBatch batch = new ColumnBatch(PortfolioTables.DISPUTES, CHUNK);
      batch.keepTextAsBytes(0);
      Source source = new Source(disputeTable);
      readAll(source, batch, "dispute", refusals, reads, (b, i, row) -> {
        String supplierId = b.strings(1)[i];
        int s = eventSuppliers.indexOf(b, 1, i);
        int opened = b.dates(2)[i];
        int resolved = b.dates(3)[i];
        TradeRules.Violation v = TradeRules.supplierOf(supplierId, s >= 0);
        if (v == null) {
          v = InvoiceEvents.disputeDates(opened, resolved == ColumnBatch.NULL_DATE ? Integer.MIN_VALUE : resolved);
        }
        if (v != null) {
          refuse(refusals, source, "dispute", row, b.string(0, i), v);
          return;
        }
        String invoiceId = b.strings(0)[i];
        if (!reportUnclaimed) {
          if (invoiceId != null) {
            events.dispute(invoiceId, s, opened);
          } else {
            int start = b.textStart(0)[i];
            int length = b.textLength(0)[i];
            events.dispute(b.textBytes(0), start, length, asciiHashCode(b.textBytes(0), start, length), s, opened);
          }
        } else {
          String id = b.string(0, i);
          if (events.unclaimed(id, s, opened)) {
            quarantine.accept(source.place(InvoiceEvents.unclaimedReport("dispute", row, id, id, supplierId)));
          }
        }
      });
    }
  }

  /**
   * Passes refusals on once {@link #release()} is called: until then it holds them, in order, and
   * then passes the held ones on first. Lets a table read later put its refusals before them.
   */
  private static final class DeferredQuarantine implements Consumer<BadRecord> {
    private final Consumer<BadRecord> sink;
    private List<BadRecord> held = new ArrayList<>();
    private boolean sinkClosed;

    DeferredQuarantine(Consumer<BadRecord> sink) {
      this.sink = sink;
    }

    @Override
    public void accept(BadRecord r) {
      if (held != null) {
        held.add(r);
      } else if (sinkClosed) {
        throw new IllegalStateException("a refusal after its pass was discarded: " + r);
      } else {
        sink.accept(r);
      }
    }

    void release() {
      List<BadRecord> all = held;
      held = null;
      all.forEach(sink);
    }

    /** Drops the held refusals (of a pass that is run again); passes nothing on afterwards. */
    void discard() {
      held = null;
      sinkClosed = true;
    }
  }

  /**
   * A table's file as the quarantine names it. A file read alone is named as its reader names it,
   * as the portfolio directory was given ({@code portfolio/invoices.csv}), and keeps the reader's
   * row numbers. A table directory of part files ({@code invoices.parquet/}, as Spark writes a
   * table) is read as one file, its rows numbered on across the parts ({@link TableReader#files});
   * a row refused there is placed in its part file, at its row in that part, from the parts' row
   * counts in their footers, read at the table's first refusal (a table without refusals costs
   * nothing). Used by the reading-ahead stage's thread too.
   */
  static final class Source {
    final Path path;
    private final String name;
    private final boolean directory;
    /** For a table directory, once a row is placed: its parts, and the rows before each (null: a count unknown). */
    private List<Path> parts;
    private long[] starts;

    Source(Path path) {
      this.path = path;
      this.name = path.toString();
      this.directory = Files.isDirectory(path);
    }

    /** {@code r}, whose row is numbered as the table's reader numbers it, placed in its file. */
    BadRecord place(BadRecord r) {
      if (!directory) {
        return r.at(name, r.row());
      }
      List<Path> p;
      long[] s;
      synchronized (this) {
        if (parts == null) {
          countParts();
        }
        p = parts;
        s = starts;
      }
      if (s == null) {
        return r.at(name, r.row());   // a part says not how many rows it holds: the rows across the parts
      }
      // the last part whose rows start before this one (an empty part starts where the next does)
      int lo = 0;
      int hi = s.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (s[mid] < r.row()) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return r.at(p.get(lo).toString(), r.row() - s[lo]);
    }

    private void countParts() {
      try {
        parts = TableReader.files(path);
      } catch (IOException | RuntimeException e) {
        parts = List.of(path);   // read a moment ago by the table's reader; should it fail now, the directory is named
        return;
      }
      long[] before = new long[parts.size()];
      long sum = 0;
      for (int k = 0; k < parts.size(); k++) {
        long rows = TableReader.rowCountHint(parts.get(k));
        if (rows < 0) {
          return;
        }
        before[k] = sum;
        sum += rows;
      }
      starts = before;
    }
  }

  /**
   * Translates the engine's row numbers (0-based over the rows fed to it, per table) into the
   * file's 1-based data rows, for the chunk being fed, and places them in the table's file.
   */
  private static final class SourceRows implements Consumer<BadRecord> {
    /** Where the translated refusals go (a pass that may be run again holds them). */
    Consumer<BadRecord> sink;
    /** The file of the table being fed. */
    Source source;
    long fed;
    long[] sourceRow = new long[CHUNK];
    /**
     * The record id of each row of the chunk being fed, for chunks whose ids were left out (null)
     * because the reader kept them as bytes; null when the chunk holds its ids.
     */
    java.util.function.IntFunction<String> idOf;

    SourceRows(Consumer<BadRecord> sink) {
      this.sink = sink;
    }

    @Override
    public void accept(BadRecord r) {
      int index = (int) (r.row() - fed);
      boolean inChunk = index >= 0 && index < sourceRow.length;
      long row = inChunk ? sourceRow[index] : r.row();
      String id = inChunk && idOf != null ? idOf.apply(index) : r.recordId();
      BadRecord translated = new BadRecord(r.table(), row, id, r.field(), r.reason());
      sink.accept(inChunk && source != null ? source.place(translated) : translated);
    }
  }

  /**
   * Streams the invoices into {@code engine}, the duplicate check logging the accepted keys into
   * {@code log} (its first pass) or refusing {@code repeats} (its second), either null.
   */
  private static void streamInvoices(Path file, FeatureEngine engine, IdIndex suppliers,
      Map<String, Integer> buyers, KeyLog log, RepeatedKeys repeats, InvoiceEvents events, Consumer<BadRecord> quarantine,
      SourceRows rows, Reads reads,
      java.util.function.LongConsumer progress) throws IOException {
    ColumnBatch batch = new ColumnBatch(PortfolioTables.INVOICES, CHUNK);
    // Invoice and supplier ids stay bytes where the reader allows it: the duplicate check, the
    // supplier map and the event filter hash the bytes, and a String is built only for an invoice
    // refused or with events.
    batch.keepTextAsBytes(0);
    batch.keepTextAsBytes(1);
    // The final outcomes (delivered_on_time, returned_amount, disputed) and paid_amount are not
    // features' inputs: a Parquet file that declares them REQUIRED needs no decoding of them (about
    // 29% of the generated invoices' decompressed bytes); elsewhere they are read and checked as before.
    for (String unread : new String[] {"delivered_on_time", "returned_amount", "disputed", "paid_amount"}) {
      batch.leaveUnread(PortfolioTables.INVOICES.indexOf(unread));
    }
    Source source = new Source(file);
    rows.source = source;
    BadRowHandler bad = handler("invoice", source, quarantine);
    // Reading ahead, the rows are mapped, checked and joined on the reader's thread (the stage),
    // overlapping with the engine; the refusals reach the quarantine here, in row order, after
    // the reader's own bad rows of the batch, as when everything ran on this thread.
    // The caller closes the log and the repeats after this returns, when the reader's close has
    // waited for its thread to finish the stage.
    InvoiceStage stage = new InvoiceStage(source, suppliers, buyers, log, repeats, events);
    streamInvoices(file, engine, batch, stage, quarantine, rows, reads, bad, progress);
  }

  private static void streamInvoices(Path file, FeatureEngine engine, ColumnBatch batch, InvoiceStage stage,
      Consumer<BadRecord> quarantine, SourceRows rows, Reads reads, BadRowHandler bad,
      java.util.function.LongConsumer progress) throws IOException {
    try (TableReader reader = reads.decoders() > 0
        ? TableReader.openReadingAhead(file, reads.of(PortfolioTables.INVOICES), bad, stage, reads.decoders())
        : TableReader.open(file, reads.of(PortfolioTables.INVOICES), bad)) {
      while (reader.next(batch)) {
        if (reads.decoders() == 0) {
          stage.precompute(batch);
          stage.prepare(batch);
        }
        MappedInvoices mapped = (MappedInvoices) batch.attachment();
        for (BadRecord r : mapped.refused) {
          quarantine.accept(r);
        }
        long[] sourceRows = rows.sourceRow;
        rows.sourceRow = mapped.sourceRow;
        ColumnBatch held = batch;
        rows.idOf = k -> mapped.chunk.invoiceId[k] != null ? mapped.chunk.invoiceId[k]
            : held.string(0, mapped.batchRow[k]);
        engine.addInvoices(mapped.chunk);
        rows.idOf = null;
        rows.sourceRow = sourceRows;
        rows.fed += mapped.chunk.size();
        if (progress != null) {
          progress.accept(reader.rowsRead());
        }
      }
      reads.read("invoice", reader);
    }
  }

  /**
   * Maps the ids of a text column (suppliers, loans) to their indexes in a complete {@link IdIndex},
   * one lookup per run of equal ids (tables come supplier by supplier, instalments loan by loan):
   * by identity for ids held as Strings (readers hand a run the same instance), by comparing the
   * bytes with the previous row's for ids held as bytes, whose key is hashed from the bytes
   * ({@link IdIndex#key(byte[], int, int)}: the key of the same String) without building it.
   */
  static final class IdRuns {
    private final IdIndex index;
    /**
     * The index's keys in index order, or null: a table read in the order its ids were indexed
     * (instalments loan after loan, as the loans) finds the next id at the next index, checked by
     * its key, instead of by a probe of the index at random (at a million suppliers, 10M probes of a
     * 190 MB table, each a cache miss, on the main thread).
     */
    private final long[] keysInOrder;
    private final int ordered;
    private String lastId;
    private byte[] lastBytes = new byte[32];
    private int lastLength = -1;
    private int last = -1;
    /** The last index found (not -1), where the next id is looked for first. */
    private int lastFound = -1;

    IdRuns(IdIndex index) {
      this(index, null, 0);
    }

    /** Runs over {@code index}, whose id of index {@code j < count} has key {@code keysInOrder[j]}. */
    IdRuns(IdIndex index, long[] keysInOrder, int count) {
      this.index = index;
      this.keysInOrder = keysInOrder;
      this.ordered = count;
    }

    /** The index of the id of key {@code k}: the one after the last found when it is that, else by the index. */
    private int lookup(long k) {
      int next = lastFound + 1;
      int found = keysInOrder != null && next < ordered && keysInOrder[next] == k ? next : index.getKey(k);
      if (found >= 0) {
        lastFound = found;
      }
      return found;
    }

    /** The index of the id in row {@code i} of column {@code column}, or -1 when unknown. */
    int indexOf(ColumnBatch batch, int column, int i) {
      String id = batch.strings(column)[i];
      if (id != null) {
        if (id != lastId) {
          last = lookup(IdIndex.key(id));
          lastId = id;
          lastLength = -1;
        }
        return last;
      }
      byte[] text = batch.textBytes(column);
      int start = batch.textStart(column)[i];
      int length = batch.textLength(column)[i];
      if (length != lastLength || !sameBytes(text, start, lastBytes, length)) {
        last = lookup(IdIndex.key(text, start, length));
        if (lastBytes.length < length) {
          lastBytes = new byte[Math.max(length, 2 * lastBytes.length)];
        }
        System.arraycopy(text, start, lastBytes, 0, length);
        lastLength = length;
        lastId = null;
      }
      return last;
    }

    /**
     * The indexes of all the batch's rows of {@code column} into {@code out[0, size)}, as {@link
     * #indexOf} gives them row by row, in one loop. Within a batch, a row whose bytes start where
     * the previous row's did, with the same length, holds the same id (a dictionary-encoded column's
     * rows point at their entry's one copy: {@link ColumnBatch#keepTextAsBytes}), so its bytes are
     * not compared.
     */
    void indexesOf(ColumnBatch batch, int column, int[] out) {
      int n = batch.size();
      if (!batch.keepsTextAsBytes(column)) {
        for (int i = 0; i < n; i++) {
          out[i] = indexOf(batch, column, i);
        }
        return;
      }
      String[] strings = batch.strings(column);
      int[] starts = batch.textStart(column);
      int[] lengths = batch.textLength(column);
      int previousStart = -1;
      int previousLength = -1;
      int previous = -1;
      for (int i = 0; i < n; i++) {
        boolean bytes = strings[i] == null;
        if (bytes && starts[i] == previousStart && lengths[i] == previousLength) {
          out[i] = previous;
          continue;
        }
        previous = indexOf(batch, column, i);
        out[i] = previous;
        previousStart = bytes ? starts[i] : -1;
        previousLength = lengths[i];
      }
    }

    private static final java.lang.invoke.VarHandle LONG_LE =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether {@code text[start, start + length)} equals {@code last[0, length)}. This runs for
     * every row of every trade table (is this row's supplier the last row's?), and {@code
     * Arrays.equals} over a range cost about 7 ns a call for 8-byte ids, most of it the call (2.4%
     * of the CPU of {@code features} at 200,000 suppliers): ids of up to 16 bytes are compared as
     * two little-endian longs, the bytes past the id masked off, where both arrays hold 16 bytes
     * from there.
     */
    static boolean sameBytes(byte[] text, int start, byte[] last, int length) {
      if (length <= 16 && start <= text.length - 16 && last.length >= 16) {
        long low = (long) LONG_LE.get(text, start) ^ (long) LONG_LE.get(last, 0);
        long high = (long) LONG_LE.get(text, start + 8) ^ (long) LONG_LE.get(last, 8);
        if (length <= 8) {
          return (low & lowBytes(length)) == 0;
        }
        return low == 0 && (high & lowBytes(length - 8)) == 0;
      }
      return java.util.Arrays.equals(text, start, start + length, last, 0, length);
    }

    /** A mask of the low {@code n} bytes of a long, 0 to 8. */
    private static long lowBytes(int n) {
      return n == 8 ? -1L : (1L << (n << 3)) - 1;
    }
  }

  /** A batch of invoice rows as the engine takes them, with the rows refused on the way. */
  private static final class MappedInvoices {
    final InvoiceColumns chunk = new InvoiceColumns(CHUNK);
    final long[] sourceRow = new long[CHUNK];
    /** Row of the batch each chunk row came from (for the ids left as bytes). */
    final int[] batchRow = new int[CHUNK];
    final List<BadRecord> refused = new ArrayList<>();
    // InvoiceStage.precompute's, per batch row, on the decoder's thread:
    /** The invoice id's duplicate-check key ({@link IdIndex#key}). */
    final long[] keys = new long[CHUNK];
    /** The invoice id's String.hashCode (the event join's). */
    final int[] hashes = new int[CHUNK];
    /** The supplier's index, -1 when unknown. */
    final int[] supplier = new int[CHUNK];
    /** The supplier ids' runs, this batch's own (lookups are read-only, so decoders may share the index). */
    final IdRuns suppliers;

    /** The buyer's index, null when unknown. */
    final Integer[] buyer = new Integer[CHUNK];
    /** The buyer ids' recent lookups, this batch's own. */
    final RecentBuyers buyers = new RecentBuyers();

    MappedInvoices(IdIndex suppliers) {
      this.suppliers = new IdRuns(suppliers);
    }
  }

  /**
   * The last buyer ids looked up (by identity) and their indexes (null when unknown), most recent
   * first: a supplier's invoices alternate between its few buyers (6.5M changes of buyer in 49.9M
   * invoices at 200,000 suppliers), and the reader hands each distinct id as one String
   * (Utf8Ids), so a handful of ids found by identity spare a map lookup per change.
   */
  private static final class RecentBuyers {
    private static final int RECENT = 8;
    private final String[] ids = new String[RECENT];
    private final Integer[] indexes = new Integer[RECENT];

    /** The index of buyer id {@code id} in {@code buyers} (null when unknown), looked up by identity among the recent ones first. */
    Integer indexOf(String id, Map<String, Integer> buyers) {
      String[] ids = this.ids;
      if (ids[0] == id) {
        return indexes[0];
      }
      int k = 1;
      while (k < RECENT && ids[k] != id) {
        k++;
      }
      Integer b = k < RECENT ? indexes[k] : buyers.get(id);
      // moved to the front; the least recent drops out when it was not there
      int from = Math.min(k, RECENT - 1);
      System.arraycopy(ids, 0, ids, 1, from);
      System.arraycopy(indexes, 0, indexes, 1, from);
      ids[0] = id;
      indexes[0] = b;
      return b;
    }
  }

  /**
   * Maps a batch of invoice rows to the engine's chunk: supplier and buyer indexes, the rules
   * between the records, the duplicate-invoice check and the join of the events known at D. Its
   * state (the ids seen, the events claimed) is touched by one thread at a time, batch after
   * batch in file order: the reader's thread when reading ahead (the caller reads the events only
   * after closing the reader), else the caller's. What a row alone determines (its keys, hash and
   * indexes, {@link #precompute}) is computed before, by the decoders, into the batch's own
   * {@link MappedInvoices}, reading the supplier and buyer indexes only.
   */
  private static final class InvoiceStage implements TableReader.BatchStage {
    /** The invoices' file, where the rows refused here are placed. */
    private final Source source;
    private final IdIndex suppliers;
    private final Map<String, Integer> buyers;
    /** The accepted invoices' keys (the check's first pass), or null. */
    private final KeyLog log;
    /** The repeats to refuse (the check's second pass), or null. */
    private final RepeatedKeys repeats;
    /** Whether the rows need their duplicate-check keys. */
    private final boolean keyed;
    private final InvoiceEvents events;

    InvoiceStage(Source source, IdIndex suppliers, Map<String, Integer> buyers, KeyLog log, RepeatedKeys repeats,
        InvoiceEvents events) {
      this.source = source;
      this.suppliers = suppliers;
      this.buyers = buyers;
      this.log = log;
      this.repeats = repeats;
      this.keyed = log != null || repeats != null;
      this.events = events;
    }

    /**
     * Each row's duplicate-check key, String.hashCode, supplier and buyer index: they depend on the row
     * alone, so the decoders compute them, each on its own batches (the rules, the duplicate
     * check's log or probes and the event join stay in {@link #prepare}, in file order).
     */
    @Override
    public void precompute(ColumnBatch batch) {
      MappedInvoices mapped = (MappedInvoices) batch.attachment();
      if (mapped == null) {
        mapped = new MappedInvoices(suppliers);
        batch.attach(mapped);
      }
      long[] keys = mapped.keys;
      int[] hashes = mapped.hashes;
      int[] supplier = mapped.supplier;
      String[] ids = batch.strings(0);
      boolean bytes = batch.keepsTextAsBytes(0);
      byte[] text = bytes ? batch.textBytes(0) : null;
      int[] starts = bytes ? batch.textStart(0) : null;
      int[] lengths = bytes ? batch.textLength(0) : null;
      IdRuns supplierIds = mapped.suppliers;
      Integer[] buyer = mapped.buyer;
      RecentBuyers recentBuyers = mapped.buyers;
      String[] buyerIds = batch.strings(2);
      for (int i = 0; i < batch.size(); i++) {
        // The id: a String, or (null) ASCII bytes, whose fingerprint and String.hashCode are
        // those of the String they spell.
        if (ids[i] != null) {
          keys[i] = keyed ? IdIndex.key(ids[i]) : 0;
          hashes[i] = ids[i].hashCode();
        } else if (keyed) {
          keys[i] = IdIndex.keyAndHash(text, starts[i], lengths[i], hashes, i);
        } else {
          hashes[i] = asciiHashCode(text, starts[i], lengths[i]);
        }
        buyer[i] = recentBuyers.indexOf(buyerIds[i], buyers);
      }
      supplierIds.indexesOf(batch, 1, supplier);
    }

    @Override
    public void prepare(ColumnBatch batch) {
      MappedInvoices mapped = (MappedInvoices) batch.attachment();
      mapped.refused.clear();
      InvoiceColumns chunk = mapped.chunk;
      int filled = 0;
      String[] ids = batch.strings(0);
      boolean bytes = batch.keepsTextAsBytes(0);
      byte[] text = bytes ? batch.textBytes(0) : null;
      int[] starts = bytes ? batch.textStart(0) : null;
      int[] lengths = bytes ? batch.textLength(0) : null;
      long[] keys = mapped.keys;   // precompute's
      IntFunction<String> idOf = repeats == null ? null : r -> batch.string(0, r);   // the check's second pass
      for (int i = 0; i < batch.size(); i++) {
        long row = batch.sourceRows()[i];
        String id = ids[i];
        int s = mapped.supplier[i];
        String buyerId = batch.strings(2)[i];
        Integer b = mapped.buyer[i];
        TradeRules.Violation v = TradeRules.invoice(s >= 0 ? null : batch.string(1, i), s >= 0, buyerId, b != null);
        if (v == null && repeats != null && repeats.isRepeat(keys[i], idOf, i)) {
          v = TradeRules.duplicate(TradeRules.INVOICE_ID);
        }
        if (v != null) {
          mapped.refused.add(source.place(new BadRecord("invoice", row, id != null ? id : batch.string(0, i),
              v.field(), v.reason())));
          continue;
        }
        if (log != null) {
          log.add(keys[i]);
        }
        int paid = batch.dates(9)[i];
        mapped.sourceRow[filled] = row;
        mapped.batchRow[filled] = i;
        chunk.set(filled++, s, b, batch.dates(3)[i], batch.dates(4)[i],
            paid == ColumnBatch.NULL_DATE ? InvoiceColumns.UNPAID : paid,
            batch.doubles(5)[i], 0.0, false, false, id);
        // The invoice's own returned_amount, delivered_on_time and disputed columns are the
        // outcomes as finally known and are not read: what was known at D comes from the events.
        int hash = mapped.hashes[i];
        if (events.mayHaveEvents(hash, s)) {
          if (id != null) {
            events.fill(chunk, filled - 1, id, s);
          } else {
            events.fill(chunk, filled - 1, text, starts[i], lengths[i], hash, s);   // no String per invoice
          }
        }
      }
      chunk.setSize(filled);
    }
  }

  /**
   * Streams the instalments into {@code engine}, checking that no row repeats the due date of an
   * accepted row of its loan: given {@code lastDue} (per loan index, the last due date accepted),
   * by order alone, stopping at the first row not due after the last of its loan and returning true
   * (the caller reads them again); given {@code accepted}, by the set of loan and due dates accepted,
   * refusing the repeats. Returns false when the pass ran to its end.
   */
  private static boolean streamInstalments(Source file, FeatureEngine engine, IdIndex suppliers,
      IdRuns loanIds, IntList loanSupplier, IntList loanDrawdown, DoubleList loanAmount, int[] lastDue,
      FingerprintSet accepted, Consumer<BadRecord> quarantine, SourceRows rows, Reads reads) throws IOException {
    InstalmentColumns chunk = new InstalmentColumns(CHUNK);
    ColumnBatch batch = new ColumnBatch(PortfolioTables.INSTALMENTS, CHUNK);
    batch.leaveUnread(PortfolioTables.INSTALMENTS.indexOf("instalment_number"));   // the due date orders them
    // the loan ids stay bytes where the reader allows it: a String is built for a refusal only
    batch.keepTextAsBytes(0);
    // instalments come loan by loan, in the loans' order: one lookup per run of a loan id (the
    // next loan's, checked by its key first) and of a supplier id
    IdRuns supplierIds = new IdRuns(suppliers);
    int[] loanOfRow = new int[CHUNK];
    int[] supplierOfRow = new int[CHUNK];
    int[] batchRow = new int[CHUNK];
    rows.source = file;
    // a row the engine's rules refuse (due before drawdown, ...) is named by its loan id, as the
    // reader's refusals and Spark's quarantine name it (it was "row <n>", n counting the rows fed)
    rows.idOf = k -> batch.string(0, batchRow[k]);
    try (TableReader reader = open(file.path, PortfolioTables.INSTALMENTS, handler("instalment", file, quarantine),
        reads)) {
      while (reader.next(batch)) {
        loanIds.indexesOf(batch, 0, loanOfRow);
        supplierIds.indexesOf(batch, 1, supplierOfRow);
        int filled = 0;
        for (int i = 0; i < batch.size(); i++) {
          long row = batch.sourceRows()[i];
          int l = loanOfRow[i];
          int s = supplierOfRow[i];
          boolean ofLoan = l >= 0 && s >= 0 && s == loanSupplier.get(l);
          // the rule needs the loan id's text only for its reason (a String built for a refusal only)
          String loanId = ofLoan ? batch.strings(0)[i] : batch.string(0, i);
          TradeRules.Violation v = TradeRules.instalment(loanId, l >= 0, batch.strings(1)[i], ofLoan);
          int due = batch.dates(3)[i];
          if (v == null) {
            if (lastDue != null) {
              if (due <= lastDue[l]) {
                return true;   // out of due-date order: this pass cannot tell a repeat, the next will
              }
              lastDue[l] = due;
            } else if (!accepted.addKey((long) (l + 1) << 32 | (due & 0xFFFF_FFFFL))) {
              loanId = batch.string(0, i);
              v = TradeRules.repeatedInstalment(loanId);
            }
          }
          if (v != null) {
            refuse(quarantine, file, "instalment", row, loanId, v);
            continue;
          }
          int repaid = batch.dates(5)[i];
          rows.sourceRow[filled] = row;
          batchRow[filled] = i;
          chunk.set(filled++, s, l, loanDrawdown.get(l), loanAmount.get(l), due, batch.doubles(4)[i],
              repaid == ColumnBatch.NULL_DATE ? InstalmentColumns.UNREPAID : repaid, batch.doubles(6)[i]);
        }
        chunk.setSize(filled);
        engine.addInstalments(chunk);
        rows.fed += filled;
      }
      reads.read("instalment", reader);
    } finally {
      rows.idOf = null;
    }
    return false;
  }

  private static void streamDeliveries(Source file, FeatureEngine engine, IdIndex suppliers,
      Consumer<BadRecord> quarantine, SourceRows rows, Reads reads) throws IOException {
    DeliveryColumns chunk = new DeliveryColumns(CHUNK);
    ColumnBatch batch = new ColumnBatch(PortfolioTables.DELIVERIES, CHUNK);
    // The invoice id of a delivery only names it in a refusal. A Parquet file that proves it
    // present in every row is not read for it at all (unique ids are most of the file's bytes):
    // the refused rows are named afterwards from that column alone (DeliveryRefusals). Other
    // files give it as bytes, turned into a String only for a refused row.
    batch.leaveTextUnread(0);
    batch.keepTextAsBytes(0);
    batch.keepTextAsBytes(1);
    int[] batchRow = new int[CHUNK];
    int[] supplierOfRow = new int[CHUNK];
    IdRuns supplierIds = new IdRuns(suppliers);
    DeliveryRefusals refusals = new DeliveryRefusals(file, quarantine);
    Consumer<BadRecord> engineSink = rows.sink;
    // the engine's refusals reach `refusals` unplaced, in the reader's row numbers, with the id
    // that idOf gives (null where the batch's ids were left unread)
    rows.source = null;
    rows.sink = refusals;
    try (TableReader reader = open(file.path, PortfolioTables.DELIVERIES, refusals::refusedByReader, reads)) {
      while (reader.next(batch)) {
        boolean unnamed = batch.isUnset(0);
        supplierIds.indexesOf(batch, 1, supplierOfRow);
        long[] sourceRows = batch.sourceRows();
        int[] promised = batch.dates(2);
        int[] actual = batch.dates(3);
        String[] ids = batch.strings(0);
        int filled = 0;
        for (int i = 0; i < batch.size(); i++) {
          long row = sourceRows[i];
          int s = supplierOfRow[i];
          if (s < 0) {
            TradeRules.Violation v = TradeRules.supplierOf(batch.string(1, i), false);
            refusals.accept(new BadRecord("delivery", row, unnamed ? null : batch.string(0, i), v.field(), v.reason()));
            continue;
          }
          rows.sourceRow[filled] = row;
          batchRow[filled] = i;
          chunk.set(filled++, s, promised[i], actual[i], unnamed ? null : ids[i]);
        }
        chunk.setSize(filled);
        rows.idOf = unnamed ? k -> null : k -> batch.string(0, batchRow[k]);
        engine.addDeliveries(chunk);
        rows.idOf = null;
        rows.fed += filled;
      }
      reads.read("delivery", reader);
    } finally {
      rows.sink = engineSink;
    }
    refusals.nameAndPassOn(reads);
  }

  /**
   * The deliveries' refusals, in the order they are made (the reader's, then each batch's rules'
   * and engine's), unplaced. They pass straight on, placed in the table's file, until one comes
   * without the row's invoice id because the reader left that column unread ({@link
   * ColumnBatch#leaveTextUnread}); from then on all are held, and once the table is read, the
   * ids of the held rows are read from that column alone (up to the last such row), so that every
   * refusal carries the id it would have had with the column read: its value for a rule's or the
   * engine's refusal; for the reader's, {@link BadRecord#readId}'s rule (a row refused for its id
   * column itself was named {@code ?} by the reader and stays so). A row the second read refuses
   * (its id not valid UTF-8, or with NUL: the rules not checked when the column was left unread)
   * is named {@code ?}. Holding costs memory only in a run whose files left the ids unread and that
   * refused deliveries, as the other tables' held refusals do ({@link DeferredQuarantine}).
   */
  private static final class DeliveryRefusals implements Consumer<BadRecord> {
    private static final String ID = PortfolioTables.DELIVERIES.columns().get(0).name();
    private final Source file;
    private final Consumer<BadRecord> sink;
    /** The refusals held since the first unnamed one; null until then. */
    private List<BadRecord> held;
    /** Per held refusal: whether it is the reader's (named by {@link BadRecord#readId}). */
    private final java.util.BitSet byReader = new java.util.BitSet();

    DeliveryRefusals(Source file, Consumer<BadRecord> sink) {
      this.file = file;
      this.sink = sink;
    }

    /** A rule's or the engine's refusal; a null record id: the row's id was left unread. */
    @Override
    public void accept(BadRecord r) {
      hold(r, r.recordId() == null, false);
    }

    /** The reader's refusal of a row. */
    void refusedByReader(InputFormatException e) {
      String field = e.column() == null ? "row" : e.column();
      // without its id: unread, or read and empty (named "?" by the same rule either way)
      boolean unnamed = e.recordId() == null && BadRecord.idRead(e.column(), ID);
      hold(new BadRecord("delivery", e.row(), unnamed ? null : BadRecord.idOrUnknown(e.recordId()), field, e.problem()),
          unnamed, true);
    }

    private void hold(BadRecord r, boolean unnamed, boolean reader) {
      if (held == null && !unnamed) {
        sink.accept(file.place(r));
        return;
      }
      if (held == null) {
        held = new ArrayList<>();
      }
      byReader.set(held.size(), reader);
      held.add(r);
    }

    /** Names the held refusals from the id column alone, then places them and passes them on, in order. */
    void nameAndPassOn(Reads reads) throws IOException {
      if (held == null) {
        return;
      }
      long[] wanted = held.stream().filter(r -> r.recordId() == null).mapToLong(BadRecord::row).sorted().distinct()
          .toArray();
      Map<Long, String> ids;
      TableSchema idOnly = new TableSchema(PortfolioTables.DELIVERIES.name(),
          List.of(PortfolioTables.DELIVERIES.columns().get(0)));
      ColumnBatch batch = new ColumnBatch(idOnly, CHUNK);
      batch.keepTextAsBytes(0);
      // a row refused here (its id not valid UTF-8, or with NUL) gets no id: "?" below
      try (TableReader reader = TableReader.open(file.path, reads.of(idOnly), e -> { })) {
        ids = TableReader.textAtRows(reader, batch, 0, wanted);
      }
      for (int h = 0; h < held.size(); h++) {
        BadRecord r = held.get(h);
        held.set(h, null);   // passed on: the sink holds it now, not both
        if (r.recordId() == null) {
          String id = ids.get(r.row());
          id = byReader.get(h) ? BadRecord.readId(r.field(), ID, id) : id;
          r = new BadRecord(r.table(), r.row(), BadRecord.idOrUnknown(id), r.field(), r.reason());
        }
        sink.accept(file.place(r));
      }
      held = null;
    }
  }

  private static TableReader open(Path file, TableSchema schema, BadRowHandler handler, Reads reads)
      throws IOException {
    return reads.decoders() > 0 ? TableReader.openReadingAhead(file, reads.of(schema), handler, null, reads.decoders())
        : TableReader.open(file, reads.of(schema), handler);
  }

  private static void refuse(Consumer<BadRecord> quarantine, Source file, String table, long row, String id,
      TradeRules.Violation v) {
    quarantine.accept(file.place(new BadRecord(table, row, id, v.field(), v.reason())));
  }

  /**
   * The quarantine of the rows the reader of {@code file} refuses: the one place a reader's refusal
   * becomes a report. The record id is the row's own when the reader could read it (the fault is
   * in a later column; {@link InputFormatException#recordId}), {@code ?} when the id itself is
   * missing or unreadable or the record is refused whole.
   */
  private static BadRowHandler handler(String table, Source file, Consumer<BadRecord> quarantine) {
    return e -> quarantine.accept(file.place(new BadRecord(table, e.row(), BadRecord.idOrUnknown(e.recordId()),
        e.column() == null ? "row" : e.column(), e.problem())));
  }

  /** {@link String#hashCode()} of the String spelt by ASCII bytes {@code bytes[start, start + length)}. */
  static int asciiHashCode(byte[] bytes, int start, int length) {
    // 31 * h + b four bytes at a time (the same int arithmetic, wrapping alike): one multiplication
    // on the chain per four bytes instead of one per byte
    int h = 0;
    int i = start;
    for (int end = start + length - 3; i < end; i += 4) {
      h = 923_521 * h + 29_791 * bytes[i] + 961 * bytes[i + 1] + 31 * bytes[i + 2] + bytes[i + 3];
    }
    for (int end = start + length; i < end; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  /** Little-endian 8-byte reads of a byte array, for {@link #fingerprint(byte[], int, int)}. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;
  private static final long LENGTH_MULTIPLIER = 0xC2B2AE3D27D4EB4FL;
  /** FNV-1a's 64-bit offset basis and prime: the {@link #fingerprint(String)} of an id that is not ASCII. */
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /**
   * A 64-bit fingerprint of an id; collisions are vanishingly rare below billions of ids. An ASCII
   * id's is {@link #fingerprint(byte[], int, int)} of its bytes (so that ids held as bytes are keyed
   * without a String); another's is FNV-1a over its chars.
   */
  static long fingerprint(String id) {
    int length = id.length();
    long h = length * LENGTH_MULTIPLIER;
    int i = 0;
    if (length >= 8) {
      for (; i + 8 < length; i += 8) {
        h = wordStep(h, charsAsWord(id, i));
      }
      h = wordStep(h, charsAsWord(id, length - 8));
    } else {
      long word = 0;
      for (; i < length; i++) {
        word = word << 8 | id.charAt(i);
      }
      h = wordStep(h, word);
    }
    for (int j = 0; j < length; j++) {
      if (id.charAt(j) > 0x7F) {
        long fnv = FNV_OFFSET;
        for (int k = 0; k < length; k++) {
          fnv ^= id.charAt(k);
          fnv *= FNV_PRIME;
        }
        return fnv;
      }
    }
    return h;
  }

  /**
   * The fingerprint of the id spelt by the ASCII bytes {@code bytes[start, start + length)}: eight
   * bytes at a time (the last eight read again where the length is not a multiple of eight), each
   * word one multiplication on the chain. Until 2026-12-07 it was FNV-1a, one multiplication per
   * byte, about four times the chain of a 12-byte id (no gain shown on the whole run at 200,000
   * suppliers: benchmarks/results/duplicate-check-2026-12-07-amd.md).
   */
  static long fingerprint(byte[] bytes, int start, int length) {
    long h = length * LENGTH_MULTIPLIER;
    int end = start + length;
    if (length >= 8) {
      for (int i = start; i + 8 < end; i += 8) {
        h = wordStep(h, (long) LONGS.get(bytes, i));
      }
      h = wordStep(h, (long) LONGS.get(bytes, end - 8));
    } else {
      long word = 0;
      for (int i = start; i < end; i++) {
        word = word << 8 | bytes[i];
      }
      h = wordStep(h, word);
    }
    return h;   // no finaliser: whoever places a key by its bits mixes it first (IdIndex.mix)
  }

  /** Eight chars from {@code from}, each below 0x80 for an ASCII id, as {@link #LONGS} reads their bytes. */
  private static long charsAsWord(String id, int from) {
    long word = 0;
    for (int j = 7; j >= 0; j--) {
      word = word << 8 | (id.charAt(from + j) & 0xFF);
    }
    return word;
  }

  /** One word into the fingerprint: a bijection of {@code h} for a given word, and of the word for a given {@code h}. */
  private static long wordStep(long h, long word) {
    h = (h ^ word) * WORD_MULTIPLIER;
    return h ^ (h >>> 32);
  }



  @FunctionalInterface
  private interface RowVisitor {
    void visit(ColumnBatch batch, int index, long row) throws IOException;
  }

  private static void readAll(Source file, TableSchema schema, Consumer<BadRecord> quarantine, Reads reads,
      RowVisitor visitor) throws IOException {
    String table = schema.name().endsWith("s") ? schema.name().substring(0, schema.name().length() - 1) : schema.name();
    readAll(file, schema, table, quarantine, reads, visitor);
  }

  /**
   * Visits every good row of {@code file} in order on the calling thread; with {@code decoders}
   * above 0 the file is read and decoded on that many background threads meanwhile (one for files
   * other than Parquet; the same rows and bad rows).
   */
  private static void readAll(Source file, TableSchema schema, String table, Consumer<BadRecord> quarantine,
      Reads reads, RowVisitor visitor) throws IOException {
    readAll(file, new ColumnBatch(schema, CHUNK), table, quarantine, reads, visitor);
  }

  /** As {@link #readAll(Source, TableSchema, String, Consumer, Reads, RowVisitor)}, into {@code batch} as its caller set it up. */
  private static void readAll(Source file, ColumnBatch batch, String table, Consumer<BadRecord> quarantine,
      Reads reads, RowVisitor visitor) throws IOException {
    TableSchema schema = batch.schema();
    try (TableReader reader = open(file.path, schema, handler(table, file, quarantine), reads)) {
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          visitor.visit(batch, i, batch.sourceRows()[i]);
        }
      }
      reads.read(table, reader);
    }
  }

  /** Columns of a feature table: {@link PortfolioTables#FEATURES}. */
  public static TableSchema featureTableSchema() {
    return PortfolioTables.FEATURES;
  }

  /** Writes a feature table (format by extension), atomically. */
  public static void write(Result result, LocalDate asOf, Path out) throws IOException {
    FeatureSchema schema = StandardFeatures.SCHEMA;
    int width = schema.size();
    int day = Math.toIntExact(asOf.toEpochDay());
    writeTable(out, featureTableSchema(), result.supplierIds().size(), (batch, slot, s) -> {
      batch.strings(0)[slot] = result.supplierIds().get(s);
      batch.dates(1)[slot] = day;
      for (int j = 0; j < width; j++) {
        double v = result.matrix()[s * width + j];
        FeatureSpec f = schema.feature(j);
        if (f.type() == FeatureType.CATEGORICAL) {
          batch.strings(j + 2)[slot] = Double.isNaN(v) ? null : f.categories().get((int) v);
        } else {
          batch.doubles(j + 2)[slot] = v;
        }
      }
      return s + 1;
    });
  }

  /**
   * The trade tables a refused row may name (the quarantine's {@code table} column), in the order
   * the tables are read: the run manifests count the refused rows of each.
   */
  public static final List<String> QUARANTINE_TABLES =
      List.of("anchor", "supplier", "loan", "credit_note", "dispute", "invoice", "instalment", "delivery");

  /**
   * The refused rows by table: every table of {@link #QUARANTINE_TABLES}, in that order, with its
   * count (0 for none), so that a run report reconciles with its quarantine whatever was refused.
   */
  public static Map<String, Long> refusedByTable(List<BadRecord> bad) {
    Map<String, Long> counts = new java.util.HashMap<>();
    bad.forEach(r -> counts.merge(r.table(), 1L, Long::sum));
    return everyTable(counts);
  }

  /**
   * {@code counts} (keyed by {@link #QUARANTINE_TABLES}' names) for every table of {@link
   * #QUARANTINE_TABLES}, in that order, 0 for a table it has not: the one shape of the per-table
   * counts of every run manifest, the command line's and the Spark job's.
   */
  public static Map<String, Long> everyTable(Map<String, Long> counts) {
    Map<String, Long> all = new java.util.LinkedHashMap<>();
    QUARANTINE_TABLES.forEach(t -> all.put(t, counts.getOrDefault(t, 0L)));
    return all;
  }

  /**
   * The data rows read of every table of {@link #QUARANTINE_TABLES}, in that order, good and bad
   * (0 for a table the portfolio does not have): with {@link #refusedByTable} a run report
   * reconciles each table's rows read with its rows refused.
   */
  public static Map<String, Long> readByTable(Result result) {
    return everyTable(result.rowsRead());
  }

  /**
   * Writes refused trade-table rows to {@code path} in the layout of {@link
   * PortfolioTables#FEATURE_QUARANTINE} (table, file, row, record id, field, reason): in the order
   * given table by table (a run of records of one table stays where it is), and within such a run
   * by file, in the order the files first appear, then by row. The loader reports a chunk's rows
   * the reader could not parse before the chunk's rows the rules refuse (an unknown supplier two
   * rows above an unreadable amount came after it); the file lists them as the table holds them.
   */
  public static void writeQuarantine(List<BadRecord> bad, Path path) throws IOException {
    writeRecords(inRowOrder(bad), path);
  }

  /** {@code bad} with each run of one table's records stably sorted by file (first appearance) and row. */
  static List<BadRecord> inRowOrder(List<BadRecord> bad) {
    List<BadRecord> out = new ArrayList<>(bad);
    int start = 0;
    while (start < out.size()) {
      int end = start + 1;
      while (end < out.size() && out.get(end).table().equals(out.get(start).table())) {
        end++;
      }
      Map<String, Integer> fileRank = new java.util.HashMap<>();
      for (int i = start; i < end; i++) {
        fileRank.putIfAbsent(String.valueOf(out.get(i).file()), fileRank.size());
      }
      out.subList(start, end).sort(java.util.Comparator
          .<BadRecord>comparingInt(r -> fileRank.get(String.valueOf(r.file()))).thenComparingLong(BadRecord::row));
      start = end;
    }
    return out;
  }

  private static void writeRecords(List<BadRecord> bad, Path path) throws IOException {
    TableSchema layout = PortfolioTables.FEATURE_QUARANTINE;
    int table = layout.indexOf("table");
    int file = layout.indexOf("file");
    int row = layout.indexOf("row");
    int recordId = layout.indexOf("record_id");
    int field = layout.indexOf("field");
    int reason = layout.indexOf("reason");
    writeTable(path, layout, bad.size(), (batch, slot, i) -> {
      BadRecord r = bad.get(i);
      batch.strings(table)[slot] = r.table();
      batch.strings(file)[slot] = r.file();
      batch.longs(row)[slot] = r.row();
      batch.strings(recordId)[slot] = r.recordId();
      batch.strings(field)[slot] = r.field();
      batch.strings(reason)[slot] = r.reason();
      return r.row();
    });
  }

  /** Fills one output row into {@code batch} at {@code slot}; returns the row's source row number. */
  private interface RowFiller {
    long fill(ColumnBatch batch, int slot, int row) throws IOException;
  }

  /** Writes rows {@code 0..count-1} to {@code path} through a spool: complete or not there at all. */
  private static void writeTable(Path path, TableSchema schema, int count, RowFiller filler) throws IOException {
    Path partial = path.resolveSibling(path.getFileName() + ".partial");
    try (OutputSpool spool = OutputSpool.create(path, partial, schema)) {
      ColumnBatch batch = new ColumnBatch(schema, CHUNK);
      for (int r = 0; r < count; r++) {
        batch.commitRow(filler.fill(batch, batch.size(), r));
        if (batch.isFull()) {
          spool.append(batch);
          batch.clear();
        }
      }
      if (batch.size() > 0) {
        spool.append(batch);
      }
      spool.finish();
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Ids to dense indexes in open-addressing arrays of 64-bit fingerprints, 12 bytes a slot, so a
   * million suppliers or millions of loans fit in a small heap (the duplicate-invoice check's set
   * of the same keys is {@link FingerprintSet}, off the heap). Two distinct ids share a fingerprint
   * with probability about n^2 / 2^65 (under 1e-6 for five million ids).
   */
  static final class IdIndex {
    private long[] keys;
    private int[] values;
    private int size;

    IdIndex() {
      this(1 << 12);
    }

    private IdIndex(int slots) {
      keys = new long[slots];
      values = new int[slots];
    }

    /**
     * An index with room for {@code expected} ids (a file's row count hint; 0 when unknown) without
     * growing: at most three quarters full. A hint whose table would take more than an eighth of the
     * heap (a corrupt footer) is not trusted; the index then grows as it fills.
     */
    static IdIndex sizedFor(long expected) {
      long need = expected * 4 / 3 + 1;
      long slots = 1 << 12;
      while (slots < need && slots < 1 << 30) {
        slots <<= 1;
      }
      return slots * 12 <= Runtime.getRuntime().maxMemory() / 8 ? new IdIndex((int) slots) : new IdIndex();
    }

    /** The index of {@code id}, or -1. */
    int get(String id) {
      return getKey(key(id));
    }

    /** The index of the id of key {@code k} ({@link #key(String)} or {@link #key(byte[], int, int)}), or -1. */
    int getKey(long k) {
      int slot = slotOf(k);
      return keys[slot] == 0 ? -1 : values[slot];
    }

    /** Stores {@code id -> value} unless present; returns the existing index or -1. */
    int putIfAbsent(String id, int value) {
      return putKeyIfAbsent(key(id), value);
    }

    /** As {@link #putIfAbsent}, the id given by its key ({@link #key(String)}). */
    int putKeyIfAbsent(long k, int value) {
      // Grown at three quarters full.
      if (size >= keys.length - (keys.length >> 2)) {
        grow();
      }
      int slot = slotOf(k);
      if (keys[slot] != 0) {
        return values[slot];
      }
      keys[slot] = k;
      values[slot] = value;
      size++;
      return -1;
    }

    /** The slot holding {@code k}, or the empty slot where it would go (linear probing). */
    private int slotOf(long k) {
      int mask = keys.length - 1;
      int i = (int) (mix(k) & mask);
      while (keys[i] != 0 && keys[i] != k) {
        i = (i + 1) & mask;
      }
      return i;
    }

    static long key(String id) {
      long k = fingerprint(id);
      return k == 0 ? 1 : k;
    }

    /**
     * The key of the id spelt by the ASCII bytes {@code bytes[start, start + length)}: the key of
     * that String ({@link #fingerprint(String)} over chars equal to the bytes), without building it.
     */
    static long key(byte[] bytes, int start, int length) {
      long h = fingerprint(bytes, start, length);
      return h == 0 ? 1 : h;
    }

    /**
     * {@link #key(byte[], int, int)} of the ASCII bytes, also storing the {@link String#hashCode()}
     * of the String they spell into {@code hashes[at]}.
     */
    static long keyAndHash(byte[] bytes, int start, int length, int[] hashes, int at) {
      hashes[at] = asciiHashCode(bytes, start, length);
      return key(bytes, start, length);
    }

    /** Spreads a key's bits over the slot index (MurmurHash3's finaliser, first half). */
    static long mix(long z) {
      z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
      return z ^ (z >>> 33);
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new int[keys.length];
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != 0) {
          int slot = slotOf(oldKeys[j]);
          keys[slot] = oldKeys[j];
          values[slot] = oldValues[j];
        }
      }
    }
  }
}
