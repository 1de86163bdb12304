package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainscore bins} and {@code train --binning}: the written bins, read back unchanged,
 * train the bundle automatic training writes (same bytes); an edited file trains on the edit;
 * a bad file is one line naming the characteristic and bin, exit 2.
 */
class BinsCommandTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void binsThenTrainWithThem_writesTheAutomaticBundle_andAnEditIsUsed() throws Exception {
    CliRun b = TestRuns.germanBins(dir);
    Path german = dir.resolve("german.csv");
    Path bins = dir.resolve("bins.json");
    assertThat(b.out()).contains("Wrote " + bins + " (20 characteristics)");
    JsonNode file = JSON.readTree(bins.toFile());
    assertThat(file.get("format").asText()).isEqualTo("chainscore-bins/1");
    assertThat(file.get("characteristics")).hasSize(20);

    CliRun automatic = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label",
        "bad", "--model-id", "german", "--out", dir.resolve("automatic.json").toString());
    CliRun manual = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--binning", bins.toString(), "--model-id", "german", "--out", dir.resolve("manual.json").toString());
    assertThat(automatic.code()).as(automatic.err()).isZero();
    assertThat(manual.code()).as(manual.err()).isZero();
    assertThat(Files.readString(dir.resolve("manual.json"))).isEqualTo(Files.readString(dir.resolve("automatic.json")));

    // Merge the first two bins of duration_in_month: the bundle's bins for it follow the edit.
    JsonNode root = JSON.readTree(bins.toFile());
    double dropped = Double.NaN;
    for (JsonNode c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        dropped = ((ArrayNode) c.get("splits")).remove(0).asDouble();
      }
    }
    Path edited = dir.resolve("edited.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(edited.toFile(), root);
    CliRun recount = CliRun.of("bins", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--binning", edited.toString(), "--out", dir.resolve("recounted.json").toString(), "--json");
    assertThat(recount.code()).as(recount.err()).isZero();
    // Merging two bins never raises the IV (log-sum inequality), and the recounted file keeps the edit.
    double ivBefore = Double.NaN;
    for (JsonNode c : JSON.readTree(bins.toFile()).get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        ivBefore = 0;
        for (JsonNode bin : c.get("bins")) {
          ivBefore += bin.get("iv").asDouble();
        }
      }
    }
    assertThat(JSON.readTree(recount.out()).get("iv").get("duration_in_month").asDouble()).isLessThan(ivBefore);
    for (JsonNode c : JSON.readTree(dir.resolve("recounted.json").toFile()).get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        assertThat(c.get("splits")).isEqualTo(editedSplits(root));
      }
    }
    CliRun retrained = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label",
        "bad", "--binning", edited.toString(), "--model-id", "german", "--out", dir.resolve("edited-model.json").toString());
    assertThat(retrained.code()).as(retrained.err()).isZero();
    assertThat(Files.readString(dir.resolve("edited-model.json"))).isNotEqualTo(Files.readString(dir.resolve("automatic.json")));
    assertThat(dropped).isFinite();
  }

  private static JsonNode editedSplits(JsonNode root) {
    for (JsonNode c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        return c.get("splits");
      }
    }
    throw new AssertionError("no duration_in_month");
  }

  @Test
  void badBinsFile_oneLineNamingCharacteristicAndBin_exit2() throws Exception {
    Path german = dir.resolve("german.csv");
    Files.copy(TestRuns.german(), german);
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"chainscore-bins/1\", \"characteristics\":"
        + " [{\"feature\": \"housing\", \"type\": \"categorical\", \"groups\": [[\"own\", \"rent\"], [\"rent\"]]}]}");
    for (String command : new String[] {"train", "bins"}) {
      CliRun r = CliRun.of(command, "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
          "--binning", bad.toString(), "--out", dir.resolve(command + ".json").toString());
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).doesNotContain("\tat ");
      assertThat(r.err().lines().filter(l -> !l.startsWith(command + ": ")).toList())
          .containsExactly("chainscore " + command + ": " + bad + ": characteristic 'housing', bin 2: category 'rent'"
              + " is already in bin 1");
    }
    CliRun gbdt = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--binning", bad.toString(), "--model-type", "gbdt", "--out", dir.resolve("g.json").toString());
    assertThat(gbdt.code()).isEqualTo(2);
    assertThat(gbdt.err()).contains("--binning: scorecard only");
  }

  @Test
  void aBrokenTrend_trainRefusesIt_binsWarns() throws Exception {
    Path german = dir.resolve("german.csv");
    Files.copy(TestRuns.german(), german);
    Path bins = dir.resolve("bins.json");
    CliRun b = CliRun.of("bins", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--out", bins.toString());
    assertThat(b.code()).as(b.err()).isZero();
    com.fasterxml.jackson.databind.node.ObjectNode root =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(bins.toFile());
    for (JsonNode c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        assertThat(c.get("trend").asText()).isEqualTo("ascending");
        ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("trend", "descending");
      }
    }
    Path bad = dir.resolve("bad.json");
    JSON.writeValue(bad.toFile(), root);
    String line = bad + ": characteristic 'duration_in_month', bin 2 ([7.5, 14.5), event rate 0.20652173913043478)"
        + " must not rise after bin 1 ([-Infinity, 7.5), event rate 0.08333333333333333) under the descending trend;"
        + " merge these bins, or set \"trend\" to the shape the data show (or \"none\")";
    // 19 of 92 and 5 of 60 training rows (679 rows, --seed 1), as bins.json itself counts them
    JsonNode durationBins = null;
    for (JsonNode c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        durationBins = c.get("bins");
      }
    }
    assertThat(durationBins.get(0).get("event_rate").asDouble()).isEqualTo(0.08333333333333333);
    assertThat(durationBins.get(1).get("event_rate").asDouble()).isEqualTo(0.20652173913043478);
    CliRun train = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--binning", bad.toString(), "--out", dir.resolve("m.json").toString());
    assertThat(train.code()).as(train.err()).isEqualTo(2);
    assertThat(train.err().lines().filter(l -> !l.startsWith("train: ")).toList())
        .containsExactly("chainscore train: " + line);
    assertThat(dir.resolve("m.json")).doesNotExist();
    CliRun recount = CliRun.of("bins", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--binning", bad.toString(), "--out", dir.resolve("b2.json").toString(), "--json");
    assertThat(recount.code()).as(recount.err()).isZero();
    assertThat(recount.err()).contains("warning: " + line + " (train --binning refuses the file until it holds)");
    assertThat(JSON.readTree(recount.out()).get("trend_violations").get(0).asText()).isEqualTo(line);
  }

  @Test
  void testCohort_binsOnlyTheOtherCohorts_andNeedsCohort() throws Exception {
    StringBuilder b = new StringBuilder("year,x,region,bad\n");
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    int training = 0;
    for (int i = 0; i < 3000; i++) {
      int year = 2022 + i % 3;
      double x = random.nextGaussian();
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-2 + x))) ? 1 : 0;
      b.append(year).append(',').append(String.format(java.util.Locale.ROOT, "%.4f", x)).append(',')
          .append(i % 2 == 0 ? "north" : "south").append(',').append(bad).append('\n');
      training += year == 2024 ? 0 : 1;
    }
    Path data = Files.writeString(dir.resolve("years.csv"), b);
    Path bins = dir.resolve("years-bins.json");
    CliRun r = CliRun.of("bins", "--data", data.toString(), "--target", "bad", "--cohort", "year", "--test-cohort", "2024",
        "--out", bins.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("on " + String.format(java.util.Locale.ROOT, "%,d", training) + " training rows");
    for (JsonNode c : JSON.readTree(bins.toFile()).get("characteristics")) {
      assertThat(c.get("feature").asText()).isIn("x", "region");
      long count = 0;
      for (JsonNode bin : c.get("bins")) {
        count += bin.get("count").asLong();
      }
      assertThat(count).as(c.get("feature").asText()).isEqualTo(training);
    }
    CliRun noCohort = CliRun.of("bins", "--data", data.toString(), "--target", "bad", "--test-cohort", "2024", "--out",
        dir.resolve("x.json").toString());
    assertThat(noCohort.code()).isEqualTo(2);
    assertThat(noCohort.err()).startsWith("chainscore: --test-cohort needs --cohort").doesNotContain("\tat ");
  }
}
