package io.chainscore.batch.io;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV with a header row, read byte by byte: quoted fields may hold commas, quotes ({@code
 * ""}) and line breaks; lines end in LF or CRLF; text must be UTF-8. Completely empty lines are
 * skipped. Rows are numbered by record (1 = first record after the header).
 */
final class CsvTableReader implements TableReader {
  private static final int MAX_FIELD_BYTES = 1 << 20;

  private final String file;
  private final TableSchema schema;
  private final BadRowHandler handler;
  private final InputStream in;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  /** Position of each schema column in the file's records. */
  private final int[] fileColumn;
  private final int headerWidth;

  private byte[] record = new byte[1024];
  private int[] fieldStart = new int[32];
  private int[] fieldEnd = new int[32];
  private int fieldCount;
  private boolean recordHadQuoteError;
  private long rowsRead;
  private boolean eof;
  private final byte[] buffer = new byte[1 << 16];
  private int bufferPosition;
  private int bufferLength;

  CsvTableReader(Path path, TableSchema schema, BadRowHandler handler) throws IOException {
    this.file = path.toString();
    this.schema = schema;
    this.handler = handler;
    this.in = Files.newInputStream(path);
    try {
      if (!readRecord()) {
        throw new InputFormatException(file, -1, null, "is empty; expected a header row");
      }
      if (recordHadQuoteError) {
        throw new InputFormatException(file, 0, null, "header has an unterminated quoted field");
      }
      Map<String, Integer> header = new HashMap<>();
      for (int f = 0; f < fieldCount; f++) {
        String name = decode(f);
        if (name == null) {
          throw new InputFormatException(file, 0, null, "header is not valid UTF-8");
        }
        name = name.strip();
        if (f == 0 && name.startsWith("\uFEFF")) {
          name = name.substring(1);
        }
        if (header.putIfAbsent(name, f) != null) {
          throw new InputFormatException(file, 0, name, "appears twice in the header");
        }
      }
      this.headerWidth = fieldCount;
      List<TableSchema.Column> columns = schema.columns();
      this.fileColumn = new int[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        Integer position = header.get(columns.get(c).name());
        if (position == null) {
          throw new InputFormatException(file, 0, columns.get(c).name(),
              "missing from the header; expected columns " + names(columns));
        }
        fileColumn[c] = position;
      }
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static String names(List<TableSchema.Column> columns) {
    StringBuilder b = new StringBuilder();
    for (TableSchema.Column c : columns) {
      b.append(b.length() == 0 ? "" : ", ").append(c.name());
    }
    return b.toString();
  }

  @Override
  public boolean next(ColumnBatch batch) throws IOException {
    batch.clear();
    while (!batch.isFull() && readRecord()) {
      rowsRead++;
      InputFormatException error = parseInto(batch);
      if (error == null) {
        batch.commitRow(rowsRead);
      } else {
        handler.badRow(error);
      }
    }
    return batch.size() > 0;
  }

  @Override
  public long rowsRead() {
    return rowsRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Parses the current record into the batch's next slot; returns the first error or null. */
  private InputFormatException parseInto(ColumnBatch batch) {
    if (recordHadQuoteError) {
      return new InputFormatException(file, rowsRead, null, "has an unterminated quoted field");
    }
    if (fieldCount != headerWidth) {
      return new InputFormatException(file, rowsRead, null,
          "has " + fieldCount + " fields, expected " + headerWidth + " as in the header");
    }
    int slot = batch.size();
    List<TableSchema.Column> columns = schema.columns();
    for (int c = 0; c < columns.size(); c++) {
      TableSchema.Column column = columns.get(c);
      int f = fileColumn[c];
      boolean empty = fieldEnd[f] == fieldStart[f];
      if (empty && !column.nullable() && column.type() != ColumnType.STRING) {
        return bad(column, "is empty; a value is required");
      }
      switch (column.type()) {
        case STRING -> {
          String value = decode(f);
          if (value == null) {
            return bad(column, "is not valid UTF-8");
          }
          if (value.isEmpty() && !column.nullable()) {
            return bad(column, "is empty; a value is required");
          }
          batch.strings(c)[slot] = value;
        }
        case DATE -> {
          if (empty) {
            batch.dates(c)[slot] = ColumnBatch.NULL_DATE;
          } else {
            int day = parseDate(fieldStart[f], fieldEnd[f]);
            if (day == ColumnBatch.NULL_DATE) {
              return bad(column, quoted(f) + " is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31");
            }
            batch.dates(c)[slot] = day;
          }
        }
        case DOUBLE -> {
          if (empty) {
            batch.doubles(c)[slot] = Double.NaN;
          } else {
            try {
              batch.doubles(c)[slot] = Double.parseDouble(ascii(f));
            } catch (NumberFormatException e) {
              return bad(column, quoted(f) + " is not a number");
            }
          }
        }
        case INT -> {
          try {
            batch.ints(c)[slot] = Integer.parseInt(ascii(f));
          } catch (NumberFormatException e) {
            return bad(column, quoted(f) + " is not a whole number in the 32-bit range");
          }
        }
        case LONG -> {
          try {
            batch.longs(c)[slot] = Long.parseLong(ascii(f));
          } catch (NumberFormatException e) {
            return bad(column, quoted(f) + " is not a whole number in the 64-bit range");
          }
        }
        case BOOLEAN -> {
          String text = ascii(f).toLowerCase(java.util.Locale.ROOT);
          switch (text) {
            case "true", "1", "t", "yes" -> batch.booleans(c)[slot] = true;
            case "false", "0", "f", "no" -> batch.booleans(c)[slot] = false;
            default -> {
              return bad(column, quoted(f) + " is not a boolean; expected true or false");
            }
          }
        }
        default -> throw new IllegalStateException(column.type().toString());
      }
    }
    return null;
  }

  private InputFormatException bad(TableSchema.Column column, String problem) {
    return new InputFormatException(file, rowsRead, column.name(), problem);
  }

  /** Field text for messages, shortened and with control characters escaped. */
  private String quoted(int f) {
    String text = decode(f);
    if (text == null) {
      text = new String(record, fieldStart[f], fieldEnd[f] - fieldStart[f], StandardCharsets.ISO_8859_1);
    }
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isISOControl(ch)) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append('\'').toString();
  }

  private String ascii(int f) {
    return new String(record, fieldStart[f], fieldEnd[f] - fieldStart[f], StandardCharsets.ISO_8859_1).strip();
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

  /** Epoch day of a strict {@code yyyy-MM-dd} date in [1900, 2199], or NULL_DATE. */
  private int parseDate(int start, int end) {
    if (end - start != 10 || record[start + 4] != '-' || record[start + 7] != '-') {
      return ColumnBatch.NULL_DATE;
    }
    int year = digits(start, 4);
    int month = digits(start + 5, 2);
    int day = digits(start + 8, 2);
    if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) {
      return ColumnBatch.NULL_DATE;
    }
    int monthLength = switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
    if (day > monthLength) {
      return ColumnBatch.NULL_DATE;
    }
    return (int) java.time.LocalDate.of(year, month, day).toEpochDay();
  }

  private int digits(int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      int d = record[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  /**
   * Reads the next non-empty record into {@code record} with field boundaries; false at end of
   * input. Sets {@code recordHadQuoteError} when the input ends inside a quoted field.
   */
  private boolean readRecord() throws IOException {
    while (true) {
      if (eof) {
        return false;
      }
      int length = 0;
      fieldCount = 0;
      recordHadQuoteError = false;
      int start = 0;
      boolean inQuotes = false;
      boolean sawAnything = false;
      while (true) {
        int b = nextByte();
        if (b < 0) {
          eof = true;
          if (inQuotes) {
            recordHadQuoteError = true;
          }
          break;
        }
        sawAnything = true;
        if (inQuotes) {
          if (b == '"') {
            if (peekByte() == '"') {
              nextByte();
              length = put(length, (byte) '"');
            } else {
              inQuotes = false;
            }
          } else {
            length = put(length, (byte) b);
          }
          continue;
        }
        if (b == '"' && length == start) {
          inQuotes = true;
        } else if (b == ',') {
          endField(start, length);
          start = length;
        } else if (b == '\n') {
          break;
        } else if (b == '\r') {
          if (peekByte() == '\n') {
            nextByte();
          }
          break;
        } else {
          length = put(length, (byte) b);
        }
      }
      if (!sawAnything) {
        return false;
      }
      if (length == 0 && fieldCount == 0 && !recordHadQuoteError) {
        if (eof) {
          return false;
        }
        continue; // an empty line
      }
      endField(start, length);
      return true;
    }
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
      if (length >= MAX_FIELD_BYTES * 8) {
        throw new InputFormatException(file, rowsRead + 1, null,
            "record is longer than " + (MAX_FIELD_BYTES * 8) + " bytes; is a quote unbalanced?");
      }
      record = Arrays.copyOf(record, length * 2);
    }
    record[length] = b;
    return length + 1;
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
