package io.chainscore.cli;

import io.chainscore.batch.engine.FileSetCommit;
import io.chainscore.ifrs9.EclFiles;
import io.chainscore.ifrs9.ExpectedCreditLoss;
import io.chainscore.ifrs9.MigrationMatrix;
import io.chainscore.ifrs9.PortfolioEcl;
import io.chainscore.ifrs9.Scenarios;
import io.chainscore.ifrs9.Staging;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.SupplierScore;
import io.chainscore.scoring.spi.ResultJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore ecl}: IFRS 9 staged expected credit loss of a supplier book from a score run. */
@Command(
    name = "ecl",
    mixinStandardHelpOptions = true,
    description = {
      "Compute the IFRS 9 expected credit loss allowance of a supplier book from a score run.",
      "Each facility of --exposures is staged against its PD at origination (--origination: an earlier score run or"
          + " a table of supplier_id, pd) and its days past due, given a lifetime PD term structure (a constant"
          + " hazard at its 12-month PD, or its grade's row of --migration), and its 12-month (stage 1) or lifetime"
          + " (stages 2 and 3) ECL is discounted at --eir and weighted over --scenarios. Writes ecl_facilities.csv,"
          + " ecl.json and ecl.html to --out, committed together; with --previous (an earlier ecl run's folder) the"
          + " stage transfers too. Formulas and sources: docs/ifrs9.md."
    })
