package io.chainscore.cli;

import io.chainscore.portfolio.CreditPortfolioSimulation;
import io.chainscore.portfolio.IrbRegime;
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
      "Portfolio risk of a supplier book: expected loss and Basel IRB capital by anchor, sector",
      "and grade; Monte Carlo credit VaR and expected shortfall with supply-chain contagion and",
      "Euler contributions; an optional stress scenario. Writes portfolio.json and",
      "portfolio.html (self-contained) to --out. Formats: docs/portfolio-risk.md."
    })
final class PortfolioCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scores", required = true, description = "Scores CSV (supplier_id, pd, grade), e.g. from chainscore score.")
  Path scores;

  @Option(names = "--exposures", required = true, description = "Exposures CSV (docs/portfolio-risk.md).")
  Path exposures;

  @Option(names = "--regime", defaultValue = "basel3", description = "basel2, crr or basel3 (default ${DEFAULT-VALUE}).")
  String regime;

  @Option(names = "--simulations", defaultValue = "20000", description = "Monte Carlo scenarios; 0 = no simulation (default ${DEFAULT-VALUE}).")
  int simulations;

  @Option(names = "--seed", defaultValue = "1", description = "Monte Carlo seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", defaultValue = "0", description = "Threads; 0 = all cores. Results do not depend on it.")
  int threads;

  @Option(names = "--importance-shift", defaultValue = "-2.5", description = "Macro-factor mean shift for importance sampling; 0 = plain sampling (default ${DEFAULT-VALUE}).")
  double importanceShift;

  @Option(names = "--no-contagion", description = "Switch off anchor-default contagion.")
  boolean noContagion;

  @Option(names = "--anchor-pds", description = "CSV of anchor_id, pd for the anchors' own default probabilities.")
  Path anchorPds;

  @Option(names = "--scenario", description = "Stress scenario JSON.")
  Path scenario;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--overwrite", description = "Replace existing outputs.")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    Files.createDirectories(out);
    Path json = out.resolve("portfolio.json");
    Path html = out.resolve("portfolio.html");
    if (!overwrite) {
      for (Path p : new Path[] {json, html}) {
        if (Files.exists(p)) {
          throw new FileAlreadyExistsException(p.toString(), null, "already exists; pass --overwrite to replace it");
        }
      }
    }
    PortfolioAnalysis.Builder analysis = PortfolioAnalysis.builder()
        .exposures(PortfolioFiles.readExposures(exposures))
        .scores(PortfolioFiles.readScores(scores))
        .regime(IrbRegime.parse(regime));
    if (simulations > 0) {
      CreditPortfolioSimulation.Builder mc = CreditPortfolioSimulation.builder()
          .simulations(simulations)
          .seed(seed)
          .threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
          .importanceShift(importanceShift)
          .contagion(!noContagion);
      if (anchorPds != null) {
        for (Map.Entry<String, Double> e : PortfolioFiles.readAnchorPds(anchorPds).entrySet()) {
          mc.anchorPd(e.getKey(), e.getValue());
        }
      }
      analysis.simulation(mc);
    } else {
      analysis.simulation(null);
    }
    PortfolioAnalysis built = analysis.build();
    StressScenario stress = scenario == null ? null : PortfolioFiles.readScenario(scenario);
    PortfolioReport report = stress == null ? built.report() : built.report(stress);
    PortfolioFiles.writeJson(report, json);
    PortfolioFiles.writeHtml(report, html);
    PrintWriter o = spec.commandLine().getOut();
    o.println(PortfolioSummaryText.of(report));
    o.println("Wrote " + json + " and " + html);
    return ExitCodes.SUCCESS;
  }
}
