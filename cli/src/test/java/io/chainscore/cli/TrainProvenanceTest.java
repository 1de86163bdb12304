package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code chainscore train} records of how a bundle was trained, in {@code
 * provenance.trainer}: the development rows' group (target, exclusions, weight column, cohorts and
 * split, seed, time zone), the reject inference's (method, parameters, the rejects' count and the
 * hash of their rows) and the fit's own (the scorecard's options, selection, weights and binning,
 * or the trees'), for a plain scorecard, trees and each segment of a segmented bundle; files by
 * their contents, never by their paths, so the same inputs give the same bytes wherever they lie.
 */
class TrainProvenanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 3000;
  private static final int REJECTS = 1200;
  private static final String VERSION = "chainscore train " + ChainScoreCli.versionText();

  @TempDir Path dir;

  private static String trainer(Path bundle) throws Exception {
    return JSON.readTree(bundle.toFile()).get("provenance").get("trainer").asText();
  }

  private static CliRun train(String... args) {
    List<String> all = new ArrayList<>(List.of("train"));
    all.addAll(List.of(args));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    return run;
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
  }

  /** Suppliers with a year, a weight and a tenure; thin files default on volume drops, the others on late days. */
  private Path data(Path folder) throws Exception {
    StringBuilder b = new StringBuilder(TestRuns.THIN_AND_SEASONED_HEADER).append('\n');
    TestRuns.thinAndSeasonedRows(b, new SplittableRandom(47), ROWS);
    Files.createDirectories(folder);
    Path file = Files.writeString(folder.resolve("data.csv"), b);
    // trained_at is the data file's time: fixed, so that copies elsewhere train the same bytes
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_767_225_600_000L));
    return file;
  }

  /** Declined applicants, riskier; one in 20 without a tenure; columns in {@code header}'s order. */
  private Path rejects(Path file, String header, int rows) throws Exception {
    SplittableRandom random = new SplittableRandom(48);
    List<String> names = List.of(header.split(","));
    StringBuilder r = new StringBuilder(header).append('\n');
    for (int i = 0; i < rows; i++) {
      boolean noTenure = random.nextInt(20) == 0;
      int tenure = random.nextInt(3) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      java.util.Map<String, String> v = java.util.Map.of("supplier_id", String.format(Locale.ROOT, "R%05d", i), "year",
          Integer.toString(2021 + random.nextInt(4)), "tenure_months", noTenure ? "" : Integer.toString(tenure),
          "late_days", String.format(Locale.ROOT, "%.4f", 15 + random.nextDouble() * 35), "volume_drop",
          String.format(Locale.ROOT, "%.4f", random.nextDouble() * 1.5 - 0.5), "sector",
          List.of("MANUFACTURING", "RETAIL", "FOOD").get(random.nextInt(3)));
      r.append(String.join(",", names.stream().map(v::get).toList())).append('\n');
    }
    Files.createDirectories(file.getParent());
    return Files.writeString(file, r);
  }

  @Test
  void plainScorecardAndTrees_recordTheDevelopmentRowsAndTheFitsSettings() throws Exception {
    Path german = dir.resolve("german.csv");
    Files.copy(TestRuns.german(), german);
    Path out = dir.resolve("scorecard.json");
    train("--data", german.toString(), "--target", "creditability", "--event-label", "bad", "--test-share", "0.25",
        "--seed", "9", "--min-iv", "0.03", "--max-bins", "6", "--min-bin-share", "0.06", "--time-zone", "UTC",
        "--out", out.toString());
    String development = "; target=creditability event_label=bad exclude=[] weight_column=none cohort=none"
        + " test_share=0.25 seed=9";
    assertThat(trainer(out)).isEqualTo(VERSION + development + "; method=woe_logistic min_iv=0.03"
        + " max_correlation=0.7 max_characteristics=15 min_bin_share=0.06 max_bins=6 selection=information_value"
        + " weights=none binning=automatic");
    // the trees record the same development rows, before their own settings
    Path trees = dir.resolve("trees.json");
    train("--data", german.toString(), "--target", "creditability", "--event-label", "bad", "--test-share", "0.25",
        "--seed", "9", "--time-zone", "UTC", "--model-type", "gbdt", "--trees", "10", "--reason-reference",
        "training-average", "--out", trees.toString());
    assertThat(trainer(trees)).startsWith(VERSION + " (XGBoost hist)" + development
        + "; engine=xgboost4j 3.4.0 tree_method=hist objective=binary:logistic rounds=10 ");
  }

  @Test
  void cohortsWeightAndFuzzyRejects_areRecorded_byTheRowsNotTheFiles() throws Exception {
    Path data = data(dir.resolve("a"));
    String header = "supplier_id,year,tenure_months,late_days,volume_drop,sector";
    Path rejects = rejects(dir.resolve("a").resolve("rejects.csv"), header, REJECTS);
    Path out = dir.resolve("weighted.json");
    List<String> options = List.of("--target", "bad", "--exclude", "supplier_id", "--weight", "w", "--cohort", "year",
        "--test-cohort", "2024", "--reject-inference", "fuzzy", "--model-id", "weighted");
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--rejects", rejects.toString(), "--out",
        out.toString()));
    args.addAll(options);
    train(args.toArray(String[]::new));
    int kept = 0;
    for (String line : Files.readAllLines(rejects).subList(1, REJECTS + 1)) {
      kept += line.split(",", -1)[1].equals("2024") ? 0 : 1;
    }
    String text = trainer(out);
    assertThat(text).startsWith(VERSION + "; target=bad event_label=none exclude=[supplier_id] weight_column=w"
        + " cohort=year test_cohort=2024 seed=1; reject_inference=fuzzy rejects=" + kept
        + " rejects_sha256=");
    assertThat(text.replaceAll(".*rejects_sha256=([0-9a-f]{64}); method=.*", "$1")).hasSize(64);
    assertThat(text).contains("; method=woe_logistic min_iv=0.02 max_correlation=0.7 max_characteristics=15"
        + " min_bin_share=0.05 max_bins=8 selection=cohort_out cohorts=3 weights=sha256:").endsWith(" binning=automatic");
    // the same rows from files elsewhere, the rejects' columns in another order: the same bytes
    Path copy = data(dir.resolve("elsewhere").resolve("b"));
    Path reordered = rejects(dir.resolve("elsewhere").resolve("declined.csv"),
        "sector,volume_drop,late_days,tenure_months,year,supplier_id", REJECTS);
    assertThat(sha256(reordered)).isNotEqualTo(sha256(rejects));
    Path again = dir.resolve("again.json");
    args = new ArrayList<>(List.of("--data", copy.toString(), "--rejects", reordered.toString(), "--out",
        again.toString()));
    args.addAll(options);
    train(args.toArray(String[]::new));
    assertThat(Files.readString(again)).isEqualTo(Files.readString(out));
    // one reject fewer (one of a training cohort) is other rejects
    List<String> lines = new ArrayList<>(Files.readAllLines(rejects));
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).split(",", -1)[1].equals("2024")) {
        lines.remove(i);
        break;
      }
    }
    Path fewer = Files.write(dir.resolve("fewer.csv"), lines);
    Path other = dir.resolve("other.json");
    args = new ArrayList<>(List.of("--data", data.toString(), "--rejects", fewer.toString(), "--out",
        other.toString()));
    args.addAll(options);
    train(args.toArray(String[]::new));
    String otherText = trainer(other);
    assertThat(otherText.replaceAll(".* rejects=(\\d+) .*", "$1")).isEqualTo(String.valueOf(kept - 1));
    assertThat(otherText.replaceAll(".*rejects_sha256=([0-9a-f]{64}); .*", "$1"))
        .isNotEqualTo(text.replaceAll(".*rejects_sha256=([0-9a-f]{64}); .*", "$1"));
  }

  @Test
  void binsFile_isRecordedOnlyWhenItsBinsChangeTheModel() throws Exception {
    TestRuns.germanBins(dir);
    Path german = dir.resolve("german.csv");
    Path bins = dir.resolve("bins.json");
    Path automatic = dir.resolve("automatic.json");
    Path unedited = dir.resolve("unedited.json");
    train("--data", german.toString(), "--target", "creditability", "--event-label", "bad", "--model-id", "german",
        "--out", automatic.toString());
    train("--data", german.toString(), "--target", "creditability", "--event-label", "bad", "--model-id", "german",
        "--binning", bins.toString(), "--out", unedited.toString());
    // the unedited file changes no bin: the automatic bundle, byte for byte
    assertThat(Files.readString(unedited)).isEqualTo(Files.readString(automatic));
    assertThat(trainer(automatic)).endsWith(" binning=automatic");

    JsonNode root = JSON.readTree(bins.toFile());
    for (JsonNode c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        ((ArrayNode) c.get("splits")).remove(0);
      }
    }
    Path edited = dir.resolve("edited.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(edited.toFile(), root);
    Path manual = dir.resolve("manual.json");
    train("--data", german.toString(), "--target", "creditability", "--event-label", "bad", "--model-id", "german",
        "--binning", edited.toString(), "--out", manual.toString());
    assertThat(trainer(manual)).isEqualTo(trainer(automatic).replace(" binning=automatic",
        " binning=manual bins_file_sha256=" + sha256(edited) + " manual_characteristics=[duration_in_month]"));
    assertThat(trainer(manual)).doesNotContain(dir.toString()).doesNotContain("edited.json");
  }

  @Test
  void segmented_recordsTheSharedSettings_andEachSegmentsOwn() throws Exception {
    Path data = data(dir);
    Path rejects = rejects(dir.resolve("rejects.csv"), "supplier_id,year,tenure_months,late_days,volume_drop,sector",
        REJECTS);
    Path out = dir.resolve("segmented.json");
    train("--data", data.toString(), "--target", "bad", "--exclude", "supplier_id,year", "--weight", "w",
        "--test-share", "0", "--rejects", rejects.toString(), "--reject-inference", "parcelling", "--seed", "5",
        "--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out", out.toString());
    int unrouted = 0;
    for (String line : Files.readAllLines(rejects).subList(1, REJECTS + 1)) {
      unrouted += line.split(",", -1)[2].isEmpty() ? 1 : 0;
    }
    assertThat(unrouted).isPositive();
    String development = "; target=bad event_label=none exclude=[supplier_id, year] weight_column=w cohort=none"
        + " test_share=0.0 seed=5";
    JsonNode provenance = JSON.readTree(out.toFile()).get("provenance");
    assertThat(provenance.get("trainer").asText()).isEqualTo(VERSION + development + "; segments=[thin_file, seasoned]"
        + " (routed by model.segments[].when, each segment's own settings in provenance.segments[].trainer)"
        + " rejects_without_segment=" + unrouted);
    int routed = 0;
    List<String> weights = new ArrayList<>();
    for (JsonNode segment : provenance.get("segments")) {
      String text = segment.get("trainer").asText();
      assertThat(text).startsWith(VERSION + development + "; reject_inference=parcelling parcels=10 seed=5 rejects=")
          .contains("; method=woe_logistic min_iv=0.02 max_correlation=0.7 max_characteristics=15 min_bin_share=0.05"
              + " max_bins=8 selection=information_value weights=sha256:")
          .endsWith(" binning=automatic");
      routed += Integer.parseInt(text.replaceAll(".* rejects=(\\d+) .*", "$1"));
      weights.add(text.replaceAll(".* weights=(sha256:[0-9a-f]{64}) .*", "$1"));
    }
    assertThat(routed + unrouted).isEqualTo(REJECTS);
    assertThat(weights.get(0)).isNotEqualTo(weights.get(1));
  }
}