final class EclCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scores", required = true, description = "Score table of this run (supplier_id, pd, grade), as chainscore score writes it.")
  Path scores;

  @Option(names = "--exposures", required = true, description = "Exposures table, one facility per supplier (docs/portfolio-risk.md).")
  Path exposures;

  @Option(names = "--origination", required = true, paramLabel = "SCORES", description = "PDs at initial recognition: a score table of the run at origination, or any table with supplier_id and pd;"
      + " an as_of_date after the --scores table's is refused. Repeatable, earliest run first: a facility takes the PD"
      + " of the first table that lists its supplier, so a facility recognised since the first run (or whose supplier"
      + " that run could not score) takes the run of the month it was first scored; they are counted on stdout and in"
      + " ecl.json's options.origination_later.")
  List<Path> origination;

  @Option(names = "--previous", description = "Folder of the previous chainscore ecl run, for stage transfers.")
  Path previous;

  @Option(names = "--days-past-due", description = "Table of supplier_id, days_past_due for the 30-days-past-due backstop (absent suppliers: 0;"
      + " rows of suppliers with no facility in --exposures are counted on stderr and in ecl.json, the first named).")
  Path daysPastDue;

  @Option(names = "--migration", description = "One-year grade migration matrix as JSON ({\"grades\": [...], \"matrix\": [[...]]}, docs/ifrs9.md) for the lifetime PDs; by default a constant annual hazard equal to the 12-month PD.")
  Path migration;

  @Option(names = "--migration-from", description = "An earlier score run (a score table) from which, with this run's"
      + " scores and --labels' defaults in between, a migration matrix over the runs' interval is estimated for the"
      + " lifetime PDs (cohort method; the interval is the difference of the two tables' as_of_date).")
  Path migrationFrom;

  @Option(names = "--labels", description = "Outcome table (supplier_id, as_of_date, defaulted, default_date, as chainscore"
      + " generate writes labels): a supplier whose default_date falls after the --migration-from run and by this run"
      + " moves to default in the estimated matrix.")
  Path labels;

  @Option(names = "--anchor-pds", description = "Table of anchor_id, pd: the anchors' PDs now, the obligor PD of"
      + " payables-finance facilities (required for those).")
  Path anchorPds;

  @Option(names = "--origination-anchor-pds", description = "Table of anchor_id, pd at origination, for staging"
      + " payables-finance facilities (an anchor missing here stays in stage 1 but for days past due).")
  Path originationAnchorPds;

  @Option(names = "--scenarios", description = "Forward-looking scenarios: a table of name, weight, factor (weights summing to 1); by default the unconditional PDs.")
  Path scenarios;

  @Option(names = "--asset-correlation", defaultValue = "0.12", description = "Asset correlation of the one-factor model through which --scenarios shift PDs (default ${DEFAULT-VALUE}); refused without --scenarios.")
  double assetCorrelation;

  @Option(names = "--eir", defaultValue = "0.08", description = "Effective interest rate for discounting, annual, as a fraction above -1 and below 1 (default ${DEFAULT-VALUE}).")
  double eir;

  @Option(names = "--sicr-relative", defaultValue = "2", description = "Stage 2 needs PD now / PD at origination of at least this (default ${DEFAULT-VALUE}).")
  double sicrRelative;

  @Option(names = "--sicr-absolute", defaultValue = "0.005", description = "and PD now - PD at origination of at least this (default ${DEFAULT-VALUE}, 0.5 percentage points).")
  double sicrAbsolute;

  @Option(names = "--dpd-backstop", defaultValue = "30", description = "More days past due than this is stage 2 whatever the PDs (default ${DEFAULT-VALUE}); refused without --days-past-due.")
  int dpdBackstop;

  @Option(names = "--loss-timing", defaultValue = "end", description = "When within a year a default's loss is assumed: end or mid (default ${DEFAULT-VALUE}).")
  String lossTiming;

  @Option(names = "--regime", defaultValue = "basel3", description = "Regime whose foundation LGD stands in for an exposure without its own lgd: basel2, crr or basel3 (default ${DEFAULT-VALUE}).")
  String regime;

  @Option(names = "--default-grade", defaultValue = "D", description = "Grade of a facility in default, stage 3 (default ${DEFAULT-VALUE}).")
  String defaultGrade;

  @Option(names = "--unscored-pd", paramLabel = "PD", description = "Measure a facility whose supplier has no score"
      + " in --scores (a supplier the score run quarantined) at this 12-month PD, above 0 and below 1, in the grade"
      + " 'unscored' at a constant hazard, instead of refusing the run; they are counted on stdout, in ecl.json's"
      + " by_grade and recorded in its options. By default such a facility is refused, naming it.")
  Double unscoredPd;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Read the --labels' dates stored as instants"
      + " (timestamps with a time zone) as their dates in ZONE, e.g. UTC or Europe/Berlin; without it they are refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--overwrite", description = "Replace an earlier run's files in --out.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result (ecl.json) on stdout.")
  boolean json;

  /**
   * Suppliers whose default_date falls in (from, to]; a default without its date (a register
   * without the column, or with it empty) is refused, as it cannot be placed between the runs.
   */
  private static java.util.Set<String> defaultedBetween(Path labels, java.time.ZoneId timeZone, LocalDate from,
      LocalDate to) throws IOException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (io.chainscore.batch.io.PortfolioInputs.Outcome o
        : io.chainscore.batch.io.PortfolioInputs.readOutcomes(labels, timeZone)) {
      if (o.defaulted() && o.defaultDate() == null) {
        throw new IllegalArgumentException("--labels " + labels + ": supplier " + o.supplierId() + " is defaulted (as of "
            + o.asOfDate() + ") with no default_date; --migration-from counts the defaults between the runs by their"
            + " dates");
      }
      if (o.defaultDate() != null && o.defaultDate().isAfter(from) && !o.defaultDate().isAfter(to)) {
        out.add(o.supplierId());
      }
    }
    return out;
  }

  /** What ecl.json holds: the run's options and the book's totals, not its facilities (those are in the CSV). */
  record Report(Map<String, Object> options, PortfolioEcl.Group total, List<PortfolioEcl.Group> byAnchor,
      List<PortfolioEcl.Group> bySector, List<PortfolioEcl.Group> byAssetClass, List<PortfolioEcl.Group> byProduct,
      List<PortfolioEcl.Group> byGrade, List<StageTransfer> transfers, long derecognised) {}

  /**
   * The scenarios behind the allowance, for the report's reader (ecl.json has them in its options):
   * each one's name, weight and factor, and the asset correlation that shifts the PDs.
   */
  private String scenarioText(List<Scenarios.Scenario> list) {
    if (list.isEmpty()) {
      return "no scenarios (the unconditional PDs)";
    }
    List<String> parts = new ArrayList<>();
    for (Scenarios.Scenario sc : list) {
      parts.add(String.format(Locale.ROOT, "%s %s%% at factor %s", sc.name(),
          io.chainscore.reports.Figures.threeDigits(100 * sc.weight()), sc.factor()));
    }
    return "scenarios weighted: " + String.join(", ", parts) + String.format(Locale.ROOT,
        " (asset correlation %s)", assetCorrelation);
  }

  /**
   * A stage transfer as ecl.json writes it: the stages as the numbers 1 to 3 that
   * ecl_facilities.csv's {@code stage} and {@code previous_stage} hold (it wrote STAGE_1 until
   * 2026-12-06); {@code from} null for a facility new since the previous run.
   */
  record StageTransfer(Integer from, int to, long facilities, double ead, double ecl) {
    static StageTransfer of(PortfolioEcl.Transfer t) {
      return new StageTransfer(t.from() == null ? null : t.from().ordinal() + 1, t.to().ordinal() + 1, t.facilities(),
          t.ead(), t.ecl());
    }
  }

  @Override
  public Integer call() throws IOException {
    OutputFiles.refuseAsResultFolder(out, "ecl_facilities.csv", "ecl.json", "ecl.html");   // before the work; the folder is made after it
    ExpectedCreditLoss.LossTiming timing = switch (lossTiming) {
      case "end" -> ExpectedCreditLoss.LossTiming.END_OF_PERIOD;
      case "mid" -> ExpectedCreditLoss.LossTiming.MID_PERIOD;
      default -> throw new IllegalArgumentException("--loss-timing: expected end or mid, got '" + lossTiming + "'");
    };
    if (!(eir > -1 && eir < 1)) {
      // 8 for 8% discounted at 800% a year without a word: a rate is a fraction
      throw new IllegalArgumentException("--eir " + eir + ": expected an annual rate as a fraction above -1 and below 1"
          + " (0.08 for 8%)");
    }
    if (defaultGrade.isBlank()) {
      throw new IllegalArgumentException("--default-grade: expected the name of the default grade (D by default), got '"
          + defaultGrade + "'");
    }
    if (sicrAbsolute >= 0.1 && sicrAbsolute < 1) {
      // legal, but rarely meant: 0.5 typed for 0.5 percentage points stages no facility by its PDs
      spec.commandLine().getErr().println("warning: --sicr-absolute " + sicrAbsolute + " asks for a PD rise of "
          + Math.round(sicrAbsolute * 100) + " percentage points (0.005 is 0.5 points)");
    }
    // each threshold checked by Staging's own rule, so the message names the one option at fault
    checkOption("--sicr-relative " + sicrRelative, () -> Staging.checkRelativeIncrease(sicrRelative));
    checkOption("--sicr-absolute " + sicrAbsolute, () -> Staging.checkAbsoluteIncrease(sicrAbsolute));
    checkOption("--dpd-backstop " + dpdBackstop, () -> Staging.checkBackstop(dpdBackstop));
    Staging staging = new Staging(sicrRelative, sicrAbsolute, dpdBackstop);
    Path facilitiesFile = out.resolve("ecl_facilities.csv");
    Path jsonFile = out.resolve("ecl.json");
    Path htmlFile = out.resolve("ecl.html");
    Path previousFacilities = previous == null ? null : previous.resolve("ecl_facilities.csv");
    if (previousFacilities != null && !Files.isRegularFile(previousFacilities)) {
      throw new IllegalArgumentException("--previous " + previous + ": no ecl_facilities.csv there; expected the"
          + " folder of an earlier chainscore ecl run");
    }
    if (previousFacilities != null) {
      // --previous and --out the same folder (a rolling "ecl/" folder): this run would replace the
      // stages it reads, so that a rerun reported its own stages as the previous run's (every
      // transfer from a stage to itself, exit 0); until 2026-12-07 it was accepted with --overwrite
      List<OutputFiles.RunFile> written = new ArrayList<>();
      for (Path p : new Path[] {facilitiesFile, jsonFile, htmlFile}) {
        written.add(OutputFiles.RunFile.inside("--out", out, "file", p));
      }
      OutputFiles.refuseClashes(List.of(OutputFiles.RunFile.inside("--previous", previous, "facility table",
          previousFacilities)), written);
    }
    List<Scenarios.Scenario> scenarioList = scenarios == null ? List.of() : EclFiles.readScenarios(scenarios);
    if (migration != null && migrationFrom != null) {
      throw new IllegalArgumentException("--migration and --migration-from: give one source of the migration matrix");
    }
    if (timeZone != null && labels == null) {
      throw new IllegalArgumentException("--time-zone reads the dates of --labels; none were given");
    }
    if (labels != null && migrationFrom == null) {
      throw new IllegalArgumentException("--labels: only used with --migration-from (defaults between the two runs)");
    }
    // options that act only through another: given without it they changed nothing (while ecl.json
    // recorded them as the run's options) until 2026-12-07
    ParseResult given = spec.commandLine().getParseResult();
    if (scenarios == null && given.hasMatchedOption("--asset-correlation")) {
      throw new IllegalArgumentException("--asset-correlation: only used with --scenarios (it shifts the scenarios'"
          + " PDs); without scenarios the unconditional PDs are used");
    }
    if (daysPastDue == null && given.hasMatchedOption("--dpd-backstop")) {
      throw new IllegalArgumentException("--dpd-backstop: only used with --days-past-due (without that table no"
          + " facility has days past due, so the backstop never fires)");
    }
    // read before any check across files: a table of a header alone is refused as such (until
    // 2026-12-08 at the first exposure, "supplier S5 has no score")
    List<SupplierScore> scoreRows = io.chainscore.batch.io.PortfolioInputs.readScores(scores);
    MigrationMatrix matrix = migration == null ? null : EclFiles.readMigration(migration);
    double period = 1.0;
    String matrixSource = matrix == null ? "constant_hazard" : "migration:" + migration;
    if (migrationFrom != null) {
      LocalDate earlier = io.chainscore.batch.scoring.ScoreSummary.asOf(migrationFrom);
      LocalDate now = io.chainscore.batch.scoring.ScoreSummary.asOf(scores);
      long days = java.time.temporal.ChronoUnit.DAYS.between(earlier, now);
      if (days <= 0) {
        throw new IllegalArgumentException("--migration-from " + migrationFrom + ": its as_of_date " + earlier
            + " is not before this run's " + now);
      }
      period = days / 365.0;
      java.util.Set<String> defaulted = labels == null ? java.util.Set.of() : defaultedBetween(labels, timeZone, earlier, now);
      matrix = PortfolioEcl.migrationFrom(io.chainscore.batch.io.PortfolioInputs.readScores(migrationFrom),
          scoreRows, defaulted, defaultGrade);
      boolean anyDefault = false;
      List<String> noDefault = new ArrayList<>();
      for (int g = 0; g < matrix.grades().size(); g++) {
        boolean defaults = matrix.probability(g, matrix.grades().size()) > 0;
        anyDefault |= defaults;
        if (!defaults && !matrix.grades().get(g).equals(defaultGrade)) {
          noDefault.add(matrix.grades().get(g));
        }
      }
      if (!anyDefault) {
        throw new IllegalArgumentException("--migration-from " + migrationFrom + ": no supplier graded in both runs"
            + " defaulted between " + earlier + " and " + now + (labels == null ? " (no --labels given)"
                : " according to " + labels) + ", so the estimated matrix gives every grade a PD of 0; give --labels"
            + " with the defaults of the interval, or a --migration matrix");
      }
      if (!noDefault.isEmpty()) {
        // the cohort method gives a grade without a default in the interval a PD of 0 (its facilities
        // then carry no ECL on a short maturity): said, since it is the data's, not a rule's, choice
        spec.commandLine().getErr().println("warning: --migration-from: no supplier of grade" + (noDefault.size() == 1
            ? " " : "s ") + String.join(", ", noDefault) + " defaulted between " + earlier + " and " + now
            + ", so the estimated matrix gives " + (noDefault.size() == 1 ? "it" : "them") + " a one-step PD of 0"
            + " (their facilities' ECL comes from migrating to other grades alone); a longer interval, or a"
            + " --migration matrix, gives them one");
      }
      matrixSource = String.format(Locale.ROOT, "estimated from %s (%s) to this run (%s), %d days", migrationFrom,
          earlier, now, days);
    }
    Map<String, Double> anchors = anchorPds == null ? Map.of() : io.chainscore.batch.io.PortfolioInputs.readAnchorPds(anchorPds);
    Map<String, Double> originationAnchors = originationAnchorPds == null ? Map.of()
        : io.chainscore.batch.io.PortfolioInputs.readAnchorPds(originationAnchorPds);
    if (unscoredPd != null && !(unscoredPd > 0 && unscoredPd < 1)) {
      throw new IllegalArgumentException("--unscored-pd " + unscoredPd + ": expected a PD above 0 and below 1");
    }
    PortfolioEcl.Options options = new PortfolioEcl.Options(staging, eir, IrbRegime.parse(regime), assetCorrelation,
        scenarioList, matrix, period, timing, defaultGrade, anchors, originationAnchors)
        .withUnscoredPd(unscoredPd == null ? Double.NaN : unscoredPd);

    // a supplier listed twice in either file is refused by the reader, naming both rows
    Map<String, SupplierScore> scoreBySupplier = new LinkedHashMap<>();
    long row = 0;
    for (SupplierScore s : scoreRows) {
      row++;
      if (!s.grade().equals(defaultGrade) && s.grade().equalsIgnoreCase(defaultGrade)) {
        // grades are matched exactly: 'd' would leave a defaulted facility in stage 1
        throw new io.chainscore.tables.InputFormatException(scores.toString(), row, "grade", "'" + s.grade()
            + "' is not the default grade '" + defaultGrade + "' (grades are matched exactly; give --default-grade "
            + s.grade() + " if that is the scale's name)");
      }
      if (matrix != null && !s.grade().equals(defaultGrade) && !matrix.grades().contains(s.grade())) {
        // its lifetime PDs follow its grade's row of the matrix: without a grade, or with one off the
        // matrix's scale, it has none (until 2026-12-08 refused at the facility, naming the exposures
        // file's row and "grade '8'" in words)
        throw new io.chainscore.tables.InputFormatException(scores.toString(), row, "grade", (s.grade().isEmpty()
            ? "is empty (or the table has no grade column)" : "'" + s.grade() + "' is not a grade of the migration"
                + " matrix") + "; expected the supplier's grade on the matrix's scale " + matrix.grades()
            + " (or --default-grade " + defaultGrade + "), whose row gives its lifetime PDs");
      }
      scoreBySupplier.put(s.supplierId(), s);
    }
    java.util.SortedSet<LocalDate> scoresDates = io.chainscore.batch.io.PortfolioInputs.asOfDates(scores);
    // the PD at initial recognition: each facility's from the first table that lists its supplier
    // (earliest run first), so that a facility recognised after the first run takes the run of the
    // month it was first scored rather than being refused, or staged against last month's PD
    Map<String, Double> originationPds = new LinkedHashMap<>();
    Map<String, Integer> originationTable = new java.util.HashMap<>();
    LocalDate lastOriginationDate = null;
    Path lastDated = null;
    for (int k = 0; k < origination.size(); k++) {
      Path table = origination.get(k);
      java.util.SortedSet<LocalDate> originationDates = io.chainscore.batch.io.PortfolioInputs.asOfDates(table);
      if (!scoresDates.isEmpty() && !originationDates.isEmpty() && originationDates.last().isAfter(scoresDates.first())) {
        // a PD at initial recognition cannot come from a run after this one (a swapped pair of files)
        throw new IllegalArgumentException("--origination " + table + ": its as_of_date "
            + originationDates.last() + " is after this run's " + scoresDates.first() + " (--scores " + scores
            + "); the PDs at initial recognition come from a run on or before it");
      }
      if (!originationDates.isEmpty()) {
        if (lastOriginationDate != null && originationDates.first().isBefore(lastOriginationDate)) {
          // a later table only fills in suppliers the earlier ones lack: out of order, a facility
          // would take a later PD than its first
          throw new IllegalArgumentException("--origination " + table + ": its as_of_date " + originationDates.first()
              + " is before " + lastOriginationDate + " of the --origination before it (" + lastDated
              + "); give the runs earliest first");
        }
        lastOriginationDate = originationDates.last();
        lastDated = table;
      }
      for (SupplierScore s : io.chainscore.batch.io.PortfolioInputs.readScores(table)) {
        if (originationPds.putIfAbsent(s.supplierId(), s.pd()) == null) {
          originationTable.put(s.supplierId(), k);
        }
      }
    }
    Map<String, Integer> dpd = daysPastDue == null ? Map.of() : EclFiles.readDaysPastDue(daysPastDue);
    Map<String, Staging.Stage> previousStages = previousFacilities == null ? null : EclFiles.readStages(previousFacilities);
    List<io.chainscore.portfolio.Exposure> book = io.chainscore.batch.io.PortfolioInputs.readExposures(exposures);
    // a days-past-due row of a supplier with no facility stages nothing: counted and the first named,
    // on stderr and in ecl.json, never dropped unseen (a table of ids spelt otherwise would leave the
    // backstop silent)
    EclFiles.NotInBook dpdNotInBook = EclFiles.notInBook(dpd,
        book.stream().map(io.chainscore.portfolio.Exposure::supplierId).collect(java.util.stream.Collectors.toSet()));
    PortfolioEcl.Result result;
    try {
      result = PortfolioEcl.compute(book, scoreBySupplier, originationPds, dpd, previousStages, options);
    } catch (io.chainscore.portfolio.MissingPdException e) {
      // compute was given the exposures as read, so its index is the exposures file's row; the
      // month can close on a stated PD for unscored suppliers, if the lender's policy says so
      throw io.chainscore.batch.io.PortfolioInputs.missingPd(exposures, e, scores, anchorPds, book,
          scoreBySupplier.keySet(), "or give --unscored-pd PD to measure such facilities at a stated PD");
    } catch (PortfolioEcl.FacilityRefused e) {
      // the exposures were read in order: the facility's index is its row; an origination PD
      // missing is the --origination file's fault, said so, with why that run has no score of the
      // supplier when its quarantines say (a supplier quarantined last month and scored this
      // month), and the exposure's supplier_id named as the column at fault
      if (e.getMessage().contains("origination PD: missing")) {
        String why = null;
        for (int k = 0; k < origination.size() && why == null; k++) {
          why = io.chainscore.batch.io.PortfolioInputs.whyNotScored(origination.get(k), book.get(e.index()).supplierId());
        }
        io.chainscore.tables.InputFormatException refused = new io.chainscore.tables.InputFormatException(
            exposures.toString(), e.index() + 1L, "supplier_id", e.getMessage() + " (no PD in --origination "
                + originationText() + (why == null ? "" : why) + ")");
        refused.initCause(e);
        throw refused;
      }
      if (e.getCause() instanceof io.chainscore.trade.TradeRecordException field) {
        // a field of the exposure itself (maturity_years): named as its column, as the readers do
        io.chainscore.tables.InputFormatException refused = new io.chainscore.tables.InputFormatException(
            exposures.toString(), e.index() + 1L, field.field(), field.problem());
        refused.initCause(e);
        throw refused;
      }
      throw new IllegalArgumentException(exposures + ", row " + (e.index() + 1) + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(exposures + ": " + e.getMessage(), e);
    }

    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("scores", scores.toString());
    opts.put("exposures", exposures.toString());
    opts.put("origination", origination.get(0).toString());
    // the later runs and how many facilities each gave their PD at initial recognition
    List<Map<String, Object>> later = new ArrayList<>();
    long[] fromTable = new long[origination.size()];
    for (io.chainscore.portfolio.Exposure x : book) {
      Integer k = originationTable.get(x.supplierId());
      if (k != null) {
        fromTable[k]++;
      }
    }
    for (int k = 1; k < origination.size(); k++) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("path", origination.get(k).toString());
      run.put("facilities", fromTable[k]);
      later.add(run);
    }
    opts.put("origination_later", later);
    opts.put("previous", previous == null ? null : previous.toString());
    opts.put("days_past_due", daysPastDue == null ? null : daysPastDue.toString());
    Map<String, Object> notInBook = null;
    if (dpdNotInBook != null) {
      notInBook = new LinkedHashMap<>();
      notInBook.put("rows", dpdNotInBook.rows());
      notInBook.put("first_row", dpdNotInBook.firstRow());
      notInBook.put("first_supplier", dpdNotInBook.firstSupplier());
    }
    opts.put("days_past_due_not_in_book", notInBook);
    opts.put("term_structure", matrixSource);
    opts.put("migration_grades", matrix == null ? null : matrix.grades());
    opts.put("anchor_pds", anchorPds == null ? null : anchorPds.toString());
    opts.put("unscored_pd", unscoredPd);
    opts.put("scenarios", scenarioList);
    opts.put("asset_correlation", assetCorrelation);
    opts.put("eir", eir);
    opts.put("sicr_relative", sicrRelative);
    opts.put("sicr_absolute", sicrAbsolute);
    opts.put("dpd_backstop", dpdBackstop);
    opts.put("loss_timing", lossTiming);
    if (timeZone != null) {
      opts.put("time_zone", timeZone.getId());
    }
    opts.put("regime", regime);
    Report report = new Report(opts, result.total(), result.byAnchor(), result.bySector(), result.byAssetClass(),
        result.byProduct(), result.byGrade(), result.transfers().stream().map(StageTransfer::of).toList(),
        result.derecognised());

    // The three files are committed together, ecl.json last, so a folder never mixes two runs.
    OutputFiles.createFolder(out);
    FileSetCommit commit = FileSetCommit.begin(jsonFile, overwrite);
    if (!overwrite) {
      for (Path p : new Path[] {facilitiesFile, jsonFile, htmlFile}) {
        if (Files.exists(p)) {
          throw new FileAlreadyExistsException(p.toString(), null, "already exists; pass --overwrite to replace it");
        }
      }
    }
    try {
      EclFiles.writeFacilities(result.facilities(), commit.stage(facilitiesFile));
      // the files as given (as ecl.json keeps them): two months' scores.csv told apart by their folders
      io.chainscore.reports.EclHtml.write(result, String.format(Locale.ROOT, "%,d %s; scores %s, origination"
          + " PDs %s; %s; EIR %s; %s%s.", result.total().facilities(), facilities(result.total().facilities()), scores, originationText(),
          matrix == null ? "lifetime PDs at a constant hazard" : "lifetime PDs from a migration matrix (" + matrixSource + ")",
          eir, scenarioText(scenarioList), unscoredPd == null ? ""
              : "; a facility whose supplier has no score at the stated PD " + unscoredPd + " (grade 'unscored')"),
          commit.stage(htmlFile));
      Files.writeString(commit.stage(jsonFile), ResultJson.toJson(report));
      commit.commit();
    } catch (IOException | RuntimeException e) {
      commit.abandon();
      throw e;
    }

    if (dpdNotInBook != null) {
      spec.commandLine().getErr().printf(Locale.ROOT, "warning: --days-past-due %s: %,d row%s of %,d name%s a supplier"
          + " with no facility in --exposures %s, left out of the staging (the first: row %d, supplier %s)%n",
          daysPastDue, dpdNotInBook.rows(), dpdNotInBook.rows() == 1 ? "" : "s", dpd.size(),
          dpdNotInBook.rows() == 1 ? "s" : "", exposures, dpdNotInBook.firstRow(),
          io.chainscore.trade.TradeRules.quoted(dpdNotInBook.firstSupplier()));
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(o, report);
      return ExitCodes.SUCCESS;
    }
    PortfolioEcl.Group t = result.total();
    // coverage to three significant digits, as portfolio's EL ratio: a book of short receivables has
    // coverages like 0.0088%, which two decimals showed as 0.01%
    o.printf(Locale.ROOT, "IFRS 9 ECL of %,d %s: %,.0f on EAD %,.0f (coverage %s%%)%n", t.facilities(),
        facilities(t.facilities()), t.ecl(), t.ead(), PortfolioSummaryText.threeDigits(100 * t.coverage()));
    for (int s = 0; s < 3; s++) {
      o.printf(Locale.ROOT, "  stage %d: %,7d facilities, EAD %,18.0f, ECL %,14.0f%n", s + 1, t.facilitiesByStage()[s],
          t.eadByStage()[s], t.eclByStage()[s]);
    }
    for (PortfolioEcl.Group g : result.byGrade()) {
      if (g.key().equals(io.chainscore.portfolio.ObligorPd.UNSCORED_GRADE)) {
        o.printf(Locale.ROOT, "  %,d %s without a score measured at --unscored-pd %s (grade '%s'): EAD %,.0f, ECL %,.0f%n",
            g.facilities(), facilities(g.facilities()), unscoredPd, g.key(), g.ead(), g.ecl());
      }
    }
    for (Map<String, Object> run : later) {
      long n = (Long) run.get("facilities");
      if (n > 0) {
        o.printf(Locale.ROOT, "  %,d %s with the PD at initial recognition of the later --origination %s%n", n,
            facilities(n), run.get("path"));
      }
    }
    if (previousStages != null) {
      long in = 0;
      long out2 = 0;
      for (PortfolioEcl.Transfer x : result.transfers()) {
        if (x.from() != null && x.from().ordinal() < x.to().ordinal()) {
          in += x.facilities();
        } else if (x.from() != null && x.from().ordinal() > x.to().ordinal()) {
          out2 += x.facilities();
        }
      }
      o.printf(Locale.ROOT, "Since the previous run: %,d facilities moved to a higher stage, %,d to a lower one;"
          + " %,d derecognised%n", in, out2, result.derecognised());
    }
    o.println("Wrote " + facilitiesFile + ", " + jsonFile + " and " + htmlFile);
    return ExitCodes.SUCCESS;
  }

  /** The --origination tables as given, comma-separated, for messages and the report's subtitle. */
  private String originationText() {
    return origination.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "));
  }

  /** "facility" or "facilities", as {@code n} needs. */
  private static String facilities(long n) {
    return n == 1 ? "facility" : "facilities";
  }

  /** Runs {@code check}, prefixing its refusal with the option and value given. */
  private static void checkOption(String optionAndValue, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(optionAndValue + ": " + e.getMessage(), e);
    }
  }
}
