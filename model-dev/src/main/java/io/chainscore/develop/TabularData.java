package io.chainscore.develop;

import io.chainscore.tables.CsvReader;
import io.chainscore.tables.InputFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled development sample read from CSV: one binary target and named characteristics,
 * each numeric ({@code double[]}, NaN = missing) or categorical ({@code String[]}, null =
 * missing).
 *
 * <p>The file is read by the shared {@link CsvReader}: a header row, RFC 4180 quoting, strict
 * values. An empty field or {@code NA} is missing. A column is numeric when every non-missing field
 * is a decimal number in the reader's strict form ({@code -1.5}, {@code 2e3}); otherwise it is
 * categorical, unless at least 95% of its values present are numbers: its other values are then
 * stray text in a numeric column, refused at the first of them when the column is made a
 * characteristic ({@link #textAmongNumbers}, {@link TabularSamples#of}). A number with white space around it ({@code " 5 "}) is refused rather than read as
 * text. In a file separated by semicolons ({@link CsvReader.Dialect#SEMICOLON}) numbers have a
 * decimal comma ({@code -1,5}); a column of numbers one of which has a decimal point or thousands
 * separators is refused at that field, and a {@code DD.MM.YYYY} date of a categorical column is
 * read as {@code YYYY-MM-DD}, as a comma file writes it. The target column must hold exactly two values: 0/1
 * (or {@code true}/{@code false}, in any case), or any two labels with the event label named by the
 * caller; the text each class was given is kept ({@link #targetLabel}), so that a sample of one
 * class can be reported in the file's own words. Errors are {@link InputFormatException}s naming the file, the
 * 1-based data row and the column. The file is read twice (shape and types, then values), so
 * memory is one {@code double} (numeric) or one shared string reference (categorical) per cell.
 *
 * <pre>{@code
 * TabularData data = TabularData.readCsv(Path.of("germancredit.csv"), "creditability", "bad");
 * BinningTable t = OptimalBinning.builder().build().fit(data.numeric("credit_amount"), data.target());
 * }</pre>
 *
 * <p>Thread safety: immutable; accessors return copies.
 */
public final class TabularData {
  private final String targetColumn;
  private final int[] target;
  private final String[] targetLabels;
  private final Map<String, InputFormatException> textAmongNumbers;
  private final Map<String, double[]> numeric;
  private final Map<String, String[]> categorical;
  private final List<String> columns;

  private TabularData(
      String targetColumn,
      int[] target,
      String[] targetLabels,
      Map<String, InputFormatException> textAmongNumbers,
      List<String> columns,
      Map<String, double[]> numeric,
      Map<String, String[]> categorical) {
    this.textAmongNumbers = Map.copyOf(textAmongNumbers);
    this.targetColumn = targetColumn;
    this.target = target;
    this.targetLabels = targetLabels;
    this.columns = List.copyOf(columns);
    this.numeric = numeric;
    this.categorical = categorical;
  }

  /**
   * Reads a CSV whose target column holds 0 and 1 (1 = event), or {@code true} and {@code false}.
   *
   * @throws IllegalArgumentException on malformed CSV, a missing target column, or a target value
   *     other than 0/1 or true/false, naming file, row and column
   * @throws UncheckedIOException when the file cannot be read
   */
  public static TabularData readCsv(Path file, String targetColumn) {
    return readCsv(file, targetColumn, null);
  }

  /**
   * Reads a CSV whose target column holds two labels; {@code eventLabel} is the event (1), the
   * other label the non-event (0). With {@code eventLabel == null} the labels must be 0 and 1, or
   * {@code true} and {@code false} (in any case).
   *
   * @throws IllegalArgumentException on malformed CSV, a missing target column, or a third target
   *     label, naming file, row and column
   * @throws UncheckedIOException when the file cannot be read
   */
  public static TabularData readCsv(Path file, String targetColumn, String eventLabel) {
    // Two passes keep memory at one primitive value per cell: the first checks the shape, the
    // target and which columns are numeric; the second fills typed arrays.
    String src = file.toString();
    List<String> header;
    int targetIndex;
    boolean[] isNumber;
    TextAmongNumbers strayText;
    int n = 0;
    String[] labels = new String[2]; // the text of each class, once seen
    try (CsvReader csv = CsvReader.open(file)) {
      header = csv.header();
      targetIndex = header.indexOf(targetColumn);
      if (targetIndex < 0) {
        throw InputFormatException.missingColumn(src, targetColumn, "the target", header);
      }
      isNumber = new boolean[header.size()];
      java.util.Arrays.fill(isNumber, true);
      strayText = new TextAmongNumbers(src, header);
      // the first field of each column written as a number of another convention than the file's
      // (a decimal point in a file separated by semicolons): refused if the column is numeric
      InputFormatException[] foreign = new InputFormatException[header.size()];
      while (csv.next()) {
        n++;
        InputFormatException problem = csv.recordProblem();
        if (problem != null) {
          throw problem;
        }
        targetValue(csv.text(targetIndex), eventLabel, labels, src, n, targetColumn);
        for (int c = 0; c < header.size(); c++) {
          if (c != targetIndex && !isMissing(csv, c)) {
            strayText.count(csv, c);
          }
          if (isNumber[c] && !isMissing(csv, c) && !csv.isNumber(c)) {
            String v = csv.text(c);
            if (!v.equals(v.strip()) && CsvReader.isNumber(v.strip(), csv.dialect())) {
              throw csv.bad(c, csv.quoted(c) + " has white space around a number; expected the number alone");
            }
            InputFormatException wrongNumber = csv.foreignNumber(c);
            if (wrongNumber == null) {
              isNumber[c] = false;
            } else if (foreign[c] == null) {
              foreign[c] = wrongNumber;
            }
          }
        }
      }
      for (int c = 0; c < header.size(); c++) {
        if (isNumber[c] && foreign[c] != null && c != targetIndex) {
          throw foreign[c];
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(src + ": cannot read: " + e.getMessage(), e);
    }
    List<String> names = new ArrayList<>();
    Map<String, double[]> numeric = new LinkedHashMap<>();
    Map<String, String[]> categorical = new LinkedHashMap<>();
    double[][] numCols = new double[header.size()][];
    String[][] catCols = new String[header.size()][];
    List<Map<String, String>> interned = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      interned.add(new java.util.HashMap<>());
      if (c == targetIndex) {
        continue;
      }
      String name = header.get(c);
      names.add(name);
      if (isNumber[c]) {
        numCols[c] = new double[n];
        numeric.put(name, numCols[c]);
      } else {
        catCols[c] = new String[n];
        categorical.put(name, catCols[c]);
      }
    }
    int[] target = new int[n];
    try (CsvReader csv = CsvReader.open(file)) {
      int i = 0;
      while (csv.next()) {
        if (i >= n || csv.recordProblem() != null) {
          throw new IllegalStateException(src + ": file changed while being read");
        }
        target[i] = targetValue(csv.text(targetIndex), eventLabel, labels, src, i + 1, targetColumn);
        for (int c = 0; c < header.size(); c++) {
          if (numCols[c] != null) {
            numCols[c][i] = isMissing(csv, c) ? Double.NaN : csv.number(c, Double.NaN);
          } else if (catCols[c] != null) {
            catCols[c][i] = isMissing(csv, c) ? null : interned.get(c).computeIfAbsent(csv.textWithIsoDates(c), k -> k);
          }
        }
        i++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(src + ": cannot read: " + e.getMessage(), e);
    }
    return new TabularData(targetColumn, target, labels, strayText.refusals(), names, numeric, categorical);
  }

  /**
   * The refusal of an empty target value, in a sample's own target column and in a labels file
   * alike, as {@code monitor --labels} and {@code ecl --labels} refuse an empty {@code defaulted}:
   * an unknown outcome is neither a default nor a non-default, and a row left out for it would
   * shrink the sample unseen; a row whose outcome is not known yet is left out of the labels.
   */
  static final String MISSING_TARGET = "the target is missing; expected an outcome (0 or 1, or true or false):"
      + " leave a row whose outcome is not known out of the file";

  /**
   * The class of target value {@code v}, its text kept in {@code seen[class]} when first seen: the
   * one place the rules of a target column are applied, whatever the file's format.
   */
  private static int targetValue(
      String v, String eventLabel, String[] seen, String src, int row, String column) {
    if (v == null || v.isEmpty()) {
      // at its own row, in every format: with --event-label a blank was kept as the other label
      // (a CSV's), or refused later naming another row
      throw new InputFormatException(src, row, column, MISSING_TARGET);
    }
    int y;
    if (eventLabel == null) {
      y = v.equals("1") || v.equalsIgnoreCase("true") ? 1 : v.equals("0") || v.equalsIgnoreCase("false") ? 0 : -1;
      if (y < 0) {
        throw new InputFormatException(src, row, column, "expected 0 or 1 (or true or false), got '" + v
            + "'; two other labels need the event label named"
            + (v.isEmpty() || !v.strip().equals(v) ? "" : " (--event-label " + v + " if '" + v + "' is the event)"));
      }
    } else if (v.equals(eventLabel)) {
      y = 1;
    } else {
      y = 0;
      if (seen[0] != null && !seen[0].equals(v)) {
        throw new InputFormatException(src, row, column, seen[1] != null
            ? "expected two labels ('" + eventLabel + "' and '" + seen[0] + "'), got '" + v + "'"
            : "expected two labels, the event label '" + eventLabel + "' and one other, got '" + seen[0]
                + "' and then '" + v + "', neither of them '" + eventLabel + "'");
      }
    }
    if (seen[y] == null) {
      seen[y] = v;
    }
    return y;
  }

  /**
   * A table from typed columns read elsewhere (an Arrow file, say): each value is a {@code
   * double[]} (numeric, NaN missing) or a {@code String[]} (categorical, null missing), all of one
   * length. The target column follows the rules of {@link #readCsv(Path, String, String)}: 0 and 1
   * (or true and false), or two labels with {@code eventLabel}; a numeric target is read as its
   * integral text ("1").
   *
   * @throws IllegalArgumentException naming {@code source}, row and column on a missing target
   *     column or value, a third label, or columns of different lengths
   */
  public static TabularData ofColumns(String source, String targetColumn, String eventLabel, List<String> names,
      List<Object> values) {
    return ofColumns(new LabelJoin.Columns(source, names, values), targetColumn, eventLabel);
  }

  /**
   * A table from the columns of a file read elsewhere ({@link LabelJoin.Columns#readCsv}, an Arrow or
   * Parquet reader), as {@link #ofColumns(String, String, String, List, List)}: a target column of
   * booleans ({@link LabelJoin.Columns#booleans()}) is read as its text {@code true}/{@code false},
   * so that an event label and the messages use the file's own words.
   */
  public static TabularData ofColumns(LabelJoin.Columns table, String targetColumn, String eventLabel) {
    String source = table.source();
    List<String> names = table.names();
    List<Object> values = table.values();
    boolean booleans = table.booleans().contains(targetColumn);
    int targetIndex = names.indexOf(targetColumn);
    if (targetIndex < 0) {
      throw io.chainscore.tables.InputFormatException.missingColumn(source, targetColumn, "the target", names);
    }
    Object targetValues = values.get(targetIndex);
    int n = targetValues instanceof double[] d ? d.length : ((String[]) targetValues).length;
    int[] target = new int[n];
    String[] labels = new String[2];
    for (int i = 0; i < n; i++) {
      String v = targetText(targetValues, booleans, i);
      target[i] = targetValue(v, eventLabel, labels, source, i + 1, targetColumn);
    }
    List<String> columns = new java.util.ArrayList<>();
    Map<String, double[]> numeric = new java.util.HashMap<>();
    Map<String, String[]> categorical = new java.util.HashMap<>();
    for (int k = 0; k < names.size(); k++) {
      if (k == targetIndex) {
        continue;
      }
      String name = names.get(k);
      Object column = values.get(k);
      int length = column instanceof double[] d ? d.length : ((String[]) column).length;
      if (length != n) {
        throw new IllegalArgumentException(source + ": column '" + name + "' has " + length + " rows, the target " + n);
      }
      if (column instanceof double[] d) {
        numeric.put(name, d);
      } else {
        categorical.put(name, (String[]) column);
      }
      columns.add(name);
    }
    return new TabularData(targetColumn, target, labels, table.textAmongNumbers(), columns, numeric, categorical);
  }

  /** Row {@code i} of a target column as its text (booleans in their words), null when missing. */
  private static String targetText(Object values, boolean booleans, int i) {
    if (values instanceof double[] d) {
      return Double.isNaN(d[i]) ? null : booleans && (d[i] == 0 || d[i] == 1) ? Boolean.toString(d[i] == 1)
          : d[i] == Math.rint(d[i]) ? Long.toString((long) d[i]) : Double.toString(d[i]);
    }
    return ((String[]) values)[i];
  }

  /**
   * Applies the rules of a target column ({@link #ofColumns(LabelJoin.Columns, String, String)})
   * to the values of {@code targetColumn} of {@code table}, a labels table, naming its own rows; a
   * missing value is refused as in a sample's own target column (until 2026-12-07 the join left its
   * feature row out as unlabelled, while {@code monitor --labels} refused it).
   */
  static void checkTarget(LabelJoin.Columns table, String targetColumn, String eventLabel) {
    Object values = table.values().get(table.names().indexOf(targetColumn));
    boolean booleans = table.booleans().contains(targetColumn);
    String[] seen = new String[2];
    for (int i = 0; i < table.rowCount(); i++) {
      targetValue(targetText(values, booleans, i), eventLabel, seen, table.source(), i + 1, targetColumn);
    }
  }

  private static boolean isMissing(CsvReader csv, int column) {
    return csv.isEmpty(column) || csv.text(column).equals("NA");
  }

  /** Number of data rows. */
  public int rowCount() {
    return target.length;
  }

  /** Name of the target column. */
  public String targetColumn() {
    return targetColumn;
  }

  /**
   * The text the file gives target value {@code value} (0 or 1) at its first occurrence ({@code
   * "0"}, {@code "false"}, the non-event label...), or null when no row has that value: for saying
   * in the file's words that a sample has one class.
   */
  public String targetLabel(int value) {
    return targetLabels[value];
  }

  /** The target as 0/1 per row (a copy). */
  public int[] target() {
    return target.clone();
  }

  /** Characteristic column names in file order, without the target. */
  public List<String> columnNames() {
    return columns;
  }

  /**
   * For a categorical column of a CSV at least 95% of whose values present are numbers, the refusal
   * of its first value that is not a number (naming the file, the 1-based data row of that file and
   * the column, and what was expected); null for any other column. Such a column is a numeric one
   * with stray text, not categories: {@link TabularSamples#of} refuses to make it a characteristic.
   */
  public InputFormatException textAmongNumbers(String column) {
    return textAmongNumbers.get(column);
  }

  /** Whether a characteristic was inferred numeric. */
  public boolean isNumeric(String column) {
    check(column);
    return numeric.containsKey(column);
  }

  /**
   * A numeric column (a copy), NaN = missing.
   *
   * @throws IllegalArgumentException when the column does not exist or is categorical
   */
  public double[] numeric(String column) {
    check(column);
    double[] v = numeric.get(column);
    if (v == null) {
      throw new IllegalArgumentException("column '" + column + "' is categorical, not numeric");
    }
    return v.clone();
  }

  /**
   * A column as text (a copy), null = missing; numeric columns are returned as their values'
   * {@code Double.toString}.
   *
   * @throws IllegalArgumentException when the column does not exist
   */
  public String[] categorical(String column) {
    check(column);
    String[] v = categorical.get(column);
    if (v != null) {
      return v.clone();
    }
    double[] d = numeric.get(column);
    String[] out = new String[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = Double.isNaN(d[i]) ? null : Double.toString(d[i]);
    }
    return out;
  }

  private void check(String column) {
    if (!numeric.containsKey(column) && !categorical.containsKey(column)) {
      throw new IllegalArgumentException(
          "no characteristic '" + column + "'; columns are " + columns);
    }
  }
}
