package io.chainscore.cli;

import io.chainscore.batch.io.TableBatches;
import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads a labelled modelling table for {@code train}, {@code validate}, {@code bins} and {@code
 * document}: an Arrow IPC file or stream, or a Parquet file ({@link TableBatches}: integer,
 * floating-point, decimal and boolean columns are numeric, UTF-8 columns categorical, date columns
 * and timestamps the ISO text of their dates, as the table readers read them), or otherwise a CSV;
 * or a feature table and a labels table joined by {@link LabelJoin}.
 *
 * <p>Every method takes the zone of the command's {@code --time-zone}, or null: the zone in which a
 * column of instants (an Arrow timestamp with a time zone, a Parquet timestamp adjusted to UTC or
 * INT96) is read as dates, and in which a join key {@code as_of_date} written as a date-time with
 * an offset joins on its date; without a zone both are refused, naming the file, the column (and
 * the row) and the option. Other CSV columns holding date-times with offsets stay text, as every
 * CSV column that is not a number does: a date is no characteristic, and text is never turned into
 * a date but for the join.
 */
final class TabularFiles {
  private TabularFiles() {}

  static TabularData read(Path file, String target, String eventLabel, ZoneId zone) {
    if (formatOf(file) != null) {
      return TabularData.ofColumns(columns(file, zone), target, eventLabel);
    }
    return TabularData.readCsv(file, target, eventLabel);
  }

  /**
   * A development sample and, for each of its rows, its 1-based data row in {@code data} ({@code
   * fileRows} null when the sample is {@code data}'s rows themselves, without {@code labels}).
   */
  record Sample(TabularData table, int[] fileRows) {
    /** The data row in the sample's file of the sample's 1-based row {@code row}. */
    int fileRow(int row) {
      return fileRows == null ? row : fileRows[row - 1];
    }
  }

  /**
   * The labelled sample of {@code validate} and {@code document}: {@code data} holding the target,
   * or joined to {@code labels} on supplier_id and as_of_date, with the join's counts reported on
   * {@code err} under {@code command}'s name; each row with its data row in {@code data}.
   *
   * @throws IllegalArgumentException when no row has a label
   */
  static Sample readSample(Path data, Path labels, String target, String eventLabel, ZoneId zone,
      java.io.PrintWriter err, String command) {
    if (labels == null) {
      return new Sample(read(data, target, eventLabel, zone), null);
    }
    LabelJoin.Result joined = read(data, labels, target, eventLabel, null, zone);
    TabularData table = joined.data();
    err.printf(java.util.Locale.ROOT,
        "%s: %,d feature rows: %,d labelled, %,d without a label (left out); %,d labels match no feature row%n",
        command, joined.featureRows(), table.rowCount(), joined.unlabelledRows(), joined.unusedLabels());
    if (table.rowCount() == 0) {
      throw new IllegalArgumentException(labels + ": no row of " + data + " has a label (joined on supplier_id and as_of_date)");
    }
    return new Sample(table, joined.featureRowOf());
  }

  /**
   * {@code features} joined with {@code labels} on supplier_id and as_of_date, carrying the
   * sample-weight column {@code weight} (null for none) from whichever table has it, checked on
   * that file's rows.
   */
  static LabelJoin.Result read(Path features, Path labels, String target, String eventLabel, String weight,
      ZoneId zone) {
    return LabelJoin.join(columns(features, zone), columns(labels, zone), target, eventLabel, weight, zone);
  }

  /**
   * The sample weights of {@code table} (read from {@code data}, or joined to {@code labels}
   * by {@link #read(Path, Path, String, String, String, ZoneId)}), for train's {@code --weight}; null
   * without one. The column's values were checked on their own file's rows by the join; here
   * the table read from {@code data} alone is checked.
   */
  static double[] weights(TabularData table, String weight, Path data, Path labels) {
    if (weight == null) {
      return null;
    }
    return io.chainscore.develop.SampleWeights.of(table, weight, labels == null ? data.toString()
        : data + " joined with " + labels);
  }

