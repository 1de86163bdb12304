package io.chainscore.tables;

import io.chainscore.trade.TradeRules;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The one CSV reader of ChainScore: RFC 4180 records with a header row, read byte by byte, with
 * strict typed values. Every CSV input of every module (portfolio tables, feature and score
 * tables, development samples, exposures) is read here, so quoting, encoding and value rules are
 * the same everywhere.
 *
 * <p>Records: quoted fields may hold commas, quotes ({@code ""}) and line breaks; lines end in
 * LF or CRLF; text must be UTF-8; a byte-order mark before the header is ignored; completely
 * empty lines are skipped. Rows are numbered by record: the header is row 0, the first data
 * record row 1. Header names are stripped of surrounding white space; field values are not. A
 * column with no name in the header (the row numbers pandas and R write before a table's columns
 * by default) is named {@code column_N} by its 1-based position ({@link #unnamedColumns()}), so
 * that an option can name it and a message can say which it is.
 *
 * <p>Dialects: a file whose header holds (outside quotes) no comma and at least one semicolon is
 * read as spreadsheets in the locales with a decimal comma save CSV (German, French, Italian,
 * Spanish, Dutch, Polish..., the convention of R's {@code read.csv2}), {@link Dialect#SEMICOLON}:
 * fields separated by {@code ;} (quoted as above), numbers with a decimal comma ({@code -1234,56},
 * {@code 1,5E3}) and dates also day-first ({@code DD.MM.YYYY}); a number with a decimal point or
 * thousands separators ({@code 1234.56}, {@code 1.234,56}) is refused there, never read as another
 * number or as text. Every other file is {@link Dialect#COMMA}, as below. The dialect is settled
 * once, from the header, so the comma files' path does no per-byte or per-field work for it.
 *
 * <p>Values (see the README, "Data files"): a number is {@code [+-]digits[.digits][e[+-]digits]}
 * (or {@code .digits}) or one of {@code NaN}, {@code Infinity}, {@code -Infinity}, which {@link
 * CsvWriter} writes for non-finite values; hexadecimal and padded numbers ({@code 0x1p3}, {@code
 * " 5 "}) are refused, and so are digits beyond a double's range ({@code 1e400}), by {@link #number}
 * quoting them as written. A boolean is {@code true} or {@code false} in any letter case; {@code 1},
 * {@code yes}, {@code t} are refused. A date is {@code YYYY-MM-DD} between 1900-01-01 and
 * 2199-12-31. No text field may hold a NUL character: none of ChainScore's formats has a use for
 * one, and in an id it would make two ids print alike. A bad value is an {@link
 * InputFormatException} naming the file, row, column and what was expected.
 *
 * <p>Thread safety: not thread-safe; one reader per thread.
 */
public final class CsvReader implements Closeable {

  /** How a file separates fields and writes decimals, settled from its header. */
  public enum Dialect {
    /** RFC 4180: fields separated by {@code ,}, {@code .} as the decimal point, ISO dates. */
    COMMA((byte) ',', (byte) '.'),
    /**
     * Spreadsheets' CSV in the decimal-comma locales: fields separated by {@code ;}, {@code ,} as
     * the decimal mark, dates {@code DD.MM.YYYY} or ISO.
     */
    SEMICOLON((byte) ';', (byte) ',');

    final byte separator;
    final byte point;

    Dialect(byte separator, byte point) {
      this.separator = separator;
      this.point = point;
    }
  }

  private static final int MAX_RECORD_BYTES = 8 << 20;

  private final String source;
  private final InputStream in;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final List<String> header;
  private final List<String> unnamed = new ArrayList<>();
  private final Dialect dialect;

  private byte[] record = new byte[1024];
  private int[] fieldStart = new int[32];
  private int[] fieldEnd = new int[32];
  private int fieldCount;
  private boolean unterminatedQuote;
  /** For an unterminated quote: the line it opened on, and the input's last line. */
  private long quoteLine;
  private long quoteEndLine;
  private long row;
  private long line = 1;
  private long recordLine;
  private boolean eof;
  private byte[] buffer = new byte[1 << 16];
  private int bufferPosition;
  private int bufferLength;

  private CsvReader(InputStream in, String source) throws IOException {
    this.source = source;
    this.in = in;
    try {
      skipByteOrderMark();
      this.dialect = detectDialect();
      if (!readRecord()) {
        throw new InputFormatException(source, -1, null, "is empty; expected a header row");
      }
      if (unterminatedQuote) {
        throw new InputFormatException(source, 0, null, "header has an unterminated quoted field");
      }
      List<String> names = new ArrayList<>(fieldCount);
      for (int f = 0; f < fieldCount; f++) {
        String name = decode(f);
        if (name == null) {
          String lower = source.toLowerCase(java.util.Locale.ROOT);
          if (lower.endsWith(".parquet") || lower.endsWith(".arrow") || lower.endsWith(".arrows")
              || lower.endsWith(".feather") || lower.endsWith(".ipc")) {
            // read as CSV although named as Parquet or Arrow: the table is one its command reads as
            // CSV only (ecl --days-past-due, --scenarios); until 2026-12-08 the hint below said such
            // a file "is read as such when its name ends in .parquet or .arrow", as this one's does
            throw new InputFormatException(source, -1, null, "is named as a Parquet or Arrow IPC file, but this"
                + " table is read as CSV only; expected a CSV file (UTF-8, a header row)");
          }
          throw new InputFormatException(source, 0, null, "header is not valid UTF-8 (save the file as UTF-8;"
              + " a Parquet or Arrow IPC file is read as such when its name ends in .parquet or .arrow)");
        }
        name = name.strip();
        if (name.isEmpty()) {
          name = "column_" + (f + 1);
          unnamed.add(name);
        }
        if (names.contains(name)) {
          throw new InputFormatException(source, 0, name, "appears twice in the header" + (unnamed.contains(name)
              ? " (a column with no name is read as " + name + ", by its position)" : ""));
        }
        names.add(name);
      }
      this.header = Collections.unmodifiableList(names);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** A reader of single fields set by {@link #setField}: no input, a comma file's rules. */
  private CsvReader(String source, String column) {
    this.source = source;
    this.in = InputStream.nullInputStream();
    this.dialect = Dialect.COMMA;
    this.header = List.of(column);
  }

  /**
   * A reader of one field at a time, for values held as text elsewhere in a comma file's form (a
   * Parquet or Arrow column of text where a table's layout has numbers, dates or flags, as Spark
   * writes a CSV read without inferring its types): {@link #setField} gives it the field, and its
   * field readers ({@link #number}, {@link #integer}, {@link #bool}, {@link #date(int, int,
   * java.time.ZoneId)}, field 0) apply the rules and refusals of a comma file's field, naming
   * {@code source}, the row set and {@code column}.
   *
   * <p>Thread safety: one thread at a time, as any reader.
   */
  public static CsvReader ofFields(String source, String column) {
    return new CsvReader(source, column);
  }

  /**
   * Makes {@code bytes[0 .. length)} field 0 of data row {@code row} (1-based): for a reader made
   * by {@link #ofFields}. The bytes are read in place until the next call.
   */
  public void setField(byte[] bytes, int length, long row) {
    record = bytes;
    fieldStart[0] = 0;
    fieldEnd[0] = length;
    fieldCount = 1;
    this.row = row;
  }

  /**
   * Opens {@code file} and reads its header row.
   *
   * @throws InputFormatException when the file is empty or its header is malformed
   */
  public static CsvReader open(Path file) throws IOException {
    return new CsvReader(Files.newInputStream(file), file.toString());
  }

  /**
   * Reads CSV bytes from {@code in} (closed with the reader); {@code source} names it in errors.
   *
   * @throws InputFormatException when the input is empty or its header is malformed
   */
  public static CsvReader of(InputStream in, String source) throws IOException {
    return new CsvReader(in, source);
  }

  /** The dialect read from the header: {@link Dialect#SEMICOLON} or {@link Dialect#COMMA}. */
  public Dialect dialect() {
    return dialect;
  }

  /** The file name or source given when opening, as errors name it. */
  public String source() {
    return source;
  }

  /** The header's column names, stripped, in file order ({@code column_N} for one with no name). */
  public List<String> header() {
    return header;
  }

  /** The names given to the header's columns that had none ({@code column_1}, ...), in file order. */
  public List<String> unnamedColumns() {
    return List.copyOf(unnamed);
  }

  /** The position of {@code column} in the header by {@link TableSchema#columnIn}'s rule, or -1. */
  public int columnOf(String column) {
    return TableSchema.columnIn(header, column, source);
  }

  /**
   * The position in the file of each column of {@code schema}, in schema order, found by {@link
   * TableSchema#columnIn}'s rule (the exact name, else the header spelled so in snake_case); -1
   * for an optional column the file leaves out.
   *
   * @throws InputFormatException naming the first required column missing from the header
   */
  public int[] columnsOf(TableSchema schema) {
    List<TableSchema.Column> columns = schema.columns();
    int[] position = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      position[c] = TableSchema.columnIn(header, columns.get(c).name(), source);
      if (position[c] < 0 && !columns.get(c).optional()) {
        // the required columns, then those a file may leave out, said as such (a score table read
        // for its PDs listed grade, model_id and model_version as if each were needed)
        throw new InputFormatException(source, 0, columns.get(c).name(), "missing from the header; expected "
            + schema.expectedColumns() + separatorHint());
      }
    }
    return position;
  }

  /**
   * What to tell a user whose header came out as one field holding tabs (a file exported as
   * tab-separated values), else nothing. (A header separated by semicolons is read as {@link
   * Dialect#SEMICOLON}.)
   */
  private String separatorHint() {
    if (header.size() != 1 || header.get(0).indexOf('\t') < 0) {
      return "";
    }
    return " (the header is one field separated by tabs; CSV files here are separated by commas, or by"
        + " semicolons with a decimal comma)";
  }

  /**
   * Reads the next non-empty record.
   *
   * @return false at the end of the input
   */
  public boolean next() throws IOException {
    if (!readRecord()) {
      return false;
    }
    row++;
    return true;
  }

  /** The current record's row: 1 for the first data record. */
  public long row() {
    return row;
  }

  /** The line of the input on which the current record starts (1 = the header's first line). */
  public long line() {
    return recordLine;
  }

  /**
   * Why the current record as a whole cannot be read (an unterminated quote, or a field count
   * other than the header's), or null when it can.
   */
  public InputFormatException recordProblem() {
    if (unterminatedQuote) {
      // every line after the quote went into this one record: say how many, so that the rows
      // the quarantine does not list are not silently missing
      return new InputFormatException(source, row, null, "has an unterminated quoted field: the quote opened on line "
          + quoteLine + " is never closed" + (quoteLine == quoteEndLine ? " (the file ends inside it)"
              : ": lines " + quoteLine + "-" + quoteEndLine + " (" + (quoteEndLine - quoteLine + 1) + " lines, to the end"
                  + " of the file) were read as this one record"));
    }
    if (fieldCount != header.size()) {
      return new InputFormatException(source, row, null,
          "has " + fieldCount + " fields, expected " + header.size() + " as in the header");
    }
    return null;
  }

  /** Number of fields of the current record. */
  public int fieldCount() {
    return fieldCount;
  }

  /** Whether field {@code f} of the current record is empty ({@code ""} or nothing). */
  public boolean isEmpty(int f) {
    return fieldEnd[f] == fieldStart[f];
  }

  /**
   * Field {@code f} as text, exactly as written (no white space removed).
   *
   * @throws InputFormatException when it is not UTF-8 or holds a NUL character
   */
  public String text(int f) {
    // A value repeated from the row before (a supplier's id on every row of its run, its few
    // buyers) is given the String made then: ids are decoded once per run, not once per row.
    String previous = f < previousText.length ? previousText[f] : null;
    if (previous != null && sameAscii(previous, f)) {
      return previous;
    }
    String value = decode(f);
    if (value == null) {
      throw bad(f, "is not valid UTF-8");
    }
    if (value.indexOf('\0') >= 0) {
      throw bad(f, quoted(f) + " holds a NUL character; expected text without control bytes");
    }
    if (f >= previousText.length) {
      previousText = Arrays.copyOf(previousText, Math.max(f + 1, header.size()));
    }
    previousText[f] = value;
    return value;
  }

  /** Length in bytes of field {@code f} of the current record. */
  public int fieldLength(int f) {
    return fieldEnd[f] - fieldStart[f];
  }

  /** Copies the bytes of field {@code f} into {@code destination} from {@code at}. */
  public void copyField(int f, byte[] destination, int at) {
    System.arraycopy(record, fieldStart[f], destination, at, fieldEnd[f] - fieldStart[f]);
  }

  /** Per field, the String {@link #text} last gave (null before any). */
  private String[] previousText = new String[0];

  /**
   * Whether field {@code f}'s bytes are {@code text}'s characters, each ASCII: a byte of a
   * multi-byte UTF-8 character is negative and equals no character, so only ASCII text matches.
   */
  private boolean sameAscii(String text, int f) {
    int start = fieldStart[f];
    int length = fieldEnd[f] - start;
    if (text.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (record[start + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Field {@code f} as a number in the strict form described on the class; an empty field is
   * {@code missing}.
   *
   * @throws InputFormatException when the field is not such a number
   */
  public double number(int f, double missing) {
    if (isEmpty(f)) {
      return missing;
    }
    double value = parseNumber(f);
    if (Double.isNaN(value) && !isNaNLiteral(f)) {
      throw notANumber(f);
    }
    if (Double.isInfinite(value) && !FieldGrammar.isInfinityLiteral(record, fieldStart[f], fieldEnd[f])) {
      // digits beyond a double's range (1e400): refused as written, never read as Infinity, which
      // a later check would then have quoted in place of the file's text
      throw bad(f, quoted(f) + " is out of range: beyond " + Double.MAX_VALUE + " in magnitude, the largest"
          + " number; expected a finite number (Infinity, or -Infinity, written as such for an infinite one)");
    }
    return value;
  }

  /** The refusal of field {@code f}, which is not a number of the file's dialect. */
  private InputFormatException notANumber(int f) {
    if (dialect == Dialect.COMMA) {
      return bad(f, quoted(f) + " is not a number; expected a decimal such as -12.5 or 3e-4");
    }
    InputFormatException foreign = foreignNumber(f);
    return foreign != null ? foreign : bad(f, quoted(f) + " is not a number; expected a decimal such as -12,5 or"
        + " 3e-4 (a decimal comma, as the file is separated by semicolons)");
  }

  /**
   * In a file separated by semicolons, the refusal of field {@code f} when it is a number as another
   * convention writes it, with a decimal point ({@code 1234.56}) or thousands separators ({@code
   * 1.234,56}, {@code 1 234}, {@code 1'234}); else (every field of a comma file, an empty field, a
   * number with a decimal comma, text) null. For readers that tell numeric columns from text ones
   * by their values: such a field in an otherwise numeric column is refused, not read as text.
   */
  public InputFormatException foreignNumber(int f) {
    if (dialect == Dialect.COMMA || isEmpty(f) || !FieldGrammar.isForeignNumber(record, fieldStart[f], fieldEnd[f])) {
      return null;
    }
    boolean decimalPoint = !Double.isNaN(FieldGrammar.parseNumber(record, fieldStart[f], fieldEnd[f], (byte) '.'));
    return bad(f, quoted(f) + (decimalPoint ? " has a decimal point" : " has thousands separators")
        + "; expected a decimal comma, as the file is separated by semicolons, and no thousands separators"
        + " (such as -1234,56)");
  }

  /** Whether field {@code f} is a number in the strict form described on the class (empty is not). */
  public boolean isNumber(int f) {
    return !isEmpty(f) && (!Double.isNaN(parseNumber(f)) || isNaNLiteral(f));
  }

  /**
   * Why an empty field is refused where a value is required: the one wording of every table reader
   * (a comma file's empty field, an Arrow or Parquet column's empty string or null).
   */
  public static final String EMPTY = "is empty; a value is required";

  /**
   * Field {@code f} as a whole number in [{@code min}, {@code max}], written in decimal digits with
   * an optional sign.
   *
   * @throws InputFormatException when the field is empty ({@link #EMPTY}) or not such a number
   */
  public long integer(int f, long min, long max) {
    if (isEmpty(f)) {
      // as every table reader refuses an empty cell where a value is required (until 2026-12-08
      // "'' is not a whole number in the [0, 100000] range", as if a number were mistyped)
      throw bad(f, EMPTY);
    }
    int start = fieldStart[f];
    int end = fieldEnd[f];
    int i = start;
    boolean negative = false;
    if (i < end && (record[i] == '-' || record[i] == '+')) {
      negative = record[i] == '-';
      i++;
    }
    String expected = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "32-bit"
        : min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "64-bit" : "[" + min + ", " + max + "]";
    if (i == end || end - i > 19) {
      throw bad(f, quoted(f) + " is not a whole number in the " + expected + " range");
    }
    long value = 0;
    for (; i < end; i++) {
      int d = record[i] - '0';
      if (d < 0 || d > 9 || value < (Long.MIN_VALUE + d) / 10) {
        throw bad(f, quoted(f) + " is not a whole number in the " + expected + " range");
      }
      value = value * 10 - d; // accumulated negatively, so Long.MIN_VALUE fits
    }
    if (!negative && value == Long.MIN_VALUE) {
      throw bad(f, quoted(f) + " is not a whole number in the " + expected + " range");
    }
    value = negative ? value : -value;
    if (value < min || value > max) {
      throw bad(f, quoted(f) + " is not a whole number in the " + expected + " range");
    }
    return value;
  }

  /**
   * Field {@code f} as a boolean: {@code true} or {@code false}, in any letter case.
   *
   * @throws InputFormatException for anything else
   */
  public boolean bool(int f) {
    int start = fieldStart[f];
    int length = fieldEnd[f] - start;
    if (length == 4 && FieldGrammar.matchesIgnoringCase(record, start, "true")) {
      return true;
    }
    if (length == 5 && FieldGrammar.matchesIgnoringCase(record, start, "false")) {
      return false;
    }
    throw bad(f, quoted(f) + " is not a boolean; expected true or false");
  }

  /**
   * Field {@code f} as the epoch day of a {@code YYYY-MM-DD} date in [1900-01-01, 2199-12-31] (or
   * of the date of a date-time without a time zone, {@code YYYY-MM-DD HH:mm:ss}); an empty field
   * is {@code missing}.
   *
   * @throws InputFormatException when the field is not such a date
   */
  public int date(int f, int missing) {
    return date(f, missing, null);
  }

  /**
   * Field {@code f} as {@link #date(int, int)} reads it, except that a date-time with an offset
   * ({@code Z}, {@code +HH}, {@code +HHMM} or {@code +HH:MM} after the time, as pandas and DuckDB
   * write instants) is read as the date on which that instant falls in {@code zone}, when it is
   * not null ({@link TableSchema#timeZone}).
   *
   * @throws InputFormatException when the field is not such a date
   */
  public int date(int f, int missing, java.time.ZoneId zone) {
    if (isEmpty(f)) {
      return missing;
    }
    // A plain date first: the per-row path of a CSV transaction table, which should not build the
    // refusal's lambda for every date it reads; day-first dates only in a semicolon file.
    int day = FieldGrammar.parseDate(record, fieldStart[f], fieldEnd[f]);
    if (day == Integer.MIN_VALUE && dialect == Dialect.SEMICOLON) {
      day = FieldGrammar.parseDayFirst(record, fieldStart[f], fieldEnd[f]);
    }
    if (day == Integer.MIN_VALUE) {
      day = date(record, fieldStart[f], fieldEnd[f], zone, problem -> bad(f, quoted(f) + problem));
    }
    if (day == Integer.MIN_VALUE) {
      throw bad(f, quoted(f) + notADate(dialect));
    }
    return day;
  }

  /** What a field that is not a date is refused for, in a file of {@code dialect}. */
  private static String notADate(Dialect dialect) {
    return (dialect == Dialect.COMMA ? " is not a date in YYYY-MM-DD form"
        : " is not a date in DD.MM.YYYY or YYYY-MM-DD form") + " between 1900-01-01 and 2199-12-31";
  }

  /**
   * The epoch day of {@code text} as {@link #parseDate} reads it, refusing any other text as a
   * date field of a comma file is refused ({@link #date(int, int, java.time.ZoneId)}): for callers
   * that hold a date as text that must be one (a join key), after a semicolon file's {@code
   * DD.MM.YYYY} dates were given as {@code YYYY-MM-DD} ({@link #textWithIsoDates}).
   *
   * @throws InputFormatException naming {@code source}, {@code row} and {@code column}
   */
  public static int requireDate(String text, java.time.ZoneId zone, String source, long row, String column) {
    int day = parseDate(text, zone, source, row, column);
    if (day == Integer.MIN_VALUE) {
      throw new InputFormatException(source, row, column, quoted(text) + notADate(Dialect.COMMA));
    }
    return day;
  }

  /**
   * Field {@code f} as {@link #text} gives it, except that in a file separated by semicolons a
   * {@code DD.MM.YYYY} date is given as {@code YYYY-MM-DD}: for readers that keep dates as text
   * (join keys, categorical values), so they read alike from either dialect.
   *
   * @throws InputFormatException as {@link #text}
   */
  public String textWithIsoDates(int f) {
    if (dialect == Dialect.SEMICOLON) {
      int day = FieldGrammar.parseDayFirst(record, fieldStart[f], fieldEnd[f]);
      if (day != Integer.MIN_VALUE) {
        return java.time.LocalDate.ofEpochDay(day).toString();
      }
    }
    return text(f);
  }

  /**
   * The epoch day of {@code text} read as {@link #date(int, int, java.time.ZoneId)} reads a field,
   * for callers that hold a date as text (a join key): a {@code YYYY-MM-DD} date, or the date of a
   * date-time without a time zone, in [1900-01-01, 2199-12-31], or, when {@code zone} is not null,
   * the date in it of a date-time with an offset; Integer.MIN_VALUE for any other text.
   *
   * @param source file, {@code row} (1-based data row) and {@code column} named by the error
   * @throws InputFormatException for a date-time with an offset when {@code zone} is null (the
   *     field readers' refusal, naming the option), or one that falls outside those dates
   */
  public static int parseDate(String text, java.time.ZoneId zone, String source, long row, String column) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return date(bytes, 0, bytes.length, zone, problem -> new InputFormatException(source, row, column,
        quoted(text) + problem));
  }

  /**
   * The epoch day of {@code record[start, end)}: a date or the date of a date-time without a time
   * zone ({@link FieldGrammar#parseDate}); a date-time with an offset ({@link
   * FieldGrammar#zonedDateTime}), the date on which it falls in {@code zone}, refused through {@code
   * bad} (given what is wrong with the quoted value) without one; Integer.MIN_VALUE for anything
   * else. The one reading of dates with offsets, for fields and for text.
   */
  private static int date(byte[] record, int start, int end, java.time.ZoneId zone,
      java.util.function.Function<String, InputFormatException> bad) {
    int day = FieldGrammar.parseDate(record, start, end);
    if (day != Integer.MIN_VALUE || !FieldGrammar.zonedDateTime(record, start, end)) {
      return day;
    }
    if (zone == null) {
      throw bad.apply(" is a date-time with a time zone, whose calendar date depends on the zone; "
          + TableSchema.GIVE_A_ZONE + ", or write the date (YYYY-MM-DD) or a date-time without a zone, whose"
          + " date is read");
    }
    String text = new String(record, start, end - start, StandardCharsets.UTF_8);
    long inZone;
    try {
      inZone = java.time.OffsetDateTime.parse(text, INSTANT).atZoneSameInstant(zone).toLocalDate().toEpochDay();
    } catch (java.time.format.DateTimeParseException e) {
      throw bad.apply(" is not a date-time with an offset (YYYY-MM-DD HH:mm[:ss[.fraction]] then Z, +HH, +HHMM or"
          + " +HH:MM)");
    }
    if (inZone < -25_567 || inZone > 84_005) {
      throw bad.apply(" falls on a date outside 1900-01-01 to 2199-12-31 in " + zone.getId());
    }
    return (int) inZone;
  }

  /** A date-time with an offset, {@link FieldGrammar#zonedDateTime}: a space or {@code T} before the time. */
  private static final java.time.format.DateTimeFormatter INSTANT = new java.time.format.DateTimeFormatterBuilder()
      .append(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .append(java.time.format.DateTimeFormatter.ISO_LOCAL_TIME)
      .appendPattern("[XXX][XX][X]")
      .toFormatter(java.util.Locale.ROOT);

  /** An error about field {@code f} of the current record, naming file, row and column. */
  public InputFormatException bad(int f, String problem) {
    return new InputFormatException(source, row, f < header.size() ? header.get(f) : null, problem);
  }

  /** Field text for messages: quoted, shortened to 40 characters, control characters escaped. */
  public String quoted(int f) {
    String text = decode(f);
    return quoted(text != null ? text
        : new String(record, fieldStart[f], fieldEnd[f] - fieldStart[f], StandardCharsets.ISO_8859_1));
  }

  /** {@code text} for messages as {@link #quoted(int)} gives a field's. */
  private static String quoted(String text) {
    return TradeRules.quoted(text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private boolean isNaNLiteral(int f) {
    return FieldGrammar.isNaNLiteral(record, fieldStart[f], fieldEnd[f]);
  }

  private double parseNumber(int f) {
    return FieldGrammar.parseNumber(record, fieldStart[f], fieldEnd[f], dialect.point);
  }

  /**
   * Whether {@code text} is a number in the strict form described on the class, with a decimal
   * point ({@link Dialect#COMMA}): for readers of values that did not come through a CSV record
   * (options, model files).
   */
  public static boolean isNumber(String text) {
    return isNumber(text, Dialect.COMMA);
  }

  /**
   * Whether {@code text}, a field of a file of {@code dialect}, is a number in the strict form
   * described on the class, with that dialect's decimal mark.
   */
  public static boolean isNumber(String text, Dialect dialect) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return !Double.isNaN(FieldGrammar.parseNumber(bytes, 0, bytes.length, dialect.point))
        || FieldGrammar.isNaNLiteral(bytes, 0, bytes.length);
  }

  /**
   * The value of {@code text}, a field of a file of {@code dialect} that {@link #isNumber(String,
   * Dialect)} accepts (the value {@link #number} gives the field); NaN for any other text.
   */
  public static double parseNumber(String text, Dialect dialect) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return FieldGrammar.parseNumber(bytes, 0, bytes.length, dialect.point);
  }

  /** Strict UTF-8 decoding of a field; null when the bytes are not UTF-8. */
  private String decode(int f) {
    int start = fieldStart[f];
    int length = fieldEnd[f] - start;
    boolean asciiOnly = true;
    for (int i = start; i < start + length && asciiOnly; i++) {
      asciiOnly = record[i] >= 0;
    }
    if (asciiOnly) {
      return new String(record, start, length, StandardCharsets.ISO_8859_1);
    }
    try {
      CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(record, start, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Reads the next non-empty record into {@code record} with field boundaries; false at end of
   * input. Sets {@code unterminatedQuote} when the input ends inside a quoted field.
   */
  private boolean readRecord() throws IOException {
    final int separator = dialect.separator;
    while (true) {
      if (eof) {
        return false;
      }
      int length = 0;
      fieldCount = 0;
      unterminatedQuote = false;
      recordLine = line;
      int start = 0;
      boolean inQuotes = false;
      boolean sawAnything = false;
      int lastInQuotes = -1;
      while (true) {
        if (!inQuotes) {
          // A run of ordinary bytes (no separator, line end or quote) is copied from the buffer in
          // one piece; the byte that ends it, and everything in quotes, goes the byte-wise way below.
          int from = bufferPosition;
          int to = from;
          while (to < bufferLength) {
            byte c = buffer[to];
            if (c == separator || c == '\n' || c == '\r' || c == '"') {
              break;
            }
            to++;
          }
          if (to > from) {
            length = putRun(length, from, to - from);
            bufferPosition = to;
            sawAnything = true;
          }
        }
        int b = nextByte();
        if (b < 0) {
          eof = true;
          if (inQuotes) {
            unterminatedQuote = true;
            quoteEndLine = lastInQuotes == '\n' ? line - 1 : line;   // a final line end starts no line
          }
          break;
        }
        sawAnything = true;
        if (inQuotes) {
          lastInQuotes = b;
          if (b == '"') {
            if (peekByte() == '"') {
              nextByte();
              length = put(length, (byte) '"');
            } else {
              inQuotes = false;
            }
          } else {
            if (b == '\n') {
              line++;
            }
            length = put(length, (byte) b);
          }
          continue;
        }
        if (b == '"' && length == start) {
          inQuotes = true;
          quoteLine = line;
          lastInQuotes = b;
        } else if (b == separator) {
          endField(start, length);
          start = length;
        } else if (b == '\n') {
          line++;
          break;
        } else if (b == '\r') {
          if (peekByte() == '\n') {
            nextByte();
          }
          line++;
          break;
        } else {
          length = put(length, (byte) b);
        }
      }
      if (!sawAnything) {
        return false;
      }
      if (length == 0 && fieldCount == 0 && !unterminatedQuote) {
        if (eof) {
          return false;
        }
        continue; // an empty line
      }
      endField(start, length);
      return true;
    }
  }

  /**
   * The dialect of the input from its header line, read ahead in the buffer without consuming it:
   * {@link Dialect#SEMICOLON} when the first non-empty line holds, outside quotes, no comma and at
   * least one semicolon (quotes open at the start of a field, after either separator, and {@code
   * ""} inside them is a quote, as {@link #readRecord} reads them).
   */
  /**
   * Skips a UTF-8 byte-order mark at the very start of the input (Excel's and R's "UTF-8 with
   * BOM"), before the dialect is detected or a field starts, so that a quoted first name after it
   * is read as a quoted field (it kept its quotes while the mark was taken for its first bytes).
   */
  private void skipByteOrderMark() throws IOException {
    while (bufferLength - bufferPosition < 3 && readAhead()) {
      // the first three bytes, however the input hands them over
    }
    if (bufferLength - bufferPosition >= 3 && buffer[bufferPosition] == (byte) 0xEF
        && buffer[bufferPosition + 1] == (byte) 0xBB && buffer[bufferPosition + 2] == (byte) 0xBF) {
      bufferPosition += 3;
    }
  }

  private Dialect detectDialect() throws IOException {
    boolean inQuotes = false;
    boolean fieldStart = true;
    boolean lineHasBytes = false;
    boolean semicolon = false;
    for (int i = bufferPosition; i - bufferPosition < MAX_RECORD_BYTES; ) {
      if (i == bufferLength && !readAhead()) {
        break;
      }
      byte b = buffer[i++];
      if (inQuotes) {
        if (b == '"') {
          if (i == bufferLength && !readAhead()) {
            break;
          }
          if (buffer[i] == '"') {
            i++;
          } else {
            inQuotes = false;
          }
        }
        continue;
      }
      if (b == '"' && fieldStart) {
        inQuotes = true;
        fieldStart = false;
        lineHasBytes = true;
      } else if (b == '\n' || b == '\r') {
        if (lineHasBytes) {
          break;
        }
      } else if (b == ',') {
        return Dialect.COMMA;
      } else {
        lineHasBytes = true;
        fieldStart = b == ';';
        semicolon |= fieldStart;
      }
    }
    return semicolon ? Dialect.SEMICOLON : Dialect.COMMA;
  }

  /**
   * Reads more input after what the buffer holds, growing it, keeping what is unread: for looking
   * ahead at the header. False at the end of the input.
   */
  private boolean readAhead() throws IOException {
    if (bufferLength == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int n = in.read(buffer, bufferLength, buffer.length - bufferLength);
    if (n <= 0) {
      return false;
    }
    bufferLength += n;
    return true;
  }

  private int nextByte() throws IOException {
    if (bufferPosition == bufferLength && !fill()) {
      return -1;
    }
    return buffer[bufferPosition++] & 0xFF;
  }

  private int peekByte() throws IOException {
    if (bufferPosition == bufferLength && !fill()) {
      return -1;
    }
    return buffer[bufferPosition] & 0xFF;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    bufferPosition = 0;
    bufferLength = n;
    return true;
  }

  private int put(int length, byte b) throws IOException {
    if (length == record.length) {
      if (length >= MAX_RECORD_BYTES) {
        throw new InputFormatException(source, row + 1, null,
            "record is longer than " + MAX_RECORD_BYTES + " bytes; is a quote unbalanced?");
      }
      record = Arrays.copyOf(record, length * 2);
    }
    record[length] = b;
    return length + 1;
  }

  /** Appends {@code count} bytes of the buffer from {@code from} to the record, as {@link #put} each. */
  private int putRun(int length, int from, int count) throws IOException {
    if (length + count > record.length) {
      if (length + count > MAX_RECORD_BYTES) {
        throw new InputFormatException(source, row + 1, null,
            "record is longer than " + MAX_RECORD_BYTES + " bytes; is a quote unbalanced?");
      }
      record = Arrays.copyOf(record, Math.min(MAX_RECORD_BYTES, Math.max(length + count, record.length * 2)));
    }
    System.arraycopy(buffer, from, record, length, count);
    return length + count;
  }

  private void endField(int start, int end) {
    if (fieldCount == fieldStart.length) {
      fieldStart = Arrays.copyOf(fieldStart, fieldCount * 2);
      fieldEnd = Arrays.copyOf(fieldEnd, fieldCount * 2);
    }
    fieldStart[fieldCount] = start;
    fieldEnd[fieldCount] = end;
    fieldCount++;
  }
}
