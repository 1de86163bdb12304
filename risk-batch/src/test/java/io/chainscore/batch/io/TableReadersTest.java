package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableReadersTest {
  private static final TableSchema SAMPLE = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.nullable("day", ColumnType.DATE),
      TableSchema.required("amount", ColumnType.DOUBLE),
      TableSchema.required("flag", ColumnType.BOOLEAN)));

  @TempDir Path dir;

  private List<InputFormatException> quarantine = new ArrayList<>();

  private List<String> readAll(Path file, TableSchema schema) throws IOException {
    List<String> rows = new ArrayList<>();
    try (TableReader r = TableReader.open(file, schema, quarantine::add)) {
      ColumnBatch batch = new ColumnBatch(schema, 3);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          StringBuilder b = new StringBuilder().append(batch.sourceRows()[i]).append(':');
          for (int c = 0; c < schema.columns().size(); c++) {
            switch (schema.columns().get(c).type()) {
              case STRING -> b.append(batch.strings(c)[i]);
              case DATE -> b.append(batch.dates(c)[i] == ColumnBatch.NULL_DATE ? "null"
                  : LocalDate.ofEpochDay(batch.dates(c)[i]).toString());
              case DOUBLE -> b.append(batch.doubles(c)[i]);
              case INT -> b.append(batch.ints(c)[i]);
              case LONG -> b.append(batch.longs(c)[i]);
              case BOOLEAN -> b.append(batch.booleans(c)[i]);
            }
            b.append('|');
          }
          rows.add(b.toString());
        }
      }
    }
    return rows;
  }

  private Path csv(String name, String content) throws IOException {
    return Files.write(dir.resolve(name + ".csv"), content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void csv_quotedFieldsCrlfBomAndColumnOrder_parsed() throws IOException {
    Path f = csv("good", "\uFEFFflag,amount,extra,id,day\r\n"
        + "true,1.5,x,\"a,\"\"b\"\"\",2024-02-29\r\n"
        + "\r\n"
        + "false,-2,y,\"multi\nline\",\n"
        + "FALSE,1e3,z,\u00e9t\u00e9,1900-01-01");
    assertThat(readAll(f, SAMPLE)).containsExactly(
        "1:a,\"b\"|2024-02-29|1.5|true|",
        "2:multi\nline|null|-2.0|false|",
        "3:\u00e9t\u00e9|1900-01-01|1000.0|false|");
    assertThat(quarantine).isEmpty();
  }

  @Test
  void csv_badRows_quarantinedWithRowColumnAndReason() throws IOException {
    byte[] latin1 = "t,caf\u00e9,,1\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] head = ("id,day,amount,flag\n"
        + "a,2024-13-01,1,true\n"
        + "b,2024-01-01,abc,true\n"
        + "c,2024-01-01,1\n"
        + "d,2024-02-30,1,true\n"
        + "e,2024-01-01,1,maybe\n"
        + ",2024-01-01,1,true\n"
        + "f,2024-01-01,,true\n"
        + "g,2200-01-01,1,true\n"
        + "ok,2024-01-01,7,true\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "h,2024-01-01,1,\"unterminated\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + latin1.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(latin1, 0, all, head.length, latin1.length);
    System.arraycopy(tail, 0, all, head.length + latin1.length, tail.length);
    Path f = Files.write(dir.resolve("bad.csv"), all);
    // "t,café,,1": id t, day "café" is not a date.
    assertThat(readAll(f, SAMPLE)).containsExactly("9:ok|2024-01-01|7.0|true|");
    String name = f.toString();
    assertThat(quarantine).extracting(Throwable::getMessage).containsExactly(
        name + ", row 1, column day: '2024-13-01' is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31",
        name + ", row 2, column amount: 'abc' is not a number; expected a decimal such as -12.5 or 3e-4",
        name + ", row 3: has 3 fields, expected 4 as in the header",
        name + ", row 4, column day: '2024-02-30' is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31",
        name + ", row 5, column flag: 'maybe' is not a boolean; expected true or false",
        name + ", row 6, column id: is empty; a value is required",
        name + ", row 7, column amount: is empty; a value is required",
        name + ", row 8, column day: '2200-01-01' is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31",
        name + ", row 10, column day: 'caf\u00e9' is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31",
        name + ", row 11: has an unterminated quoted field: the quote opened on line 12 is never closed (the file ends inside it)");
    assertThat(quarantine.get(2).row()).isEqualTo(3);
    assertThat(quarantine.get(1).column()).isEqualTo("amount");
    // the row's id (the first column) when it was read before the fault: none when the id is the
    // fault (row 6) or the record is refused whole (rows 3 and 11)
    assertThat(quarantine).extracting(InputFormatException::recordId)
        .containsExactly("a", "b", null, "d", "e", null, "f", "g", "t", null);
  }

  /**
   * A spreadsheet's export separated by semicolons (decimal commas, day-first dates) reads as its
   * comma file does; a number with a decimal point or thousands separators in it, or a date the
   * dialect does not read, quarantines its row naming the row, column and what was expected.
   */
  @Test
  void csv_semicolonDialect_readAndBadNumbersQuarantined() throws IOException {
    Path comma = csv("comma", "id,day,amount,flag\n\"S;1\",2024-02-29,-1.5,true\nS2,,1.5e3,false\nS3,2024-03-01,2,true\n");
    Path semicolons = csv("semicolons", "id;day;amount;flag\n\"S;1\";29.02.2024;-1,5;true\nS2;;1,5E3;false\n"
        + "S3;2024-03-01;2;true\nS4;01.01.2024;1234.5;true\nS5;01.01.2024;1.234,5;true\nS6;31.02.2024;1;true\n");
    List<String> expected = readAll(comma, SAMPLE);
    assertThat(expected).containsExactly("1:S;1|2024-02-29|-1.5|true|", "2:S2|null|1500.0|false|", "3:S3|2024-03-01|2.0|true|");
    assertThat(quarantine).isEmpty();
    assertThat(readAll(semicolons, SAMPLE)).isEqualTo(expected);
    assertThat(quarantine).extracting(Throwable::getMessage).containsExactly(
        semicolons + ", row 4, column amount: '1234.5' has a decimal point; expected a decimal comma, as the file is"
            + " separated by semicolons, and no thousands separators (such as -1234,56)",
        semicolons + ", row 5, column amount: '1.234,5' has thousands separators; expected a decimal comma, as the"
            + " file is separated by semicolons, and no thousands separators (such as -1234,56)",
        semicolons + ", row 6, column day: '31.02.2024' is not a date in DD.MM.YYYY or YYYY-MM-DD form between"
            + " 1900-01-01 and 2199-12-31");
  }

  @Test
  void csv_nonUtf8Id_quarantined() throws IOException {
    byte[] bytes = "id,day,amount,flag\nS\u00e9,2024-01-01,1,true\n".getBytes(StandardCharsets.ISO_8859_1);
    Path f = Files.write(dir.resolve("latin.csv"), bytes);
    assertThat(readAll(f, SAMPLE)).isEmpty();
    assertThat(quarantine).singleElement().extracting(Throwable::getMessage)
        .isEqualTo(f + ", row 1, column id: is not valid UTF-8");
  }

  /**
   * A date-time without a time zone (pandas' and spreadsheets' datetimes) is read as its date, as
   * the Parquet and Arrow readers read a timestamp without a zone; one with a zone is refused saying
   * why; a malformed time is not a date.
   */
  @Test
  void csv_dateTimesWithoutAZone_readAsTheirDates() throws IOException {
    Path f = csv("datetimes", "id,day,amount,flag\n"
        + "a,2024-01-31 13:45:00,1,true\n"
        + "b,2024-01-31T00:00,2,true\n"
        + "c,2024-01-31T23:59:59.123456,3,true\n"
        + "d,2024-02-29 23:59:60,4,true\n"
        + "e,2024-01-31T13:45:00Z,5,true\n"
        + "f,2024-01-31 13:45:00+01:00,6,true\n"
        + "g,2024-01-31 24:00:00,7,true\n"
        + "h,2024-01-31 13:45:00 CET,8,true\n"
        + "i,2024-01-31T13:45:00.,9,true\n");
    assertThat(readAll(f, SAMPLE)).containsExactly("1:a|2024-01-31|1.0|true|", "2:b|2024-01-31|2.0|true|",
        "3:c|2024-01-31|3.0|true|", "4:d|2024-02-29|4.0|true|");
    String zoned = " is a date-time with a time zone, whose calendar date depends on the zone; give the zone whose"
        + " dates are meant, as features, score, monitor, ecl, train, validate, bins and document do with --time-zone"
        + " (e.g. UTC or Europe/Berlin), or"
        + " write the date (YYYY-MM-DD) or a date-time without a zone, whose date is read";
    String notADate = " is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31";
    assertThat(quarantine).extracting(Throwable::getMessage).containsExactly(
        f + ", row 5, column day: '2024-01-31T13:45:00Z'" + zoned,
        f + ", row 6, column day: '2024-01-31 13:45:00+01:00'" + zoned,
        f + ", row 7, column day: '2024-01-31 24:00:00'" + notADate,
        f + ", row 8, column day: '2024-01-31 13:45:00 CET'" + notADate,
        f + ", row 9, column day: '2024-01-31T13:45:00.'" + notADate);
    // with a zone, the instants are read as their dates there (UTC+14: 13:45Z and 12:45Z fall on the
    // next day), the rest as before; offsets of hours alone and without a colon too
    quarantine.clear();
    Path offsets = csv("offsets", "id,day,amount,flag\n"
        + "a,2024-01-31 13:45:00,1,true\n"
        + "e,2024-01-31T13:45:00Z,5,true\n"
        + "f,2024-01-31 13:45:00+01:00,6,true\n"
        + "j,2024-01-31 09:00-05,10,true\n"
        + "k,2024-01-31 09:00:00.5-0500,11,true\n"
        + "l,2199-12-31 13:45:00Z,12,true\n"
        + "h,2024-01-31 13:45:00 CET,8,true\n");
    assertThat(readAll(offsets, SAMPLE.withTimeZone(java.time.ZoneId.of("Pacific/Kiritimati")))).containsExactly(
        "1:a|2024-01-31|1.0|true|", "2:e|2024-02-01|5.0|true|", "3:f|2024-02-01|6.0|true|",
        "4:j|2024-02-01|10.0|true|", "5:k|2024-02-01|11.0|true|");
    assertThat(quarantine).extracting(Throwable::getMessage).containsExactly(
        offsets + ", row 6, column day: '2199-12-31 13:45:00Z' falls on a date outside 1900-01-01 to 2199-12-31 in"
            + " Pacific/Kiritimati",
        offsets + ", row 7, column day: '2024-01-31 13:45:00 CET'" + notADate);
  }

  @Test
  void csv_fileLevelFaults_failWithFileAndColumn() throws IOException {
    Path empty = csv("empty", "");
    assertThatThrownBy(() -> readAll(empty, SAMPLE))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(empty + ": is empty; expected a header row");
    Path missing = csv("missing", "id,day,flag\n");
    assertThatThrownBy(() -> readAll(missing, SAMPLE))
        .hasMessage(missing + ", column amount: missing from the header; expected columns id, day, amount, flag");
    // a spreadsheet's export separated by semicolons is read (CsvReaderTest has its grammar); one
    // separated by tabs is refused, and the message says why
    Path tabs = csv("tabs", "id\tday\tamount\tflag\n");
    assertThatThrownBy(() -> readAll(tabs, SAMPLE)).hasMessageEndingWith("(the header is one field separated by tabs;"
        + " CSV files here are separated by commas, or by semicolons with a decimal comma)");
    Path latin1 = dir.resolve("latin1.csv");
    java.nio.file.Files.write(latin1, "id,day,amount,flag,r\u00e9gion\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> readAll(latin1, SAMPLE)).hasMessage(latin1 + ": header is not valid UTF-8 (save the"
        + " file as UTF-8; a Parquet or Arrow IPC file is read as such when its name ends in .parquet or .arrow)");
    Path twice = csv("twice", "id,id,day,amount,flag\n");
    assertThatThrownBy(() -> readAll(twice, SAMPLE)).hasMessage(twice + ", column id: appears twice in the header");
    Path headerOnly = csv("header", "id,day,amount,flag\n");
    assertThat(readAll(headerOnly, SAMPLE)).isEmpty();
    assertThatThrownBy(() -> readAll(dir.resolve("x.parquet"), SAMPLE))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    Path strict = csv("strict", "id,day,amount,flag\na,,x,true\n");
    assertThatThrownBy(() -> {
      try (TableReader r = TableReader.open(strict, SAMPLE, BadRowHandler.STRICT)) {
        r.next(new ColumnBatch(SAMPLE, 10));
      }
    }).hasMessage(strict + ", row 1, column amount: 'x' is not a number; expected a decimal such as -12.5 or 3e-4");
  }

  @Test
  void csv_looseNumbersBooleansAndNulIds_quarantined() throws IOException {
    // Each of these was read before the shared strict reader: Double.parseDouble takes hex
    // floats, the old reader stripped padding, and 1/yes/t counted as true.
    Path f = csv("loose", "id,day,amount,flag\n"
        + "a,2024-01-01,0x1p3,true\n"
        + "b,2024-01-01,\" 5 \",true\n"
        + "c,2024-01-01,5,1\n"
        + "d,2024-01-01,5,yes\n"
        + "e,2024-01-01,5,t\n"
        + "f\u0000g,2024-01-01,5,true\n"
        + "h,2024-01-01,5, true\n"
        + "ok,2024-01-01,-1.5e2,TRUE\n");
    assertThat(readAll(f, SAMPLE)).containsExactly("8:ok|2024-01-01|-150.0|true|");
    String name = f.toString();
    assertThat(quarantine).extracting(Throwable::getMessage).containsExactly(
        name + ", row 1, column amount: '0x1p3' is not a number; expected a decimal such as -12.5 or 3e-4",
        name + ", row 2, column amount: ' 5 ' is not a number; expected a decimal such as -12.5 or 3e-4",
        name + ", row 3, column flag: '1' is not a boolean; expected true or false",
        name + ", row 4, column flag: 'yes' is not a boolean; expected true or false",
        name + ", row 5, column flag: 't' is not a boolean; expected true or false",
        name + ", row 6, column id: 'f\\u0000g' holds a NUL character; expected text without control bytes",
        name + ", row 7, column flag: ' true' is not a boolean; expected true or false");
  }

  @Test
  void arrowAndCsv_sameGeneratedTables_readIdentically() throws IOException {
    PortfolioSimulator sim = new PortfolioSimulator(SimulationConfig.builder().suppliers(40).seed(2).build());
    for (TableWriter.Format format : TableWriter.Format.values()) {
      Path out = Files.createDirectories(dir.resolve(format.extension()));
      try (TradeTables.Sink sink = TradeTables.writer(out, format, false)) {
        sim.simulate(sink);
        sink.commit();
      }
    }
    for (TableSchema table : PortfolioTables.ALL) {
      List<String> fromCsv = readAll(dir.resolve("csv").resolve(table.name() + ".csv"), table);
      List<String> fromArrow = readAll(dir.resolve("arrow").resolve(table.name() + ".arrow"), table);
      List<String> fromParquet = readAll(dir.resolve("parquet").resolve(table.name() + ".parquet"), table);
      assertThat(fromArrow).as(table.name()).isEqualTo(fromCsv).isNotEmpty();
      assertThat(fromParquet).as(table.name()).isEqualTo(fromCsv);
    }
    assertThat(quarantine).isEmpty();
  }

  @Test
  void rowCountHint_parquetFooterAndArrowBatches_matchTheRowsRead() throws IOException {
    // the footers come from Arrow's C++ Parquet writer: an independent writer of the Thrift struct
    PortfolioSimulator sim = new PortfolioSimulator(SimulationConfig.builder().suppliers(60).seed(4).build());
    for (TableWriter.Format format : new TableWriter.Format[] {TableWriter.Format.ARROW, TableWriter.Format.PARQUET}) {
      Path out = Files.createDirectories(dir.resolve("hint-" + format.extension()));
      try (TradeTables.Sink sink = TradeTables.writer(out, format, false)) {
        sim.simulate(sink);
        sink.commit();
      }
      for (TableSchema table : PortfolioTables.ALL) {
        Path file = out.resolve(table.name() + "." + format.extension());
        assertThat(TableReader.rowCountHint(file)).as(file.toString()).isEqualTo(readAll(file, table).size());
      }
    }
    // several record batches (Parquet: row groups; Arrow: the writer's batches of BATCH_ROWS, the
    // last one short, so the Arrow hint is the first batch's rows times the three batches)
    int rows = 2 * ArrowTableWriter.BATCH_ROWS + 1_000;
    for (TableWriter.Format format : new TableWriter.Format[] {TableWriter.Format.ARROW, TableWriter.Format.PARQUET}) {
      Path out = Files.createDirectories(dir.resolve("hint-batches-" + format.extension()));
      try (TableWriter w = Tables.open(out, SAMPLE, format, false)) {
        for (int i = 0; i < rows; i++) {
          w.setString(0, "S" + i);
          w.setDate(1, null);
          w.setDouble(2, i);
          w.setBoolean(3, i % 2 == 0);
          w.endRow();
        }
        w.commit();
      }
      Path file = out.resolve("sample." + format.extension());
      assertThat(readAll(file, SAMPLE)).hasSize(rows);
      assertThat(TableReader.rowCountHint(file)).as(format.toString())
          .isEqualTo(format == TableWriter.Format.ARROW ? 3L * ArrowTableWriter.BATCH_ROWS : rows);
    }
    assertThat(quarantine).isEmpty();
  }

  @Test
  void rowCountHint_unknownOrDamaged_isMinusOne() throws IOException {
    assertThat(TableReader.rowCountHint(csv("plain", "id,day,amount,flag\nS1,,1,true\n"))).isEqualTo(-1);
    Path out = Files.createDirectories(dir.resolve("damaged"));
    try (TableWriter w = Tables.open(out, SAMPLE, TableWriter.Format.PARQUET, false)) {
      w.setString(0, "S1");
      w.setDate(1, null);
      w.setDouble(2, 1);
      w.setBoolean(3, true);
      w.endRow();
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(out.resolve("sample.parquet"));
    // the footer's length points before the file; the footer cut short; the tail magic gone
    byte[] badLength = bytes.clone();
    badLength[bytes.length - 8] = (byte) 0xff;
    badLength[bytes.length - 7] = (byte) 0xff;
    byte[] cut = java.util.Arrays.copyOfRange(bytes, 0, bytes.length - 8);
    byte[] noMagic = bytes.clone();
    noMagic[bytes.length - 1] = 'X';
    for (byte[] damaged : new byte[][] {badLength, cut, noMagic, "PAR1".getBytes(StandardCharsets.UTF_8), new byte[0]}) {
      Path file = Files.write(dir.resolve("damaged.parquet"), damaged);
      assertThat(TableReader.rowCountHint(file)).isEqualTo(-1);
    }
    assertThat(TableReader.rowCountHint(Files.write(dir.resolve("garbage.arrow"),
        "not arrow at all".getBytes(StandardCharsets.UTF_8)))).isEqualTo(-1);
    assertThat(TableReader.rowCountHint(dir.resolve("missing.parquet"))).isEqualTo(-1);
    assertThat(TableReader.rowCountHint(Files.createDirectories(dir.resolve("folder.parquet")))).isEqualTo(-1);
  }

  @Test
  void parquetFooter_thriftCompactFields_decodedToNumRows() {
    // FileMetaData by hand: version 1 (i32), an empty schema list, a long-form field id 2 holding
    // a struct with a binary, a double, a bool and a nested map, then num_rows = 300 (zigzag 600)
    byte[] struct = {
        0x15, 0x02, // field 1, i32, zigzag 1
        0x19, 0x0c, // field 2, list of 0 structs
        0x0c, 0x04, // long-form id: type struct, field id zigzag 2
        0x18, 0x02, 'a', 'b', // binary "ab"
        0x17, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f, // double 1.0
        0x11, // boolean true
        0x1b, 0x01, 0x58, 0x02, 0x01, 'x', // map of one i32 -> binary "x"
        0x00, // end of the struct
        0x16, (byte) 0xd8, 0x04, // field 3 (delta 1 from 2), i64, zigzag 600 = 300
        0x00};
    assertThat(ParquetLayout.numRows(struct)).isEqualTo(300);
    assertThat(ParquetLayout.numRows(java.util.Arrays.copyOf(struct, 20))).isEqualTo(-1);
    assertThat(ParquetLayout.numRows(new byte[] {0x15, 0x02, 0x00})).isEqualTo(-1);
  }

  /**
   * Columns are found by their name, else by the header spelled so in snake_case (TableSchema.columnIn),
   * the same in every format: a file whose columns are ID, Day, Amount and FLAG reads as one named
   * id, day, amount, flag; and one with two spellings of a column and no exact one is refused
   * naming both.
   */
  @Test
  void everyFormat_columnsSpelledOtherwise_foundByTheirSnakeCaseName() throws IOException {
    TableSchema spelled = new TableSchema("sample", List.of(
        TableSchema.required("FLAG", ColumnType.BOOLEAN),
        TableSchema.required("ID", ColumnType.STRING),
        TableSchema.nullable("Day", ColumnType.DATE),
        TableSchema.required("Amount", ColumnType.DOUBLE)));
    TableSchema twice = new TableSchema("sample", List.of(
        TableSchema.required("id", ColumnType.STRING),
        TableSchema.nullable("day", ColumnType.DATE),
        TableSchema.required("Amount", ColumnType.DOUBLE),
        TableSchema.required("AMOUNT", ColumnType.DOUBLE),
        TableSchema.required("flag", ColumnType.BOOLEAN)));
    for (TableWriter.Format format : TableWriter.Format.values()) {
      List<List<String>> read = new ArrayList<>();
      for (TableSchema layout : List.of(SAMPLE, spelled)) {
        Path out = Files.createDirectories(dir.resolve(format + "-" + layout.columns().get(0).name()));
        try (TableWriter w = Tables.open(out, layout, format, false)) {
          for (int i = 0; i < 3; i++) {
            String id = "S" + i;
            LocalDate day = i == 1 ? null : LocalDate.of(2024, 1, 1 + i);
            double amount = i * 1.5 - 1;
            boolean flag = i % 2 == 0;
            for (int c = 0; c < layout.columns().size(); c++) {
              switch (TableSchema.snakeCase(layout.columns().get(c).name())) {
                case "id" -> w.setString(c, id);
                case "day" -> { if (day == null) w.setNull(c); else w.setDate(c, day); }
                case "amount" -> w.setDouble(c, amount);
                default -> w.setBoolean(c, flag);
              }
            }
            w.endRow();
          }
          w.commit();
        }
        read.add(readAll(out.resolve("sample." + format.extension()), SAMPLE));
      }
      assertThat(read.get(0)).as(format.toString()).hasSize(3);
      assertThat(read.get(1)).as(format.toString()).isEqualTo(read.get(0));

      Path out = Files.createDirectories(dir.resolve(format + "-twice"));
      try (TableWriter w = Tables.open(out, twice, format, false)) {
        w.setString(0, "S1");
        w.setNull(1);
        w.setDouble(2, 1);
        w.setDouble(3, 2);
        w.setBoolean(4, true);
        w.endRow();
        w.commit();
      }
      Path file = out.resolve("sample." + format.extension());
      assertThatThrownBy(() -> readAll(file, SAMPLE)).as(format.toString())
          .isInstanceOf(InputFormatException.class)
          .hasMessage(file + ", column amount: both Amount and AMOUNT are amount in snake_case, and none is"
              + " spelled exactly so; rename or drop one of them");
    }
    assertThat(quarantine).isEmpty();
  }

  @Test
  void arrowAndParquet_nulInsideAnId_quarantinedAsInCsv() throws IOException {
    for (TableWriter.Format format : new TableWriter.Format[] {TableWriter.Format.ARROW, TableWriter.Format.PARQUET}) {
      quarantine.clear();
      Path out = Files.createDirectories(dir.resolve("nul-" + format));
      try (TableWriter w = Tables.open(out, SAMPLE, format, false)) {
        for (String id : new String[] {"S1", "S\u00002", "S3"}) {
          w.setString(0, id);
          w.setDate(1, LocalDate.of(2024, 1, 1));
          w.setDouble(2, 1);
          w.setBoolean(3, true);
          w.endRow();
        }
        w.commit();
      }
      Path file = out.resolve("sample." + format.extension());
      assertThat(readAll(file, SAMPLE)).as(format.toString()).extracting(r -> r.substring(0, 4))
          .containsExactly("1:S1", "3:S3");
      assertThat(quarantine).as(format.toString()).singleElement().extracting(Throwable::getMessage)
          .isEqualTo(file + ", row 2, column id: 'S\\u00002' holds a NUL character; expected text without control bytes");
      assertThat(quarantine.get(0).recordId()).as("the id itself is the fault").isNull();
    }
  }

  /**
   * Arrow IPC unsigned integers (pandas' uint8 ... uint64 through pyarrow): UInt1, UInt2 and UInt4
   * read as their unsigned values; a value beyond the 32-bit range refuses its row in a whole-number
   * column, as a CSV's does; a UInt8 of 2^64 - 1 is beyond a long (refused in a LONG column) and reads
   * in a number column as the double its digits give.
   */
  @Test
  void arrow_unsignedIntegers_readAsTheirValues_beyondTheRangeRefused() throws IOException {
    Path file = dir.resolve("unsigned.arrow");
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        org.apache.arrow.vector.UInt1Vector u1 = new org.apache.arrow.vector.UInt1Vector("u1", allocator);
        org.apache.arrow.vector.UInt2Vector u2 = new org.apache.arrow.vector.UInt2Vector("u2", allocator);
        org.apache.arrow.vector.UInt4Vector u4 = new org.apache.arrow.vector.UInt4Vector("u4", allocator);
        org.apache.arrow.vector.UInt8Vector u8 = new org.apache.arrow.vector.UInt8Vector("u8", allocator)) {
      org.apache.arrow.vector.VectorSchemaRoot root = org.apache.arrow.vector.VectorSchemaRoot.of(u1, u2, u4, u8);
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
          org.apache.arrow.vector.ipc.ArrowFileWriter writer = new org.apache.arrow.vector.ipc.ArrowFileWriter(root, null,
              channel)) {
        writer.start();
        root.allocateNew();
        long[][] rows = {{7, 9, 11, 13}, {200, 60_000, 3_000_000_000L, -1L}};
        for (int i = 0; i < rows.length; i++) {
          u1.setSafe(i, (int) rows[i][0]);
          u2.setSafe(i, (char) rows[i][1]);
          u4.setSafe(i, (int) rows[i][2]);
          u8.setSafe(i, rows[i][3]);
        }
        root.setRowCount(rows.length);
        writer.writeBatch();
        writer.end();
      }
    }
    TableSchema whole = new TableSchema("u", List.of(TableSchema.required("u1", ColumnType.INT),
        TableSchema.required("u2", ColumnType.INT), TableSchema.required("u4", ColumnType.INT),
        TableSchema.required("u8", ColumnType.LONG)));
    assertThat(readAll(file, whole)).containsExactly("1:7|9|11|13|");
    assertThat(quarantine).extracting(Throwable::getMessage)
        .containsExactly(file + ", row 2, column u4: 3000000000 is not a whole number in the 32-bit range");
    quarantine.clear();
    TableSchema longs = new TableSchema("u", List.of(TableSchema.required("u8", ColumnType.LONG)));
    assertThat(readAll(file, longs)).containsExactly("1:13|");
    assertThat(quarantine).extracting(Throwable::getMessage)
        .containsExactly(file + ", row 2, column u8: 18446744073709551615 is not a whole number in the 64-bit range");
    quarantine.clear();
    TableSchema numbers = new TableSchema("u", List.of(TableSchema.required("u1", ColumnType.DOUBLE),
        TableSchema.required("u2", ColumnType.DOUBLE), TableSchema.required("u4", ColumnType.DOUBLE),
        TableSchema.required("u8", ColumnType.DOUBLE)));
    assertThat(readAll(file, numbers)).containsExactly("1:7.0|9.0|11.0|13.0|",
        "2:200.0|60000.0|3.0E9|" + Double.parseDouble("18446744073709551615") + "|");
    assertThat(quarantine).isEmpty();
  }

  @Test
  void arrow_truncatedOrWrongTypes_failClearly() throws IOException {
    Path out = Files.createDirectories(dir.resolve("arrow"));
    try (TableWriter w = Tables.open(out, SAMPLE, TableWriter.Format.ARROW, false)) {
      for (int i = 0; i < 100; i++) {
        w.setString(0, "S" + i);
        w.setDate(1, LocalDate.of(2024, 1, 1));
        w.setDouble(2, i);
        w.setBoolean(3, true);
        w.endRow();
      }
      w.commit();
    }
    Path file = out.resolve("sample.arrow");
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = Files.write(dir.resolve("truncated.arrow"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> readAll(truncated, SAMPLE))
        .isInstanceOf(InputFormatException.class)
        .hasMessageStartingWith(truncated + ": is not a readable Arrow IPC file or stream");
    TableSchema wrongType = new TableSchema("sample", List.of(TableSchema.required("flag", ColumnType.DOUBLE)));
    assertThatThrownBy(() -> readAll(file, wrongType)).hasMessage(file
        + ", column flag: has Arrow type Bool; expected a floating-point, integer or decimal type (or Utf8 holding numbers)");
    // text where numbers are expected is read value by value as a comma file's fields: ids are refused in its words
    TableSchema textAsNumbers = new TableSchema("sample", List.of(TableSchema.required("id", ColumnType.DOUBLE)));
    assertThat(readAll(file, textAsNumbers)).isEmpty();
    assertThat(quarantine).hasSize(100).first().extracting(Throwable::getMessage)
        .isEqualTo(file + ", row 1, column id: 'S0' is not a number; expected a decimal such as -12.5 or 3e-4");
    quarantine.clear();
    TableSchema missing = new TableSchema("sample", List.of(TableSchema.required("nope", ColumnType.STRING)));
    // what is expected too, as the CSV reader says it (it said only "is missing from the file's columns")
    assertThatThrownBy(() -> readAll(file, missing))
        .hasMessage(file + ", column nope: missing from the file's columns; expected columns nope");
    Path garbage = Files.write(dir.resolve("garbage.arrow"), "not arrow at all".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> readAll(garbage, SAMPLE)).isInstanceOf(InputFormatException.class);
    Path notParquet = Files.write(dir.resolve("fake.parquet"), "PAR0 nope".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> readAll(notParquet, SAMPLE))
        .hasMessage(notParquet + ": is not a Parquet file (no PAR1 magic bytes)");
    Path truncatedParquet = Files.write(dir.resolve("cut.parquet"), "PAR1 and then nothing".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> readAll(truncatedParquet, SAMPLE))
        .isInstanceOf(InputFormatException.class)
        .hasMessageStartingWith(truncatedParquet + ": is not a readable Parquet file");
    assertThat(readAll(file, SAMPLE)).hasSize(100);
  }
}