  /**
   * The names given to the columns of a CSV's header that have none ({@code column_1}, ...: {@link
   * io.chainscore.tables.CsvReader#unnamedColumns}); none for Arrow and Parquet, whose fields are named.
   */
  static List<String> unnamedColumns(Path file) {
    if (formatOf(file) != null) {
      return List.of();
    }
    try (io.chainscore.tables.CsvReader csv = io.chainscore.tables.CsvReader.open(file)) {
      return csv.unnamedColumns();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Every column of a CSV, Arrow IPC or Parquet file ({@link TableBatches#formatOf} tells them
   * apart), a binary file's instants read as their dates in {@code zone}.
   */
  static LabelJoin.Columns columns(Path file, ZoneId zone) {
    TableBatches.Format format = formatOf(file);
    return format != null ? readBinary(file, format, zone) : LabelJoin.Columns.readCsv(file);
  }

  private static TableBatches.Format formatOf(Path file) {
    try {
      return TableBatches.formatOf(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every column of an Arrow IPC or Parquet file: integer, floating-point, decimal and boolean
   * columns as numbers (booleans 1 and 0), UTF-8 columns as text, and columns of dates (dates,
   * timestamps, instants in {@code zone}) as the ISO text of their dates.
   */
  private static LabelJoin.Columns readBinary(Path file, TableBatches.Format format, ZoneId zone) {
    Collector columns = new Collector(file.toString(), format);
    try (BufferAllocator allocator = new RootAllocator()) {
      TableBatches.read(file, format, zone, allocator, columns);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
    return columns.columns();
  }

  /** Gathers a binary file's batches into one array per column. */
  private static final class Collector implements TableBatches.Visitor {
    private final String source;
    private final TableBatches.Format format;
    private final List<String> names = new ArrayList<>();
    private final java.util.Set<String> booleans = new java.util.HashSet<>();
    private TableBatches.Dates dates;
    private boolean[] text;
    private double[][] numbers;
    private String[][] strings;
    private int rows;

    Collector(String source, TableBatches.Format format) {
      this.source = source;
      this.format = format;
    }

    @Override
    public void schema(VectorSchemaRoot root, TableBatches.Dates dates) {
      this.dates = dates;
      List<Field> fields = root.getSchema().getFields();
      text = new boolean[fields.size()];
      numbers = new double[fields.size()][];
      strings = new String[fields.size()][];
      for (int k = 0; k < fields.size(); k++) {
        Field f = fields.get(k);
        ArrowType type = f.getType();
        text[k] = type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8
            || type instanceof ArrowType.Utf8View || dates.holds(k);
        boolean number = type instanceof ArrowType.Int || type instanceof ArrowType.FloatingPoint
            || type instanceof ArrowType.Decimal || type instanceof ArrowType.Bool;
        if (!text[k] && !number) {
          throw new IllegalArgumentException(source + ": column '" + f.getName() + "' has "
              + (format == TableBatches.Format.PARQUET ? "a Parquet column read as Arrow type " : "Arrow type ")
              + type + ", expected a number, a boolean, a date or timestamp, or UTF-8 text");
        }
        names.add(f.getName());
        if (type instanceof ArrowType.Bool) {
          booleans.add(f.getName());
        }
        if (text[k]) {
          strings[k] = new String[0];
        } else {
          numbers[k] = new double[0];
        }
      }
    }

    @Override
    public void batch(VectorSchemaRoot root) {
      int count = root.getRowCount();
      for (int k = 0; k < names.size(); k++) {
        FieldVector vector = root.getVector(k);
        if (text[k]) {
          // capacity doubles, so a table of many batches is copied a few times, not once per batch
          String[] column = strings[k] = strings[k].length >= rows + count ? strings[k]
              : Arrays.copyOf(strings[k], Math.max(rows + count, 2 * strings[k].length));
          boolean holdsDates = dates.holds(k);
          for (int i = 0; i < count; i++) {
            column[rows + i] = vector.isNull(i) ? null
                : holdsDates ? LocalDate.ofEpochDay(dates.epochDay(k, vector, i)).toString()
                : vector.getObject(i).toString();
          }
        } else {
          double[] column = numbers[k] = numbers[k].length >= rows + count ? numbers[k]
              : Arrays.copyOf(numbers[k], Math.max(rows + count, 2 * numbers[k].length));
          for (int i = 0; i < count; i++) {
            Object v = vector.getObject(i);
            column[rows + i] = v == null ? Double.NaN : v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
          }
        }
      }
      rows += count;
    }

    /** The columns gathered, each of the rows read. */
    LabelJoin.Columns columns() {
      List<Object> values = new ArrayList<>();
      for (int k = 0; k < names.size(); k++) {
        values.add(text[k] ? Arrays.copyOf(strings[k], rows) : Arrays.copyOf(numbers[k], rows));
      }
      return new LabelJoin.Columns(source, names, values, booleans);
    }
  }
}
