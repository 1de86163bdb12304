package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each segment of {@code train --segment} with {@code --rejects}, {@code --weight}, {@code
 * --cohort/--test-cohort} or {@code --binning} is the scorecard {@code train} fits with the same
 * option on that segment's rows (and rejects) alone: the segment's model and calibration in the
 * segmented bundle equal those of the plain bundle trained on the segment's share of the CSV.
 */
class SegmentedEqualsPlainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 4000;
  private static final int REJECTS = 1500;
  private static final String HEADER = TestRuns.THIN_AND_SEASONED_HEADER;

  @TempDir Path dir;
  private Path data;
  private Path rejects;
  private int rejectsWithoutTenure;

  @BeforeEach
  void data() throws Exception {
    SplittableRandom random = new SplittableRandom(47);
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    TestRuns.thinAndSeasonedRows(b, random, ROWS);
    String[] sectors = {"MANUFACTURING", "RETAIL", "FOOD"};
    data = Files.writeString(dir.resolve("data.csv"), b);
    // declined applicants: riskier (more late days, larger drops); one in 20 without a tenure
    StringBuilder r = new StringBuilder("supplier_id,year,tenure_months,late_days,volume_drop,sector\n");
    for (int i = 0; i < REJECTS; i++) {
      boolean noTenure = random.nextInt(20) == 0;
      rejectsWithoutTenure += noTenure ? 1 : 0;
      int tenure = random.nextInt(3) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      r.append(String.format(Locale.ROOT, "R%05d,%d,%s,%.4f,%.4f,%s%n", i, 2021 + random.nextInt(4),
          noTenure ? "" : Integer.toString(tenure), 15 + random.nextDouble() * 35, random.nextDouble() * 1.5 - 0.5,
          sectors[random.nextInt(3)]));
    }
    rejects = Files.writeString(dir.resolve("rejects.csv"), r);
  }

  /** The lines of {@code file} (header kept) whose tenure column routes to segment {@code s} (0 thin, 1 seasoned). */
  private Path part(Path file, int s, String name) throws Exception {
    List<String> lines = Files.readAllLines(file);
    int tenure = List.of(lines.get(0).split(",")).indexOf("tenure_months");
    StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
    for (String line : lines.subList(1, lines.size())) {
      String t = line.split(",", -1)[tenure];
      if (!t.isEmpty() && (Double.parseDouble(t) < 12) == (s == 0)) {
        b.append(line).append('\n');
      }
    }
    return Files.writeString(dir.resolve(name), b);
  }

  private CliRun train(Path csv, Path out, List<String> options, boolean segmented) {
    List<String> args = new ArrayList<>(List.of("train", "--data", csv.toString(), "--target", "bad", "--out",
        out.toString(), "--model-id", "m", "--json"));
    args.addAll(options);
    if (segmented) {
      args.addAll(List.of("--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned"));
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    return run;
  }

  /**
   * Trains segmented with {@code options} and plain on each segment's rows (and rejects, with
   * {@code --rejects}) with the same options; each segment's model and calibration are the plain
   * bundle's. Returns the segmented run's JSON.
   */
  private JsonNode assertSegmentsArePlainFits(String tag, List<String> options) throws Exception {
    Path segmentedOut = dir.resolve(tag + "-segmented.json");
    JsonNode result = JSON.readTree(train(data, segmentedOut, withRejects(options, rejects), true).out());
    JsonNode segmented = JSON.readTree(segmentedOut.toFile());
    JsonNode segments = segmented.get("model").get("segments");
    for (int s = 0; s < 2; s++) {
      Path rows = part(data, s, tag + "-rows" + s + ".csv");
      Path plainOut = dir.resolve(tag + "-plain" + s + ".json");
      Path segmentRejects = options.contains("--reject-inference") ? part(rejects, s, tag + "-rejects" + s + ".csv")
          : null;
      train(rows, plainOut, withRejects(options, segmentRejects), false);
      JsonNode plain = JSON.readTree(plainOut.toFile());
      // the same model, its reason codes named by what they say (the segments' codes are made one
      // table, in which a later segment's code may be renamed)
      assertThat(withReasonTexts(segments.get(s).get("model"), segmented)).as("%s, segment %d: model", tag, s)
          .isEqualTo(withReasonTexts(plain.get("model"), plain));
      assertThat(segments.get(s).get("calibration")).as("%s, segment %d: calibration", tag, s)
          .isEqualTo(plain.get("calibration"));
      assertThat(segmented.get("features")).as("%s: the shared features", tag).isEqualTo(plain.get("features"));
      // what the segment's training decided is recorded as the plain run records it
      assertThat(segmented.get("provenance").get("segments").get(s).get("trainer")).as("%s, segment %d: trainer", tag, s)
          .isEqualTo(plain.get("provenance").get("trainer"));
      if (plain.get("model").get("kind").asText().equals("tree_ensemble")) {
        // the approved-population reference: measured on the segment's own approved rows (named differently)
        JsonNode own = segments.get(s).get("reason_reference");
        JsonNode expected = plain.get("reason_reference");
        assertThat(own.get("method").asText()).isEqualTo("approved_population");
        assertThat(own.get("rows")).isEqualTo(expected.get("rows"));
        assertThat(byReasonText(own.get("contributions"), segmented)).as("%s, segment %d: reason reference", tag, s)
            .isEqualTo(byReasonText(expected.get("contributions"), plain));
      }
    }
    return result;
  }

  private static List<String> withRejects(List<String> options, Path file) {
    List<String> out = new ArrayList<>(options);
    if (file != null && options.contains("--reject-inference")) {
      out.addAll(List.of("--rejects", file.toString()));
    }
    return out;
  }

  @Test
  void rejectInference_perSegment_isThatOfTheSegmentsRowsAndRejectsAlone() throws Exception {
    JsonNode fuzzy = assertSegmentsArePlainFits("fuzzy", List.of("--exclude", "supplier_id,w", "--test-share", "0",
        "--reject-inference", "fuzzy"));
    // every reject with a tenure is routed like a row; those without one have no segment and are counted
    assertThat(fuzzy.get("rejects_without_segment").asInt()).isEqualTo(rejectsWithoutTenure);
    int routed = 0;
    for (int s = 0; s < 2; s++) {
      int expected = Files.readAllLines(dir.resolve("fuzzy-rejects" + s + ".csv")).size() - 1;
      assertThat(fuzzy.get("segments").get(s).get("reject_inference").get("rejects").asInt()).isEqualTo(expected);
      routed += expected;
    }
    assertThat(routed + rejectsWithoutTenure).isEqualTo(REJECTS);
    // parcelling draws with --seed; with --cohort each segment's rejects join its own cohort folds, and those
    // of the test cohort are left out
    assertSegmentsArePlainFits("parcelling", List.of("--exclude", "supplier_id,w", "--cohort", "year",
        "--test-cohort", "2024", "--reject-inference", "parcelling", "--seed", "5"));
  }

  @Test
  void weightCohortAndBinning_perSegment_areThoseOfTheSegmentsRowsAlone() throws Exception {
    assertSegmentsArePlainFits("weight", List.of("--exclude", "supplier_id", "--test-share", "0", "--weight", "w"));
    assertSegmentsArePlainFits("cohort", List.of("--exclude", "supplier_id,w", "--cohort", "year", "--test-cohort",
        "2024"));
    // a bins file with late_days split by hand at 10, 20 and 30 days
    Path bins = dir.resolve("bins.json");
    CliRun written = CliRun.of("bins", "--data", data.toString(), "--target", "bad", "--exclude", "supplier_id,w,year",
        "--test-share", "0", "--out", bins.toString());
    assertThat(written.code()).as(written.err()).isZero();
    JsonNode file = JSON.readTree(bins.toFile());
    // only late_days is classed by hand; the other characteristics are binned per segment as usual
    java.util.Iterator<JsonNode> it = file.get("characteristics").iterator();
    while (it.hasNext()) {
      if (!it.next().get("feature").asText().equals("late_days")) {
        it.remove();
      }
    }
    for (JsonNode c : file.get("characteristics")) {
      if (c.get("feature").asText().equals("late_days")) {
        // no trend: late days do not rank the thin files, whose bins then need not rise
        ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("trend", "none");
        ArrayNode splits = ((com.fasterxml.jackson.databind.node.ObjectNode) c).putArray("splits");
        splits.add(10.0).add(20.0).add(30.0);
      }
    }
    JSON.writeValue(bins.toFile(), file);
    assertSegmentsArePlainFits("binning", List.of("--exclude", "supplier_id,w,year", "--test-share", "0",
        "--binning", bins.toString()));
    String seasoned = JSON.readTree(dir.resolve("binning-segmented.json").toFile()).get("model").get("segments").get(1)
        .get("model").toString();
    assertThat(seasoned).as("the hand splits are used").contains("\"range\":[10,20]").contains("\"range\":[20,30]");
  }

  /**
   * {@code --depth auto} per segment: each segment chooses its depth on its own held-out rows, as
   * a plain run on its rows does, and the choice of each is in its own provenance record.
   */
  @Test
  void depthChosenPerSegment_isThatOfTheSegmentsRowsAlone() throws Exception {
    JsonNode result = assertSegmentsArePlainFits("auto", List.of("--exclude", "supplier_id,w,year", "--test-share",
        "0", "--model-type", "gbdt", "--trees", "15", "--depth", "auto", "--reason-reference", "approved:0.15"));
    JsonNode segments = JSON.readTree(dir.resolve("auto-segmented.json").toFile()).get("provenance").get("segments");
    for (int s = 0; s < 2; s++) {
      String trainer = segments.get(s).get("trainer").asText();
      assertThat(trainer).contains("(chosen among [3, 4, 5, 6, 31 leaves] by held-out log-loss");
      // --json gives each segment's chosen depth and held-out rows, as its provenance records them
      JsonNode printed = result.get("segments").get(s);
      assertThat(trainer).contains("max_depth=" + printed.get("depth").asInt() + " (chosen among",
          "validation_rows=" + printed.at("/depth_choice/validation_rows").asInt() + ",");
      assertThat(printed.at("/depth_choice/log_loss").size()).isEqualTo(5);
    }
  }

  @Test
  void gradientBoostedTrees_perSegment_areThoseOfTheSegmentsRowsAlone() throws Exception {
    JsonNode result = assertSegmentsArePlainFits("gbdt", List.of("--exclude", "supplier_id,w,year", "--test-share", "0",
        "--model-type", "gbdt", "--trees", "15", "--depth", "3", "--reason-reference", "approved:0.15"));
    assertThat(result.get("segments").get(0).get("trees").asInt()).isEqualTo(15);
    // each segment scores a row as its standalone bundle does, reason codes measured against its own reference
    io.chainscore.scoring.ModelBundle bundle = io.chainscore.scoring.ModelBundle.read(dir.resolve("gbdt-segmented.json"));
    assertThat(bundle.reasonReference().method()).isEqualTo(io.chainscore.scoring.ModelBundle.ReasonReference.PER_SEGMENT);
    for (int s = 0; s < 2; s++) {
      io.chainscore.scoring.ModelBundle plain = io.chainscore.scoring.ModelBundle.read(dir.resolve("gbdt-plain" + s
          + ".json"));
      io.chainscore.develop.TabularData rows = io.chainscore.develop.TabularData.readCsv(dir.resolve("gbdt-rows" + s
          + ".csv"), "bad");
      double[] x = ValidateCommand.rows(bundle.schema(), rows, data);
      int p = bundle.schema().size();
      for (int r = 0; r < rows.rowCount(); r += 7) {
        double[] row = java.util.Arrays.copyOfRange(x, r * p, (r + 1) * p);
        io.chainscore.scoring.ScoreResult got = bundle.scorer().score(row);
        io.chainscore.scoring.ScoreResult want = plain.scorer().score(row);
        assertThat(got.pd()).isEqualTo(want.pd());
        assertThat(got.points()).isEqualTo(want.points());
        assertThat(got.reasonCodes()).isEqualTo(want.reasonCodes());
        assertThat(got.segment()).isEqualTo(s == 0 ? "thin_file" : "seasoned");
      }
    }
  }

  /** {@code model} with every reason_code replaced by its text in {@code bundle}'s reason-code table. */
  private static JsonNode withReasonTexts(JsonNode model, JsonNode bundle) {
    java.util.Map<String, String> text = new java.util.HashMap<>();
    bundle.get("reason_codes").forEach(c -> text.put(c.get("code").asText(), c.get("text").asText()));
    JsonNode copy = model.deepCopy();
    java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>(List.of(copy));
    while (!todo.isEmpty()) {
      JsonNode node = todo.pop();
      if (node.isObject() && node.has("reason_code")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("reason_code", text.get(node.get("reason_code").asText()));
      }
      node.elements().forEachRemaining(todo::push);
    }
    return copy;
  }

  /** A map keyed by reason code, keyed by the codes' texts in {@code bundle}'s table instead. */
  private static java.util.Map<String, JsonNode> byReasonText(JsonNode byCode, JsonNode bundle) {
    java.util.Map<String, String> text = new java.util.HashMap<>();
    bundle.get("reason_codes").forEach(c -> text.put(c.get("code").asText(), c.get("text").asText()));
    java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
    byCode.fields().forEachRemaining(e -> out.put(text.get(e.getKey()), e.getValue()));
    return out;
  }
}
