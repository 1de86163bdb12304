package io.chainscore.ifrs9;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.tables.CsvReader;
import io.chainscore.tables.CsvWriter;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of {@code chainscore ecl}: scenarios, days past due, a migration matrix and a previous
 * run's facility table in, the facility table out. Layouts are {@link PortfolioTables}'; every
 * problem is an {@link InputFormatException} or {@link IllegalArgumentException} naming the file,
 * row and column.
 *
 * <p>Thread safety: stateless.
 */
public final class EclFiles {
  /**
   * A key given twice and anything after the matrix's object are refused, as a stress scenario's
   * are: until 2026-12-08 the last of two "matrix" keys was taken and a second object ignored, exit 0.
   */
  private static final ObjectMapper JSON = io.chainscore.scoring.spi.JsonSyntax.strictMapper();

  private EclFiles() {}

  /** The largest systematic factor of a scenario in size, in standard deviations. */
  public static final double MAX_FACTOR = 10;

  /**
   * Scenarios ({@link PortfolioTables#ECL_SCENARIOS}); their weights are checked to sum to 1, each
   * name to be given once and each factor to lie within {@link #MAX_FACTOR}.
   */
  public static List<Scenarios.Scenario> readScenarios(Path file) throws IOException {
    List<Scenarios.Scenario> scenarios = new ArrayList<>();
    try (CsvReader csv = CsvReader.open(file)) {
      int[] c = csv.columnsOf(PortfolioTables.ECL_SCENARIOS);
      while (next(csv)) {
        String name = csv.text(c[0]);
        double weight = csv.number(c[1], Double.NaN);
        double factor = csv.number(c[2], Double.NaN);
        if (name.isBlank()) {
          throw csv.bad(c[0], "is empty; expected a scenario name");
        }
        if (!(weight >= 0 && weight <= 1)) {
          throw csv.bad(c[1], csv.quoted(c[1]) + " is not a weight in [0, 1]");
        }
        if (!(Math.abs(factor) <= MAX_FACTOR)) {
          // the factor is a standard normal draw: 1e300 zeroed every hazard without a word
          throw csv.bad(c[2], csv.quoted(c[2]) + " is not a systematic factor value from -" + (int) MAX_FACTOR
              + " to " + (int) MAX_FACTOR + " (standard deviations of the standard normal factor)");
        }
        for (Scenarios.Scenario earlier : scenarios) {
          if (earlier.name().equals(name)) {
            throw csv.bad(c[0], "scenario '" + name + "' is listed twice; expected each scenario once");
          }
        }
        scenarios.add(new Scenarios.Scenario(name, weight, factor));
      }
    }
    try {
      Scenarios.check(scenarios.toArray(new Scenarios.Scenario[0]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return List.copyOf(scenarios);
  }

  /**
   * Days past due by supplier ({@link PortfolioTables#DAYS_PAST_DUE}), in file order: every data
   * row is one entry (a supplier listed twice is refused naming both rows), so the k-th entry is
   * data row k, as {@link #notInBook} names it.
   */
  public static Map<String, Integer> readDaysPastDue(Path file) throws IOException {
    Map<String, Integer> dpd = new LinkedHashMap<>();
    Map<String, Long> firstRow = new java.util.HashMap<>();
    try (CsvReader csv = CsvReader.open(file)) {
      int[] c = csv.columnsOf(PortfolioTables.DAYS_PAST_DUE);
      while (next(csv)) {
        String id = once(csv, c[0], firstRow, "one row per supplier");
        dpd.put(id, (int) csv.integer(c[1], 0, 100_000));
      }
    }
    if (dpd.isEmpty()) {
      // an extract with no rows left every facility at 0 days, the backstop off, exit 0 and nothing
      // said until 2026-12-08; a run with no delinquency leaves the option out
      throw new InputFormatException(file.toString(), 0, null, "no rows (a header and no data rows); expected the"
          + " days past due of the book's suppliers (leave --days-past-due out when none is past due)");
    }
    return dpd;
  }

  /**
   * The rows of a days-past-due table that name no supplier of the book: how many, and the first's
   * 1-based data row and supplier.
   *
   * @param rows how many rows name no supplier of the book
   * @param firstRow the first such row, 1-based among the data rows
   * @param firstSupplier its supplier_id
   */
  public record NotInBook(long rows, long firstRow, String firstSupplier) {}

  /**
   * The rows of {@code daysPastDue} ({@link #readDaysPastDue}'s map, in file order) whose supplier
   * has no facility among {@code bookSuppliers}: they stage nothing (a facility's days past due are
   * its supplier's), so a table of another book, or of ids spelt otherwise, would leave the
   * backstop silent; the caller says how many and names the first. Null when every row is of the book.
   */
  public static NotInBook notInBook(Map<String, Integer> daysPastDue, java.util.Set<String> bookSuppliers) {
    long count = 0;
    long row = 0;
    long firstRow = 0;
    String first = null;
    for (String supplier : daysPastDue.keySet()) {
      row++;
      if (!bookSuppliers.contains(supplier)) {
        if (count++ == 0) {
          firstRow = row;
          first = supplier;
        }
      }
    }
    return count == 0 ? null : new NotInBook(count, firstRow, first);
  }

  /**
   * A one-year migration matrix as JSON: {@code {"grades": ["1", ..., "8"], "matrix": [[...], ...]}}
   * with one row per grade and one column per grade plus the default state last (the default row
   * is implied); rows must sum to 1.
   */
  public static MigrationMatrix readMigration(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      // the one wording of a JSON syntax error (JsonSyntax), not the parser's internals
      throw new IllegalArgumentException(file + ": not readable JSON: " + (e instanceof
          com.fasterxml.jackson.core.JsonProcessingException p ? io.chainscore.scoring.spi.JsonSyntax.problem(p)
              : e.getOriginalMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object {\"grades\": [...], \"matrix\": [[...]]}");
    }
    for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("grades") && !field.equals("matrix")) {
        // as the bundle reader refuses an unknown field: a misspelt key must not be ignored
        throw new IllegalArgumentException(file + ": unknown field \"" + field + "\"; expected grades and matrix");
      }
    }
    JsonNode grades = root.get("grades");
    JsonNode matrix = root.get("matrix");
    if (grades == null || !grades.isArray() || grades.isEmpty()) {
      throw new IllegalArgumentException(file + ": grades: expected a non-empty array of grade names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode g : grades) {
      if (!g.isTextual()) {
        throw new IllegalArgumentException(file + ": grades: expected grade names as strings, got " + g);
      }
      if (g.asText().isEmpty() || names.contains(g.asText())) {
        throw new IllegalArgumentException(file + ": grades: " + (g.asText().isEmpty() ? "an empty grade name"
            : "grade '" + g.asText() + "' is listed twice") + "; expected each grade once");
      }
      names.add(g.asText());
    }
    if (matrix == null || !matrix.isArray() || matrix.size() != names.size()) {
      throw new IllegalArgumentException(file + ": matrix: expected " + names.size()
          + " rows (one per grade, the default row implied)");
    }
    int k = names.size();
    double[][] m = new double[k + 1][k + 1];
    for (int i = 0; i < k; i++) {
      JsonNode row = matrix.get(i);
      if (!row.isArray() || row.size() != k + 1) {
        throw new IllegalArgumentException(file + ": matrix row " + (i + 1) + " (grade " + names.get(i)
            + "): expected " + (k + 1) + " numbers (one per grade, then default)");
      }
      for (int j = 0; j <= k; j++) {
        if (!row.get(j).isNumber()) {
          throw new IllegalArgumentException(file + ": matrix row " + (i + 1) + " column " + (j + 1)
              + ": expected a number, got " + row.get(j));
        }
        m[i][j] = row.get(j).asDouble();
      }
    }
    m[k][k] = 1;
    try {
      return MigrationMatrix.of(names, m);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stage of each facility of a previous run's facility table; one without data rows is
   * refused, since {@code ecl} refuses an empty book and no run writes one (until 2026-12-07 it
   * reported every facility of this run as new to the book, exit 0).
   */
  public static Map<String, Staging.Stage> readStages(Path file) throws IOException {
    Map<String, Staging.Stage> stages = new LinkedHashMap<>();
    Map<String, Long> firstRow = new java.util.HashMap<>();
    try (CsvReader csv = CsvReader.open(file)) {
      int id = column(csv, "supplier_id");
      int stage = column(csv, "stage");
      while (next(csv)) {
        int s = (int) csv.integer(stage, 1, 3);
        stages.put(once(csv, id, firstRow, "one row per facility"), Staging.Stage.values()[s - 1]);
      }
    }
    if (stages.isEmpty()) {
      // ecl refuses an empty book, so no run wrote this: every facility would read as new to the book
      throw new InputFormatException(file.toString(), 0, null, "no facilities (a header and no data rows);"
          + " expected the facility table of an earlier ecl run, which has at least one");
    }
    return stages;
  }

  /**
   * Reads the next record, refusing one that cannot be read whole ({@link CsvReader#recordProblem}:
   * a field count other than the header's, an unterminated quote). {@link CsvReader#next} leaves
   * that to its caller, and the fields of a short row are not its own: until 2026-12-07 a days past
   * due, previous stage or scenario row cut short took its missing values from the row before
   * (a supplier without its days past due staged 2 on its neighbour's 45 days, exit 0), and an extra
   * field was ignored.
   */
  /**
   * The text of {@code column} in the current row, refused naming both rows when an earlier row held
   * it ({@code 'S1' is also in row 1; expected ...}, as the batch readers word a repeat).
   */
  private static String once(CsvReader csv, int column, Map<String, Long> firstRow, String expected) {
    String id = csv.text(column);
    Long first = firstRow.putIfAbsent(id, csv.row());
    if (first != null) {
      throw csv.bad(column, io.chainscore.trade.TradeRules.quoted(id) + " is also in row " + first + "; expected "
          + expected);
    }
    return id;
  }

  private static boolean next(CsvReader csv) throws IOException {
    if (!csv.next()) {
      return false;
    }
    InputFormatException problem = csv.recordProblem();
    if (problem != null) {
      throw problem;
    }
    return true;
  }

  private static int column(CsvReader csv, String name) {
    int c = csv.columnOf(name);
    if (c < 0) {
      throw new InputFormatException(csv.source(), 0, name, "missing from the header; expected an ecl_facilities table");
    }
    return c;
  }

  /** Writes the facility table ({@link PortfolioTables#ECL_FACILITIES}) as CSV. */
  public static void writeFacilities(List<PortfolioEcl.Facility> facilities, Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    CsvWriter w = new CsvWriter(text);
    TableSchema schema = PortfolioTables.ECL_FACILITIES;
    w.header(schema);
    for (PortfolioEcl.Facility f : facilities) {
      w.text(f.supplierId()).text(f.anchorId()).text(f.sector()).text(f.assetClass()).text(f.product())
          .text(f.obligor()).text(f.grade()).number(f.pd());
      if (Double.isNaN(f.originationPd())) {
        w.empty();
      } else {
        w.number(f.originationPd());
      }
      w.integer(f.daysPastDue()).integer(f.stage().ordinal() + 1).text(f.stageReason());
      if (f.previousStage() == null) {
        w.empty();
      } else {
        w.integer(f.previousStage().ordinal() + 1);
      }
      w.number(f.ead()).number(f.lgd()).number(f.maturityYears()).number(f.ecl12Month()).number(f.eclLifetime())
          .number(f.ecl());
      w.endRow();
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
