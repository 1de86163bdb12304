package io.chainscore.develop;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV records: comma-separated fields, fields in double quotes may hold commas, line
 * breaks and doubled quotes ({@code ""}); CRLF or LF line ends; a final line end is optional.
 */
final class CsvReader {
  private final Reader in;
  private final String source;
  private int line = 1;
  private int recordLine = 1;
  private int pushback = -2;

  CsvReader(Reader in, String source) {
    this.in = in;
    this.source = source;
  }

  /** Line on which the last record returned by {@link #next()} started (1-based). */
  int recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at end of input. */
  String[] next() throws IOException {
    int c = read();
    if (c == -1) {
      return null;
    }
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    while (true) {
      if (c == '"' && field.length() == 0) {
        // quoted field
        while (true) {
          int q = read();
          if (q == -1) {
            throw new IllegalArgumentException(
                source + ": line " + recordLine + ": quoted field is not closed");
          }
          if (q == '"') {
            int after = read();
            if (after == '"') {
              field.append('"');
              continue;
            }
            c = after;
            break;
          }
          if (q == '\n') {
            line++;
          }
          field.append((char) q);
        }
        if (c != ',' && c != '\n' && c != '\r' && c != -1) {
          throw new IllegalArgumentException(
              source + ": line " + line + ": unexpected character after closing quote");
        }
        continue;
      }
      if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        c = read();
        continue;
      }
      if (c == '\r') {
        int after = read();
        if (after != '\n') {
          unread(after);
        }
        c = '\n';
      }
      if (c == '\n' || c == -1) {
        fields.add(field.toString());
        if (c == '\n') {
          line++;
        }
        return fields.toArray(new String[0]);
      }
      field.append((char) c);
      c = read();
    }
  }

  private int read() throws IOException {
    if (pushback != -2) {
      int c = pushback;
      pushback = -2;
      return c;
    }
    return in.read();
  }

  private void unread(int c) {
    pushback = c;
  }
}
