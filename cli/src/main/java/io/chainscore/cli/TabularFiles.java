package io.chainscore.cli;

import io.chainscore.develop.LabelJoin;
import io.chainscore.develop.TabularData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads a labelled modelling table for {@code train} and {@code validate}: an Arrow IPC file
 * ({@code .arrow}, {@code .feather}, {@code .ipc}: integer, floating-point, decimal and boolean
 * columns are numeric, UTF-8 columns categorical, date columns ISO text) or otherwise a CSV; or a
 * feature table and a labels table joined by {@link LabelJoin}.
 */
final class TabularFiles {
  private TabularFiles() {}

  static TabularData read(Path file, String target, String eventLabel) {
    if (isArrow(file)) {
      LabelJoin.Columns c = columns(file);
      return TabularData.ofColumns(c.source(), target, eventLabel, c.names(), c.values());
    }
    return TabularData.readCsv(file, target, eventLabel);
  }

  /** {@code features} joined with {@code labels} on supplier_id and as_of_date. */
  /**
   * The labelled sample of {@code validate} and {@code document}: {@code data} holding the target,
   * or joined to {@code labels} on supplier_id and as_of_date, with the join's counts reported on
   * {@code err} under {@code command}'s name.
   *
   * @throws IllegalArgumentException when no row has a label
   */
  static TabularData readLabelled(Path data, Path labels, String target, String eventLabel, java.io.PrintWriter err,
      String command) {
    if (labels == null) {
      return read(data, target, eventLabel);
    }
    LabelJoin.Result joined = read(data, labels, target, eventLabel);
    TabularData table = joined.data();
    err.printf(java.util.Locale.ROOT,
        "%s: %,d feature rows: %,d labelled, %,d without a label (left out); %,d labels match no feature row%n",
        command, joined.featureRows(), table.rowCount(), joined.unlabelledRows(), joined.unusedLabels());
    if (table.rowCount() == 0) {
      throw new IllegalArgumentException(labels + ": no row of " + data + " has a label (joined on supplier_id and as_of_date)");
    }
    return table;
  }

  static LabelJoin.Result read(Path features, Path labels, String target, String eventLabel) {
    return read(features, labels, target, eventLabel, null);
  }

  /**
   * {@code features} joined with {@code labels}, carrying the sample-weight column {@code weight}
   * (null for none) from whichever table has it, checked on that file's rows.
   */
  static LabelJoin.Result read(Path features, Path labels, String target, String eventLabel, String weight) {
    return LabelJoin.join(columns(features), columns(labels), target, eventLabel, weight);
  }

  /**
   * The sample weights of {@code table} (read from {@code data}, or joined to {@code labels}
   * by {@link #read(Path, Path, String, String, String)}), for train's {@code --weight}; null
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

  /** Every column of a CSV or Arrow IPC file. */
  static LabelJoin.Columns columns(Path file) {
    return isArrow(file) ? readArrow(file) : LabelJoin.Columns.readCsv(file);
  }

  private static boolean isArrow(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".ipc");
  }

  private static LabelJoin.Columns readArrow(Path file) {
    String source = file.toString();
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      List<Field> fields = root.getSchema().getFields();
      List<String> names = new ArrayList<>();
      boolean[] text = new boolean[fields.size()];
      for (int k = 0; k < fields.size(); k++) {
        Field f = fields.get(k);
        ArrowType type = f.getType();
        text[k] = type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8
            || type instanceof ArrowType.Date;
        boolean number = type instanceof ArrowType.Int || type instanceof ArrowType.FloatingPoint
            || type instanceof ArrowType.Decimal || type instanceof ArrowType.Bool;
        if (!text[k] && !number) {
          throw new IllegalArgumentException(source + ": column '" + f.getName() + "' has Arrow type " + type
              + ", expected a number, a boolean, a date or UTF-8 text");
        }
        names.add(f.getName());
      }
      double[][] numbers = new double[fields.size()][];
      String[][] strings = new String[fields.size()][];
      int rows = 0;
      while (reader.loadNextBatch()) {
        int count = root.getRowCount();
        for (int k = 0; k < fields.size(); k++) {
          FieldVector vector = root.getVector(k);
          if (text[k]) {
            strings[k] = strings[k] == null ? new String[count] : Arrays.copyOf(strings[k], rows + count);
            for (int i = 0; i < count; i++) {
              strings[k][rows + i] = vector.isNull(i) ? null
                  : vector instanceof DateDayVector days ? LocalDate.ofEpochDay(days.get(i)).toString()
                  : vector instanceof DateMilliVector millis ? millis.getObject(i).toLocalDate().toString()
                  : vector.getObject(i).toString();
            }
          } else {
            numbers[k] = numbers[k] == null ? new double[count] : Arrays.copyOf(numbers[k], rows + count);
            for (int i = 0; i < count; i++) {
              Object v = vector.getObject(i);
              numbers[k][rows + i] = v == null ? Double.NaN
                  : v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
            }
          }
        }
        rows += count;
      }
      List<Object> values = new ArrayList<>();
      for (int k = 0; k < fields.size(); k++) {
        values.add(text[k] ? (strings[k] == null ? new String[0] : strings[k])
            : (numbers[k] == null ? new double[0] : numbers[k]));
      }
      return new LabelJoin.Columns(source, names, values);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read as an Arrow IPC file: " + e.getMessage(), e);
    }
  }
}
