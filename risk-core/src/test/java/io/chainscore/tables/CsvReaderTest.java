package io.chainscore.tables;

import io.chainscore.trade.TradeRules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  /** The documented number grammar, written independently as a regular expression. */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]?Infinity");

  private static CsvReader read(String text) throws IOException {
    return CsvReader.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
  }

  @Test
  void number_acceptsExactlyTheDocumentedGrammar_onRandomStrings() throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    String alphabet = "0123456789+-.eE xXpNaIfinty\t";
    for (int trial = 0; trial < 20_000; trial++) {
      String text = trial % 7 == 0 ? "Infinity" : trial % 11 == 0 ? "-" + (random.nextInt(1000) / 8.0)
          : randomText(random, alphabet);
      boolean expected = NUMBER.matcher(text).matches();
      assertThat(CsvReader.isNumber(text)).as("'%s'", text).isEqualTo(expected);
      try (CsvReader csv = read("v\n\"" + text + "\"\n")) {
        assertThat(csv.next()).isTrue();
        boolean inRange = !expected || text.endsWith("Infinity") || Double.isFinite(Double.parseDouble(text));
        assertNumberOrRefused(csv, text, expected && inRange, expected ? Double.parseDouble(text) : Double.NaN);
      }
    }
  }

  @Test
  void number_beyondADoublesRange_isRefusedQuotingTheTextAsWritten() throws IOException {
    // 1e400 and -2e308 would round to an infinity (Double.parseDouble); the message must quote the
    // file's text, not the Infinity a later check would have named; the largest double and the
    // literal Infinity still read, and digits below the smallest double round to zero as before
    try (CsvReader csv = read("v,w\n1e400,-2e308\n1.7976931348623157e308,-Infinity\n1e-400,+Infinity\n")) {
      assertThat(csv.next()).isTrue();
      assertThat(csv.isNumber(0)).isTrue();
      assertThatThrownBy(() -> csv.number(0, -1)).isInstanceOf(InputFormatException.class)
          .hasMessageStartingWith("t.csv, row 1, column v: '1e400' is out of range: beyond 1.7976931348623157E308");
      assertThatThrownBy(() -> csv.number(1, -1))
          .hasMessageStartingWith("t.csv, row 1, column w: '-2e308' is out of range");
      assertThat(csv.next()).isTrue();
      assertThat(csv.number(0, -1)).isEqualTo(Double.MAX_VALUE);
      assertThat(csv.number(1, -1)).isEqualTo(Double.NEGATIVE_INFINITY);
      assertThat(csv.next()).isTrue();
      assertThat(csv.number(0, -1)).isEqualTo(0.0);
      assertThat(csv.number(1, -1)).isEqualTo(Double.POSITIVE_INFINITY);
    }
    try (CsvReader csv = read("v;w\n1,5e400;1\n")) {
      assertThat(csv.next()).isTrue();
      assertThatThrownBy(() -> csv.number(0, -1))
          .hasMessageStartingWith("t.csv, row 1, column v: '1,5e400' is out of range");
    }
  }

  @Test
  void integer_agreesWithLongParseLongAtTheRangeEdges() throws IOException {
    String[] texts = {"0", "-0", "+7", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "12345678901234567890", "1.0", "1e3", " 1", "", "+", "-"};
    for (String text : texts) {
      Long expected;
      try {
        expected = text.startsWith(" ") ? null : Long.parseLong(text);
      } catch (NumberFormatException e) {
        expected = null;
      }
      try (CsvReader csv = read("n,x\n" + text + ",1\n")) {
        csv.next();
        if (text.isEmpty()) {
          // an empty cell is missing, not a mistyped number: worded as every table reader words it
          assertThatThrownBy(() -> csv.integer(0, 0, 100_000)).as(text)
              .hasMessage("t.csv, row 1, column n: is empty; a value is required");
        } else if (expected == null) {
          assertThatThrownBy(() -> csv.integer(0, Long.MIN_VALUE, Long.MAX_VALUE)).as(text)
              .hasMessage("t.csv, row 1, column n: '" + text + "' is not a whole number in the 64-bit range");
        } else {
          assertThat(csv.integer(0, Long.MIN_VALUE, Long.MAX_VALUE)).as(text).isEqualTo(expected);
          boolean fitsInt = expected >= Integer.MIN_VALUE && expected <= Integer.MAX_VALUE;
          if (!fitsInt) {
            assertThatThrownBy(() -> csv.integer(0, Integer.MIN_VALUE, Integer.MAX_VALUE)).as(text)
                .hasMessageContaining("is not a whole number in the 32-bit range");
          }
        }
      }
    }
  }

  @Test
  void bool_takesTrueAndFalseInAnyCaseOnly() throws IOException {
    try (CsvReader csv = read("b\ntrue\nFALSE\nTrue\n1\nyes\nt\n0\n")) {
      csv.next();
      assertThat(csv.bool(0)).isTrue();
      csv.next();
      assertThat(csv.bool(0)).isFalse();
      csv.next();
      assertThat(csv.bool(0)).isTrue();
      for (String loose : new String[] {"1", "yes", "t", "0"}) {
        csv.next();
        assertThatThrownBy(() -> csv.bool(0))
            .hasMessage("t.csv, row " + csv.row() + ", column b: '" + loose + "' is not a boolean; expected true or false");
      }
    }
  }

  @Test
  void writerOutput_readsBackUnchanged() throws IOException {
    SplittableRandom random = new SplittableRandom(5);
    StringBuilder out = new StringBuilder();
    CsvWriter writer = new CsvWriter(out);
    writer.header(new TableSchema("t", java.util.List.of(TableSchema.required("text", ColumnType.STRING),
        TableSchema.required("x", ColumnType.DOUBLE), TableSchema.required("day", ColumnType.DATE),
        TableSchema.required("flag", ColumnType.BOOLEAN), TableSchema.required("n", ColumnType.LONG))));
    int rows = 500;
    String[] texts = new String[rows];
    double[] values = new double[rows];
    int[] days = new int[rows];
    long[] longs = new long[rows];
    for (int r = 0; r < rows; r++) {
      texts[r] = "id " + r + (r % 3 == 0 ? ", with \"quotes\"\nand a line" : "") + (r % 5 == 0 ? "\u00e9" : "");
      values[r] = r % 50 == 0 ? Double.NEGATIVE_INFINITY : Double.longBitsToDouble(random.nextLong() >>> 2);
      days[r] = TradeRules.MIN_DAY + random.nextInt(TradeRules.MAX_DAY - TradeRules.MIN_DAY + 1);
      longs[r] = random.nextLong();
      writer.text(texts[r]).number(values[r]).date(days[r]).bool(r % 2 == 0).integer(longs[r]);
      writer.endRow();
    }
    try (CsvReader csv = read(out.toString())) {
      assertThat(csv.header()).containsExactly("text", "x", "day", "flag", "n");
      for (int r = 0; r < rows; r++) {
        assertThat(csv.next()).isTrue();
        assertThat(csv.recordProblem()).isNull();
        assertThat(csv.text(0)).isEqualTo(texts[r]);
        assertThat(Double.doubleToLongBits(csv.number(1, 0))).isEqualTo(Double.doubleToLongBits(values[r]));
        assertThat(csv.date(2, 0)).isEqualTo(days[r]);
        assertThat(csv.bool(3)).isEqualTo(r % 2 == 0);
        assertThat(csv.integer(4, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(longs[r]);
      }
      assertThat(csv.next()).isFalse();
    }
  }

  @Test
  void text_refusesNulAndNamesTheField() throws IOException {
    try (CsvReader csv = read("id,v\n\"a\u0000b\",1\n")) {
      csv.next();
      assertThatThrownBy(() -> csv.text(0))
          .hasMessage("t.csv, row 1, column id: 'a\\u0000b' holds a NUL character; expected text without control bytes");
    }
  }
  /**
   * A date held as text (a join key) reads as the same field reads: dates and date-times without a
   * zone as their dates, a date-time with an offset as its date in the zone (16:30Z is the next day
   * in Shanghai), refused without one in the field's words, naming file, row and column; other text
   * is no date (Integer.MIN_VALUE), where the field reader refuses it.
   */
  @Test
  void parseDate_ofText_readsAsTheFieldDoes() throws IOException {
    java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
    String[] texts = {"2025-06-30", "2025-06-30 23:59:59", "2025-06-30T16:30:00Z", "2025-06-30 16:30:00+00:00",
        "2025-07-01 00:30:00+08:00", "2025-06-30T12:00-04", "Q2-2025"};
    int[] inShanghai = {20269, 20269, 20270, 20270, 20270, 20270, Integer.MIN_VALUE};
    for (int i = 0; i < texts.length; i++) {
      assertThat(CsvReader.parseDate(texts[i], shanghai, "k.csv", i + 1, "as_of_date")).as(texts[i])
          .isEqualTo(inShanghai[i]);
      try (CsvReader csv = read("as_of_date\n" + texts[i] + "\n")) {
        csv.next();
        if (inShanghai[i] == Integer.MIN_VALUE) {
          assertThatThrownBy(() -> csv.date(0, -1, shanghai)).hasMessageContaining("is not a date");
        } else {
          assertThat(csv.date(0, -1, shanghai)).as(texts[i]).isEqualTo(inShanghai[i]);
        }
      }
    }
    assertThat(java.time.LocalDate.ofEpochDay(20270)).isEqualTo(java.time.LocalDate.of(2025, 7, 1));
    assertThat(CsvReader.parseDate("2025-06-30 23:59:59", null, "k.csv", 1, "as_of_date")).isEqualTo(20269);
    assertThat(CsvReader.parseDate("Q2-2025", null, "k.csv", 1, "as_of_date")).isEqualTo(Integer.MIN_VALUE);
    String refusal;
    try (CsvReader csv = read("as_of_date\n2025-06-30T16:30:00Z\n")) {
      csv.next();
      refusal = org.assertj.core.api.Assertions.catchThrowable(() -> csv.date(0, -1, null)).getMessage();
    }
    assertThat(refusal).startsWith("t.csv, row 1, column as_of_date: '2025-06-30T16:30:00Z' is a date-time with a time"
        + " zone").contains("--time-zone");
    assertThatThrownBy(() -> CsvReader.parseDate("2025-06-30T16:30:00Z", null, "k.csv", 7, "as_of_date"))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(refusal.replace("t.csv, row 1", "k.csv, row 7"));
    assertThatThrownBy(() -> CsvReader.parseDate("2199-12-31T23:00:00Z", shanghai, "k.csv", 2, "as_of_date"))
        .hasMessage("k.csv, row 2, column as_of_date: '2199-12-31T23:00:00Z' falls on a date outside 1900-01-01 to"
            + " 2199-12-31 in Asia/Shanghai");
  }

  // ---- the semicolon dialect: spreadsheets' CSV in the decimal-comma locales ----

  /**
   * The random-string grammar test of the comma dialect, in the semicolon one: a number is the
   * documented grammar with ',' in place of '.', read to the double of the same number written
   * with a point; everything else is refused naming file, row and column.
   */
  @Test
  void semicolon_number_acceptsExactlyTheGrammarWithADecimalComma_onRandomStrings() throws IOException {
    Pattern decimalComma = Pattern.compile("[+-]?(\\d+,?\\d*|,\\d+)([eE][+-]?\\d+)?|NaN|[+-]?Infinity");
    SplittableRandom random = new SplittableRandom(13);
    String alphabet = "0123456789+-.,eE xNaIfinty";
    for (int trial = 0; trial < 20_000; trial++) {
      String text = trial % 11 == 0 ? ("-" + (random.nextInt(1000) / 8.0)).replace('.', ',')
          : randomText(random, alphabet);
      boolean expected = decimalComma.matcher(text).matches();
      assertThat(CsvReader.isNumber(text, CsvReader.Dialect.SEMICOLON)).as("'%s'", text).isEqualTo(expected);
      try (CsvReader csv = read("v;w\n\"" + text + "\";x\n")) {
        assertThat(csv.dialect()).isEqualTo(CsvReader.Dialect.SEMICOLON);
        assertThat(csv.next()).isTrue();
        assertThat(csv.isNumber(0)).as("'%s'", text).isEqualTo(expected);
        double value = expected ? Double.parseDouble(text.replace(',', '.')) : Double.NaN;
        boolean inRange = !expected || text.endsWith("Infinity") || Double.isFinite(value);
        assertNumberOrRefused(csv, text, expected && inRange, value);
        if (expected) {
          assertThat(CsvReader.parseNumber(text, CsvReader.Dialect.SEMICOLON)).as("'%s'", text).isEqualTo(value);
        }
      }
    }
  }

  /** Decimal commas with signs and exponents, long mantissas past the fast path, quoted ';' and ',', integers. */
  @Test
  void semicolon_recordsAndNumbers_readAsTheCommaFileReadsThem() throws IOException {
    String comma = "id,amount,n,note\n"
        + "a,-1234.56,7,\"x;y\"\n"
        + "b,0.5,-3,\"1,5\"\n"
        + "c,1.5E3,0,\"say \"\"hi\"\";\"\n"
        + "d,-.25,+12,\"two\nlines\"\n"
        + "e,0.1234567890123456789,1,plain\n"
        + "f,-Infinity,2,\n"
        + "g,NaN,3,\"\"\n";
    String semicolon = "id;amount;n;note\r\n"
        + "a;-1234,56;7;\"x;y\"\r\n"
        + "b;0,5;-3;1,5\r\n"
        + "c;1,5E3;0;\"say \"\"hi\"\";\"\r\n"
        + "d;-,25;+12;\"two\nlines\"\r\n"
        + "e;0,1234567890123456789;1;plain\r\n"
        + "f;-Infinity;2;\r\n"
        + "g;NaN;3;\"\"\r\n";
    try (CsvReader a = read(comma); CsvReader b = read(semicolon)) {
      assertThat(a.dialect()).isEqualTo(CsvReader.Dialect.COMMA);
      assertThat(b.dialect()).isEqualTo(CsvReader.Dialect.SEMICOLON);
      assertThat(b.header()).isEqualTo(a.header());
      int rows = 0;
      while (a.next()) {
        assertThat(b.next()).isTrue();
        assertThat(b.recordProblem()).isNull();
        assertThat(b.text(0)).isEqualTo(a.text(0));
        assertThat(Double.doubleToRawLongBits(b.number(1, 99))).as(a.text(0))
            .isEqualTo(Double.doubleToRawLongBits(a.number(1, 99)));
        assertThat(b.integer(2, -100, 100)).isEqualTo(a.integer(2, -100, 100));
        assertThat(b.text(3)).isEqualTo(a.text(3));
        rows++;
      }
      assertThat(b.next()).isFalse();
      assertThat(rows).isEqualTo(7);
    }
    try (CsvReader csv = read("v;w\n-1234,56;0,5\n")) {
      csv.next();
      assertThat(csv.number(0, 0)).isEqualTo(-1234.56);
      assertThat(csv.number(1, 0)).isEqualTo(0.5);
    }
  }

  /**
   * The dialect comes from the header alone: semicolons outside quotes and no comma; a comma
   * anywhere outside quotes, or semicolons only inside quotes, keep the comma dialect (whose files
   * read as before, a quoted decimal comma refused there as ever).
   */
  /**
   * An unterminated quote takes every later line into its record: the refusal says which lines,
   * so the rows that never reach the quarantine are accounted for (lines counted by hand here,
   * with and without a final line end, LF and CRLF).
   */
  @Test
  void unterminatedQuote_namesTheLinesItSwallowed() throws IOException {
    String[][] cases = {
        {"id,a\n1,x\n2,\"oops\n3,y\n4,z\n", "lines 3-5 (3 lines, to the end of the file) were read as this one record"},
        {"id,a\r\n1,x\r\n2,\"oops\r\n3,y\r\n4,z", "lines 3-5 (3 lines, to the end of the file) were read as this one record"},
        {"id,a\n1,x\n2,\"oops\n", "(the file ends inside it)"},
        {"id,a\n1,\"x\ny\"\n2,\"a\"\"b\nc\n", "lines 4-5 (2 lines, to the end of the file) were read as this one record"}};
    for (String[] c : cases) {
      try (CsvReader csv = read(c[0])) {
        assertThat(csv.next()).isTrue();
        assertThat(csv.recordProblem()).as(c[0]).isNull();
        assertThat(csv.next()).isTrue();
        String opened = c[0].startsWith("id,a\n1,\"x") ? "4" : "3";
        assertThat(csv.recordProblem()).as(c[0]).hasMessage("t.csv, row 2: has an unterminated quoted field: the quote"
            + " opened on line " + opened + " is never closed" + (c[1].startsWith("(") ? " " : ": ") + c[1]);
        assertThat(csv.next()).isFalse();
      }
    }
  }

  @Test
  void dialect_isSettledByTheHeaderOutsideQuotes() throws IOException {
    String[][] cases = {
        {"a;b\n", "SEMICOLON"}, {"\"a,x\";b\n", "SEMICOLON"}, {"\"a\"\"x,\";\"b\"\n", "SEMICOLON"},
        {"\n\r\na;b\n", "SEMICOLON"}, {"\uFEFFa;b\r\n", "SEMICOLON"}, {"a;b,c\n", "COMMA"}, {"\"a;b\"\n", "COMMA"}, {"a\n1;2\n", "COMMA"},
        {"a,b\n1;2,3\n", "COMMA"}, {"\"a;b\",c\n", "COMMA"}, {"a\tb\n", "COMMA"}};
    for (String[] c : cases) {
      try (CsvReader csv = read(c[0])) {
        assertThat(csv.dialect().name()).as(c[0]).isEqualTo(c[1]);
      }
    }
    try (CsvReader csv = read("\"a,x\";b\n")) {
      assertThat(csv.header()).containsExactly("a,x", "b");
    }
    // what spreadsheets save as "CSV UTF-8" in those locales: a byte-order mark, CRLF
    try (CsvReader csv = read("\uFEFFid;amount\r\nx;2,5\r\n")) {
      assertThat(csv.header()).containsExactly("id", "amount");
      csv.next();
      assertThat(csv.number(1, 0)).isEqualTo(2.5);
    }
    // a byte-order mark before a quoted first name (R's write.csv with UTF-8-BOM): the name unquoted,
    // the dialect found (it kept its quotes and was not found before 2026-12-07); a lone mark or a
    // mark of fewer bytes than three is no header
    for (String separator : new String[] {",", ";"}) {
      try (CsvReader csv = read("\uFEFF\"invoice_id\"" + separator + "\"amount\"\r\n\"I1\"" + separator + "2\r\n")) {
        assertThat(csv.header()).as(separator).containsExactly("invoice_id", "amount");
        assertThat(csv.dialect().name()).isEqualTo(separator.equals(",") ? "COMMA" : "SEMICOLON");
        assertThat(csv.columnOf("invoice_id")).isZero();
        csv.next();
        assertThat(csv.text(0)).isEqualTo("I1");
      }
    }
    assertThatThrownBy(() -> read("\uFEFF").close()).hasMessageContaining("is empty; expected a header row");
    // two of the mark's three bytes are not a mark: read as they are, which is not UTF-8
    assertThatThrownBy(() -> CsvReader.of(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB, 'a', '\n'}),
        "t.csv").close()).hasMessageContaining("header is not valid UTF-8");
    // a binary file named as Arrow or Parquet given for a table read as CSV only (ecl --days-past-due):
    // said so, not told that such a file "is read as such when its name ends in .arrow"
    byte[] arrowMagic = {'A', 'R', 'R', 'O', 'W', '1', 0, 0, (byte) 0xFF, (byte) 0xFF, '\n'};
    for (String name : new String[] {"dpd.arrow", "dpd.parquet"}) {
      assertThatThrownBy(() -> CsvReader.of(new ByteArrayInputStream(arrowMagic), name).close())
          .isInstanceOf(InputFormatException.class)
          .hasMessage(name + ": is named as a Parquet or Arrow IPC file, but this table is read as CSV only; expected"
              + " a CSV file (UTF-8, a header row)");
    }
    try (CsvReader csv = read("a,b\n\"1,5\",0.5\n")) {
      csv.next();
      assertThat(csv.number(1, 0)).isEqualTo(0.5);
      assertThatThrownBy(() -> csv.number(0, 0))
          .hasMessage("t.csv, row 1, column a: '1,5' is not a number; expected a decimal such as -12.5 or 3e-4");
      assertThat(csv.foreignNumber(0)).isNull();
    }
    // a header longer than the reader's 64 KiB buffer is looked at to its end
    String longHeader = "x".repeat(200_000) + ";y\n1;2,5\n";
    try (CsvReader csv = read(longHeader)) {
      assertThat(csv.dialect()).isEqualTo(CsvReader.Dialect.SEMICOLON);
      csv.next();
      assertThat(csv.number(1, 0)).isEqualTo(2.5);
    }
  }

  /**
   * A number with a decimal point or thousands separators in a semicolon file is refused in one
   * line naming file, row, column, the value and what was expected, never read; integers, numbers
   * with an exponent and no point, and text are not such numbers.
   */
  @Test
  void semicolon_decimalPointsAndThousandsSeparators_refusedWithTheirReason() throws IOException {
    String point = "' has a decimal point; expected a decimal comma, as the file is separated by semicolons, and no"
        + " thousands separators (such as -1234,56)";
    String thousands = "' has thousands separators; expected a decimal comma, as the file is separated by semicolons,"
        + " and no thousands separators (such as -1234,56)";
    String[][] cases = {
        {"1234.56", point}, {"-0.5", point}, {"1.5E3", point}, {".25", point}, {"1.234", point},
        {"1.234,56", thousands}, {"-1.234.567", thousands}, {"1 234", thousands}, {"1 234,5", thousands},
        {"12'345,00", thousands}, {"1,234.56", thousands}};
    for (String[] c : cases) {
      try (CsvReader csv = read("id;amount\nx;" + c[0] + "\n")) {
        csv.next();
        String message = "t.csv, row 1, column amount: '" + c[0] + c[1];
        assertThat(csv.isNumber(1)).as(c[0]).isFalse();
        assertThatThrownBy(() -> csv.number(1, 0)).as(c[0]).isInstanceOf(InputFormatException.class)
            .hasMessage(message);
        assertThat(csv.foreignNumber(1)).as(c[0]).hasMessage(message);
      }
    }
    for (String notForeign : new String[] {"12", "1e3", "1,5", "abc", "1.2.3", "12 34", "31.12.2024", "1.2345,6"}) {
      try (CsvReader csv = read("id;amount\nx;" + notForeign + "\n")) {
        csv.next();
        assertThat(csv.foreignNumber(1)).as(notForeign).isNull();
      }
    }
    try (CsvReader csv = read("id;amount\nx;abc\n")) {
      csv.next();
      assertThatThrownBy(() -> csv.number(1, 0)).hasMessage("t.csv, row 1, column amount: 'abc' is not a number;"
          + " expected a decimal such as -12,5 or 3e-4 (a decimal comma, as the file is separated by semicolons)");
    }
  }

  /**
   * Dates in a semicolon file: day-first DD.MM.YYYY (what those locales' spreadsheets write, also
   * with one-digit days and months, D.M.YYYY) and ISO, both in 1900-01-01..2199-12-31; two-digit
   * years refused; a comma file reads no day-first date.
   */
  @Test
  void semicolon_dates_dayFirstOrIso_inTheRange() throws IOException {
    String[][] good = {{"29.02.2024", "2024-02-29"}, {"01.01.1900", "1900-01-01"}, {"31.12.2199", "2199-12-31"},
        {"2024-02-29", "2024-02-29"}, {"30.06.2025", "2025-06-30"}, {"1.2.2024", "2024-02-01"},
        {"9.10.2024", "2024-10-09"}, {"10.9.2024", "2024-09-10"}, {"01.2.2024", "2024-02-01"}, {"1.02.2024", "2024-02-01"}};
    for (String[] g : good) {
      try (CsvReader csv = read("id;d\nx;" + g[0] + "\n")) {
        csv.next();
        assertThat(java.time.LocalDate.ofEpochDay(csv.date(1, -1))).as(g[0]).hasToString(g[1]);
        assertThat(csv.textWithIsoDates(1)).isEqualTo(g[1]);
      }
    }
    for (String bad : new String[] {"31.12.1899", "01.01.2200", "29.02.2023", "31.04.2024", "01/02/2024",
        "01.13.2024", "00.01.2024", "2024.01.01", "1.2.24", "01.02.24", "001.02.2024", "1.123.2024", "1..2024",
        ".1.2.2024", "1.2.02024", "+1.2.2024", "1.-2.2024", "0.1.2024", "1.0.2024", "29.2.2023"}) {
      try (CsvReader csv = read("id;d\nx;" + bad + "\n")) {
        csv.next();
        assertThatThrownBy(() -> csv.date(1, -1)).as(bad).hasMessage("t.csv, row 1, column d: '" + bad
            + "' is not a date in DD.MM.YYYY or YYYY-MM-DD form between 1900-01-01 and 2199-12-31");
        assertThat(csv.textWithIsoDates(1)).isEqualTo(bad);
      }
    }
    try (CsvReader csv = read("id,d\nx,29.02.2024\n")) {
      csv.next();
      assertThatThrownBy(() -> csv.date(1, -1)).hasMessage("t.csv, row 1, column d: '29.02.2024' is not a date in"
          + " YYYY-MM-DD form between 1900-01-01 and 2199-12-31");
      assertThat(csv.textWithIsoDates(1)).isEqualTo("29.02.2024");
    }
  }

  /**
   * {@code text} gives each field as written whether or not it repeats the row before (where it
   * reuses that row's String): random rows from a small pool of values, ASCII and not, quoted with
   * separators, doubled quotes and line breaks, empty, and values that differ from another only in
   * their last byte or their length, each read back equal to what was written; a repeated ASCII
   * value is the same instance, a repeated non-ASCII value an equal one.
   */
  @Test
  void text_repeatedValues_equalWhatWasWritten() throws IOException {
    String[] pool = {"S0000001", "S0000002", "S000000", "S00000011", "A05", "", "caf\u00e9", "caf\u00e8",
        "a,b", "say \"hi\"", "two\nlines", "S0000001 ", "\u4e2d\u6587"};
    SplittableRandom random = new SplittableRandom(20261205);
    int rows = 5_000;
    String[][] written = new String[rows][3];
    StringBuilder csv = new StringBuilder("x,y,z\n");
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < 3; f++) {
        // runs: most rows repeat the row before's value
        written[r][f] = r > 0 && random.nextInt(4) > 0 ? written[r - 1][f] : pool[random.nextInt(pool.length)];
        String v = written[r][f];
        boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || random.nextInt(5) == 0;
        csv.append(f > 0 ? "," : "").append(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      csv.append('\n');
    }
    int same = 0;
    try (CsvReader reader = read(csv.toString())) {
      String[] before = new String[3];
      for (int r = 0; r < rows; r++) {
        assertThat(reader.next()).isTrue();
        for (int f = 0; f < 3; f++) {
          String text = reader.text(f);
          assertThat(text).as("row %d field %d", r + 1, f).isEqualTo(written[r][f]);
          if (r > 0 && written[r][f].equals(written[r - 1][f]) && written[r][f].chars().allMatch(c -> c < 128)) {
            assertThat(text).as("row %d field %d repeats", r + 1, f).isSameAs(before[f]);
            same++;
          }
          before[f] = text;
        }
      }
      assertThat(reader.next()).isFalse();
    }
    assertThat(same).as("repeated ASCII values").isGreaterThan(rows);
  }

  /** One to seven characters of {@code alphabet}. */
  private static String randomText(SplittableRandom random, String alphabet) {
    StringBuilder b = new StringBuilder();
    int length = 1 + random.nextInt(7);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /**
   * The tokenizer against a second, byte-at-a-time one written from the rules on the class (a
   * quote opens only at a field's start; {@code ""} inside quotes is a quote; line ends {@code \n},
   * {@code \r\n} or a lone {@code \r}; empty lines skipped), on random records of separators,
   * quotes in and out of place, line ends inside quotes, empty fields and lines and non-ASCII
   * text, handed to the reader in random chunks of 1 to 9 bytes (the buffer refilled mid-field).
   */
  /**
   * A header column with no name, as pandas' {@code to_csv} and R's {@code write.csv} write the row
   * numbers before a table's columns by default, is named by its position, so that an option can
   * name it; a column already called so is refused with the reason.
   */
  @Test
  void unnamedHeaderColumns_areNamedByTheirPosition() throws IOException {
    try (CsvReader csv = read(",age,income\n0,41,5000\n1,35,\n")) {
      assertThat(csv.header()).containsExactly("column_1", "age", "income");
      assertThat(csv.unnamedColumns()).containsExactly("column_1");
      assertThat(csv.next()).isTrue();
      assertThat(csv.number(0, Double.NaN)).isEqualTo(0.0);
      assertThat(csv.number(1, Double.NaN)).isEqualTo(41.0);
    }
    try (CsvReader csv = read("a, ,b,\n1,2,3,4\n")) {
      assertThat(csv.header()).containsExactly("a", "column_2", "b", "column_4");
      assertThat(csv.unnamedColumns()).containsExactly("column_2", "column_4");
    }
    try (CsvReader csv = read("a,b\n1,2\n")) {
      assertThat(csv.unnamedColumns()).isEmpty();
    }
    assertThatThrownBy(() -> read(",column_1\n1,2\n"))
        .isInstanceOf(InputFormatException.class)
        .hasMessage("t.csv, column column_1: appears twice in the header (a column with no name is read as"
            + " column_1, by its position)");
  }

  @Test
  void records_equalASimpleTokenizers_onRandomInputInRandomChunks() throws IOException {
    SplittableRandom random = new SplittableRandom(41);
    String[] pieces = {"a", "bc", "42", "x y", "\u00e9t\u00e9", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", ";", "-1.5"};
    for (int file = 0; file < 300; file++) {
      StringBuilder text = new StringBuilder("h1,h2\n");
      int length = 1 + random.nextInt(200);
      for (int i = 0; i < length; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      List<List<String>> expected = referenceRecords(bytes);
      java.io.InputStream chunks = new java.io.ByteArrayInputStream(bytes) {
        @Override
        public synchronized int read(byte[] b, int off, int len) {
          return super.read(b, off, Math.min(len, 1 + random.nextInt(9)));
        }
      };
      try (CsvReader csv = CsvReader.of(chunks, "t.csv")) {
        assertThat(csv.header()).isEqualTo(expected.get(0));
        for (int r = 1; r < expected.size(); r++) {
          String at = "file " + file + ", record " + r + " of " + text.toString().replace("\n", "\\n").replace("\r", "\\r");
          assertThat(csv.next()).as(at).isTrue();
          List<String> fields = new ArrayList<>();
          for (int f = 0; f < csv.fieldCount(); f++) {
            fields.add(csv.isEmpty(f) ? "" : csv.text(f));
          }
          assertThat(fields).as(at).isEqualTo(expected.get(r));
        }
        assertThat(csv.next()).as("file %d: no more records", file).isFalse();
      }
    }
  }

  /**
   * The records of {@code bytes} (UTF-8), the first the header, by the rules of the class; a line
   * that gives no byte and no separator (empty, or only {@code ""}) is no record.
   */
  private static List<List<String>> referenceRecords(byte[] bytes) {
    List<List<String>> records = new ArrayList<>();
    String s = new String(bytes, StandardCharsets.UTF_8);
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean inQuotes = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inQuotes) {
        if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          inQuotes = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        inQuotes = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        if (!record.isEmpty() || field.length() > 0) {
          record.add(field.toString());
          records.add(record);
        }
        record = new ArrayList<>();
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (!record.isEmpty() || field.length() > 0 || inQuotes) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }

  /** Field 0 of {@code csv}'s current row ({@code text}) reads as {@code value}, or is refused naming row 1, column v. */
  private static void assertNumberOrRefused(CsvReader csv, String text, boolean expected, double value) {
    if (expected) {
      assertThat(csv.number(0, -1)).as("'%s'", text).isEqualTo(value);
    } else {
      assertThatThrownBy(() -> csv.number(0, -1)).as("'%s'", text)
          .isInstanceOf(InputFormatException.class)
          .hasMessageStartingWith("t.csv, row 1, column v: ");
    }
  }
}
