package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.ParquetSegments;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The supplier bounds of the supplier ranges path ({@link EngineReads#scan}) from the supplier_id
 * chunks' dictionary pages alone ({@link ParquetSegments#dictionaryBounds}) equal those read from
 * the column's rows, segment by segment, on the files {@code chainscore generate} writes (whose
 * dictionaries hold exactly their chunks' values); and a column not dictionary-encoded in every
 * chunk (the suppliers' and the invoices' own ids, distinct, written plain) gives none, so the rows
 * are read.
 */
class DictionaryBoundsTest {
  private static final Path ROOT = Path.of("target", "dictionary-bounds-test");

  @Test
  void boundsFromDictionaries_equalBoundsFromRows_segmentBySegment() throws Exception {
    Path portfolio = SparkTestPortfolio.generate(ROOT.resolve("portfolio"), 6_000, 12, 24);
    int segmentsSeen = 0;
    int dictionarySegments = 0;
    for (String table : List.of("suppliers", "loans", "credit_notes", "disputes", "invoices", "instalments",
        "deliveries")) {
      Path file = portfolio.resolve(table + ".parquet");
      if (!Files.exists(file)) {
        continue;
      }
      ParquetSegments segments;
      try (FileChannel channel = FileChannel.open(file)) {
        segments = ParquetSegments.checkColumns(file.toString(), channel, EngineReads.SCHEMAS.get(table));
      }
      List<EngineReads.Split> splits = new ArrayList<>();
      for (int s = 0; s < segments.count(); s++) {
        splits.add(new EngineReads.Split(table, 0, file.toString(), s, segments.firstRow(s),
            s + 1 < segments.count() ? segments.firstRow(s + 1) : segments.rows(), true));
      }
      segmentsSeen += splits.size();
      byte[][][] fromDictionaries = ParquetSegments.dictionaryBounds(file.toString(), FileChannel.open(file),
          "supplier_id", 0, segments.count());
      if (table.equals("suppliers")) {
        // one row per supplier: its ids are written plain, so the bounds come from the rows
        assertThat(fromDictionaries).as(table).isNull();
      } else if (List.of("invoices", "instalments", "deliveries").contains(table)) {
        // many rows per supplier: a dictionary in every chunk (the small tables may have none)
        assertThat(fromDictionaries).as(table).isNotNull();
        assertThat(fromDictionaries.length).isEqualTo(segments.count());
        dictionarySegments += segments.count();
      }
      Map<EngineReads.Split, byte[][]> byDictionary = bounds(splits, true);
      Map<EngineReads.Split, byte[][]> byRows = bounds(splits, false);
      assertThat(byDictionary.keySet()).as(table).containsExactlyElementsOf(splits);
      assertThat(byRows.keySet()).as(table).containsExactlyElementsOf(splits);
      for (int s = 0; s < splits.size(); s++) {
        byte[][] d = byDictionary.get(splits.get(s));
        byte[][] r = byRows.get(splits.get(s));
        assertThat(d).as("%s segment %d", table, s).isNotNull();
        assertThat(Arrays.equals(d[0], r[0]) && Arrays.equals(d[1], r[1]))
            .as("%s segment %d: %s..%s from the dictionaries, %s..%s from the rows", table, s, new String(d[0]),
                new String(d[1]), new String(r[0]), new String(r[1])).isTrue();
        if (fromDictionaries != null) {
          assertThat(fromDictionaries[s][0]).isEqualTo(d[0]);
          assertThat(fromDictionaries[s][1]).isEqualTo(d[1]);
        }
      }
    }
    assertThat(segmentsSeen).as("segments").isGreaterThan(7);
    assertThat(dictionarySegments).as("segments bounded by their dictionaries").isGreaterThan(3);
    // invoice ids are distinct: written plain, no dictionary to take bounds from
    Path invoices = portfolio.resolve("invoices.parquet");
    assertThat(ParquetSegments.dictionaryBounds(invoices.toString(), FileChannel.open(invoices), "invoice_id", 0, 1))
        .isNull();
    assertThat(ParquetSegments.dictionaryBounds(invoices.toString(), FileChannel.open(invoices), "no_such_column", 0,
        1)).isNull();
  }

  /** Each split's bounds as {@link EngineReads#scan} gives them, from the dictionaries or from the rows. */
  private static Map<EngineReads.Split, byte[][]> bounds(List<EngineReads.Split> splits, boolean fromDictionaries)
      throws Exception {
    Map<EngineReads.Split, byte[][]> out = new LinkedHashMap<>();
    EngineReads.scan(splits.iterator(), Map.of(), out::put, fromDictionaries, Map.of()).forEachRemaining(x -> { });
    return out;
  }
}
