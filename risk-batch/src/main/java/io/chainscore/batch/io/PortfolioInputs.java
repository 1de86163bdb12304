package io.chainscore.batch.io;

import io.chainscore.portfolio.AssetClass;
import io.chainscore.portfolio.Collateral;
import io.chainscore.portfolio.Exposure;
import io.chainscore.portfolio.MissingPdException;
import io.chainscore.portfolio.Product;
import io.chainscore.portfolio.SupplierScore;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.trade.Sector;
import io.chainscore.trade.TradeRecordException;
import io.chainscore.trade.TradeRules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the inputs of {@code chainscore portfolio} (and of {@code score --exposures}): exposures,
 * scores and anchor PDs, as CSV, Arrow IPC or Parquet (by extension, through {@link TableReader},
 * the reader every table of the tool goes through), in the layouts of {@link PortfolioTables}
 * ({@link PortfolioTables#EXPOSURES}, {@link PortfolioTables#PORTFOLIO_SCORES}, {@link
 * PortfolioTables#ANCHOR_PDS}). Columns are matched by name, in any order; extra columns are
 * ignored.
 *
 * <p>Every fault is an {@link InputFormatException} (or, for a value a record refuses, an {@link
 * IllegalArgumentException}) naming the file, the 1-based data row and the column; nothing is
 * skipped.
 *
 * <p>Thread safety: stateless.
 */
public final class PortfolioInputs {
  private static final int BATCH_ROWS = 16_384;

  private PortfolioInputs() {}

  /**
   * One facility per row: supplier_id, anchor_id, sector (code), drawn, anchor_sales_share
   * required; asset_class (corporate), undrawn (0), ccf (required when undrawn &gt; 0), lgd (empty
   * = supervisory), collateral (unsecured), maturity_years (empty = 2.5), annual_sales_eur_m
   * (empty = unknown), product (term_loan; receivables_finance, payables_finance,
   * purchase_order_finance), expected_dilution (empty = none; purchased receivables only),
   * trade_maturity_exemption (empty = false) optional. A supplier listed twice is refused, naming
   * both rows: a supplier's facilities are aggregated into one exposure.
   */
  public static List<Exposure> readExposures(Path file) throws IOException {
    TableSchema t = PortfolioTables.EXPOSURES;
    int supplier = t.indexOf("supplier_id");
    int anchor = t.indexOf("anchor_id");
    int sector = t.indexOf("sector");
    int assetClass = t.indexOf("asset_class");
    int drawn = t.indexOf("drawn");
    int undrawn = t.indexOf("undrawn");
    int ccf = t.indexOf("ccf");
    int lgd = t.indexOf("lgd");
    int collateral = t.indexOf("collateral");
    int maturity = t.indexOf("maturity_years");
    int sales = t.indexOf("annual_sales_eur_m");
    int share = t.indexOf("anchor_sales_share");
    int product = t.indexOf("product");
    int dilution = t.indexOf("expected_dilution");
    int exemption = t.indexOf("trade_maturity_exemption");
    List<Exposure> out = new ArrayList<>();
    Map<String, Long> firstRow = new java.util.HashMap<>();
    read(file, t, (b, i, row) -> {
      // one exposure per supplier, as the portfolio analysis takes them: a second row would be
      // dropped or double-counted, depending on the reader
      once(firstRow, file, row, "supplier_id", b.strings(supplier)[i], "one exposure per supplier (aggregate its facilities)");
      double undrawnAmount = b.doubles(undrawn)[i];
      if (Double.isNaN(undrawnAmount)) {
        undrawnAmount = 0;
      }
      double factor = b.doubles(ccf)[i];
      if (Double.isNaN(factor)) {
        if (undrawnAmount > 0) {
          throw new InputFormatException(file.toString(), row, "ccf", "is required when undrawn > 0");
        }
        factor = 0;
      }
      Sector s = choice(file, row, "sector", b.strings(sector)[i], null, Sector::fromCode, null);
      AssetClass a = choice(file, row, "asset_class", b.strings(assetClass)[i], AssetClass.CORPORATE,
          v -> AssetClass.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')),
          "expected corporate, other_retail, residential_mortgage or qrre");
      Collateral c = choice(file, row, "collateral", b.strings(collateral)[i], Collateral.UNSECURED,
          v -> Collateral.valueOf(v.toUpperCase(Locale.ROOT)), "expected unsecured or receivables");
      Product p = choice(file, row, "product", b.strings(product)[i], Product.TERM_LOAN, Product::parse, null);
      out.add(Exposure.builder().supplierId(b.strings(supplier)[i]).anchorId(b.strings(anchor)[i])
          .sector(s).assetClass(a).drawn(b.doubles(drawn)[i]).undrawn(undrawnAmount, factor)
          .lgd(b.doubles(lgd)[i]).collateral(c).maturityYears(b.doubles(maturity)[i])
          .annualSalesEurMillions(b.doubles(sales)[i]).anchorSalesShare(b.doubles(share)[i]).product(p)
          .expectedDilution(b.doubles(dilution)[i]).tradeMaturityExemption(choice(file, row, "trade_maturity_exemption", b.strings(exemption)[i], Boolean.FALSE,
              PortfolioInputs::trueOrFalse, "expected true or false")).build());
    });
    if (out.isEmpty()) {
      // an empty book is refused by every command that reads one (ecl wrote a zero allowance)
      throw new IllegalArgumentException(file + ": no exposures (a header and no data rows)");
    }
    return out;
  }

  /**
   * One PD per row: supplier_id, pd required; grade optional (empty: from the grade function). A
   * supplier listed twice is refused, naming both rows, and a table of a header alone ({@code FILE:
   * no data rows}).
   */
  public static List<SupplierScore> readScores(Path file) throws IOException {
    return readScores(file, new java.util.TreeSet<>());
  }

  /**
   * As {@link #readScores(Path)}, adding to {@code scoringModels} each model named by the table's
   * optional model_id (and model_version) columns, as {@code "model_id model_version"}; nothing
   * for a table without model_id (a hand-made one).
   */
  public static List<SupplierScore> readScores(Path file, java.util.Set<String> scoringModels) throws IOException {
    TableSchema t = PortfolioTables.PORTFOLIO_SCORES;
    int supplier = t.indexOf("supplier_id");
    int pd = t.indexOf("pd");
    int grade = t.indexOf("grade");
    int modelId = t.indexOf("model_id");
    int modelVersion = t.indexOf("model_version");
    List<SupplierScore> out = new ArrayList<>();
    Map<String, Long> firstRow = new java.util.HashMap<>();
    read(file, t, (b, i, row) -> {
      String id = once(firstRow, file, row, "supplier_id", b.strings(supplier)[i], "one score per supplier");
      out.add(new SupplierScore(id, b.doubles(pd)[i], b.strings(grade)[i] == null ? "" : b.strings(grade)[i]));
      String model = b.strings(modelId)[i];
      if (model != null && !model.isEmpty()) {
        String version = b.strings(modelVersion)[i];
        scoringModels.add(version == null || version.isEmpty() ? model : model + " " + version);
      }
    });
    if (out.isEmpty()) {
      // as the other readers refuse a table of a header alone, before any check across files: until
      // 2026-12-08 portfolio and ecl refused it at the first exposure, "supplier S5 has no score in FILE"
      throw new InputFormatException(file.toString(), -1, null, "no data rows; expected one row per scored"
          + " supplier after the header (a score run's table)");
    }
    return out;
  }

  /**
   * Refuses to re-score a score table's suppliers with {@code bundle} (a stress scenario's shocked
   * features) when the table names another model that scored them: the stressed PDs and the
   * baseline's would come from two models, and the scenario's change would be the models'
   * difference. A table that names no model (no model_id column) passes.
   *
   * @param scoringModels what {@link #readScores(Path, java.util.Set)} collected from {@code file}
   * @param how how the command chose the bundle, for the message (e.g. "--model" or "the default")
   */
  public static void requireScoredBy(Path file, java.util.Set<String> scoringModels,
      io.chainscore.scoring.ModelBundle bundle, String how) {
    String mine = bundle.modelId() + " " + bundle.modelVersion();
    boolean same = scoringModels.stream().allMatch(m -> m.equals(mine) || m.equals(bundle.modelId()));
    if (!same) {
      throw new IllegalArgumentException(file + ": scored by " + String.join(", ", scoringModels)
          + " (column model_id), but the stressed features would be re-scored with " + mine + " (" + how
          + "): pass --model with the bundle that scored them");
    }
  }

  /** Each anchor's one-year PD (anchor_id, pd in [0, 1]), in file order; an anchor listed twice is refused. */
  public static Map<String, Double> readAnchorPds(Path file) throws IOException {
    TableSchema t = PortfolioTables.ANCHOR_PDS;
    int anchor = t.indexOf("anchor_id");
    int pd = t.indexOf("pd");
    Map<String, Double> out = new LinkedHashMap<>();
    Map<String, Long> firstRow = new java.util.HashMap<>();
    read(file, t, (b, i, row) -> {
      double p = b.doubles(pd)[i];
      if (!(p >= 0 && p <= 1)) {
        throw new InputFormatException(file.toString(), row, "pd", "must be in [0, 1], got " + p);
      }
      out.put(once(firstRow, file, row, "anchor_id", b.strings(anchor)[i], "one PD per anchor"), p);
    });
    return out;
  }

  /**
   * One row of an outcome table ({@link PortfolioTables#OUTCOMES}: labels as {@code generate} writes
   * them, or a lender's default register without their true_pd).
   *
   * @param defaultDate when the supplier defaulted, or null
   * @param row the row's 1-based data row in its file, for a caller's errors
   */
  public record Outcome(String supplierId, java.time.LocalDate asOfDate, boolean defaulted,
      java.time.LocalDate defaultDate, long row) {}

  /** The rows of an outcome table, in file order. */
  public static List<Outcome> readOutcomes(Path file) throws IOException {
    return readOutcomes(file, null);
  }

  /**
   * The rows of an outcome table, in file order, its dates stored as instants (if any) read as
   * their dates in {@code timeZone} ({@link TableSchema#timeZone}; null refuses them).
   */
  public static List<Outcome> readOutcomes(Path file, java.time.ZoneId timeZone) throws IOException {
    TableSchema t = PortfolioTables.OUTCOMES.withTimeZone(timeZone);
    List<Outcome> out = new ArrayList<>();
    read(file, t, (b, i, row) -> {
      int day = b.dates(3)[i];
      out.add(new Outcome(b.strings(0)[i], java.time.LocalDate.ofEpochDay(b.dates(1)[i]), b.booleans(2)[i],
          day == ColumnBatch.NULL_DATE ? null : java.time.LocalDate.ofEpochDay(day), row));
    });
    return out;
  }

  /** A table's optional as_of_date column, the only one {@link #asOfDates} reads. */
  private static final TableSchema AS_OF_DATE = new TableSchema("as_of_date", List.of(
      TableSchema.optional("as_of_date", ColumnType.DATE)));

  /**
   * The distinct dates of the {@code as_of_date} column of a table (a score table, a feature
   * table, any table the portfolio commands read), earliest first; empty when the table has no
   * such column or leaves it empty (a hand-made table of supplier_id and pd), so that a caller
   * comparing two tables' dates compares only tables that carry them.
   *
   * @throws io.chainscore.tables.InputFormatException naming the file, row and column for a value
   *     that is not a date
   */
  public static java.util.SortedSet<java.time.LocalDate> asOfDates(Path file) throws IOException {
    java.util.SortedSet<java.time.LocalDate> out = new java.util.TreeSet<>();
    read(file, AS_OF_DATE, (b, i, row) -> {
      int day = b.dates(0)[i];
      if (day != ColumnBatch.NULL_DATE) {
        out.add(java.time.LocalDate.ofEpochDay(day));
      }
    });
    return out;
  }

  /** The dates as a user reads them: one date, or the list of them. */
  public static String dates(java.util.SortedSet<java.time.LocalDate> dates) {
    return dates.size() == 1 ? dates.first().toString() : "dates " + dates.toString().replace("[", "").replace("]", "");
  }

  /** What is done with one good row of a batch. */
  private interface RowAction {
    void accept(ColumnBatch batch, int index, long row);
  }

  /**
   * The one-line error for an exposure without the PD it needs, as an engine reports it ({@link
   * MissingPdException}, from the rule in {@link io.chainscore.portfolio.ObligorPd}), given the
   * exposures as {@link #readExposures} returned them from {@code exposuresFile}: names that file,
   * the exposure's row and column, and the file the PD is missing from ({@code anchorPdsFile} for
   * an anchor's PD, else {@code scoresFile}). The engine's exception is its cause.
   *
   * <p>The row is the exposure's index plus 1: {@link #readExposures} returns one exposure per data
   * row, in row order, and refuses a bad row rather than skip it, so the index is the data row's
   * (1 = the first row after the header, blank CSV lines not counted, as every error of this class
   * counts them) as long as the engine was given that list as it was returned.
   *
   * @param anchorPdsFile the anchor PDs' file, or null when none was given
   */
  public static InputFormatException missingPd(Path exposuresFile, MissingPdException missing, Path scoresFile,
      Path anchorPdsFile) {
    return missingPd(exposuresFile, missing, scoresFile, anchorPdsFile, null, null, null);
  }

  /**
   * As {@link #missingPd(Path, MissingPdException, Path, Path)}, saying for a supplier without a
   * score how many of the {@code book}'s exposures owed by their suppliers have none in {@code
   * scoredSuppliers}, and, when the score run's quarantine file is beside the scores, that it lists
   * the rows the run could not score: what an analyst needs to fix the month, where the first
   * missing supplier alone does not say whether one row or a thousand are missing.
   *
   * @param book the exposures as read, or null
   * @param scoredSuppliers the suppliers the scores file holds, or null
   * @param remedy for a supplier without a score, what else the caller's command can do (said in
   *     brackets at the end, e.g. "or give --unscored-pd PD ..."), or null
   */
  public static InputFormatException missingPd(Path exposuresFile, MissingPdException missing, Path scoresFile,
      Path anchorPdsFile, List<Exposure> book, java.util.Set<String> scoredSuppliers, String remedy) {
    String where;
    if (missing.anchorPdMissing()) {
      where = anchorPdsFile == null ? " (give the anchor PDs with --anchor-pds)" : " in " + anchorPdsFile;
    } else {
      where = " in " + scoresFile;
      if (book != null && scoredSuppliers != null) {
        long unscored = book.stream()
            .filter(e -> !e.product().anchorObligor() && !scoredSuppliers.contains(e.supplierId())).count();
        Path quarantine = scoreQuarantine(scoresFile);
        where += "; " + unscored + " of the " + book.size() + " exposures " + (unscored == 1 ? "has" : "have")
            + " no score there";
        // the exception's index is the book's, as given to the analysis
        String why = whyNotScored(scoresFile, book.get(missing.index()).supplierId());
        if (why != null) {
          where += why;
        } else if (quarantine != null) {
          where += ", and the score run's quarantine " + quarantine + " lists the rows it could not score";
        }
      }
      if (remedy != null) {
        where += " (" + remedy + ")";
      }
    }
    InputFormatException e = new InputFormatException(exposuresFile.toString(), missing.index() + 1L,
        missing.column(), missing.getMessage() + where);
    e.initCause(missing);
    return e;
  }

  /**
   * Why the score run that wrote {@code scoresFile} has no score of supplier {@code id}, as its
   * quarantines say: {@code "; the score run quarantined it: QUARANTINE, row 3, column sector: ..."}
   * when its quarantine ({@code SCORES_BASE.quarantine.csv}) names it in its record_id, else {@code
   * "; its features were not computed: ..."} when its supplier row was refused before scoring
   * ({@link #refusedBeforeScoring}); null when neither says (no quarantine there, or one that does
   * not name it). The one reading of a supplier's absence from a score run, for the exposures
   * without a score ({@code portfolio}, {@code ecl}) and the facilities without an origination PD
   * ({@code ecl --origination}).
   */
  public static String whyNotScored(Path scoresFile, String id) {
    Path quarantine = scoreQuarantine(scoresFile);
    String why = quarantine == null ? null
        : java.nio.file.Files.isDirectory(quarantine) ? quarantinedBySpark(quarantine, id) : quarantinedAs(quarantine, id);
    if (why != null) {
      return "; the score run quarantined it: " + quarantine + ", " + why;
    }
    // its supplier row refused before any feature was computed (by features, or by score
    // --transactions): the score run's own quarantine cannot say so, and until 2026-12-07 the
    // line pointed to it, often empty, as listing the rows the run could not score
    return refusedBeforeScoring(scoresFile, id);
  }

  /**
   * The quarantine of the rows the score run that wrote {@code scoresFile} could not score, null
   * when there is none: the command line's {@code SCORES_BASE.quarantine.csv}, or the Spark job's
   * Parquet directory beside its scores directory, {@code SCORES.quarantine} (until 2026-12-07 a
   * Spark run's refused supplier was named with no reason, and its quarantine was not pointed to).
   */
  private static Path scoreQuarantine(Path scoresFile) {
    Path quarantine = io.chainscore.batch.engine.BatchJob.sideFile(scoresFile, ".quarantine.csv");
    if (java.nio.file.Files.isRegularFile(quarantine)) {
      return quarantine;
    }
    Path spark = scoresFile.resolveSibling(scoresFile.getFileName() + ".quarantine");
    return java.nio.file.Files.isDirectory(spark) ? spark : null;
  }

  /**
   * Where and why the score run's quarantine refused supplier {@code id} ({@code "row 3, column
   * sector: unknown category ..."}), by its first row there whose record_id is {@code id}; null when
   * none is, or the file cannot be read as a quarantine (one written before it had record_id).
   */
  private static String quarantinedAs(Path quarantine, String id) {
    TableSchema layout = io.chainscore.batch.engine.BatchJob.QUARANTINE_SCHEMA;
    try (TableReader reader = TableReader.open(quarantine, layout, BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(layout, BATCH_ROWS);
      while (reader.next(batch)) {
        for (int r = 0; r < batch.size(); r++) {
          if (id.equals(batch.string(1, r))) {
            String column = batch.string(2, r);
            return "row " + batch.longs(0)[r] + (column == null || column.isEmpty() ? "" : ", column " + column)
                + ": " + batch.string(3, r);
          }
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
    return null;
  }

  /**
   * Opens a quarantine: a file by its extension, or a directory of Parquet part files whatever its
   * name (the Spark job's {@code SCORES.quarantine/} and {@code SCORES.quarantine-transactions/},
   * which {@link TableReader#open} does not take for tables, their names not ending in {@code .parquet}).
   */
  private static TableReader openQuarantine(Path quarantine, TableSchema layout) throws IOException {
    return java.nio.file.Files.isDirectory(quarantine) ? PartFiles.open(quarantine, layout, BadRowHandler.STRICT, null, 0)
        : TableReader.open(quarantine, layout, BadRowHandler.STRICT);
  }

  /**
   * The Spark job's quarantine of feature rows ({@code SparkScoring}'s {@code supplier_id}, {@code
   * quarantine_column}, {@code quarantine_reason}), as the job writes it beside its scores.
   */
  static final TableSchema SPARK_SCORE_QUARANTINE = new TableSchema("quarantine", List.of(
      TableSchema.required("supplier_id", ColumnType.STRING),
      TableSchema.nullable("quarantine_column", ColumnType.STRING),
      TableSchema.required("quarantine_reason", ColumnType.STRING)));

  /**
   * Why the Spark job's quarantine {@code quarantine} ({@link #SPARK_SCORE_QUARANTINE}, a directory
   * of part files) refused supplier {@code id} ({@code "column sector: ..."}, or the reason alone),
   * by its first row naming it; null when none does or the directory cannot be read as one.
   */
  private static String quarantinedBySpark(Path quarantine, String id) {
    TableSchema layout = SPARK_SCORE_QUARANTINE;
    try (TableReader reader = openQuarantine(quarantine, layout)) {
      ColumnBatch batch = new ColumnBatch(layout, BATCH_ROWS);
      while (reader.next(batch)) {
        for (int r = 0; r < batch.size(); r++) {
          if (id.equals(batch.string(0, r))) {
            String column = batch.string(1, r);
            return (column == null || column.isEmpty() ? "" : "column " + column + ": ") + batch.string(2, r);
          }
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
    return null;
  }

  /**
   * Why supplier {@code id} never reached the score run that wrote {@code scoresFile}: its own row
   * of the suppliers table (record_id {@code id}, table {@code supplier}) refused before its features
   * were computed, as the quarantine of trade-table rows says, in {@link PortfolioTables#FEATURE_QUARANTINE}'s
   * layout: the one {@code score --transactions} keeps beside its scores ({@code
   * SCORES_BASE.quarantine-transactions.csv}), or the one {@code chainscore features} kept beside the
   * feature table the run scored ({@code FEATURES_BASE.quarantine.csv}; the table is the input of
   * the run's manifest, {@code SCORES.manifest.json}, that {@link
   * io.chainscore.batch.engine.RunManifest#featureInput} names, looked for where the manifest
   * names it, else beside the scores). Returns {@code "; its features were not computed: QUARANTINE lists its supplier row:
   * FILE, row N, column C: REASON"}, or null when neither file is there or names it, or cannot be read.
   */
  private static String refusedBeforeScoring(Path scoresFile, String id) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(io.chainscore.batch.engine.BatchJob.sideFile(scoresFile, ".quarantine-transactions.csv"));
    // the Spark job's, a directory of Parquet part files beside its scores directory (its columns
    // those of the single machine's, and the supplier_id)
    candidates.add(scoresFile.resolveSibling(scoresFile.getFileName() + ".quarantine-transactions"));
    Path manifest = scoresFile.resolveSibling(scoresFile.getFileName() + ".manifest.json");
    if (java.nio.file.Files.isRegularFile(manifest)) {
      try {
        com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            manifest.toFile());
        String scored = m.path("inputs").path(io.chainscore.batch.engine.RunManifest.featureInput(m, scoresFile))
            .path("path").asText("");
        if ("score".equals(m.path("command").asText()) && !scored.isEmpty()) {
          Path features = Path.of(scored);
          if (!java.nio.file.Files.isRegularFile(features) && features.getFileName() != null) {
            features = scoresFile.resolveSibling(features.getFileName().toString());
          }
          candidates.add(io.chainscore.batch.engine.BatchJob.sideFile(features, ".quarantine.csv"));
        }
      } catch (IOException | RuntimeException unreadable) {
        // no manifest to follow: the score run's own quarantine is pointed to as before
      }
    }
    return refusedSupplierRow(candidates, id);
  }

  /**
   * Why the feature table {@code featuresFile} (a {@code chainscore features} output) has no row of
   * supplier {@code id}: {@code "; its features were not computed: QUARANTINE lists its supplier row:
   * FILE, row N, column C: REASON"} when the quarantine that run kept beside it ({@code
   * FEATURES_BASE.quarantine.csv}) holds the supplier's own row; null otherwise. For {@code explain}
   * and {@code whatif --supplier}, which look a supplier up in a feature table.
   */
  public static String whyNoFeatures(Path featuresFile, String id) {
    return refusedSupplierRow(List.of(io.chainscore.batch.engine.BatchJob.sideFile(featuresFile, ".quarantine.csv")), id);
  }

  /** The first of {@code candidates} (quarantines of trade-table rows) that holds supplier {@code id}'s own row, said. */
  private static String refusedSupplierRow(List<Path> candidates, String id) {
    TableSchema layout = PortfolioTables.FEATURE_QUARANTINE;
    for (Path quarantine : candidates) {
      if (!java.nio.file.Files.exists(quarantine)) {
        continue;
      }
      try (TableReader reader = openQuarantine(quarantine, layout)) {
        ColumnBatch batch = new ColumnBatch(layout, BATCH_ROWS);
        while (reader.next(batch)) {
          for (int r = 0; r < batch.size(); r++) {
            if (id.equals(batch.string(3, r)) && "supplier".equals(batch.string(0, r))) {
              String field = batch.string(4, r);
              return "; its features were not computed: " + quarantine + " lists its supplier row: " + batch.string(1, r)
                  + ", row " + batch.longs(2)[r] + (field == null || field.isEmpty() ? "" : ", column " + field)
                  + ": " + batch.string(5, r);
            }
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        // not a quarantine of trade-table rows: look at the next
      }
    }
    return null;
  }

  /** {@code id} of {@code column}, refused naming both rows when {@code firstRow} holds it already (else recorded). */
  private static String once(Map<String, Long> firstRow, Path file, long row, String column, String id,
      String expected) {
    Long first = firstRow.putIfAbsent(id, row);
    if (first != null) {
      throw new InputFormatException(file.toString(), row, column, TradeRules.quoted(id)
          + " is also in row " + first + "; expected " + expected);
    }
    return id;
  }

  private static void read(Path file, TableSchema schema, RowAction action) throws IOException {
    try (TableReader reader = TableReader.open(file, schema, BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(schema, BATCH_ROWS);
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          long row = batch.sourceRows()[i];
          try {
            action.accept(batch, i, row);
          } catch (InputFormatException e) {
            throw e;
          } catch (TradeRecordException e) {
            // a record's own check (Exposure, SupplierScore) names its field by the table's column:
            // FILE, row N, column C as every reader says it (until 2026-12-08 the field was named in
            // words after the row, "row 2: exposure S2: drawn must be ...")
            InputFormatException refused = new InputFormatException(file.toString(), row, e.field(), e.problem())
                .withRecordId("?".equals(e.recordId()) ? null : e.recordId());
            refused.initCause(e);
            throw refused;
          } catch (IllegalArgumentException e) {
            // A record's own check (Exposure, SupplierScore): name where it came from.
            throw new IllegalArgumentException(file + ", row " + row + ": " + e.getMessage(), e);
          }
        }
      }
    }
  }

  private static Boolean trueOrFalse(String v) {
    return switch (v) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(v);
    };
  }

  /** The enum value of a text column; {@code missing} when empty (null: the column is required). */
  private static <T> T choice(Path file, long row, String column, String value, T missing,
      java.util.function.Function<String, T> parse, String expected) {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty()) {
      if (missing == null) {
        throw new InputFormatException(file.toString(), row, column, "is required");
      }
      return missing;
    }
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(file.toString(), row, column,
          expected == null ? e.getMessage() : expected + ", got '" + value + "'");
    }
  }
}
