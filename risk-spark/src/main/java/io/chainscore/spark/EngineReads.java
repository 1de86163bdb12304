package io.chainscore.spark;

import static io.chainscore.spark.SupplierBlocks.D1;
import static io.chainscore.spark.SupplierBlocks.DUP;
import static io.chainscore.spark.SupplierBlocks.READ_PROBLEM;
import static io.chainscore.spark.SupplierBlocks.S1;
import static io.chainscore.spark.SupplierBlocks.SUPPLIER_ID;
import static io.chainscore.spark.SupplierBlocks.X1;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.ParquetSegments;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.Platform;
import scala.Tuple2;

/**
 * The portfolio's Parquet files read inside Spark's tasks by the batch engine's own reader
 * ({@link ParquetSegments}) instead of Spark's: the driver reads each file's footer and cuts it
 * into segments of whole row groups; each task reads its segments with the same reader, the same
 * table rules and the same bad-row reasons as {@code chainscore features}, and encodes the rows
 * straight into the supplier shuffle's blocks ({@link SupplierBlocks}). No Spark row is made per
 * transaction, ids are decoded once per dictionary entry, and the rows per table come from the
 * footers (no count job).
 *
 * <p>A row the reader refuses is encoded as a row with its problem and no supplier id, at its
 * place in source order, so that the partition that receives it quarantines it as before.
 *
 * <p>Thread safety: stateless; the iterators are for one task.
 */
final class EngineReads {
  private EngineReads() {}

  /** The tables a portfolio must have, in the order the computation lists them; then the event tables it may have. */
  private static final List<TableSchema> REQUIRED = List.of(PortfolioTables.ANCHORS, PortfolioTables.SUPPLIERS,
      PortfolioTables.INVOICES, PortfolioTables.LOANS, PortfolioTables.INSTALMENTS);

  /** Every table of a portfolio: the required ones, then the event tables. */
  static final List<TableSchema> TABLES = java.util.stream.Stream.concat(REQUIRED.stream(),
      PortfolioTables.EVENTS.stream()).toList();

  /** Whether a portfolio must have table {@code layout} (one of {@link #TABLES}). */
  static boolean isRequired(TableSchema layout) {
    return REQUIRED.contains(layout);
  }

  /** The table layouts, by the portfolio's table names (each layout's name). */
  static final Map<String, TableSchema> SCHEMAS = TABLES.stream()
      .collect(java.util.stream.Collectors.toUnmodifiableMap(TableSchema::name, t -> t));

  /** The kind ({@link SparkFeatures#key}) of each transaction table's rows. */
  static final Map<String, Integer> KINDS = Map.of(
      "suppliers", SparkFeatures.SUPPLIER,
      "loans", SparkFeatures.LOAN,
      "credit_notes", SparkFeatures.CREDIT_NOTE,
      "disputes", SparkFeatures.DISPUTE,
      "invoices", SparkFeatures.INVOICE,
      "instalments", SparkFeatures.INSTALMENT,
      "deliveries", SparkFeatures.DELIVERY);

  /** For tests: read local files through Hadoop's file system too (as files of HDFS or S3 are). */
  static boolean throughHadoopAlways = false;

  /**
   * One task's unit of reading: segment {@code segment} of file {@code path}, the file index {@code
   * file}, its rows {@code [firstRow, endRow)} of the file (0-based); {@code ownsBadRows}: whether
   * the task that reads it encodes the rows the reader refuses (false where, on the supplier ranges
   * path, another task reading the same segment does).
   */
  record Split(String table, int file, String path, int segment, long firstRow, long endRow, boolean ownsBadRows)
      implements Serializable {
    Split(String table, int file, String path, int segment) {
      this(table, file, path, segment, 0, Long.MAX_VALUE, true);
    }

    /** The same segment with {@code ownsBadRows} set as given. */
    Split owning(boolean owns) {
      return new Split(table, file, path, segment, firstRow, endRow, owns);
    }

    long rows() {
      return endRow - firstRow;
    }
  }

  /**
   * What the footers say: the splits of the transaction tables and of the anchors (read on the
   * driver), the rows of every table, and whether this engine's reader reads every file (else the
   * caller reads with Spark's): decodes its encodings and codecs and takes its columns' types (a
   * date column stored as instants is read in the session's zone, as Spark's reader casts it).
   */
  record Plan(List<Split> splits, List<Split> anchorSplits, Map<String, Long> rowsIn, boolean decodable) {}

  /**
   * The files of each table of the portfolio under {@code base} (ending in {@code /}), as Spark's
   * file index lists them when it reads {@code NAME.parquet}: the file, or every file under the
   * directory whose path below it has no part starting with {@code _} or {@code .}; null when a
   * required table is missing or has no file (Spark's reader then says so in its own words).
   */
  static Map<String, List<String>> list(org.apache.spark.sql.SparkSession spark, String base) {
    Map<String, List<String>> filesOf = new LinkedHashMap<>();
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      for (TableSchema layout : java.util.stream.Stream.concat(REQUIRED.stream(), PortfolioTables.EVENTS.stream())
          .toList()) {
        String table = layout.name();
        boolean required = REQUIRED.contains(layout);
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(base + table + ".parquet");
        org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
          if (required) {
            return null;
          }
          continue;
        }
        org.apache.hadoop.fs.FileStatus status = fs.getFileStatus(path);
        List<String> files = new ArrayList<>();
        if (status.isFile()) {
          files.add(status.getPath().toString());
        } else {
          String root = status.getPath().toString() + "/";
          org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(path, true);
          while (it.hasNext()) {
            String file = it.next().getPath().toString();
            String relative = file.startsWith(root) ? file.substring(root.length()) : file;
            if (java.util.Arrays.stream(relative.split("/")).noneMatch(n -> n.startsWith("_") || n.startsWith("."))) {
              files.add(file);
            }
          }
        }
        if (files.isEmpty() && required) {
          return null;
        }
        filesOf.put(table, files);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return filesOf;
  }

