package io.chainscore.cli;

import io.chainscore.batch.engine.FileSetCommit;
import io.chainscore.batch.io.PortfolioInputs;
import io.chainscore.portfolio.CreditPortfolioSimulation;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.MissingPdException;
import io.chainscore.portfolio.PortfolioAnalysis;
import io.chainscore.portfolio.PortfolioFiles;
import io.chainscore.portfolio.PortfolioReport;
import io.chainscore.portfolio.StressScenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore portfolio}: expected loss, IRB capital, credit VaR and stress of a book. */
@Command(
    name = "portfolio",
    mixinStandardHelpOptions = true,
    description = {
      "Compute the portfolio risk of a supplier book.",
      "Expected loss and Basel IRB capital by anchor, sector, grade and product; Monte Carlo credit VaR and expected shortfall with supply-chain contagion and Euler contributions; an optional stress scenario.",
      "Reads its tables as CSV, Arrow IPC or Parquet, by extension.",
      "Writes portfolio.json and portfolio.html (self-contained) to --out; the formats are in docs/portfolio-risk.md."
    })
final class PortfolioCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin
  ModelTrust trust;

  @Option(names = "--scores", required = true, description = "Score table with supplier_id, pd and optionally grade, e.g. from chainscore score:"
      + " CSV, Arrow IPC (.arrow) or Parquet (.parquet), chosen by the file's extension.")
  Path scores;

  @Option(names = "--exposures", required = true, description = "Exposures table, one facility per supplier (docs/portfolio-risk.md), e.g. the"
      + " exposures table chainscore generate writes: CSV, Arrow IPC or Parquet, chosen by the file's extension.")
  Path exposures;

  @Option(names = "--regime", defaultValue = "basel3", description = "basel2, crr or basel3 (default ${DEFAULT-VALUE}).")
  String regime;

  @Option(names = "--simulations", defaultValue = "20000", description = "Monte Carlo scenarios, 100 to 10,000,000; 0 = no simulation (default ${DEFAULT-VALUE}).")
  int simulations;

  @Option(names = "--seed", defaultValue = "1", description = "Monte Carlo seed (default ${DEFAULT-VALUE}); refused with --simulations 0, as are --importance-shift and --no-contagion.")
  long seed;

  @Option(names = "--threads", defaultValue = "0", description = "Threads; 0 = all cores. Results do not depend on it.")
  int threads;

  @Option(names = "--importance-shift", defaultValue = "-2.5", description = "Macro-factor mean shift for importance sampling; 0 = plain sampling (default ${DEFAULT-VALUE}).")
  double importanceShift;

  @Option(names = "--no-contagion", description = "Switch off anchor-default contagion.")
  boolean noContagion;

  @Option(names = "--anchor-pds", description = "Table of anchor_id and pd, the anchors' own default probabilities, e.g. the anchor_pds"
      + " table chainscore generate writes: CSV, Arrow IPC or Parquet, chosen by the file's extension. They drive"
      + " contagion and are the obligor PD of payables-finance exposures (required for those). An anchor of the book"
      + " the table does not list (every anchor, without this option) defaults at PD 0.01 in the simulation.")
  Path anchorPds;

  @Option(names = "--scenario", description = "Stress scenario JSON.")
  Path scenario;

  @Option(names = "--features", description = "Feature table of the suppliers (chainscore features; CSV, Arrow IPC or Parquet). With a"
      + " scenario, its feature shocks are applied to these rows and re-scored with --model. Its as_of_date must be"
      + " the --scores table's when both have one.")
  Path features;

  @Option(names = "--model", description = "With --scenario: the model that re-scores its feature shocks (the --scores"
      + " table's); a bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or"
      + " smb-supply-chain-gbdt. Refused without --scenario, as are --features and --require-signed/--trust.")
  Path model;

  @Option(names = "--default-grade", defaultValue = "D", description = "Grade of a supplier in default (default"
      + " ${DEFAULT-VALUE}), matched exactly: its exposure takes PD 1 whatever its score's pd, so K = 0 and EL = LGD x"
      + " EAD, and the simulation loses it in every scenario.")
  String defaultGrade;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--overwrite", description = "Replace existing outputs.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  /** PDs of the stressed feature rows, in exposure order, from the model. */
  private double[] rescore(PortfolioAnalysis analysis, StressScenario stress, java.util.Set<String> scoringModels)
      throws IOException {
    io.chainscore.scoring.ModelBundle bundle;
    try {
      bundle = trust.load(model);
    } catch (io.chainscore.scoring.ModelFormatException e) {
      throw new IllegalArgumentException("model file: " + e.getMessage(), e);
    }
    PortfolioInputs.requireScoredBy(scores, scoringModels, bundle,
        model == null ? "the default, " + io.chainscore.models.DefaultModels.SCORECARD : "--model");
    // Only the suppliers whose own PD the stress moves need a row: an exposure the anchor owes keeps
    // the anchor's PD and one in default stays at PD 1, so their rows (which the score run may have
    // quarantined, as the baseline lets it) are not read for them. A row refused for a supplier
    // that needs one (its own fault, or a repeated id), or a refused row whose id could not be
    // read, still stops the run naming file, row and column; until 2026-12-07 any refused row did,
    // so a book whose score run quarantined a payables supplier could not be stressed at all.
    java.util.List<io.chainscore.tables.InputFormatException> refused = new java.util.ArrayList<>();
    java.util.Map<String, double[]> rows = io.chainscore.batch.scoring.FeatureRows.read(
        io.chainscore.batch.scoring.FeatureRows.Table.of(features), bundle, refused::add, new java.util.HashMap<>());
    java.util.List<io.chainscore.portfolio.Exposure> exposures = analysis.exposures();
    double[] baseline = analysis.pds();
    java.util.Set<String> needed = new java.util.HashSet<>();
    for (int i = 0; i < baseline.length; i++) {
      if (!exposures.get(i).product().anchorObligor() && baseline[i] < 1) {
        needed.add(exposures.get(i).supplierId());
      }
    }
    for (io.chainscore.tables.InputFormatException e : refused) {
      if (e.recordId() == null || needed.contains(e.recordId())) {
        throw e;
      }
    }
    io.chainscore.portfolio.ScenarioFeatureShock shock =
        io.chainscore.portfolio.ScenarioFeatureShock.compile(stress, bundle.schema());
    double[] pds = new double[exposures.size()];
    double[] stressed = new double[bundle.schema().size()];
    io.chainscore.scoring.Scorer scorer = bundle.scorer();
    for (int i = 0; i < pds.length; i++) {
      io.chainscore.portfolio.Exposure e = exposures.get(i);
      if (!needed.contains(e.supplierId())) {
        pds[i] = baseline[i];   // not used: the analysis keeps the anchor's PD, or PD 1
        continue;
      }
      double[] row = rows.get(e.supplierId());
      if (row == null) {
        // named as every missing input of the book is: the exposures file's row and column (the
        // analysis keeps the exposures as read), and why, when the features run refused the supplier
        String why = PortfolioInputs.whyNoFeatures(features, e.supplierId());
        throw new io.chainscore.tables.InputFormatException(this.exposures.toString(), i + 1L, "supplier_id", "supplier "
            + e.supplierId() + " has no row in --features " + features + (why == null ? "" : why)
            + "; the stress re-scores the row of every supplier whose own PD it moves");
      }
      shock.apply(row, e.anchorId(), e.sector(), stressed);
      pds[i] = scorer.score(stressed).pd();
    }
    return pds;
  }

  @Override
  public Integer call() throws IOException {
    int workers = ThreadOption.resolve(spec, threads);   // refused before any work
    OutputFiles.refuseAsResultFolder(out, "portfolio.json", "portfolio.html");   // before the work; the folder is made after it
    if (scenario == null) {
      // they serve the re-scoring of a scenario's feature shocks only: until 2026-12-07 they were
      // accepted without one and did nothing (a --trust that trusted no signer of --model, exit 0)
      java.util.List<String> unused = new java.util.ArrayList<>();
      if (features != null) {
        unused.add("--features");
      }
      if (model != null) {
        unused.add("--model");
      }
      if (trust.requireSigned || trust.trust != null) {
        unused.add(trust.trust != null ? "--trust" : "--require-signed");
      }
      if (!unused.isEmpty()) {
        throw new IllegalArgumentException(String.join(", ", unused) + ": only used to re-score the feature shocks of"
            + " a --scenario, and none was given; give --scenario FILE, or leave " + (unused.size() == 1 ? "it" : "them")
            + " out");
      }
    }
    if (simulations != 0 && (simulations < io.chainscore.portfolio.CreditPortfolioConfig.MIN_SIMULATIONS
        || simulations > io.chainscore.portfolio.CreditPortfolioConfig.MAX_SIMULATIONS)) {
      // named by the option here, before any table is read (from 1 to 99 the library refused it
      // later without the option's name; 2,000,000,000 ran out of memory, exit 1)
      throw new IllegalArgumentException("--simulations " + simulations + ": expected 0 (no simulation) or "
          + io.chainscore.portfolio.CreditPortfolioConfig.simulationsExpected());
    }
    if (simulations == 0) {
      // they act on the Monte Carlo only: until 2026-12-07 they were taken with --simulations 0,
      // did nothing and were recorded nowhere (ecl refuses its options that act through another alike)
      java.util.List<String> unused = new java.util.ArrayList<>();
      for (String option : java.util.List.of("--seed", "--importance-shift", "--no-contagion")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          unused.add(option);
        }
      }
      if (!unused.isEmpty()) {
        throw new IllegalArgumentException(String.join(", ", unused) + ": only used by the Monte Carlo simulation,"
            + " which --simulations 0 leaves out; give --simulations N, or leave " + (unused.size() == 1 ? "it" : "them")
            + " out");
      }
    }
    Path jsonFile = out.resolve("portfolio.json");
    Path html = out.resolve("portfolio.html");
    if (!overwrite) {
      for (Path p : new Path[] {jsonFile, html}) {
        if (Files.exists(p)) {
          throw new FileAlreadyExistsException(p.toString(), null, "already exists; pass --overwrite to replace it");
        }
      }
    }
    java.util.List<io.chainscore.portfolio.Exposure> book = PortfolioInputs.readExposures(exposures);
    // the models the table names (model_id, model_version), read with it: a stress re-scores with one of them
    java.util.Set<String> scoringModels = new java.util.TreeSet<>();
    java.util.List<io.chainscore.portfolio.SupplierScore> scored = PortfolioInputs.readScores(scores, scoringModels);
    if (defaultGrade.isBlank()) {
      throw new IllegalArgumentException("--default-grade: expected the name of the default grade (D by default), got '"
          + defaultGrade + "'");
    }
    for (int i = 0; i < scored.size(); i++) {
      String grade = scored.get(i).grade();
      if (!grade.equals(defaultGrade) && grade.equalsIgnoreCase(defaultGrade)) {
        // grades are matched exactly, as ecl matches them: 'd' would leave a defaulted supplier performing
        throw new io.chainscore.tables.InputFormatException(scores.toString(), i + 1L, "grade", "'" + grade
            + "' is not the default grade '" + defaultGrade + "' (grades are matched exactly; give --default-grade "
            + grade + " if that is the scale's name)");
      }
    }
    if (features != null) {
      // the stressed rows stand for the scored suppliers: features of another date would make the
      // scenario's change partly the months' difference
      java.util.SortedSet<java.time.LocalDate> scoresDates = PortfolioInputs.asOfDates(scores);
      java.util.SortedSet<java.time.LocalDate> featured = PortfolioInputs.asOfDates(features);
      if (!scoresDates.isEmpty() && !featured.isEmpty() && !scoresDates.equals(featured)) {
        throw new IllegalArgumentException("--features " + features + ": its as_of_date is "
            + PortfolioInputs.dates(featured) + ", but --scores " + scores + " is as of " + PortfolioInputs.dates(scoresDates)
            + "; give the feature table the scores were computed from");
      }
    }
    Map<String, Double> anchorPdMap = anchorPds == null ? Map.of() : PortfolioInputs.readAnchorPds(anchorPds);
    PortfolioAnalysis.Builder analysis = PortfolioAnalysis.builder()
        .exposures(book)
        .scores(scored)
        .defaultGrade(defaultGrade)
        .regime(IrbRegime.parse(regime));
    analysis.anchorPds(anchorPdMap);
    if (simulations > 0) {
      CreditPortfolioSimulation.Builder mc = CreditPortfolioSimulation.builder()
          .simulations(simulations)
          .seed(seed)
          .threads(workers)
          .importanceShift(importanceShift)
          .contagion(!noContagion);
      for (Map.Entry<String, Double> e : anchorPdMap.entrySet()) {
        mc.anchorPd(e.getKey(), e.getValue());
      }
      analysis.simulation(mc);
    } else {
      analysis.simulation((io.chainscore.portfolio.CreditPortfolioConfig) null);
    }
    PortfolioAnalysis built;
    try {
      built = analysis.build();
    } catch (MissingPdException e) {
      // the analysis was given the exposures as read, so its index is the exposures file's row
      java.util.Set<String> scoredSuppliers = new java.util.HashSet<>();
      scored.forEach(s -> scoredSuppliers.add(s.supplierId()));
      throw PortfolioInputs.missingPd(exposures, e, scores, anchorPds, book, scoredSuppliers, null);
    }
    StressScenario stress = scenario == null ? null : PortfolioFiles.readScenario(scenario);
    if (stress != null) {
      try {
        built.requireBookAnchors(stress);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(scenario + ": " + e.getMessage(), e);
      }
    }
    boolean featureShocks = stress != null
        && (!stress.anchorVolumeShocks().isEmpty() || !stress.sectorDelayShocks().isEmpty());
    PortfolioReport report;
    if (stress == null) {
      report = built.report();
    } else if (featureShocks && features != null) {
      report = built.report(stress, rescore(built, stress, scoringModels));
    } else {
      report = built.report(stress);
      if (featureShocks) {
        spec.commandLine().getErr().println("chainscore portfolio: the scenario's feature shocks were not applied;"
            + " pass --features (and --model) to re-score stressed features");
      }
    }
    // the folder is made only now: a run refused above leaves nothing behind
    OutputFiles.createFolder(out);
    // The two files are committed together, portfolio.json last, as ecl and monitor commit theirs:
    // a run that fails while writing (or is stopped) leaves no portfolio.json beside another run's
    // portfolio.html (until 2026-12-07 the JSON was replaced first and a failed HTML write kept the
    // earlier run's page beside it)
    FileSetCommit commit = FileSetCommit.begin(jsonFile, overwrite);
    try {
      io.chainscore.reports.PortfolioHtml.write(report, commit.stage(html));
      PortfolioFiles.writeJson(report, commit.stage(jsonFile));
      commit.commit();
    } catch (IOException | RuntimeException e) {
      commit.abandon();
      throw e;
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(o, report);
      return ExitCodes.SUCCESS;
    }
    o.println(PortfolioSummaryText.of(report));
    o.println("Wrote " + jsonFile + " and " + html);
    return ExitCodes.SUCCESS;
  }
}
