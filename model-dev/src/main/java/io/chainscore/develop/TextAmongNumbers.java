package io.chainscore.develop;

import io.chainscore.tables.CsvReader;
import io.chainscore.tables.InputFormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule that tells a text column of a CSV from a numeric column with stray text, for the
 * readers that infer a column's type from its values ({@link TabularData#readCsv(java.nio.file.Path,
 * String, String)}, {@link LabelJoin.Columns#readCsv}): a column some of whose values are not
 * numbers is text, but when at least {@link #NUMERIC_SHARE} of its values present (not empty, not
 * {@code NA}) are numbers, its text is a stray value in a numeric column, not a category among
 * hundreds of numbers read as codes ('10.0', '10.033333'). The refusal names the first value that is
 * not a number (file, 1-based data row, column) and is raised only when such a column would become
 * a characteristic ({@link TabularSamples#of}), so a key or an excluded column holding such text is
 * left alone.
 *
 * <p>Thread safety: not thread safe; one per read.
 */
final class TextAmongNumbers {
  /** Share of a column's values present that are numbers from which its other values are refused. */
  static final double NUMERIC_SHARE = 0.95;

  private final String source;
  private final List<String> header;
  private final long[] present;
  private final long[] numbers;
  private final long[] firstTextRow;
  private final String[] firstText;

  TextAmongNumbers(String source, List<String> header) {
    this.source = source;
    this.header = header;
    int n = header.size();
    present = new long[n];
    numbers = new long[n];
    firstTextRow = new long[n];
    firstText = new String[n];
  }

  /**
   * Counts field {@code f} of {@code csv}'s current record, a value present: a number of the file's
   * dialect, or of another convention (refused elsewhere), counts as a number.
   */
  void count(CsvReader csv, int f) {
    present[f]++;
    if (csv.isNumber(f) || csv.foreignNumber(f) != null) {
      numbers[f]++;
    } else if (firstText[f] == null) {
      firstTextRow[f] = csv.row();
      firstText[f] = csv.quoted(f);
    }
  }

  /**
   * Per column holding text although at least {@link #NUMERIC_SHARE} of its values are numbers, the
   * refusal of its first value that is not a number.
   */
  Map<String, InputFormatException> refusals() {
    Map<String, InputFormatException> out = new HashMap<>();
    for (int c = 0; c < header.size(); c++) {
      if (firstText[c] != null && numbers[c] >= NUMERIC_SHARE * present[c]) {
        out.put(header.get(c), new InputFormatException(source, firstTextRow[c], header.get(c), firstText[c]
            + " is not a number, but " + numbers[c] + " of the column's " + present[c] + " values are; expected a"
            + " number, or an empty field or NA for a missing value (a column is categorical only when fewer than"
            + " 95% of its values are numbers)"));
      }
    }
    return out;
  }
}
