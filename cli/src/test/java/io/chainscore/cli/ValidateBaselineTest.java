package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code validate --baseline} left without a row (a file with a header alone, or, with {@code
 * --labels}, a baseline of another as-of date, which joins no label) is refused in one line naming
 * it, exit 2, nothing written: until 2026-12-07 the PSI said "stability index: expected counts are
 * all zero", naming no file.
 */
class ValidateBaselineTest {
  @TempDir Path dir;

  @Test
  void baselineWithoutRows_isRefusedNamingTheFile() throws Exception {
    Path portfolio = dir.resolve("p");
    Path features = dir.resolve("f.csv");
    CliRun.portfolioWithFeatures(portfolio, features, 60, 5, "csv");
    Path labels = portfolio.resolve("labels.csv");
    List<String> lines = Files.readAllLines(features);
    Path march = Files.write(dir.resolve("march.csv"),
        lines.stream().map(l -> l.replace(",2025-06-30,", ",2025-03-31,")).toList());

    CliRun joined = CliRun.of("validate", "--data", features.toString(), "--labels", labels.toString(), "--target",
        "defaulted", "--baseline", march.toString(), "--out", dir.resolve("v1").toString());
    assertThat(joined.code()).isEqualTo(2);
    assertThat(joined.err().lines().filter(l -> l.startsWith("chainscore validate:")).toList()).containsExactly(
        "chainscore validate: " + labels + ": no row of the baseline " + march + " has a label (--baseline is joined"
            + " to --labels on supplier_id and as_of_date); there is no grade distribution to compare with");
    assertThat(dir.resolve("v1")).doesNotExist();

    CliRun self = CliRun.of("validate", "--data", features.toString(), "--labels", labels.toString(), "--target",
        "defaulted", "--baseline", features.toString(), "--out", dir.resolve("v0").toString());
    assertThat(self.code()).as(self.err()).isIn(0, 3);     // the sample as its own baseline: PSI 0
    assertThat(Files.readString(dir.resolve("v0/metrics.json"))).contains("\"psi\" : 0.0");

    // half of a baseline joins a label: the other half is counted on stderr, not dropped silently
    List<String> both = new java.util.ArrayList<>(lines);
    both.addAll(Files.readAllLines(march).subList(1, lines.size()));
    Path mixed = Files.write(dir.resolve("mixed.csv"), both);
    CliRun half = CliRun.of("validate", "--data", features.toString(), "--labels", labels.toString(), "--target",
        "defaulted", "--baseline", mixed.toString(), "--out", dir.resolve("v3").toString());
    assertThat(half.code()).as(half.err()).isIn(0, 3);
    int n = lines.size() - 1;
    assertThat(half.err()).contains("validate: the baseline " + mixed + ": " + 2 * n + " rows: " + n + " labelled, " + n
        + " without a label in " + labels + " (left out of the PSI)");
    assertThat(Files.readString(dir.resolve("v3/metrics.json"))).contains("\"psi\" : 0.0");

    // without --labels: a labelled sample, and a baseline with a header alone
    java.util.Map<String, String> outcome = new java.util.HashMap<>();
    for (String l : Files.readAllLines(labels).subList(1, Files.readAllLines(labels).size())) {
      String[] f = l.split(",", -1);
      outcome.put(f[0], f[2]);
    }
    List<String> labelled = new java.util.ArrayList<>();
    labelled.add(lines.get(0) + ",defaulted");
    lines.subList(1, lines.size()).forEach(l -> labelled.add(l + "," + outcome.get(l.substring(0, l.indexOf(',')))));
    Path data = Files.write(dir.resolve("labelled.csv"), labelled);
    Path header = Files.writeString(dir.resolve("header.csv"), lines.get(0) + ",defaulted\n");
    CliRun empty = CliRun.of("validate", "--data", data.toString(), "--target", "defaulted", "--baseline",
        header.toString(), "--out", dir.resolve("v2").toString());
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err().strip()).isEqualTo("chainscore validate: " + header
        + ": no data rows; there is no grade distribution to compare with");
    assertThat(dir.resolve("v2")).doesNotExist();
  }
  /**
   * The baseline is graded for the PSI alone: its target is not read, so the training file is the
   * baseline of the rows {@code train --holdout-out} held out (German credit's good/bad against the
   * held-out file's 0/1), and a feature table without labels is one too. Until 2026-12-07 both were
   * refused (exit 2: "expected 0 or 1 ... got 'good'", "no column 'defaulted'"). The PSI 0.0030225 was
   * recomputed in python3 from the grades {@code score} gives the 321 held-out and the 1,000 rows.
   */
  @Test
  void baselineTargetIsNotRead_theTrainingFileIsTheHoldoutsBaseline() throws Exception {
    Path german = TestRuns.german();
    Path bundle = dir.resolve("g.json");
    Path hold = dir.resolve("hold.csv");
    CliRun train = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--master-scale", "fit:6", "--holdout-out", hold.toString(), "--out", bundle.toString());
    assertThat(train.code()).as(train.err()).isZero();
    CliRun v = CliRun.of("validate", "--model", bundle.toString(), "--data", hold.toString(), "--target",
        "creditability", "--baseline", german.toString(), "--out", dir.resolve("v").toString());
    assertThat(v.code()).as(v.err()).isZero();
    double psi = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("v/metrics.json").toFile())
        .get("psi").asDouble();
    assertThat(psi).isCloseTo(0.0030225375828, org.assertj.core.data.Offset.offset(1e-9));

    // a feature table without the target column (the features of the labelled sample): PSI 0
    Path portfolio = dir.resolve("p");
    Path features = dir.resolve("f.csv");
    CliRun.portfolioWithFeatures(portfolio, features, 60, 5, "csv");
    Path labels = portfolio.resolve("labels.csv");
    List<String> lines = Files.readAllLines(features);
    java.util.Map<String, String> outcome = new java.util.HashMap<>();
    List<String> labelLines = Files.readAllLines(labels);
    for (String l : labelLines.subList(1, labelLines.size())) {
      String[] x = l.split(",", -1);
      outcome.put(x[0], x[2]);
    }
    List<String> labelled = new java.util.ArrayList<>();
    labelled.add(lines.get(0) + ",defaulted");
    lines.subList(1, lines.size()).forEach(l -> labelled.add(l + "," + outcome.get(l.substring(0, l.indexOf(',')))));
    Path data = Files.write(dir.resolve("labelled.csv"), labelled);
    CliRun noTarget = CliRun.of("validate", "--data", data.toString(), "--target", "defaulted", "--baseline",
        features.toString(), "--out", dir.resolve("v4").toString());
    assertThat(noTarget.code()).as(noTarget.err()).isIn(0, 3);
    assertThat(Files.readString(dir.resolve("v4/metrics.json"))).contains("\"psi\" : 0.0");
  }
}
