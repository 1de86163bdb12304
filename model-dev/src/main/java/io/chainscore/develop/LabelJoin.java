package io.chainscore.develop;

import io.chainscore.tables.CsvReader;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Joins a feature table and a labels table into one development sample on the keys {@code
 * supplier_id} and {@code as_of_date}, so a model is trained and validated on {@code chainscore
 * features} output and the generator's (or the lender's) default labels without a hand-made join.
 *
 * <p>Every feature row is looked up by its key in the labels; a row without a label row is dropped
 * and counted in {@link Result#unlabelledRows()}, never silently. A label row with an empty target
 * is refused at its row, as a sample's own empty target is ({@link TabularData}'s rule): an unknown
 * outcome is no non-default, and is left out of the labels file, not left empty in it. Label rows
 * no feature row asked for are counted in {@link Result#unusedLabels()}.
 * Only the target column is taken from the labels table (never its other columns, such as a
 * default date or a true PD, which would leak the outcome). The key columns stay in the joined
 * table, for writing a hold-out sample; they are never candidates ({@link #KEYS}).
 *
 * <p>An {@code as_of_date} joins on its date: a date-time without a time zone on the date written,
 * one with an offset (an instant) on the date on which it falls in the zone the caller gives, and is
 * refused without one; only the keys are read so, every other column keeps its text.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file, the row (1-based data row) and
 * the column: a missing key or target column, an empty key, an {@code as_of_date} that is not a
 * date ({@link CsvReader#requireDate}), a key labelled twice or in two feature rows, a target
 * column already in the feature table, an {@code as_of_date} with an offset and no zone, a target
 * value of the labels the target's rules refuse (at its row of the labels file).
 *
 * <p>Thread safety: stateless; all methods are thread safe.
 */
public final class LabelJoin {
  /** The join keys, in order: the feature table's key columns, never modelling candidates. */
  public static final List<String> KEYS = io.chainscore.features.FeatureSpec.KEY_COLUMNS;

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private LabelJoin() {}

  /**
   * A table as named columns before a target is chosen: each value a {@code double[]} (numbers and
   * booleans as 1/0, NaN missing) or a {@code String[]} (text and dates as ISO text, null missing).
   *
   * @param source the file name, for errors
   * @param names column names in file order
   * @param values one array per column, all of one length
   * @param booleans the columns held as 1/0 that the file gives as booleans ({@code true}/{@code
   *     false} in a CSV, a boolean Arrow or Parquet column): a target among them is read in those
   *     words ({@link TabularData#ofColumns(Columns, String, String)})
   * @param textAmongNumbers per text column of a CSV at least 95% of whose values are numbers, the
   *     refusal of its first value that is not one ({@link TabularData#textAmongNumbers})
   */
  public record Columns(String source, List<String> names, List<Object> values, Set<String> booleans,
      Map<String, io.chainscore.tables.InputFormatException> textAmongNumbers) {
    public Columns {
      names = List.copyOf(names);
      values = List.copyOf(values);
      booleans = Set.copyOf(booleans);
      textAmongNumbers = Map.copyOf(textAmongNumbers);
      if (names.size() != values.size()) {
        throw new IllegalArgumentException(source + ": " + names.size() + " names for " + values.size() + " columns");
      }
    }

    /** Columns of declared types (no text among numbers), {@code booleans} as above. */
    public Columns(String source, List<String> names, List<Object> values, Set<String> booleans) {
      this(source, names, values, booleans, Map.of());
    }

    /** Columns of declared types, none of which is boolean. */
    public Columns(String source, List<String> names, List<Object> values) {
      this(source, names, values, Set.of(), Map.of());
    }

    /** Number of rows (0 for a table without columns). */
    public int rowCount() {
      return values.isEmpty() ? 0 : length(values.get(0));
    }

    /**
     * Reads a CSV with a header row (RFC 4180): a column whose every non-empty field (other than
     * {@code NA}) is a decimal number is numeric, one of only {@code true}/{@code false} is
     * numeric 1/0, any other is text. A file separated by semicolons ({@link
     * CsvReader.Dialect#SEMICOLON}) has numbers with a decimal comma; a field of an otherwise
     * numeric column with a decimal point or thousands separators is refused, and its {@code
     * DD.MM.YYYY} dates are kept as {@code YYYY-MM-DD} text, as a comma file writes them.
     *
     * @throws IllegalArgumentException on malformed CSV or a row of the wrong width, naming the
     *     file, row and line
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Columns readCsv(Path file) {
      String src = file.toString();
      String[] header;
      List<String[]> records = new ArrayList<>();
      CsvReader.Dialect dialect;
      // per column: a field that is not a number of the file's dialect nor of another convention,
      // and the first field that is a number of another convention (a decimal point in a file
      // separated by semicolons), refused below if the column is otherwise numeric
      boolean[] notNumber;
      io.chainscore.tables.InputFormatException[] foreign;
      TextAmongNumbers strayText;
      try (CsvReader csv = CsvReader.open(file)) {
        header = csv.header().toArray(new String[0]);
        dialect = csv.dialect();
        strayText = new TextAmongNumbers(src, csv.header());
        notNumber = new boolean[header.length];
        foreign = new io.chainscore.tables.InputFormatException[header.length];
        while (csv.next()) {
          if (csv.fieldCount() == 1 && csv.isEmpty(0)) {
            continue;
          }
          // the shared rule of a record that cannot be read whole (a field count other than the
          // header's, an unterminated quote), worded as every reader words it (until 2026-12-08
          // "FILE: row N (line L): expected ..." here, and an unterminated quote that swallowed the
          // rest of the file into a record of the right width was taken)
          io.chainscore.tables.InputFormatException whole = csv.recordProblem();
          if (whole != null) {
            throw whole;
          }
          String[] rec = new String[header.length];
          for (int f = 0; f < rec.length; f++) {
            rec[f] = csv.isEmpty(f) ? "" : csv.textWithIsoDates(f);
            if (!missing(rec[f])) {
              strayText.count(csv, f);
            }
            boolean present = !missing(rec[f]);
            boolean number = present && csv.isNumber(f);
            if (number) {
              csv.number(f, Double.NaN);   // refuses digits beyond a double's range (1e400) as written
            }
            if (!notNumber[f] && present && !number) {
              io.chainscore.tables.InputFormatException wrongNumber = csv.foreignNumber(f);
              notNumber[f] = wrongNumber == null;
              if (foreign[f] == null) {
                foreign[f] = wrongNumber;
              }
            }
          }
          records.add(rec);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(src + ": cannot read: " + e.getMessage(), e);
      }
      List<Object> values = new ArrayList<>();
      Set<String> booleans = new HashSet<>();
      for (int c = 0; c < header.length; c++) {
        if (!notNumber[c] && foreign[c] != null) {
          throw foreign[c];
        }
      }
      for (int c = 0; c < header.length; c++) {
        // Every field present is a number of the file's dialect, in the strict grammar every
        // ChainScore reader applies (no padding, hex or type suffix), as the read found.
        boolean number = !notNumber[c];
        boolean bool = true;
        for (String[] rec : records) {
          String v = rec[c];
          if (!missing(v)) {
            bool &= v.equals("true") || v.equals("false");
          }
        }
        if (bool && !number) {
          booleans.add(header[c]);
        }
        if (number || bool) {
          double[] d = new double[records.size()];
          for (int i = 0; i < d.length; i++) {
            String v = records.get(i)[c];
            d[i] = missing(v) ? Double.NaN : bool ? (v.equals("true") ? 1 : 0) : CsvReader.parseNumber(v, dialect);
          }
          values.add(d);
        } else {
          String[] s = new String[records.size()];
          for (int i = 0; i < s.length; i++) {
            String v = records.get(i)[c];
            s[i] = missing(v) ? null : v;
          }
          values.add(s);
        }
      }
      return new Columns(src, List.of(header), values, booleans, strayText.refusals());
    }
  }

  /**
   * The joined sample and what the join left out.
   *
   * @param data the feature columns (keys included) of the labelled feature rows, in feature-table
   *     order, with the target
   * @param featureRows rows of the feature table
   * @param unlabelledRows feature rows without a label, left out of {@code data}
   * @param unusedLabels label rows that match no feature row
   * @param featureRowOf for each row of {@code data}, its 1-based data row in the feature table, so
   *     that a message about a joined row names the row a user finds in the file
   */
  public record Result(TabularData data, int featureRows, int unlabelledRows, int unusedLabels, int[] featureRowOf) {}

  /**
   * Joins {@code features} and {@code labels} on {@link #KEYS}, taking {@code target} from the
   * labels: 0/1 (or booleans), or two labels with {@code eventLabel} naming the event.
   *
   * @throws IllegalArgumentException naming file, row and column, as in the class comment
   */
  public static Result join(Columns features, Columns labels, String target, String eventLabel) {
    return join(features, labels, target, eventLabel, null);
  }

  /**
   * Joins like {@link #join(Columns, Columns, String, String)}, and when {@code weight} is a
   * column of the labels table (not of the features) carries it into the joined table too, checked
   * as sample weights on the labels' own rows; a weight column of the features is checked there.
   * The one place a {@code --weight} column is read with {@code --labels}.
   *
   * @param weight the sample-weight column, or null
   * @throws IllegalArgumentException as the other overload; when neither table has {@code weight};
   *     or at a bad weight, naming file, row and column ({@link SampleWeights#check})
   */
  public static Result join(Columns features, Columns labels, String target, String eventLabel, String weight) {
    return join(features, labels, target, eventLabel, weight, null);
  }

  /**
   * Joins like {@link #join(Columns, Columns, String, String, String)}, an {@code as_of_date} of
   * either table that is a date-time with an offset ({@code 2025-06-30T00:00:00+08:00}, as Spark
   * and pandas write instants to CSV) joining on the date on which it falls in {@code zone}, the
   * rule the CSV reader reads such a date with ({@link CsvReader#parseDate}).
   *
   * @param zone the zone of such dates, or null: a date-time with an offset is then refused, naming
   *     file, row and column and the option that gives the zone, rather than joining no row
   * @throws IllegalArgumentException as the other overloads
   */
  public static Result join(Columns features, Columns labels, String target, String eventLabel, String weight,
      java.time.ZoneId zone) {
    int weightColumn = -1;
    if (weight != null) {
      int inFeatures = features.names().indexOf(weight);
      weightColumn = inFeatures >= 0 ? -1 : labels.names().indexOf(weight);
      if (inFeatures < 0 && weightColumn < 0) {
        // in the one wording of a missing column, with both headers (until 2026-12-08 "F and L: no
        // column 'x' (the --weight column) in either", without what either has)
        throw io.chainscore.tables.InputFormatException.missingColumn(features.source(), features.names(),
            labels.source(), labels.names(), weight, "the --weight column");
      }
      if (inFeatures >= 0) {
        SampleWeights.check(features.source(), weight, features.values().get(inFeatures),
            features.textAmongNumbers().get(weight));
      } else {
        SampleWeights.check(labels.source(), weight, labels.values().get(weightColumn),
            labels.textAmongNumbers().get(weight));
      }
    }
    for (String key : KEYS) {
      require(features, key, "a join key");
      require(labels, key, "a join key");
    }
    int targetColumn = require(labels, target, "the target");
    // the target's rules on the labels' own rows, so a bad value is named at its row of the labels
    // file (the joined table's rows are the feature table's, counted among the labelled only)
    TabularData.checkTarget(labels, target, eventLabel);
    if (features.names().contains(target)) {
      throw new IllegalArgumentException(features.source() + ": already has the target column '" + target
          + "'; give it without --labels, or drop the column");
    }
    String[] labelKeys = keys(labels, zone);
    Object targetValues = labels.values().get(targetColumn);
    Map<String, Integer> labelRow = new HashMap<>();
    for (int i = 0; i < labelKeys.length; i++) {
      Integer before = labelRow.put(labelKeys[i], i);
      if (before != null) {
        throw new io.chainscore.tables.InputFormatException(labels.source(), i + 1, "supplier_id", "supplier_id and"
            + " as_of_date " + describe(labelKeys[i]) + " are labelled twice (rows " + (before + 1) + " and " + (i + 1)
            + "); expected one label per supplier and as-of date");
      }
    }
    String[] featureKeys = keys(features, zone);
    Map<String, Integer> featureRow = new HashMap<>();
    for (int i = 0; i < featureKeys.length; i++) {
      Integer before = featureRow.putIfAbsent(featureKeys[i], i);
      if (before != null) {
        // one label would count twice: in the fit's weights, an AUC, a default rate
        throw new io.chainscore.tables.InputFormatException(features.source(), i + 1, "supplier_id", "supplier_id and"
            + " as_of_date " + describe(featureKeys[i]) + " are in two feature rows (rows " + (before + 1) + " and "
            + (i + 1) + "); expected one row per supplier and as-of date");
      }
    }
    int n = featureKeys.length;
    int[] matched = new int[n];
    int kept = 0;
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Integer row = labelRow.get(featureKeys[i]);
      if (row != null) {   // its target is present: checkTarget refused an empty one
        matched[kept++] = i;
        used.add(row);
      }
    }
    List<String> names = new ArrayList<>(features.names());
    List<Object> values = new ArrayList<>();
    for (Object column : features.values()) {
      values.add(select(column, matched, kept));
    }
    int[] labelOfKept = new int[kept];
    for (int k = 0; k < kept; k++) {
      labelOfKept[k] = labelRow.get(featureKeys[matched[k]]);
    }
    if (weightColumn >= 0) {
      names.add(weight);
      values.add(select(labels.values().get(weightColumn), labelOfKept, kept));
    }
    names.add(target);
    values.add(select(targetValues, labelOfKept, kept));
    // the target's words as the labels file gives them (true/false read as booleans), and the rules
    // of a target column applied once, by TabularData
    Set<String> booleans = new HashSet<>(features.booleans());
    if (labels.booleans().contains(target)) {
      booleans.add(target);
    }
    // a feature column's stray text is refused at its row of the feature table, joined or not
    TabularData data = TabularData.ofColumns(new Columns(features.source() + " joined with " + labels.source(), names,
        values, booleans, features.textAmongNumbers()), target, eventLabel);
    int[] featureRowOf = new int[kept];
    for (int k = 0; k < kept; k++) {
      featureRowOf[k] = matched[k] + 1;
    }
    return new Result(data, n, n - kept, labelKeys.length - used.size(), featureRowOf);
  }

  /**
   * The first column of {@code data} that must not be a modelling candidate, described for an
   * error message, or empty: a key ({@code supplier_id}, {@code id} or any {@code *_id}), a text
   * column whose every value differs (an identifier by content, from 20 rows), or a date ({@code
   * *_date}, or text that is all ISO dates). Columns in {@code excluded} and the target are skipped,
   * and so is a column of numbers with stray text ({@link TabularData#textAmongNumbers}): its
   * values, amounts that all differ, made it "an identifier" until 2026-12-07, when its refusal
   * names the stray value's row ({@link TabularSamples#of}).
   */
  public static Optional<String> nonCandidate(TabularData data, Set<String> excluded) {
    for (String column : data.columnNames()) {
      if (excluded.contains(column) || column.equals(data.targetColumn())) {
        continue;
      }
      String lower = column.toLowerCase(Locale.ROOT);
      if (lower.equals("id") || lower.endsWith("_id")) {
        return Optional.of("column '" + column + "' is an identifier");
      }
      if (lower.endsWith("_date")) {
        return Optional.of("column '" + column + "' is a date");
      }
      if (data.isNumeric(column) || data.textAmongNumbers(column) != null) {
        // a numeric column, or one read as text for a few stray values among its numbers, which
        // TabularSamples.of refuses at the first of them (all-distinct amounts are no identifier)
        continue;
      }
      String[] v = data.categorical(column);
      Set<String> distinct = new HashSet<>();
      boolean dates = true;
      int present = 0;
      for (String s : v) {
        if (s != null) {
          present++;
          distinct.add(s);
          dates &= DATE.matcher(s).matches();
        }
      }
      if (present > 0 && dates) {
        return Optional.of("column '" + column + "' is a date");
      }
      if (present >= 20 && distinct.size() == present) {
        return Optional.of("column '" + column + "' is an identifier (all " + present + " values differ)");
      }
    }
    return Optional.empty();
  }

  /**
   * Writes the rows of {@code data} flagged in {@code rows} as CSV: every column in order, then the
   * target as 0/1; numbers as their shortest round-tripping text, missing as empty. {@code
   * TabularData.readCsv} reads it back to the same values.
   */
  public static void writeCsv(TabularData data, boolean[] rows, Path file) throws IOException {
    List<String> names = data.columnNames();
    List<Object> columns = new ArrayList<>();
    for (String name : names) {
      columns.add(data.isNumeric(name) ? data.numeric(name) : data.categorical(name));
    }
    int[] target = data.target();
    Path partial = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      for (String name : names) {
        line.append(quote(name)).append(',');
      }
      line.append(quote(data.targetColumn()));
      w.write(line.toString());
      w.write('\n');
      for (int i = 0; i < target.length; i++) {
        if (!rows[i]) {
          continue;
        }
        line.setLength(0);
        for (Object column : columns) {
          if (column instanceof double[] d) {
            line.append(Double.isNaN(d[i]) ? "" : Double.toString(d[i]));
          } else {
            String s = ((String[]) column)[i];
            line.append(s == null ? "" : quote(s));
          }
          line.append(',');
        }
        line.append(target[i]);
        w.write(line.toString());
        w.write('\n');
      }
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && !s.equals("NA")) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static int require(Columns table, String column, String what) {
    int index = table.names().indexOf(column);
    if (index < 0) {
      throw io.chainscore.tables.InputFormatException.missingColumn(table.source(), column, what, table.names());
    }
    return index;
  }

  private static String[] keys(Columns table, java.time.ZoneId zone) {
    int n = table.rowCount();
    String[] keys = new String[n];
    Object supplier = table.values().get(table.names().indexOf(KEYS.get(0)));
    Object date = table.values().get(table.names().indexOf(KEYS.get(1)));
    for (int i = 0; i < n; i++) {
      String s = text(supplier, i);
      String d = text(date, i);
      if (s == null || d == null) {
        throw new IllegalArgumentException(table.source() + ": row " + (i + 1) + ", column '"
            + (s == null ? KEYS.get(0) : KEYS.get(1)) + "': empty; every row needs both join keys");
      }
      keys[i] = s + '\u0000' + dateOf(d, zone, table.source(), i + 1);
    }
    return keys;
  }

  /**
   * The as_of_date key of data row {@code row} of {@code source} as a date: a date-time without a
   * time zone joins on its date, as the table readers read one (a labels table written by pandas
   * carries its dates so), and one with an offset on its date in {@code zone}, refused without one;
   * anything that is not a date is refused as the table readers refuse it (the CSV grammar's rules,
   * {@link CsvReader#requireDate}), where it used to join no row and be counted as unlabelled.
   */
  private static String dateOf(String key, java.time.ZoneId zone, String source, int row) {
    return java.time.LocalDate.ofEpochDay(CsvReader.requireDate(key, zone, source, row, KEYS.get(1))).toString();
  }

  private static String describe(String key) {
    int split = key.indexOf('\u0000');
    return key.substring(0, split) + " and " + key.substring(split + 1);
  }

  private static String text(Object column, int row) {
    if (column instanceof String[] s) {
      return s[row];
    }
    double v = ((double[]) column)[row];
    return Double.isNaN(v) ? null : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static Object select(Object column, int[] rows, int count) {
    if (column instanceof double[] d) {
      double[] out = new double[count];
      for (int k = 0; k < count; k++) {
        out[k] = d[rows[k]];
      }
      return out;
    }
    String[] s = (String[]) column;
    String[] out = new String[count];
    for (int k = 0; k < count; k++) {
      out[k] = s[rows[k]];
    }
    return out;
  }

  private static int length(Object column) {
    return column instanceof double[] d ? d.length : ((String[]) column).length;
  }

  private static boolean missing(String v) {
    return v.isEmpty() || v.equals("NA");
  }
}