  /** What one file's footer says: its rows, its segments, and whether this engine's reader reads it. */
  record FileSummary(long rows, long[] starts, boolean readable) implements Serializable {
    int segments() {
      return starts.length - 1;
    }
  }

  /** Files up to which the driver reads the footers itself; more are read by a Spark job (a test sets 0). */
  static int footersOnDriver = 32;

  /**
   * Reads the footer of every file of every table ({@code filesOf}: table name to its files in
   * source order; {@code fileIndex}: the sort key's index of each file): on the driver for a few
   * files, else in a Spark job (a table of thousands of part files on HDFS would otherwise be
   * opened one after the other).
   */
  static Plan plan(org.apache.spark.api.java.JavaSparkContext context, Map<String, List<String>> filesOf,
      Map<String, Integer> fileIndex, org.apache.spark.broadcast.Broadcast<Map<String, String>> conf) {
    List<String[]> all = new ArrayList<>();   // {table, path}
    for (Map.Entry<String, List<String>> t : filesOf.entrySet()) {
      for (String path : t.getValue()) {
        all.add(new String[] {t.getKey(), path});
      }
    }
    List<FileSummary> summaries;
    if (all.size() <= footersOnDriver) {
      summaries = new ArrayList<>();
      for (String[] f : all) {
        summaries.add(summary(f[0], f[1], conf.value()));
      }
    } else {
      summaries = context.parallelize(all, Math.min(all.size(), 4 * context.defaultParallelism()))
          .map(f -> summary(f[0], f[1], conf.value())).collect();
    }
    List<Split> splits = new ArrayList<>();
    List<Split> anchorSplits = new ArrayList<>();
    Map<String, Long> rowsIn = new LinkedHashMap<>();
    boolean readable = true;
    for (int i = 0; i < all.size(); i++) {
      String table = all.get(i)[0];
      String path = all.get(i)[1];
      FileSummary f = summaries.get(i);
      readable &= f.readable();
      rowsIn.merge(table, f.rows(), Long::sum);
      for (int s = 0; s < f.segments(); s++) {
        (KINDS.containsKey(table) ? splits : anchorSplits).add(new Split(table, fileIndex.get(path), path, s,
            f.starts()[s], f.starts()[s + 1], true));
      }
    }
    for (String table : filesOf.keySet()) {
      rowsIn.putIfAbsent(table, 0L);
    }
    return new Plan(List.copyOf(splits), List.copyOf(anchorSplits), rowsIn, readable);
  }

