package io.chainscore.cli;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.engine.BatchResult;
import io.chainscore.batch.engine.OutputLock;
import io.chainscore.batch.engine.RunManifest;
import io.chainscore.batch.io.FileIdentity;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore score}: score a feature table with a model bundle on the batch engine. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score a feature table with a model bundle.",
      "Writes supplier_id, as_of_date, score, pd, grade, reason_1..4 (with --reasons statements also reason_1_text..reason_4_text), model_id and model_version (and, for a segmented bundle, segment: the segment whose scorecard scored the row) per supplier in input order; unusable rows go to the quarantine file with the reason.",
      "Input and output formats follow the extensions: .csv, .arrow, .arrows, .parquet."
    })
final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--challenger", paramLabel = "FILE|NAME", description = "A challenger model (bundle file or"
      + " bundled name) scored on the same rows in the same pass: the table gets challenger_score, challenger_pd,"
      + " challenger_grade, challenger_reason_1..4, challenger_model_id and challenger_model_version (and"
      + " challenger_segment for a segmented challenger) after the champion's columns (empty on rows only the challenger refuses), the summary compares the two, and chainscore"
      + " monitor compares them run by run (docs/monitoring.md). The --model stays the champion: its refusals are"
      + " quarantined.")
  Path challenger;

  @Option(names = "--features", paramLabel = "FILE", description = "Feature table to score (chainscore features):"
      + " supplier_id, as_of_date and one column per model feature; CSV, Arrow IPC or Parquet.")
  Path input;

  @Option(names = "--id-column", paramLabel = "COLUMN", description = "With --features: the column that identifies"
      + " each row, when it is not supplier_id (a loan number, an application id); its values are written as the"
      + " score table's supplier_id, so that portfolio, ecl and monitor read the scores as they read any, and each"
      + " must appear once. Found as every column is: by its name, else by its snake_case spelling.")
  String idColumn;

  /** The name this option had before the flag convention (README, "Command line"); still accepted. */
  @Option(names = "--input", hidden = true, paramLabel = "FILE")
  void legacyInput(Path file) {
    input = file;
  }

  @Option(names = "--transactions", description = "Portfolio directory of raw tables instead of --features: features are"
      + " computed as of --as-of first (kept as <out base>.features.arrow), then scored.")
  Path transactions;

  @Option(names = "--no-duplicate-check", description = "With --transactions: skip the invoice-id duplicate check.")
  boolean noDuplicateCheck;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "With --transactions: read date columns stored as"
      + " instants (timestamps with a time zone) as their dates in ZONE, e.g. UTC or Europe/Berlin; without it such a"
      + " column is refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--out", required = true, description = "Score table to write.")
  Path out;

  @Option(names = "--as-of", required = true, description = "As-of date stamped on every score, YYYY-MM-DD.")
  LocalDate asOf;

  @Option(names = "--quarantine-out", paramLabel = "FILE",
      description = "Where to write the quarantine table (default: <out base>.quarantine.csv).")
  Path quarantine;

  @Option(names = "--manifest-out", paramLabel = "FILE",
      description = "Where to write the run manifest JSON (default: <out>.manifest.json).")
  Path manifest;

  /** The name --quarantine-out had before the flag convention; still accepted. */
  @Option(names = "--quarantine", hidden = true, paramLabel = "FILE")
  void legacyQuarantine(Path file) {
    quarantine = file;
  }

  /** The name --manifest-out had before the flag convention; still accepted. */
  @Option(names = "--manifest", hidden = true, paramLabel = "FILE")
  void legacyManifest(Path file) {
    manifest = file;
  }

  @Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0 = all cores.")
  int threads;

  @Option(names = "--chunk-rows", description = "Rows per chunk (default 16384; a checkpoint every 16 chunks by"
      + " default, every 4 when this is given).")
  Integer chunkRows;

  @Option(names = "--max-bad-rows", defaultValue = "-1", description = "Stop when more rows are quarantined (with --transactions, the refused transaction rows count too); -1 = no limit.")
  long maxBadRows;

  @Option(names = "--resume", description = "Continue an interrupted run from its last checkpoint (or finish its"
      + " commit); after a finished run of the same model, options and unchanged inputs, report it done.")
  boolean resume;

  @Option(names = "--overwrite", description = "Replace existing results (and discard an interrupted run).")
  boolean overwrite;

  @Option(names = "--exposures", description = "Exposures table (docs/portfolio-risk.md; CSV, Arrow IPC or Parquet) to weight the summary by EAD.")
  Path exposures;

  @Option(names = "--baseline", description = "Directory of a previous score run (or, where it holds several, the run's"
      + " manifest): adds PSI, CSI, grade migration and the largest moves.")
  Path baseline;

  @Option(names = "--restamp-as-of", description = "Stamp --as-of on features whose as_of_date is another date,"
      + " or that have no as_of_date column (without it such a table is refused).")
  boolean restampAsOf;

  @Option(names = "--reasons", defaultValue = "codes", paramLabel = "codes|statements|none",
      description = "What the reason columns hold: codes (the default) writes reason_1..reason_4; statements also"
          + " writes reason_1_text..reason_4_text, each code's customer-facing statement from the bundle, after them;"
          + " none leaves the reason columns empty and skips computing reason codes. A --resume must use the same value.")
  String reasons;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--json", description = "Print the run summary as JSON.")
  boolean json;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  /** The run's output entries, with the quarantine of refused transaction rows when there is one. */
  private List<RunManifest.FileEntry> outputs(RunManifest.FileEntry... entries) throws IOException {
    List<RunManifest.FileEntry> all = new java.util.ArrayList<>(List.of(entries));
    if (transactionQuarantine != null) {
      all.add(entry(transactionQuarantine, stagedTransactionQuarantine));
    }
    return all;
  }

  /** Transaction rows refused while computing the features of --transactions, and where they went. */
  private int transactionRowsRefused;
  /** With --transactions: the trade tables read, hashed on a thread of their own. */
  private RunManifest.InputHashes transactionTables;
  private Path transactionQuarantine;
  /** With --transactions: the refused transaction rows by table, for the manifest. */
  private Map<String, Long> transactionRowsRefusedByTable = Map.of();
  /** With --transactions: each trade table's data rows read, good and bad, for the manifest. */
  private Map<String, Long> transactionRowsReadByTable = Map.of();
  /** With --transactions: where the feature table and the refused rows go when the run commits. */
  private Path featuresTarget;
  private Path stagedTransactionQuarantine;
  /** The threads the run uses (--threads, or one per core). */
  private int workers;
  /** The --baseline run compared, verified against its manifest; null without one. */
  private BaselineRun baselineRun;

  /** Where a --transactions run puts a file of its own beside --out: the out name's base plus {@code suffix}. */
  private Path transactionRunFile(String suffix) {
    return BatchJob.sideFile(out, suffix);
  }

  /**
   * Computes the standard features of the portfolio in --transactions into a table beside --out
   * ({@code OUT_BASE.features.arrow}), and quarantines the refused transaction rows beside it
   * ({@code OUT_BASE.quarantine-transactions.csv}, the columns of {@code chainscore features}'
   * quarantine), so the run exits 3 instead of losing them.
   *
   * <p>Both are written under their staged names ({@link BatchJob.Staging#stagedName}) and
   * committed with the scores, before the manifest: until then an earlier result, and the manifest
   * that vouches for it, stay as they were, whether this run finishes, stops or is killed.
   *
   * @return the feature table to score (its staged name, or where an interrupted commit left it)
   */
  private Path featuresFromTransactions(Path manifestPath) throws IOException {
    featuresTarget = transactionRunFile(".features.arrow");
    transactionQuarantine = transactionRunFile(".quarantine-transactions.csv");
    Path stagedFeatures = BatchJob.Staging.stagedName(featuresTarget);
    stagedTransactionQuarantine = BatchJob.Staging.stagedName(transactionQuarantine);
    if (resume && BatchJob.hasInterruptedCommit(out)) {
      // the interrupted run's features and refusals are part of what its commit finishes: they
      // are not computed again (from whatever the inputs are now) but taken as that run left them,
      // staged or already renamed
      Path refused = Files.exists(stagedTransactionQuarantine) ? stagedTransactionQuarantine : transactionQuarantine;
      if (Files.exists(refused)) {
        // for the exit code and the console; the manifest, counts included, was written before the commit
        try (var lines = Files.lines(refused)) {
          transactionRowsRefused = (int) Math.max(0, lines.count() - 1);
        }
      }
      return Files.exists(stagedFeatures) ? stagedFeatures : featuresTarget;
    }
    boolean interrupted = BatchJob.hasInterruptedCommit(out) || Files.exists(BatchJob.checkpointPath(out));
    if (interrupted && !resume && !overwrite) {
      throw new java.nio.file.FileAlreadyExistsException(out.toString(), null,
          "was left by an interrupted run; pass --resume to continue it or --overwrite to start again");
    }
    // what a run stopped by its bad-row limit (or one of an earlier version killed early) left: no
    // manifest vouches for it and nothing can resume it, so a new run replaces it
    boolean leftover = !Files.exists(manifestPath) && !Files.exists(out) && !interrupted;
    for (Path p : new Path[] {featuresTarget, transactionQuarantine}) {
      if (Files.exists(p) && !overwrite && !(resume && interrupted) && !leftover) {
        throw new java.nio.file.FileAlreadyExistsException(p.toString(), null, "already exists; pass --overwrite to replace it");
      }
    }
    if (overwrite) {
      // before the features are staged: discarding an interrupted commit deletes its staged files
      BatchJob.discardInterruptedCommit(out);
    }
    java.util.List<io.chainscore.features.engine.BadRecord> bad = new java.util.ArrayList<>();
    // the trade tables read, for the manifest: hashed while the features are computed
    transactionTables = RunManifest.InputHashes.start(io.chainscore.batch.features.PortfolioFeatures.tables(transactions));
    io.chainscore.batch.features.PortfolioFeatures.Result result;
    try {
      result = io.chainscore.batch.features.PortfolioFeatures.compute(
          transactions, new io.chainscore.batch.features.PortfolioFeatures.Options(asOf, workers, !noDuplicateCheck,
              io.chainscore.batch.features.PortfolioFeatures.DEFAULT_REGIONS, timeZone), bad::add, null, clock);
    } catch (IOException | RuntimeException e) {
      transactionTables.cancel();
      throw e;
    }
    if (maxBadRows >= 0 && bad.size() > maxBadRows) {
      // the refused transaction rows count against the limit as the scoring's own do: their
      // quarantine is written to be read, and nothing is scored (nor a feature table left)
      transactionTables.cancel();
      Files.deleteIfExists(stagedFeatures);
      Path stopped = stoppedTransactionQuarantine();
      Files.deleteIfExists(stopped);
      io.chainscore.batch.features.PortfolioFeatures.writeQuarantine(bad, stopped);
      throw new io.chainscore.batch.engine.TooManyBadRowsException(maxBadRows, bad.size(),
          bad.get(bad.size() - 1).message() + " (the refused transaction rows are in " + stopped + ")");
    }
    Files.deleteIfExists(stagedFeatures);
    io.chainscore.batch.features.PortfolioFeatures.write(result, asOf, stagedFeatures);
    Files.deleteIfExists(stagedTransactionQuarantine);
    io.chainscore.batch.features.PortfolioFeatures.writeQuarantine(bad, stagedTransactionQuarantine);
    transactionRowsRefused = bad.size();
    transactionRowsReadByTable = io.chainscore.batch.features.PortfolioFeatures.readByTable(result);
    transactionRowsRefusedByTable = io.chainscore.batch.features.PortfolioFeatures.refusedByTable(bad);
    clock.end("features_write");
    if (!bad.isEmpty()) {
      spec.commandLine().getErr().printf("score: %,d transaction rows were refused and left out of the features: %s%n",
          bad.size(), transactionQuarantine);
    }
    return stagedFeatures;
  }

  /**
   * Where a run stopped by its bad-row limit leaves the refused transaction rows: their own place,
   * or beside it when an earlier result is there (whose manifest lists the file at that place),
   * as the scoring's quarantine ({@link BatchJob#stoppedQuarantine}).
   */
  private Path stoppedTransactionQuarantine() {
    return Files.exists(out) ? BatchJob.stoppedQuarantine(transactionQuarantine) : transactionQuarantine;
  }

  /**
   * After a --transactions run that did not commit: a stop by the bad-row limit leaves the refused
   * transaction rows to read, as the scoring's quarantine is left; the staged feature table goes,
   * and so does everything staged when nothing can resume the run (a resumable one keeps them: the
   * resume writes them again).
   *
   * @return where a stopped run's refused transaction rows are
   */
  private Path afterUncommittedRun(boolean stoppedByLimit) throws IOException {
    Path stagedFeatures = BatchJob.Staging.stagedName(featuresTarget);
    Path stopped = stoppedTransactionQuarantine();
    if (stoppedByLimit && Files.exists(stagedTransactionQuarantine)) {
      Files.move(stagedTransactionQuarantine, stopped, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    boolean resumable = BatchJob.hasInterruptedCommit(out) || Files.exists(BatchJob.checkpointPath(out));
    if (stoppedByLimit || !resumable) {
      Files.deleteIfExists(stagedFeatures);
      Files.deleteIfExists(stagedTransactionQuarantine);
    }
    return stopped;
  }

  @Override
  public Integer call() throws Exception {
    workers = ThreadOption.resolve(spec, threads);   // refused before any work
    if (maxBadRows < -1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-bad-rows: expected -1 (no limit)"
          + " or a count of 0 or more, got " + maxBadRows);
    }
    Instant started = Instant.now();
    reasonColumns = switch (reasons) {
      case "codes" -> FeatureTableScoring.Reasons.CODES;
      case "statements" -> FeatureTableScoring.Reasons.STATEMENTS;
      case "none" -> FeatureTableScoring.Reasons.NONE;
      default -> throw new IllegalArgumentException("--reasons " + reasons + ": expected codes, statements or none");
    };
    if ((input == null) == (transactions == null)) {
      throw new IllegalArgumentException("give either --features (a feature table) or --transactions (a portfolio directory)");
    }
    if (idColumn != null && transactions != null) {
      throw new IllegalArgumentException("--id-column names the id column of a --features table; the features"
          + " computed from --transactions are identified by supplier_id");
    }
    if (timeZone != null && transactions == null) {
      throw new IllegalArgumentException("--time-zone reads the dates of --transactions; a feature table has none");
    }
    if (noDuplicateCheck && transactions == null) {
      // until 2026-12-07 accepted and ignored
      throw new IllegalArgumentException("--no-duplicate-check skips the invoice check of --transactions; a feature"
          + " table has no invoices");
    }
    // a folder, a format, a folder that cannot be written: refused before the lock and any work
    OutputFiles.refuseAsRunOutputs(tableOutputs(), otherOutputs());
    // One run per output at a time: the lock is held until every file of the run is committed.
    return OutputFiles.inDirectoryOf(out, () -> {
      // and the side files another output of the same base name shares (s.csv and s.arrow:
      // s.quarantine.csv, and with --transactions s.features.arrow and its refused rows)
      List<Path> shared = new java.util.ArrayList<>(List.of(out, quarantinePath()));
      if (transactions != null) {
        shared.add(transactionRunFile(".features.arrow"));
        shared.add(transactionRunFile(".quarantine-transactions.csv"));
      }
      try (AutoCloseable lock = OutputLock.acquireAll(shared, "chainscore score")) {
        return run(started);
      }
    });
  }

  /** The --reasons value as the scoring processor takes it. */
  private FeatureTableScoring.Reasons reasonColumns;

  /** The run's phases, timed into its manifest. */
  private final RunManifest.PhaseClock clock = new RunManifest.PhaseClock();

  private Integer run(Instant started) throws IOException, ModelFormatException {
    ModelBundle bundle = trust.load(model);
    // Everything that can refuse the run is checked before the first row is scored.
    baselineRun = baseline == null ? null : BaselineRun.of(baseline);
    boolean bundled = model == null || !java.nio.file.Files.exists(model);
    boolean challengerFile = challenger != null && java.nio.file.Files.exists(challenger);
    // no output over an input or over another output (the baseline's files are known now)
    List<OutputFiles.RunFile> outputs = new java.util.ArrayList<>(tableOutputs());
    outputs.addAll(otherOutputs());
    OutputFiles.refuseClashes(inputFiles(bundled, challengerFile, false), outputs);
    Map<String, Double> ead = null;
    if (exposures != null) {
      ead = new java.util.HashMap<>();
      for (io.chainscore.portfolio.Exposure e : io.chainscore.batch.io.PortfolioInputs.readExposures(exposures)) {
        ead.put(e.supplierId(), e.ead());
      }
    }
    clock.end("model_and_options");
    Path manifestPath = manifestPath();
    Path summaryPath = summaryPath();
    ModelBundle challengerBundle = challenger == null ? null : trust.load(challenger, "--challenger");
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("as_of", asOf.toString());
    int rowsPerChunk = chunkRows != null ? chunkRows : FeatureTableScoring.DEFAULT_CHUNK_ROWS;
    options.put("chunk_rows", rowsPerChunk);
    options.put("max_bad_rows", maxBadRows);
    // in the run's fingerprint too: a --resume with other reason columns is refused
    options.put("reasons", reasonColumns.optionValue());
    if (restampAsOf) {
      options.put("restamp_as_of", true);
    }
    if (timeZone != null) {
      options.put("time_zone", timeZone.getId());
    }
    if (transactions != null) {
      options.put("duplicate_check", !noDuplicateCheck);
    }
    if (idColumn != null) {
      // in the run's fingerprint too, and read back by a later --baseline or monitor for its CSI
      options.put("id_column", idColumn);
    }
    Map<String, String> modelInfo = new LinkedHashMap<>();
    modelInfo.put("id", bundle.modelId());
    modelInfo.put("version", bundle.modelVersion());
    modelInfo.put("sha256", bundle.sha256());
    modelInfo.put("file", bundled ? "bundled:" + bundle.modelId() : model.toString());
    // which trusted key's signature was checked (--trust), so the run says who vouched for its model
    modelInfo.put("signature_key_id", bundle.signatureKeyId().orElse("none"));
    if (challengerBundle != null) {
      // in the run's fingerprint too: a --resume with another challenger (or none) is refused
      options.put("challenger", challengerBundle.modelId() + "@" + challengerBundle.modelVersion() + "#"
          + challengerBundle.sha256());
      modelInfo.put("challenger_id", challengerBundle.modelId());
      modelInfo.put("challenger_version", challengerBundle.modelVersion());
      modelInfo.put("challenger_sha256", challengerBundle.sha256());
      modelInfo.put("challenger_file", challengerFile ? challenger.toString() : "bundled:" + challengerBundle.modelId());
      modelInfo.put("challenger_signature_key_id", challengerBundle.signatureKeyId().orElse("none"));
    }
    // what --resume can continue: a run interrupted while scoring (its checkpoint) or committing
    // (its journal); a --resume that finds neither is a fresh run, and makes every check one makes
    boolean interrupted = BatchJob.hasInterruptedCommit(out) || Files.exists(BatchJob.checkpointPath(out));
    if (resume && Files.exists(out) && !interrupted) {
      // a rerun of a nightly script that always passes --resume, after a run that finished: done
      // when it is this run, unchanged; otherwise refused, or with --overwrite too ("resume what
      // can be, else start again") run again (until 2026-12-07 --overwrite ran even this run again)
      String whyNot = whyNotThisFinishedRun(manifestPath, options, modelInfo, namedInputs(bundled, challengerFile));
      if (whyNot == null) {
        return reportFinishedRun(manifestPath, summaryPath);
      }
      if (!overwrite) {
        throw new java.nio.file.FileAlreadyExistsException(out.toString(), null, whyNot);
      }
    }
    if (!overwrite && !interrupted) {
      // a side file another run wrote is not replaced unasked, as features refuses it: s.csv and
      // s.arrow share s.quarantine.csv (and, with --transactions, s.features.arrow and
      // s.quarantine-transactions.csv), and the other run's manifest would then vouch for bytes
      // no longer there (an interrupted run's files are the engine's to resume or refuse)
      if (manifest != null && Files.exists(manifest)) {
        // a file the user named is not replaced unasked, whatever it holds (a --resume of this
        // output's run, interrupted or finished, is the way to keep its manifest)
        throw OutputFiles.alreadyExists(manifest, null);
      }
      List<Path> sideFiles = new java.util.ArrayList<>(List.of(quarantinePath(), summaryPath, manifestPath));
      if (transactions != null) {
        sideFiles.add(transactionRunFile(".features.arrow"));
        sideFiles.add(transactionRunFile(".quarantine-transactions.csv"));
      }
      for (Path side : sideFiles) {
        Path owner = Files.exists(side) ? OutputFiles.otherRunListing(side, manifestPath, out) : null;
        if (owner != null) {
          throw OutputFiles.alreadyExists(side, owner);
        }
      }
    }
    Path namedInput = transactions != null ? transactions : input;
    if (transactions != null) {
      input = featuresFromTransactions(manifestPath);
    }
    InputFiles.requireReadableFile(input, "--features");
    if (transactions == null) {
      TableColumns.requireRowIds(input, idColumn);
    }
    String rowIds = idColumn != null ? idColumn : FeatureTableScoring.ID_COLUMN;
    if (transactions == null && !(resume && interrupted) && !TableColumns.hasDataRows(input, rowIds)) {
      // nothing to score is a mistake, not a run: its summary's figures would all be NaN
      throw new io.chainscore.tables.InputFormatException(input.toString(), -1, null,
          "no data rows; expected one row per supplier to score after the header");
    }
    boolean stamped = TableColumns.has(input, "as_of_date");
    // messages name the feature table where the user will find it (not its staged name)
    Path inputName = featuresTarget != null ? featuresTarget : input;
    // a table without as_of_date is read with it all the same, and so refused naming the column
    // (it would be stamped --as-of unchecked), unless --restamp-as-of asks for that stamp
    FeatureTableScoring processor = new FeatureTableScoring(bundle, asOf,
        stamped || !restampAsOf ? inputName.toString() : null, !restampAsOf, reasonColumns, challengerBundle, rowIds);
    Progress progress = quiet || json ? null : new Progress(spec.commandLine().getErr(), "score", -1);
    Map<String, Double> exposureBySupplier = ead;
    @SuppressWarnings("unchecked")
    Map<String, Object>[] summaryHolder = new Map[1];
    // the quarantined rows by the column at fault, counted from the committed quarantine (a resumed
    // run's holds the rows of the run it resumed too)
    @SuppressWarnings("unchecked")
    Map<String, Long>[] quarantinedByColumn = new Map[] {Map.of()};
    // the summary's rows as they are written: a fresh run's summary needs no read-back of its table
    io.chainscore.batch.scoring.ScoreSummary.Rows scoredRows = new io.chainscore.batch.scoring.ScoreSummary.Rows();
    BatchJob.Builder job = BatchJob.builder()
        .input(input, processor.inputSchema())
        .processor(processor)
        .output(out)
        .threads(workers)
        .chunkRows(rowsPerChunk)
        // the transaction rows refused count against the limit too
        .maxBadRows(maxBadRows < 0 ? maxBadRows : maxBadRows - transactionRowsRefused)
        .resume(resume)
        .overwrite(overwrite)
        .progress(progress == null ? null : progress::update)
        // the input named too: a resume that only finishes an interrupted commit reads no input,
        // and must still be the run it finishes (the checkpoint's fingerprint hashes the input's bytes);
        // named as the file system resolves it, so that the run's own input given through a link is its own
        .jobFingerprint(bundle.modelId() + "@" + bundle.modelVersion() + "#" + bundle.sha256() + " " + options
            + " input=" + io.chainscore.batch.io.FileIdentity.canonical(namedInput))
        .outputObserver(scoredRows)
        // one row per supplier: a repeat is quarantined, the first row scored
        .uniqueKey(rowIds)
        .commitHook((staged, staging) -> {
          // The summary and the manifest are written before anything is renamed and committed with
          // the scores as one unit, the manifest last.
          clock.end("score");
          // a resumed run wrote only the rows after its checkpoint: its summary reads the whole table
          io.chainscore.batch.scoring.ScoreSummary.Rows rows = staged.resumedFromRow() == 0 ? scoredRows
              : io.chainscore.batch.scoring.ScoreSummary.Rows.read(staged.output());
          Map<String, Object> summary = io.chainscore.batch.scoring.ScoreSummary.build(rows,
              exposureBySupplier, bundle, new io.chainscore.batch.scoring.FeatureRows.Table(input, rowIds),
              baselineRun == null ? null : baselineRun.scores(),
              baselineRun == null ? null : baselineRun.features(),
              baselineRun == null ? null : baselineRun.modelSha256());
          // earlier runs' manifests of these scores under other names: retired below, and not
          // "another run" when a file of theirs is kept or superseded
          List<Path> earlierManifests = earlierManifestsOf(out, manifestPath);
          if (featuresTarget != null) {
            // the feature table scored and the refused transaction rows, written staged before the
            // run, are committed with the scores; a stopped attempt's refused rows are superseded
            staging.stage(featuresTarget);
            staging.stage(transactionQuarantine);
            staging.supersede(BatchJob.stoppedQuarantine(transactionQuarantine));
          } else {
            // a --features run over an earlier --transactions run's result: that run's feature
            // table and refused rows are not this result's, and no manifest lists them any more
            // (left beside the new scores until 2026-12-05); the table scored now is kept, and so
            // are those another run of the same base name lists (s.arrow's --transactions run
            // shares them with s.csv's: until 2026-12-07 they were deleted, and that run's
            // manifest, true until then, with them)
            Path features = transactionRunFile(".features.arrow");
            Path refused = transactionRunFile(".quarantine-transactions.csv");
            java.util.Set<Path> earlierSeals = new java.util.HashSet<>(List.of(FileIdentity.canonical(manifestPath)));
            for (Path earlier : earlierManifests) {
              earlierSeals.add(FileIdentity.canonical(earlier));
            }
            for (Path earlier : new Path[] {features, refused, BatchJob.stoppedQuarantine(refused)}) {
              if (Files.exists(earlier) && !Files.isSameFile(earlier, input)
                  && !OutputFiles.listedByAnother(earlier, earlierSeals)) {
                staging.supersede(earlier);
              }
            }
          }
          List<Path> replaced = new java.util.ArrayList<>(List.of(manifestPath));
          for (Path earlier : earlierManifests) {
            staging.retire(earlier);
            replaced.add(earlier);
          }
          if (overwrite || Files.exists(out)) {
            // replacing a result (--overwrite, now or in the interrupted run resumed): what that
            // run wrote that this one does not (its quarantine at another path) would be left
            // beside the new scores, its manifest gone, vouched for by none
            for (Path earlier : earlierOutputsNotRewritten(replaced, bundled, challengerFile)) {
              staging.supersede(earlier);
            }
          }
          Path stagedSummary = staging.stage(summaryPath);
          io.chainscore.batch.scoring.ScoreSummary.write(summary, stagedSummary);
          summaryHolder[0] = summary;
          clock.end("summary");
          List<RunManifest.FileEntry> inputsRead = inputs(bundled, challengerFile);
          List<RunManifest.FileEntry> written = outputs(entry(out, staged.output()),
              entry(quarantinePath(), staged.quarantine()), entry(summaryPath, stagedSummary));
          // SHA-256 of the files read and written.
          clock.end("fingerprint");
          quarantinedByColumn[0] = BatchJob.quarantinedByColumn(staged.quarantine());
          Map<String, Long> manifestRows = new LinkedHashMap<>(manifestRows(RunManifest.rows(staged)));
          quarantinedByColumn[0].forEach((column, n) -> manifestRows.put(quarantinedKey(column), n));
          RunManifest runManifest = new RunManifest(ChainScoreCli.versionText(), "score", started, Instant.now(),
              clock.elapsedSeconds(), staged.threads(), inputsRead, modelInfo, options, written,
              manifestRows).withPhases(clock.phases());
          runManifest.write(staging.stage(manifestPath));
        });
    if (chunkRows == null) {
      // the default chunks, smaller than the engine's, checkpoint as often in rows as its default
      job.checkpointEvery(FeatureTableScoring.DEFAULT_CHECKPOINT_CHUNKS);
    }
    if (quarantine != null) {
      job.quarantine(quarantine);
    }
    BatchResult result;
    try {
      result = job.build().run();
    } catch (io.chainscore.batch.engine.TooManyBadRowsException e) {
      if (featuresTarget == null) {
        throw e;
      }
      Path refused = afterUncommittedRun(true);
      if (transactionRowsRefused == 0) {
        throw e;
      }
      // the scoring was given what the transaction rows left of the limit: say the user's limit
      throw new io.chainscore.batch.engine.TooManyBadRowsException(maxBadRows, e.seen() + transactionRowsRefused,
          e.lastReason() + " (" + transactionRowsRefused + " of them refused transaction rows, in " + refused + ")");
    } catch (IOException | RuntimeException e) {
      if (featuresTarget != null) {
        afterUncommittedRun(false);
      }
      throw e;
    }
    if (progress != null) {
      progress.finish(result.rowsRead());
    }
    PrintWriter o = spec.commandLine().getOut();
    if (quarantinedByColumn[0].isEmpty() && result.rowsQuarantined() > 0) {
      // a run whose commit this call only completed: its quarantine is committed, counted here
      quarantinedByColumn[0] = BatchJob.quarantinedByColumn(result.quarantine());
    }
    Map<String, Long> byColumn = quarantinedByColumn[0];
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("output", result.output().toString());
      j.put("quarantine", result.quarantine().toString());
      j.put("manifest", manifestPath.toString());
      j.put("summary", summaryPath.toString());
      j.put("rows", RunManifest.rows(result));
      j.put("quarantined_by_column", byColumn);
      j.put("transaction_rows_quarantined", transactionRowsRefused);
      j.put("seconds", clock.elapsedSeconds());
      JsonOutput.print(o, j);
    } else if (result.recovered()) {
      o.printf("Completed the commit of an interrupted run: %,d suppliers scored: %s%n", result.rowsWritten(),
          result.output());
      o.println("Manifest: " + manifestPath + "; summary: " + summaryPath);
    } else {
      o.printf("Scored %,d suppliers with %s %s in %.2f s (%d %s): %s%n", result.rowsWritten(),
          bundle.modelId(), bundle.modelVersion(), clock.elapsedSeconds(), result.threads(),
          result.threads() == 1 ? "thread" : "threads", result.output());
      if (result.resumedFromRow() > 0) {
        o.printf("Resumed after input row %,d.%n", result.resumedFromRow());
      }
      if (result.rowsQuarantined() > 0) {
        StringBuilder counts = new StringBuilder();
        byColumn.forEach((column, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(column).append(' ')
            .append(String.format(java.util.Locale.ROOT, "%,d", n)));
        o.printf("Quarantined %,d rows: %s%s%n", result.rowsQuarantined(), result.quarantine(),
            counts.length() == 0 ? "" : " (by column: " + counts + ")");
      }
      o.print(io.chainscore.batch.scoring.ScoreSummary.text(summaryHolder[0]));
      o.println("Manifest: " + manifestPath + "; summary: " + summaryPath);
    }
    return result.rowsQuarantined() > 0 || transactionRowsRefused > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
  }

  /**
   * The files a run reads, as the manifest names them, in its order: with --transactions the trade
   * tables and then the feature table computed from them (under its committed name), else the
   * feature table; the model and challenger files that are not bundled; what else shaped the
   * results (the exposures weighting the summary, the baseline run's scores and features compared).
   */
  private List<Path> namedInputs(boolean bundled, boolean challengerFile) throws IOException {
    return inputFiles(bundled, challengerFile, true).stream().map(OutputFiles.RunFile::path).toList();
  }

  /**
   * {@link #namedInputs}, each with the words that name it; {@code computed}: with the feature
   * table a --transactions run computes (an output of the run too, so not among the files its
   * outputs are checked against).
   */
  private List<OutputFiles.RunFile> inputFiles(boolean bundled, boolean challengerFile, boolean computed)
      throws IOException {
    List<OutputFiles.RunFile> in = new java.util.ArrayList<>();
    if (transactions != null) {
      for (Path table : io.chainscore.batch.features.PortfolioFeatures.tables(transactions)) {
        in.add(OutputFiles.RunFile.inside("--transactions", transactions, "table", table));
      }
      if (computed) {
        in.add(OutputFiles.RunFile.derived("the feature table", transactionRunFile(".features.arrow")));
      }
    } else {
      in.add(OutputFiles.RunFile.option("--features", input, null));
    }
    if (!bundled) {
      in.add(OutputFiles.RunFile.option("--model", model, null));
    }
    if (challengerFile) {
      in.add(OutputFiles.RunFile.option("--challenger", challenger, null));
    }
    if (exposures != null) {
      in.add(OutputFiles.RunFile.option("--exposures", exposures, null));
    }
    if (baselineRun != null) {
      // a Spark run's scores are a directory of part files: each is read, so each is listed
      for (Path scores : io.chainscore.batch.io.TableReader.files(baselineRun.scores())) {
        in.add(OutputFiles.RunFile.inside("--baseline", baseline, "scores", scores));
      }
      if (baselineRun.features() != null) {
        in.add(OutputFiles.RunFile.inside("--baseline", baseline, "features", baselineRun.features().file()));
      }
    }
    return in;
  }

  /** The tables the run writes: --out, the quarantine, and with --transactions the feature table computed. */
  private List<OutputFiles.RunFile> tableOutputs() {
    List<OutputFiles.RunFile> tables = new java.util.ArrayList<>(List.of(
        OutputFiles.RunFile.option("--out", out, "scores.csv"),
        OutputFiles.RunFile.either("--quarantine-out", quarantine, "quarantine.csv", "the quarantine", quarantinePath())));
    if (transactions != null) {
      tables.add(OutputFiles.RunFile.derived("the feature table", transactionRunFile(".features.arrow")));
    }
    return tables;
  }

  /** The run's other files: the summary, the manifest, and with --transactions the refused transaction rows. */
  private List<OutputFiles.RunFile> otherOutputs() {
    List<OutputFiles.RunFile> files = new java.util.ArrayList<>(List.of(
        OutputFiles.RunFile.derived("the summary", summaryPath()),
        OutputFiles.RunFile.either("--manifest-out", manifest, "manifest.json", "the manifest", manifestPath())));
    if (transactions != null) {
      files.add(OutputFiles.RunFile.derived("the refused transaction rows",
          transactionRunFile(".quarantine-transactions.csv")));
    }
    return files;
  }

  private Path manifestPath() {
    return manifest != null ? manifest : out.resolveSibling(out.getFileName() + ".manifest.json");
  }

  private Path summaryPath() {
    return out.resolveSibling(out.getFileName() + ".summary.json");
  }

  /** The run's input files ({@link #namedInputs}) with their sizes and SHA-256. */
  private List<RunManifest.FileEntry> inputs(boolean bundled, boolean challengerFile) throws IOException {
    List<RunManifest.FileEntry> in = new java.util.ArrayList<>();
    List<Path> named = namedInputs(bundled, challengerFile);
    int tables = 0;
    if (transactionTables != null) {
      // hashed while the features were computed
      List<RunManifest.FileEntry> hashed = transactionTables.get();
      in.addAll(hashed);
      tables = hashed.size();
    }
    for (Path p : named.subList(tables, named.size())) {
      // the feature table computed is hashed from its staged copy, not yet renamed
      in.add(p.equals(featuresTarget) ? entry(featuresTarget, input) : RunManifest.FileEntry.of(p));
    }
    return in;
  }

  /**
   * {@code --resume} over an output a finished run left (no checkpoint, no interrupted commit):
   * null when there is nothing to do, its manifest recording this model, these options and these
   * input files, the inputs and the run's files still the bytes it lists; otherwise why the output
   * is not this run's to resume, naming what differs (the caller refuses it, exit 2, or with
   * {@code --overwrite} runs again).
   */
  private String whyNotThisFinishedRun(Path manifestPath, Map<String, Object> options, Map<String, String> modelInfo,
      List<Path> namedInputs) throws IOException {
    String refusal = "already exists and is not an unfinished run to resume: ";
    String wayOut = "; pass --overwrite to replace it";
    if (!Files.isRegularFile(manifestPath)) {
      return refusal + "no run manifest " + manifestPath + " records the run that wrote it" + wayOut;
    }
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode done;
    try {
      done = mapper.readTree(manifestPath.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return refusal + "its manifest " + manifestPath + " is not readable JSON" + wayOut;
    }
    List<String> differs = new java.util.ArrayList<>();
    if (!"score".equals(done.path("command").asText())) {
      differs.add("the command (" + done.path("command").asText("none") + ")");
    }
    for (String key : List.of("sha256", "challenger_sha256")) {
      if (!java.util.Objects.equals(done.path("model").path(key).asText(null), modelInfo.get(key))) {
        differs.add(key.startsWith("challenger") ? "the challenger" : "the model");
      }
    }
    com.fasterxml.jackson.databind.JsonNode now = mapper.readTree(io.chainscore.scoring.spi.ResultJson.toJson(options));
    if (!now.equals(done.path("options"))) {
      java.util.Set<String> keys = new java.util.TreeSet<>();
      now.fieldNames().forEachRemaining(keys::add);
      done.path("options").fieldNames().forEachRemaining(keys::add);
      keys.removeIf(k -> now.path(k).equals(done.path("options").path(k)));
      differs.add("the options (" + String.join(", ", keys) + ")");
    }
    List<String> recorded = new java.util.ArrayList<>();
    done.path("inputs").forEach(e -> recorded.add(e.path("path").asText()));
    // each as the file system resolves it: the run's own inputs spelled otherwise (./p/, an absolute
    // path, a link to the portfolio) are its own (until 2026-12-07 compared as written, and refused)
    List<Path> recordedFiles = recorded.stream().map(r -> io.chainscore.batch.io.FileIdentity.canonical(Path.of(r)))
        .toList();
    List<Path> given = namedInputs.stream().map(io.chainscore.batch.io.FileIdentity::canonical).toList();
    if (!recordedFiles.equals(given)) {
      differs.add("the input files (the run read " + String.join(", ", recorded) + ")");
    } else {
      // the same files, unchanged since: a table rewritten since is scored again only when asked
      for (com.fasterxml.jackson.databind.JsonNode e : done.path("inputs")) {
        if (!unchanged(e)) {
          differs.add("the input " + e.path("path").asText() + " (changed since the run)");
        }
      }
    }
    if (!differs.isEmpty()) {
      return refusal + "the finished run its manifest " + manifestPath + " records differs from this one in "
          + String.join(", ", differs) + wayOut;
    }
    for (com.fasterxml.jackson.databind.JsonNode e : done.path("outputs")) {
      if (!unchanged(e)) {
        return refusal + e.path("path").asText() + ", a file of the finished run, is no longer the bytes its manifest "
            + manifestPath + " lists" + wayOut;
      }
    }
    return null;
  }

  /** Reports again the exit code and counts of the finished run {@link #whyNotThisFinishedRun} accepted. */
  private Integer reportFinishedRun(Path manifestPath, Path summaryPath) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode done = mapper.readTree(manifestPath.toFile());
    com.fasterxml.jackson.databind.JsonNode rows = done.path("rows");
    long quarantined = rows.path("quarantined").asLong() + rows.path("transactions_quarantined").asLong();
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("output", out.toString());
      j.put("quarantine", quarantinePath().toString());
      j.put("manifest", manifestPath.toString());
      j.put("summary", summaryPath.toString());
      j.put("rows", mapper.convertValue(rows, Map.class));
      j.put("transaction_rows_quarantined", rows.path("transactions_quarantined").asLong());
      j.put("already_complete", true);
      JsonOutput.print(o, j);
    } else {
      o.printf("Nothing to resume: %s is the finished run of this model, these options and these inputs"
          + " (unchanged), finished at %s: %,d suppliers scored%s.%n", out, finishedAt(done.path("finished_at").asText()),
          rows.path("written").asLong(), quarantined > 0 ? ", " + String.format("%,d", quarantined) + " rows quarantined" : "");
      o.println("Manifest: " + manifestPath + "; summary: " + summaryPath);
    }
    return quarantined > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
  }

  /** A manifest's finish time to the second, as a person reads it; as written when it is not an instant. */
  private static String finishedAt(String instant) {
    try {
      return Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (java.time.format.DateTimeParseException e) {
      return instant;
    }
  }

  /** A manifest's file entry still describes the file at its path (size and SHA-256; a pipe never does). */
  private static boolean unchanged(com.fasterxml.jackson.databind.JsonNode entry) throws IOException {
    String path = entry.path("path").asText();
    RunManifest.FileEntry recorded = new RunManifest.FileEntry(path, entry.path("bytes").asLong(-1),
        entry.path("sha256").asText(null));
    // a size of -1 is a pipe's, whose content no file can be shown to repeat
    return recorded.bytes() >= 0 && recorded.differenceFrom(Path.of(path), "the manifest") == null;
  }


  /**
   * Earlier runs' manifests of {@code output} under other names than {@code manifestPath} (a
   * {@code --manifest-out} then or now), in the output's folder and the manifest's: the manifests
   * whose first output is {@code output} ({@link RunManifest#recordedBase}). The commit replacing the output
   * deletes them with the old manifest; they would vouch for files no longer there. One elsewhere
   * is not found, and neither is one whose first output is another file of the same name (another
   * folder's run keeping its manifest in a shared folder). Other runs' manifests that list a file
   * the commit replaces (a shared {@code BASE.quarantine.csv}) the commit finds and deletes itself
   * ({@code RunCommit.manifestsMadeFalse}); their files are not this output's to supersede.
   */
  static List<Path> earlierManifestsOf(Path output, Path manifestPath) throws IOException {
    Path target = output.toAbsolutePath().normalize();
    Path own = manifestPath.toAbsolutePath().normalize();
    java.util.Set<Path> dirs = new java.util.LinkedHashSet<>(List.of(target.getParent(), own.getParent()));
    List<Path> found = new java.util.ArrayList<>();
    for (Path dir : dirs) {
      for (Path m : RunManifest.candidatesIn(dir)) {
        if (m.toAbsolutePath().normalize().equals(own)) {
          continue;
        }
        com.fasterxml.jackson.databind.JsonNode json = RunManifest.read(m);
        if (json != null && RunManifest.recordedBase(m, json, output) != null) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /**
   * The files the earlier run of --out wrote that this run does not: the outputs listed by its
   * manifests among {@code manifests} (this run's manifest path and the earlier ones retired; those
   * whose first output is --out, {@link RunManifest#recordedBase}) that are none of this run's outputs and
   * inputs, are still the bytes listed, and that no other run's manifest in their folder lists (two
   * runs share {@code s.quarantine.csv}). Until 2026-12-07 a run that quarantined rows, replaced
   * with {@code --overwrite --quarantine-out q/bad.csv}, left its {@code s.quarantine.csv} beside
   * the new scores, listed by no manifest.
   */
  private List<Path> earlierOutputsNotRewritten(List<Path> manifests, boolean bundled, boolean challengerFile)
      throws IOException {
    List<Path> ours = new java.util.ArrayList<>(List.of(out, quarantinePath(), summaryPath(), manifestPath()));
    if (transactions != null) {
      ours.add(transactionRunFile(".features.arrow"));
      ours.add(transactionRunFile(".quarantine-transactions.csv"));
    }
    ours.addAll(namedInputs(bundled, challengerFile));
    java.util.Set<Path> replaced = new java.util.HashSet<>();
    for (Path m : manifests) {
      replaced.add(FileIdentity.canonical(m));
    }
    List<Path> found = new java.util.ArrayList<>();
    for (Path m : manifests) {
      com.fasterxml.jackson.databind.JsonNode json = RunManifest.read(m);
      Path base = json == null ? null : RunManifest.recordedBase(m, json, out);
      if (base == null) {
        continue;
      }
      for (com.fasterxml.jackson.databind.JsonNode e : json.path("outputs")) {
        Path file;
        try {
          file = base.resolve(e.path("path").asText(""));
        } catch (java.nio.file.InvalidPathException notAPath) {
          continue;
        }
        if (file.equals(base) || !Files.isRegularFile(file) || ours.stream().anyMatch(p -> FileIdentity.sameFile(p, file))
            || found.stream().anyMatch(p -> FileIdentity.sameFile(p, file))) {
          continue;
        }
        RunManifest.FileEntry listed = new RunManifest.FileEntry(file.toString(), e.path("bytes").asLong(-1),
            e.path("sha256").asText(null));
        if (listed.differenceFrom(file, "the manifest") == null && !OutputFiles.listedByAnother(file, replaced)) {
          found.add(file);
        }
      }
    }
    return found;
  }

  /**
   * The manifest's row counts: the scoring's, and for --transactions the refused transaction rows
   * too (a run that exits 3 for them said 0 rows quarantined).
   */
  private Map<String, Long> manifestRows(Map<String, Long> scoring) {
    if (transactions == null) {
      return scoring;
    }
    Map<String, Long> rows = new LinkedHashMap<>(scoring);
    rows.put("transactions_quarantined", (long) transactionRowsRefused);
    transactionRowsReadByTable.forEach((table, n) -> rows.put("transactions_read_" + table, n));
    transactionRowsRefusedByTable.forEach((table, n) -> rows.put("transactions_quarantined_" + table, n));
    return rows;
  }

  /**
   * The manifest's key for the rows quarantined at {@code column}: {@code quarantined_column_COLUMN}
   * ({@code quarantined_whole_row} when no one column is at fault), as {@code transactions_quarantined_TABLE}.
   */
  static String quarantinedKey(String column) {
    return column.equals(BatchJob.WHOLE_ROW) ? QUARANTINED_WHOLE_ROW : QUARANTINED_COLUMN + column;
  }

  private static final String QUARANTINED_COLUMN = "quarantined_column_";
  private static final String QUARANTINED_WHOLE_ROW = "quarantined_whole_row";

  /**
   * The inverse of {@link #quarantinedKey}: a score run's manifest rows' counts by column ({@link
   * BatchJob#WHOLE_ROW} for the rows no one column is at fault for), empty when it counted none.
   */
  static Map<String, Long> quarantinedByColumn(com.fasterxml.jackson.databind.JsonNode rows) {
    Map<String, Long> byColumn = new java.util.TreeMap<>();
    rows.fields().forEachRemaining(e -> {
      if (e.getKey().startsWith(QUARANTINED_COLUMN)) {
        byColumn.put(e.getKey().substring(QUARANTINED_COLUMN.length()), e.getValue().asLong());
      } else if (e.getKey().equals(QUARANTINED_WHOLE_ROW)) {
        byColumn.put(BatchJob.WHOLE_ROW, e.getValue().asLong());
      }
    });
    return byColumn;
  }

  private Path quarantinePath() {
    if (quarantine != null) {
      return quarantine;
    }
    return BatchJob.sideFile(out, ".quarantine.csv");
  }

  /** A manifest entry for {@code target}, hashed from its staged copy (same bytes, not yet renamed). */
  private static RunManifest.FileEntry entry(Path target, Path staged) throws IOException {
    return new RunManifest.FileEntry(target.toString(), Files.size(staged), RunManifest.sha256(staged));
  }
}
