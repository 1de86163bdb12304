package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --cohort COLUMN --test-cohort VALUE}: out-of-time hold-out and cohort-out selection
 * through the command line, on data where one characteristic's effect is each year's luck.
 */
class TrainCohortCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** Rows of year, x (a lasting effect), region (an effect redrawn every year), bad. */
  private static List<double[]> rows() {
    SplittableRandom random = new SplittableRandom(20261129);
    List<double[]> rows = new ArrayList<>();
    for (int year = 2021; year <= 2024; year++) {
      double[] regionEffect = new double[4];
      for (int g = 0; g < 4; g++) {
        regionEffect[g] = random.nextDouble(-1.2, 1.2);
      }
      for (int i = 0; i < 2_500; i++) {
        double x = random.nextGaussian();
        int region = random.nextInt(4);
        double logit = -2.5 + 1.1 * x + regionEffect[region];
        int bad = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        rows.add(new double[] {year, x, region, bad});
      }
    }
    return rows;
  }

  private Path csv(List<double[]> rows) throws Exception {
    StringBuilder b = new StringBuilder("year,x,region,bad\n");
    String[] regions = {"north", "south", "east", "west"};
    for (double[] r : rows) {
      b.append((int) r[0]).append(',').append(String.format(Locale.ROOT, "%.6f", r[1])).append(',')
          .append(regions[(int) r[2]]).append(',').append((int) r[3]).append('\n');
    }
    Path file = dir.resolve("cohorts.csv");
    Files.writeString(file, b);
    return file;
  }

  @Test
  void train_cohortHoldsOutTheLastYearAndDropsALuckyCharacteristic() throws Exception {
    List<double[]> rows = rows();
    Path data = csv(rows);
    Path pooled = dir.resolve("pooled.json");
    Path byCohort = dir.resolve("by-cohort.json");
    CliRun plain = run("train", "--data", data.toString(), "--target", "bad", "--exclude", "year", "--out", pooled.toString(),
        "--json");
    assertThat(plain.code()).as(plain.err()).isZero();
    CliRun cohorts = run("train", "--data", data.toString(), "--target", "bad", "--cohort", "year", "--test-cohort", "2024",
        "--out", byCohort.toString(), "--json");
    assertThat(cohorts.code()).as(cohorts.err()).isZero();
    assertThat(cohorts.err()).contains("3 training cohorts of year: characteristics chosen by cohort-out forward selection");

    JsonNode pooledResult = new ObjectMapper().readTree(plain.out());
    JsonNode cohortResult = new ObjectMapper().readTree(cohorts.out());
    // selection by IV keeps the region, whose pooled WoE is real in the training years
    assertThat(pooledResult.get("characteristics").toString()).contains("\"region\"");
    // cohort-out selection keeps only the lasting effect; the cohort column is never a candidate
    assertThat(cohortResult.get("characteristics").toString()).isEqualTo("[\"x\"]");
    assertThat(cohortResult.get("iv").has("year")).isFalse();

    // the test part is exactly the 2024 rows: count them and recompute the AUC by counting pairs
    ModelBundle bundle = ModelBundle.read(byCohort);
    Scorer scorer = bundle.scorer();
    List<double[]> scored = new ArrayList<>();
    for (double[] r : rows) {
      if (r[0] == 2024) {
        double[] features = new double[bundle.schema().size()];
        features[bundle.schema().indexOf("x")] = Double.parseDouble(String.format(Locale.ROOT, "%.6f", r[1]));
        features[bundle.schema().indexOf("region")] = bundle.schema().feature(bundle.schema().indexOf("region"))
            .categoryIndex(new String[] {"north", "south", "east", "west"}[(int) r[2]]);
        scored.add(new double[] {scorer.score(features).pd(), r[3]});
      }
    }
    JsonNode test = cohortResult.get("test");
    assertThat(test.get("rows").asLong()).isEqualTo(scored.size()).isEqualTo(2_500);
    double concordant = 0;
    long pairs = 0;
    for (double[] bad : scored) {
      for (double[] good : scored) {
        if (bad[1] == 1 && good[1] == 0) {
          pairs++;
          concordant += bad[0] > good[0] ? 1 : bad[0] == good[0] ? 0.5 : 0;
        }
      }
    }
    assertThat(test.get("auc").asDouble()).isCloseTo(concordant / pairs, within(1e-12));
  }

  @Test
  void train_badCohortOptions_exitTwoNamingTheProblem() throws Exception {
    Path data = csv(rows().subList(0, 200));
    CliRun noColumn = run("train", "--data", data.toString(), "--target", "bad", "--cohort", "vintage",
        "--out", dir.resolve("a.json").toString());
    assertThat(noColumn.code()).isEqualTo(2);
    assertThat(noColumn.err()).contains("--cohort: no column 'vintage'").doesNotContain("\tat ");
    CliRun noCohort = run("train", "--data", data.toString(), "--target", "bad", "--test-cohort", "2024",
        "--out", dir.resolve("b.json").toString());
    assertThat(noCohort.code()).isEqualTo(2);
    assertThat(noCohort.err()).contains("--test-cohort needs --cohort");
    CliRun absent = run("train", "--data", data.toString(), "--target", "bad", "--cohort", "year", "--test-cohort", "1999",
        "--out", dir.resolve("c.json").toString());
    assertThat(absent.code()).isEqualTo(2);
    assertThat(absent.err()).contains("--test-cohort 1999: no row of").contains("has that year");
  }
}
