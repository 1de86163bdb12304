package io.chainscore.cli;

import io.chainscore.develop.SampleWeights;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.scorecard.ManualBins;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chainscore bins}: the automatic binning {@code train} would start from, written as an
 * editable bins file for manual fine and coarse classing ({@code train --binning}).
 */
@Command(
    name = "bins",
    mixinStandardHelpOptions = true,
    description = {
      "Write the automatic binning of every characteristic as an editable bins file for train --binning.",
      "The rows binned are the ones train would fit on: the same --test-share and --seed (or --cohort and --test-cohort)"
          + " leave the same rows out. Per characteristic the file gives the split points (numeric) or category groups"
          + " (categorical) and the monotone trend, and for reading each bin's count, events, event rate, WoE and IV.",
      "Edit the splits or groups (merge, split, move a category), then train with --binning FILE; bins --binning FILE"
          + " counts an edited file again without training. The format is in docs/binning.md."
    })
final class BinsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** --data, --labels, --target, --weight, --test-share, --cohort ...: the rows train would fit on. */
  @Mixin DevelopmentDataOptions dev;

  @Option(names = "--max-bins", defaultValue = "8", description = "Most bins per characteristic (default"
      + " ${DEFAULT-VALUE}).")
  int maxBins;

  @Option(names = "--min-bin-share", defaultValue = "0.05", description = "Smallest share of rows per bin (default"
      + " ${DEFAULT-VALUE}).")
  double minBinShare;

  @Option(names = "--binning", paramLabel = "FILE", description = "Start from this bins file: its characteristics keep"
      + " their bins (counted again on these rows), the others are binned automatically.")
  Path binning;

  @Option(names = "--out", required = true, description = "Bins file (JSON) to write.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing file.")
  boolean overwrite;

  @Option(names = "--json", description = "Print a summary as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    dev.check();
    if (maxBins < 2) {
      throw new ParameterException(spec.commandLine(), "--max-bins " + maxBins + ": must be at least 2");
    }
    checkMinBinShare(spec, minBinShare);
    OutputFiles.refuseAsOutputFile(out, overwrite, "bins.json");
    ManualBins manual = binning == null ? ManualBins.NONE : ManualBins.read(binning);
    PrintWriter err = spec.commandLine().getErr();
    DevelopmentData d = DevelopmentData.read(spec, "bins", err, dev.options(), List.of());
    TabularSamples all = d.all();
    TabularSamples training = d.training();
    double[] trainingWeights = d.weights() == null ? null : SampleWeights.select(d.weights(), d.testFlags(), false);
    ScorecardTrainer trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().maxBins(maxBins)
        .minBinShare(minBinShare).build());
    Map<String, BinningTable> tables = trainer.bin(all.schema(), training.rows(), training.labels(), trainingWeights,
        manual);
    OutputFiles.createDirectoryOf(out);
    ManualBins.write(tables, out);
    err.printf(Locale.ROOT, "bins: %d characteristics on %,d training rows%s%n", tables.size(), training.size(),
        binning == null ? ", binned automatically" : ", " + manual.specs().size() + " with the bins of " + binning);
    // An edited file may break the trend it declares; train refuses it then, so say so now.
    List<String> broken = manual.trendViolations(tables);
    for (String line : broken) {
      err.println("warning: " + line + " (train --binning refuses the file until it holds)");
    }
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("trend_violations", broken);
      j.put("rows", training.size());
      Map<String, Object> iv = JsonOutput.object();
      tables.forEach((f, t) -> iv.put(f, t.iv()));
      j.put("iv", iv);
      JsonOutput.print(spec.commandLine().getOut(), j);
    } else {
      spec.commandLine().getOut().printf("Wrote %s (%d characteristics)%n", out, tables.size());
    }
    return ExitCodes.SUCCESS;
  }

  /** The one rule for {@code --min-bin-share} (bins and train): above 0.5 no characteristic gets two bins. */
  static void checkMinBinShare(CommandSpec spec, double minBinShare) {
    if (!(minBinShare >= 0 && minBinShare <= 0.5)) {
      throw new ParameterException(spec.commandLine(), "--min-bin-share " + minBinShare + ": expected a share from 0 to 0.5");
    }
  }
}
