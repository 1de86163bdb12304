package io.chainscore.tables;

import io.chainscore.trade.TradeRules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
      StringBuilder b = new StringBuilder();
      int length = 1 + random.nextInt(7);
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = trial % 7 == 0 ? "Infinity" : trial % 11 == 0 ? "-" + (random.nextInt(1000) / 8.0) : b.toString();
      boolean expected = NUMBER.matcher(text).matches();
      assertThat(CsvReader.isNumber(text)).as("'%s'", text).isEqualTo(expected);
      try (CsvReader csv = read("v\n\"" + text + "\"\n")) {
        assertThat(csv.next()).isTrue();
        if (expected) {
          assertThat(csv.number(0, -1)).as("'%s'", text).isEqualTo(Double.parseDouble(text));
        } else {
          assertThatThrownBy(() -> csv.number(0, -1)).as("'%s'", text)
              .isInstanceOf(InputFormatException.class)
              .hasMessageStartingWith("t.csv, row 1, column v: ");
        }
      }
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
        if (expected == null) {
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
}
