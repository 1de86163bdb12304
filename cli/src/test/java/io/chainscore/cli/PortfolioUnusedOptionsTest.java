package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portfolio --features}, {@code --model} and {@code --require-signed}/{@code --trust}
 * re-score a scenario's feature shocks and nothing else: without {@code --scenario} they are
 * refused, one line, exit 2, no {@code --out}. Until 2026-12-07 they were accepted and did
 * nothing, so a run with {@code --trust} keys that had not signed {@code --model} exited 0.
 */
class PortfolioUnusedOptionsTest {
  @TempDir Path dir;

  @Test
  void featuresModelAndTrust_withoutAScenario_areRefused() throws Exception {
    Path scores = Files.writeString(dir.resolve("s.csv"), "supplier_id,as_of_date,pd,grade\nS1,2025-06-30,0.01,3\n");
    Path features = Files.writeString(dir.resolve("f.csv"), "supplier_id,as_of_date\nS1,2025-06-30\n");
    Path exposures = Files.writeString(dir.resolve("x.csv"), "supplier_id,anchor_id,sector,drawn,anchor_sales_share\n"
        + "S1,A1,textiles,1000,0.5\n");
    Path model = TestRuns.model(dir);
    CliRun keys = CliRun.of("keygen", "--out", dir.resolve("k").toString());
    assertThat(keys.code()).as(keys.err()).isZero();
    Path out = dir.resolve("o");
    String[] common = {"portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(), "--simulations",
        "0", "--out", out.toString()};

    CliRun withFeatures = CliRun.of(concat(common, "--features", features.toString()));
    assertThat(withFeatures.code()).as(withFeatures.err()).isEqualTo(2);
    assertThat(withFeatures.err().strip()).isEqualTo("chainscore portfolio: --features: only used to re-score the"
        + " feature shocks of a --scenario, and none was given; give --scenario FILE, or leave it out");

    CliRun trusted = CliRun.of(concat(common, "--model", model.toString(), "--trust", dir.resolve("k.pub").toString()));
    assertThat(trusted.code()).as(trusted.err()).isEqualTo(2);
    assertThat(trusted.err().strip()).isEqualTo("chainscore portfolio: --model, --trust: only used to re-score the"
        + " feature shocks of a --scenario, and none was given; give --scenario FILE, or leave them out");
    assertThat(out).doesNotExist();

    CliRun plain = CliRun.of(common);
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(out.resolve("portfolio.json")).exists();
  }

  /**
   * {@code --seed}, {@code --importance-shift} and {@code --no-contagion} act on the Monte Carlo
   * only: with {@code --simulations 0} they are refused, one line, exit 2, no {@code --out} (until
   * 2026-12-07 they were accepted, did nothing and were recorded nowhere); with a simulation they run.
   */
  @Test
  void monteCarloOptions_withoutASimulation_areRefused() throws Exception {
    Path scores = Files.writeString(dir.resolve("s.csv"), "supplier_id,as_of_date,pd,grade\nS1,2025-06-30,0.01,3\n");
    Path exposures = Files.writeString(dir.resolve("x.csv"), "supplier_id,anchor_id,sector,drawn,anchor_sales_share\n"
        + "S1,A1,textiles,1000,0.5\n");
    Path out = dir.resolve("o");
    String[] common = {"portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(), "--out",
        out.toString()};

    CliRun seeded = CliRun.of(concat(common, "--simulations", "0", "--seed", "7"));
    assertThat(seeded.code()).as(seeded.err()).isEqualTo(2);
    assertThat(seeded.err().strip()).isEqualTo("chainscore portfolio: --seed: only used by the Monte Carlo"
        + " simulation, which --simulations 0 leaves out; give --simulations N, or leave it out");
    CliRun three = CliRun.of(concat(common, "--no-contagion", "--simulations", "0", "--importance-shift", "0",
        "--seed", "1"));
    assertThat(three.code()).as(three.err()).isEqualTo(2);
    assertThat(three.err().strip()).isEqualTo("chainscore portfolio: --seed, --importance-shift, --no-contagion: only"
        + " used by the Monte Carlo simulation, which --simulations 0 leaves out; give --simulations N, or leave them out");
    assertThat(out).doesNotExist();

    CliRun simulated = CliRun.of(concat(common, "--simulations", "100", "--seed", "7", "--no-contagion"));
    assertThat(simulated.code()).as(simulated.err()).isZero();
    assertThat(out.resolve("portfolio.json")).exists();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