  /**
   * The footer's summary of {@code path}, a file of {@code table}.
   *
   * @throws InputFormatException when a required column is missing or of a type the engine's
   *     readers refuse (whichever reader then reads the file): the job refuses the portfolio, as
   *     {@code chainscore score} does, rather than have Spark's reader cast the column
   */
  private static FileSummary summary(String table, String path, Map<String, String> conf) {
    try {
      // one reading of the footer: the columns checked (the engine's reader opens a decodable file
      // that passes), then its rows and segments
      ParquetSegments segments = ParquetSegments.checkColumns(path, channel(path, conf),
          inSessionZone(SCHEMAS.get(table), conf));
      long[] starts = new long[segments.count() + 1];
      for (int s = 0; s < segments.count(); s++) {
        starts[s] = segments.firstRow(s);
      }
      starts[segments.count()] = segments.rows();
      return new FileSummary(segments.rows(), starts, segments.decodable());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The key of {@code conf} (the driver's settings the tasks get) holding the session's time zone
   * ({@code spark.sql.session.timeZone}), in which date columns stored as instants are read as their
   * dates, as Spark's reader casts them.
   */
  static final String TIME_ZONE = "chainscore.sql.session.timeZone";

  /** {@code schema} reading instants in the session's zone that {@code conf} holds ({@link #TIME_ZONE}). */
  private static TableSchema inSessionZone(TableSchema schema, Map<String, String> conf) {
    String zone = conf.get(TIME_ZONE);
    return zone == null ? schema : schema.withTimeZone(java.time.ZoneId.of(zone));
  }

  /** Opens {@code path} (a Hadoop path string, as Spark lists files) for positional reads. */
  static FileChannel channel(String path, Map<String, String> conf) throws IOException {
    URI uri = new org.apache.hadoop.fs.Path(path).toUri();
    if (!throughHadoopAlways && (uri.getScheme() == null || uri.getScheme().equals("file"))) {
      return FileChannel.open(java.nio.file.Path.of(uri.getPath()), StandardOpenOption.READ);
    }
    return HadoopChannel.open(path, conf);
  }

  /** A reader of {@code split}'s rows with the columns and rules of {@code schema}. */
  private static TableReader open(Split split, TableSchema schema, BadRowHandler handler, Map<String, String> conf)
      throws IOException {
    return open(new Run(List.of(split)), schema, handler, conf);
  }

  /** A reader of {@code run}'s rows, its segments in order, with the columns and rules of {@code schema}. */
  private static TableReader open(Run run, TableSchema schema, BadRowHandler handler, Map<String, String> conf)
      throws IOException {
    return open(run, schema, handler, conf, null);
  }

  /**
   * As above, the reader's page buffers from {@code buffers} (null: its own), given back when it is
   * closed: a task's readers of run after run reuse them instead of growing new ones to the files'
   * page size for each run.
   */
  private static TableReader open(Run run, TableSchema schema, BadRowHandler handler, Map<String, String> conf,
      io.chainscore.batch.io.ParquetBuffers buffers) throws IOException {
    Split first = run.first();
    return ParquetSegments.open(first.path(), channel(first.path(), conf), inSessionZone(schema, conf), handler,
        first.segment(), first.segment() + run.count(), buffers);
  }

  /**
   * Consecutive segments of one file, from {@code first}'s on, that a task reads with one reader:
   * the footer parsed and the column buffers made once, not once a segment (at 100,000 suppliers
   * opening each segment apart took about an eighth of the tasks' time, the footer of a file of
   * many row groups parsed again for each).
   */
  record Run(List<Split> splits) {
    Split first() {
      return splits.get(0);
    }

    int count() {
      return splits.size();
    }
  }

  /** {@code splits} (a task's, in source order) as runs: a run goes on while the next split is its file's next segment. */
  static Iterator<Run> runs(Iterator<Split> splits) {
    return new Iterator<>() {
      private Split pending = splits.hasNext() ? splits.next() : null;

      @Override
      public boolean hasNext() {
        return pending != null;
      }

      @Override
      public Run next() {
        if (pending == null) {
          throw new java.util.NoSuchElementException();
        }
        Split first = pending;
        List<Split> run = new ArrayList<>();
        run.add(first);
        int count = 1;
        pending = null;
        while (splits.hasNext()) {
          Split s = splits.next();
          if (s.file() == first.file() && s.table().equals(first.table()) && s.path().equals(first.path())
              && s.segment() == first.segment() + count && s.ownsBadRows() == first.ownsBadRows()) {
            count++;
            run.add(s);
          } else {
            pending = s;
            break;
          }
        }
        return new Run(run);
      }
    };
  }

  /**
   * Reads the anchors' splits ({@link Plan#anchorSplits}, in source order) on the driver: {@code
   * sink} gets each readable row's file, 1-based row and id, and each refused row.
   */
  static void readAnchors(List<Split> splits, Map<String, String> conf, AnchorSink sink) {
    TableSchema schema = PortfolioTables.ANCHORS;
    int id = schema.indexOf("anchor_id");
    ColumnBatch batch = new ColumnBatch(schema, 4_096);
    for (Split split : splits) {
      try (TableReader r = open(split, schema, e -> sink.bad(split.path(), e), conf)) {
        while (r.next(batch)) {
          for (int i = 0; i < batch.size(); i++) {
            sink.good(split.path(), batch.sourceRows()[i], batch.string(id, i));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Where {@link #readAnchors} puts the rows. */
  interface AnchorSink {
    void good(String file, long row, String anchorId);

    void bad(String file, InputFormatException e);
  }

  /** The 64-bit hash of an id, given as {@code bytes[at, at + length)} (UTF-8): the duplicate check's candidates. */
  static long idHash(byte[] bytes, int at, int length) {
    return XXH64.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET + at, length, 42L);
  }

  /** The UTF-8 bytes of text column {@code c} at {@code row}: sets {@code place[0..1]} to start and length, returns the array. */
  private static byte[] text(ColumnBatch batch, int c, int row, int[] place) {
    String s = batch.strings(c)[row];
    if (s == null) {
      place[0] = batch.textStart(c)[row];
      place[1] = batch.textLength(c)[row];
      return batch.textBytes(c);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    place[0] = 0;
    place[1] = b.length;
    return b;
  }

  /**
   * The readable rows of the splits whose id (column {@code id}) hashes to one of {@code
   * candidates} (sorted), with their source-order key and their supplier and buyer ids, from which
   * the driver finds the row that claims each repeated id ({@link IdClaims#firsts}).
   */
  static Iterator<IdClaims.Candidate> candidateRows(Iterator<Split> splits, String id, long[] candidates,
      Map<String, String> conf) throws IOException {
    List<IdClaims.Candidate> out = new ArrayList<>();
    int[] place = new int[2];
    for (Iterator<Run> runs = runs(splits); runs.hasNext(); ) {
      Run run = runs.next();
      Split split = run.first();
      TableSchema schema = SCHEMAS.get(split.table());
      int c = schema.indexOf(id);
      int supplier = schema.indexOf("supplier_id");
      int buyer = schema.indexOf("buyer_id");   // -1 for loans
      int kind = KINDS.get(split.table());
      try (TableReader r = open(run, schema, e -> { }, conf)) {
        ColumnBatch batch = new ColumnBatch(schema, SparkFeatures.CHUNK);
        batch.keepTextAsBytes(c);
        while (r.next(batch)) {
          for (int i = 0; i < batch.size(); i++) {
            byte[] b = text(batch, c, i, place);
            if (Arrays.binarySearch(candidates, idHash(b, place[0], place[1])) >= 0) {
              out.add(new IdClaims.Candidate(new String(b, place[0], place[1], StandardCharsets.UTF_8),
                  SparkFeatures.key(kind, split.file(), batch.sourceRows()[i] - 1), batch.string(supplier, i),
                  buyer < 0 ? null : batch.string(buyer, i)));
            }
          }
        }
      }
    }
    return out.iterator();
  }

  /**
   * One read of a task's splits (in source order) for the checks before the engine, the columns
   * of both with one reader: the hashes ({@link #idHash}) of the ids of each table of {@code
   * hashed} (table name to its index), one {@code (index, hashes)} pair per run of such a table;
   * and, when {@code bounds} is not null, each split's smallest and largest supplier id (UTF-8
   * bytes, compared unsigned: Spark's string order), given to it as {@code {min, max}}, or null for a
   * split with no readable supplier id: what the supplier ranges path ({@link SupplierRanges}) cuts
   * and assigns by. With {@code fromDictionaries}, where every supplier_id chunk of a file is
   * dictionary-encoded ({@link ParquetSegments#dictionaryBounds}), the bounds come from the chunks'
   * dictionary pages alone (the job's choice; false: from the column's rows always, which tests
   * compare them with): every readable id
   * lies in them, so a range still reads every segment holding one of its suppliers' rows, and a
   * table whose ids are not hashed is not read at all. The same reader and rules as every other read; a row the reader refuses (for
   * either column) is left out of both: its supplier's id is not that of an accepted row, and a row
   * refused claims no id ({@link IdClaims}), so leaving out its hash loses no repeat that counts.
   */
  static Iterator<Tuple2<Integer, long[]>> scan(Iterator<Split> splits, Map<String, Integer> hashed,
      java.util.function.BiConsumer<Split, byte[][]> bounds, boolean fromDictionaries, Map<String, String> conf)
      throws IOException {
    List<Tuple2<Integer, long[]>> out = new ArrayList<>();
    int[] place = new int[2];
    io.chainscore.batch.io.ParquetBuffers buffers = new io.chainscore.batch.io.ParquetBuffers();
    for (Iterator<Run> runs = runs(splits); runs.hasNext(); ) {
      Run run = runs.next();
      String table = run.first().table();
      Integer index = hashed.get(table);
      if (index == null && bounds == null) {
        continue;
      }
      boolean readBounds = bounds != null;
      if (readBounds && fromDictionaries) {
        // the bounds from the supplier_id chunks' dictionary pages alone, where every chunk of the
        // file is dictionary-encoded: no data page of that column is read
        Split first = run.first();
        byte[][][] b = ParquetSegments.dictionaryBounds(first.path(), channel(first.path(), conf), "supplier_id",
            first.segment(), first.segment() + run.count());
        if (b != null) {
          for (int k = 0; k < run.count(); k++) {
            bounds.accept(run.splits().get(k), b[k]);
          }
          readBounds = false;
          if (index == null) {
            continue;
          }
        }
      }
      List<TableSchema.Column> columns = new ArrayList<>();
      if (readBounds) {
        columns.add(TableSchema.required("supplier_id", ColumnType.STRING));
      }
      if (index != null) {
        columns.add(TableSchema.required(ID_COLUMNS.get(table), ColumnType.STRING));
      }
      TableSchema only = new TableSchema(table, columns);
      int idAt = index == null ? -1 : columns.size() - 1;
      Bounds of = readBounds ? new Bounds(run, bounds) : null;
      long[] hashes = new long[index == null ? 0 : 1024];
      int n = 0;
      try (TableReader r = open(run, only, e -> { }, conf, buffers)) {
        ColumnBatch batch = new ColumnBatch(only, SparkFeatures.CHUNK);
        for (int c = 0; c < columns.size(); c++) {
          batch.keepTextAsBytes(c);
        }
        while (r.next(batch)) {
          if (of != null) {
            of.add(batch, place);
          }
          if (index != null) {
            if (n + batch.size() > hashes.length) {
              hashes = Arrays.copyOf(hashes, Math.max(2 * hashes.length, n + batch.size()));
            }
            for (int i = 0; i < batch.size(); i++) {
              byte[] b = text(batch, idAt, i, place);
              hashes[n++] = idHash(b, place[0], place[1]);
            }
          }
        }
      }
      if (of != null) {
        of.finish();
      }
      if (index != null) {
        out.add(new Tuple2<>(index, Arrays.copyOf(hashes, n)));
      }
    }
    return out.iterator();
  }

  /** The smallest and largest supplier id of each split of a run, from column 0 of its batches in row order. */
  private static final class Bounds {
    private final Run run;
    private final java.util.function.BiConsumer<Split, byte[][]> to;
    private int k;
    private byte[] minB;
    private int minAt;
    private int minLen;
    private byte[] maxB;
    private int maxAt;
    private int maxLen;

    Bounds(Run run, java.util.function.BiConsumer<Split, byte[][]> to) {
      this.run = run;
      this.to = to;
    }

    void add(ColumnBatch batch, int[] place) {
      long[] rows = batch.sourceRows();
      byte[] prevB = null;
      int prevAt = 0;
      int prevLen = 0;
      for (int i = 0; i < batch.size(); i++) {
        long row = rows[i] - 1;
        while (row >= run.splits().get(k).endRow()) {
          give();
          prevB = null;
        }
        byte[] b = text(batch, 0, i, place);
        int at = place[0];
        int len = place[1];
        if (prevB != null && prevLen == len && Arrays.equals(prevB, prevAt, prevAt + prevLen, b, at, at + len)) {
          continue;   // the same supplier as the row before (rows come supplier by supplier)
        }
        if (minB == null || Arrays.compareUnsigned(b, at, at + len, minB, minAt, minAt + minLen) < 0) {
          minB = b;
          minAt = at;
          minLen = len;
        }
        if (maxB == null || Arrays.compareUnsigned(b, at, at + len, maxB, maxAt, maxAt + maxLen) > 0) {
          maxB = b;
          maxAt = at;
          maxLen = len;
        }
        prevB = b;
        prevAt = at;
        prevLen = len;
      }
      // the batch's bytes are reused by the next batch: keep copies of what is held
      if (minB != null) {
        minB = Arrays.copyOfRange(minB, minAt, minAt + minLen);
        minAt = 0;
        maxB = Arrays.copyOfRange(maxB, maxAt, maxAt + maxLen);
        maxAt = 0;
      }
    }

    /** Gives the bounds of the splits not yet given (the last with rows read, then any without). */
    void finish() {
      while (k < run.count()) {
        give();
      }
    }

    private void give() {
      to.accept(run.splits().get(k), minB == null ? null : new byte[][] {
          Arrays.copyOfRange(minB, minAt, minAt + minLen), Arrays.copyOfRange(maxB, maxAt, maxAt + maxLen)});
      minB = null;
      maxB = null;
      k++;
    }
  }

  /** The readable rows of the suppliers' splits whose id is one of {@code ids}. */
  static Iterator<IdClaims.SupplierRow> supplierRows(Iterator<Split> splits, Set<String> ids, Map<String, String> conf)
      throws IOException {
    List<IdClaims.SupplierRow> out = new ArrayList<>();
    TableSchema schema = SCHEMAS.get("suppliers");
    int id = schema.indexOf("supplier_id");
    int anchor = schema.indexOf("anchor_id");
    int sector = schema.indexOf("sector");
    int turnover = schema.indexOf("declared_turnover");
    for (Iterator<Run> runs = runs(splits); runs.hasNext(); ) {
      try (TableReader r = open(runs.next(), schema, e -> { }, conf)) {
        ColumnBatch batch = new ColumnBatch(schema, SparkFeatures.CHUNK);
        while (r.next(batch)) {
          for (int i = 0; i < batch.size(); i++) {
            String supplier = batch.string(id, i);
            if (supplier != null && ids.contains(supplier)) {
              out.add(new IdClaims.SupplierRow(supplier, batch.string(anchor, i), batch.string(sector, i),
                  batch.doubles(turnover)[i]));
            }
          }
        }
      }
    }
    return out.iterator();
  }

  /**
   * A repeated-id check for one table: a row whose id hash is among {@code candidates} (sorted)
   * and whose id has a first occurrence in {@code firsts} other than the row itself is repeated.
   */
  /** The tables whose ids are checked for repeats, and their id columns. */
  static final Map<String, String> ID_COLUMNS =
      Map.of("loans", "loan_id", "credit_notes", "credit_note_id", "invoices", "invoice_id");

  record Repeats(long[] candidates, Map<String, Long> firsts) implements Serializable {
    static final Repeats NONE = new Repeats(new long[0], Map.of());
  }

  /**
   * The blocks of one map task: the rows of its splits, in split order, encoded for the supplier
   * partitions ({@link SupplierBlocks.Blocks}); {@code repeats} by table name (absent: no check).
   */
  static Iterator<Tuple2<Integer, byte[]>> encode(Iterator<Split> splits, int partitions, Map<String, Repeats> repeats,
      Map<String, String> conf) {
    return new Encoder(splits, partitions, repeats, conf);
  }

  /**
   * The rows of one supplier range's task ({@link SupplierRanges}), encoded as blocks for that task
   * alone (partition 0), in the order of {@code splits} (which must be in source order: kind, file,
   * row): the good rows whose supplier id lies in {@code [low, high)} (UTF-8 bytes compared unsigned;
   * null: unbounded), and the refused rows of the splits that {@link Split#ownsBadRows own} them.
   */
  static SupplierBlocks.BlockIterator encodeRange(Iterator<Split> splits, byte[] low, byte[] high,
      Map<String, Repeats> repeats, Map<String, String> conf) {
    return new Encoder(splits, 1, repeats, conf, (b, at, n) ->
        (low == null || Arrays.compareUnsigned(b, at, at + n, low, 0, low.length) >= 0)
            && (high == null || Arrays.compareUnsigned(b, at, at + n, high, 0, high.length) < 0) ? 0 : -1);
  }

  /**
   * The rows of one supplier range's task ({@link SupplierRanges}) straight from the reader's
   * batches into the partition's row, without the blocks: the good rows whose supplier id lies in
   * {@code [low, high)} (UTF-8 bytes compared unsigned; null: unbounded) and the refused rows of the
   * splits that {@link Split#ownsBadRows own} them, in the order of {@code splits} (source order:
   * kind, file, row), each as the row {@link #encodeRange}'s blocks would decode to.
   */
  static SupplierBlocks.Rows rangeRows(Iterator<Split> splits, byte[] low, byte[] high,
      Map<String, Repeats> repeats, Map<String, String> conf) {
    return new DirectRows(splits, repeats, conf, (b, at, n) ->
        (low == null || Arrays.compareUnsigned(b, at, at + n, low, 0, low.length) >= 0)
            && (high == null || Arrays.compareUnsigned(b, at, at + n, high, 0, high.length) < 0) ? 0 : -1);
  }

  /**
   * A task's segments read run by run in source order, positioned on one row at a time: the good
   * rows whose supplier the lookup accepts and the refused rows of the segments the task {@link
   * Split#ownsBadRows owns}, in source order (a refused row before the good rows that follow it in
   * its file). The one copy of the run-reading state, of the setting of a row's values and of the
   * repeated-id check, for the shuffle's map side ({@link Encoder}: rows into blocks) and the supplier
   * ranges' tasks ({@link DirectRows}: rows set straight into the partition's row).
   */
  private static final class Cursor {
    private final Iterator<Run> runs;
    private final Map<String, Repeats> repeats;
    private final Map<String, String> conf;
    /** Each supplier id's partition (-1: leave the row out), looked up once per run of one supplier's rows. */
    private final RecentIds partitionOf;
    private final int[] place = new int[2];
    /** The current run's reader, its first split, batch, layout, kind and repeat check; null reader between runs. */
    private TableReader reader;
    private Split split;
    private ColumnBatch batch;
    private Layout layout;
    private int kind;
    private Repeats repeat;
    private int repeatColumn;
    /** The rows the reader refused so far in the current run (row order), and how many were passed. */
    private final List<InputFormatException> badRows = new ArrayList<>();
    private int badDone;
    private boolean inBatch;
    private int next;
    /** The row the cursor is on: a good row of the batch ({@code bad} null) or a refused row. */
    private int at;
    private InputFormatException bad;
    private long key;
    private int partition;
    /** The good row's supplier id, as {@link #onGood} found it: {@code supplierBytes[supplierAt, + supplierLength)}. */
    private byte[] supplierBytes;
    private int supplierAt;
    private int supplierLength;
    /** The page buffers the task's readers pass on, run after run. */
    private final io.chainscore.batch.io.ParquetBuffers buffers = new io.chainscore.batch.io.ParquetBuffers();
    /** The number of the batch read last (from 1): its text stays put until the next ({@link RecentIds}). */
    private long serial;

    Cursor(Iterator<Split> splits, Map<String, Repeats> repeats, Map<String, String> conf,
        RecentIds.Lookup partition) {
      this.runs = runs(splits);
      this.repeats = repeats;
      this.conf = conf;
      this.partitionOf = new RecentIds(partition);
    }

    /** Moves to the next row to pass on; false when every run is read. */
    boolean advance() throws IOException {
      while (true) {
        if (reader == null) {
          if (!runs.hasNext()) {
            return false;
          }
          open(runs.next());
          continue;
        }
        if (inBatch) {
          if (next < batch.size()) {
            long source = batch.sourceRows()[next];
            if (badDone < badRows.size() && badRows.get(badDone).row() < source) {
              if (onBad(badRows.get(badDone++))) {
                return true;
              }
              continue;
            }
            if (onGood(next++, source - 1)) {
              return true;
            }
            continue;
          }
          inBatch = false;   // then the rows refused after the batch's last good row
        }
        if (badDone < badRows.size()) {
          if (onBad(badRows.get(badDone++))) {
            return true;
          }
          continue;
        }
        if (reader.next(batch)) {
          serial++;
          inBatch = true;
          next = 0;
          continue;
        }
        reader.close();
        reader = null;
      }
    }

    private void open(Run run) throws IOException {
      split = run.first();
      TableSchema schema = SCHEMAS.get(split.table());
      kind = KINDS.get(split.table());
      if (batch == null || batch.schema() != schema) {
        // one batch at a time (a task's splits come table by table): its memory, about 10 MB for
        // the invoices, is not held for every table the task reads
        batch = batchFor(schema);
      }
      layout = Layout.of(split.table());
      repeat = repeats.get(split.table());
      repeatColumn = repeat == null ? -1 : schema.indexOf(ID_COLUMNS.get(split.table()));
      badRows.clear();
      badDone = 0;
      inBatch = false;
      reader = EngineReads.open(run, schema, badRows::add, conf, buffers);
    }

    /** On refused row {@code e}, if this task owns its segment's refused rows (else another task reading it does). */
    private boolean onBad(InputFormatException e) {
      if (!split.ownsBadRows()) {
        return false;
      }
      bad = e;
      key = SparkFeatures.key(kind, split.file(), e.row() - 1);
      partition = -1;
      return true;
    }

    /** On good row {@code i} of the batch (0-based row {@code source} of its file), if its supplier's lookup accepts it. */
    private boolean onGood(int i, long source) {
      byte[] s = EngineReads.text(batch, layout.supplier, i, place);
      int p = partitionOf.get(s, place[0], place[1], serial);
      if (p < 0) {
        return false;   // another supplier range's row
      }
      supplierBytes = s;
      supplierAt = place[0];
      supplierLength = place[1];
      bad = null;
      at = i;
      key = SparkFeatures.key(kind, split.file(), source);
      partition = p;
      return true;
    }

    /** The batch holding the text of the row the cursor is on ({@link SupplierBlocks.BlockRow#serial}). */
    long serial() {
      return serial;
    }

    /** The sort key (kind, file, row) of the row the cursor is on. */
    long key() {
      return key;
    }

    /** The good row's partition from the lookup; -1 for a refused row (its partition is the caller's). */
    int partition() {
      return partition;
    }

    /** Sets the values of the row the cursor is on into {@code row} (started, every value null). */
    void set(SupplierBlocks.RowValues row) {
      if (bad != null) {
        byte[] problem = ((bad.column() == null ? "row" : bad.column()) + "\t" + bad.problem())
            .getBytes(StandardCharsets.UTF_8);
        row.text(READ_PROBLEM, problem, 0, problem.length);
        if (bad.recordId() != null) {
          // the row's id, which the reader read before the fault (InputFormatException#recordId)
          byte[] id = bad.recordId().getBytes(StandardCharsets.UTF_8);
          row.text(layout.idSlot(), id, 0, id.length);
        }
        row.flag(DUP, false);
        return;
      }
      row.text(SUPPLIER_ID, supplierBytes, supplierAt, supplierLength);
      for (int t = 0; t < layout.texts.length; t++) {
        if (batch.isUnset(layout.texts[t])) {
          continue;   // left unread (batchFor): null, named later if the row is refused
        }
        byte[] b = EngineReads.text(batch, layout.texts[t], at, place);
        row.text(S1 + t, b, place[0], place[1]);
      }
      for (int d = 0; d < layout.dates.length; d++) {
        int day = batch.dates(layout.dates[d])[at];
        if (day != ColumnBatch.NULL_DATE) {
          row.date(D1 + d, day);
        }
      }
      for (int x = 0; x < layout.amounts.length; x++) {
        row.amount(X1 + x, batch.doubles(layout.amounts[x])[at]);
      }
      // the flag as the rows of Spark's reader carry it: set, false unless a repeated id
      row.flag(DUP, repeated(at, key));
    }

    /** Whether good row {@code i}, with sort key {@code key}, repeats an id read before it in source order. */
    private boolean repeated(int i, long key) {
      if (repeat == null || repeat.candidates().length == 0) {
        return false;
      }
      byte[] b = EngineReads.text(batch, repeatColumn, i, place);
      if (Arrays.binarySearch(repeat.candidates(), idHash(b, place[0], place[1])) < 0) {
        return false;
      }
      Long first = repeat.firsts().get(new String(b, place[0], place[1], StandardCharsets.UTF_8));
      return first != null && first != key;
    }
  }

  /**
   * {@link #rangeRows}: the {@link Cursor}'s rows set into one {@link SupplierBlocks.BlockRow} instead of encoded;
   * or, through {@link #nextGood}, a table's good rows read column by column from the reader's batch.
   */
  static final class DirectRows implements SupplierBlocks.Rows {
    private final Cursor cursor;
    private final SupplierBlocks.BlockRow row = new SupplierBlocks.BlockRow();
    private long lastKey = -1;

    DirectRows(Iterator<Split> splits, Map<String, Repeats> repeats, Map<String, String> conf,
        RecentIds.Lookup partition) {
      this.cursor = new Cursor(splits, repeats, conf, partition);
    }

    @Override
    public SupplierBlocks.BlockRow next() {
      return advance() ? row() : null;
    }

    /** Moves the cursor to the next row, checking the source order: false when every row is read. */
    private boolean advance() {
      try {
        if (!cursor.advance()) {
          return false;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long key = cursor.key();
      if (key <= lastKey) {
        throw new IllegalStateException("rows out of source order: key " + key + " after " + lastKey);
      }
      lastKey = key;
      return true;
    }

    /**
     * Column-wise reading ({@link PartitionFeatures}' invoices): moves to the next row and returns
     * null if it is a good row of {@code kind}, its values not set into a row (read them from {@link
     * #batch()} at {@link #at()}; {@link #row()} sets them); else the row {@link #next()} would have
     * returned, or null with {@link #done()} true when every row is read.
     */
    SupplierBlocks.BlockRow nextGood(int kind) {
      if (!advance()) {
        done = true;
        return null;
      }
      if (cursor.bad == null && SparkFeatures.kindOf(cursor.key()) == kind) {
        return null;
      }
      return row();
    }

    private boolean done;

    /** Whether {@link #nextGood} found every row read. */
    boolean done() {
      return done;
    }

    /** The row the cursor is on, set into the row {@link #next()} returns (valid until the next call). */
    SupplierBlocks.BlockRow row() {
      row.start(cursor.key(), cursor.serial());
      cursor.set(row);
      return row;
    }

    /** The batch of the good row the cursor is on ({@link #nextGood}). */
    ColumnBatch batch() {
      return cursor.batch;
    }

    /** The good row's index in {@link #batch()}. */
    int at() {
      return cursor.at;
    }

    /** The row's sort key (kind, file, row). */
    long key() {
      return cursor.key;
    }

    /** The number of the batch the row's text lies in ({@link RecentIds#get(byte[], int, int, long)}). */
    long serial() {
      return cursor.serial;
    }

    /** The layout of the table the cursor reads. */
    Layout layout() {
      return cursor.layout;
    }

    /** The good row's supplier id: {@code supplierBytes()[supplierAt(), + supplierLength())}. */
    byte[] supplierBytes() {
      return cursor.supplierBytes;
    }

    int supplierAt() {
      return cursor.supplierAt;
    }

    int supplierLength() {
      return cursor.supplierLength;
    }

    /** The good row's text column {@code c} of the table (not left unread): sets {@code place}, returns the array. */
    byte[] text(int c, int[] place) {
      return EngineReads.text(cursor.batch, c, cursor.at, place);
    }

    /** Whether the good row repeats an id read before it (the flag {@link #next()}'s row carries as DUP). */
    boolean repeated() {
      return cursor.repeated(cursor.at, cursor.key);
    }
  }

  /**
   * Where a table's columns go in the shuffled row ({@link SparkFeatures#TAGGED}), as indexes into
   * its layout: {@code texts} to S1, S2, S3; {@code dates} to D1, D2, D3; {@code amounts} to X1, X2.
   * The same assignment as Spark's reader's union (SparkFeatures#compute).
   */
  record Layout(int supplier, int[] texts, int[] dates, int[] amounts) {
    /**
     * The shuffled row's text column ({@code SUPPLIER_ID}, {@code S1}..{@code S3}) holding the
     * layout's first column, the record's id in every trade table, where a refused row's id goes.
     */
    int idSlot() {
      if (supplier == 0) {
        return SUPPLIER_ID;
      }
      for (int t = 0; t < texts.length; t++) {
        if (texts[t] == 0) {
          return S1 + t;
        }
      }
      throw new IllegalStateException("a layout whose first column is not shuffled");
    }

    private static final Map<String, Layout> BY_TABLE = Map.of(
        "suppliers", of(PortfolioTables.SUPPLIERS, new String[] {"anchor_id", "sector", "region"},
            new String[] {"registration_date"}, new String[] {"declared_turnover"}),
        "loans", of(PortfolioTables.LOANS, new String[] {"loan_id"}, new String[] {"drawdown_date"},
            new String[] {"amount"}),
        "invoices", of(PortfolioTables.INVOICES, new String[] {"invoice_id", "buyer_id"},
            new String[] {"issue_date", "due_date", "paid_date"}, new String[] {"amount"}),
        "instalments", of(PortfolioTables.INSTALMENTS, new String[] {"loan_id"},
            new String[] {"due_date", "repaid_date"}, new String[] {"amount_due", "amount_repaid"}),
        "credit_notes", of(PortfolioTables.CREDIT_NOTES, new String[] {"invoice_id", "credit_note_id"},
            new String[] {"booking_date"}, new String[] {"amount"}),
        "disputes", of(PortfolioTables.DISPUTES, new String[] {"invoice_id"},
            new String[] {"opened_date", "resolved_date"}, new String[0]),
        "deliveries", of(PortfolioTables.DELIVERIES, new String[] {"invoice_id"},
            new String[] {"promised_date", "actual_date"}, new String[0]));

    static Layout of(String table) {
      return BY_TABLE.get(table);
    }

    private static Layout of(TableSchema schema, String[] texts, String[] dates, String[] amounts) {
      return new Layout(schema.indexOf("supplier_id"), indexes(schema, texts), indexes(schema, dates),
          indexes(schema, amounts));
    }

    private static int[] indexes(TableSchema schema, String[] names) {
      int[] at = new int[names.length];
      for (int i = 0; i < names.length; i++) {
        at[i] = schema.indexOf(names[i]);
        if (at[i] < 0) {
          throw new IllegalStateException(schema.name() + " has no column " + names[i]);
        }
      }
      return at;
    }
  }

  /** The {@link Cursor}'s rows encoded into the blocks of their partitions (the shuffle's map side). */
  private static final class Encoder extends SupplierBlocks.BlockIterator {
    private final Cursor cursor;

    Encoder(Iterator<Split> splits, int partitions, Map<String, Repeats> repeats, Map<String, String> conf) {
      this(splits, partitions, repeats, conf, (b, at, n) -> SupplierBlocks.partitionOf(b, at, n, partitions));
    }

    /** {@code partition} gives a supplier id's partition, or -1 for a row to leave out. */
    Encoder(Iterator<Split> splits, int partitions, Map<String, Repeats> repeats, Map<String, String> conf,
        RecentIds.Lookup partition) {
      super(partitions);
      this.cursor = new Cursor(splits, repeats, conf, partition);
    }

    /** Encodes the next row; false when all are read. */
    @Override
    boolean step() throws IOException {
      if (!cursor.advance()) {
        return false;
      }
      cursor.set(blocks);
      int p = cursor.partition();
      blocks.add(cursor.key(), p >= 0 ? p : SupplierBlocks.partitionOf(null, blocks.partitions()));
      return true;
    }
  }

  /** A batch of {@code schema} with every text column kept as bytes and the columns no feature reads left unread. */
  static ColumnBatch batchFor(TableSchema schema) {
    ColumnBatch b = new ColumnBatch(schema, SparkFeatures.CHUNK);
    for (int c = 0; c < schema.columns().size(); c++) {
      if (schema.columns().get(c).type() == ColumnType.STRING) {
        b.keepTextAsBytes(c);
      }
    }
    // as chainscore features leaves them (PortfolioFeatures): read only where the file cannot
    // prove every value valid
    if (schema == PortfolioTables.INVOICES) {
      for (String unread : new String[] {"delivered_on_time", "returned_amount", "disputed", "paid_amount"}) {
        b.leaveUnread(schema.indexOf(unread));
      }
    } else if (schema == PortfolioTables.INSTALMENTS) {
      b.leaveUnread(schema.indexOf("instalment_number"));
    } else if (schema == PortfolioTables.DELIVERIES) {
      // The invoice id of a delivery only names it in a refusal: a file that proves it present in
      // every row is not read for it (as chainscore features leaves it, ColumnBatch#leaveTextUnread);
      // such rows come with the id null and PartitionFeatures names its refused ones by readIds.
      b.leaveTextUnread(schema.indexOf(DELIVERY_ID));
    }
    return b;
  }

  /** The deliveries' id column, read only to name refused rows ({@link #batchFor}, {@link #readIds}). */
  static final String DELIVERY_ID = "invoice_id";

  /**
   * The values of text column {@code column} of table {@code schema}'s file {@code path} at the
   * file's 1-based data rows {@code rows} (ascending, distinct), read from that column alone
   * ({@link TableReader#textAtRows}, the single machine's way): by row, the value, absent for a row
   * the reader refuses (its text not valid UTF-8, or with NUL, say: the rules not checked where the
   * column was left unread).
   */
  static Map<Long, String> readIds(String path, TableSchema schema, String column, long[] rows,
      Map<String, String> conf) throws IOException {
    if (rows.length == 0) {
      return new HashMap<>();
    }
    TableSchema idOnly = new TableSchema(schema.name(), List.of(schema.columns().get(schema.indexOf(column))));
    int segments = ParquetSegments.checkColumns(path, channel(path, conf), idOnly).count();
    ColumnBatch batch = new ColumnBatch(idOnly, SparkFeatures.CHUNK);
    batch.keepTextAsBytes(0);
    try (TableReader reader = ParquetSegments.open(path, channel(path, conf), idOnly, e -> { }, 0, segments)) {
      return TableReader.textAtRows(reader, batch, 0, rows);
    }
  }
}
