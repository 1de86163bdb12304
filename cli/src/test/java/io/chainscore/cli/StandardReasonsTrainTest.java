package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.models.DefaultModels;
import io.chainscore.models.StandardReasons;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained by {@code chainscore train} on {@code chainscore features} output gets the
 * bundled models' reason codes and statements (one code per group of correlated standard features,
 * a statement a notice can give the supplier), not a code per column with the column's name as its
 * text; a sample with any other column keeps the generic codes.
 */
class StandardReasonsTrainTest {
  private static final String AS_OF = "2025-06-30";

  @TempDir static Path dir;
  static Path features;
  static Path labels;

  @BeforeAll
  static void portfolio() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "1500", "--seed", "4", "--out", p.toString(), "--quiet").code())
        .isZero();
    features = dir.resolve("f.csv");
    assertThat(CliRun.of("features", "--transactions", p.toString(), "--as-of", AS_OF, "--out", features.toString(),
        "--quiet").code()).isIn(0, 3);
    labels = p.resolve("labels.csv");
  }

  /** The reason code of each characteristic, by feature name, as the bundle file states them. */
  private static Map<String, String> codeByFeature(String bundleJson) throws Exception {
    Map<String, String> codes = new HashMap<>();
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundleJson);
    // a tree model states them on its features, a scorecard on its characteristics
    for (var f : root.path("features")) {
      if (f.hasNonNull("reason_code")) {
        codes.put(f.path("name").asText(), f.path("reason_code").asText());
      }
    }
    for (var c : root.path("model").path("characteristics")) {
      codes.put(c.path("feature").asText(), c.path("reason_code").asText());
    }
    return codes;
  }

  @Test
  void scorecardAndTrees_onAFeaturesTable_takeTheBundledModelsCodesAndStatements() throws Exception {
    // the bundled GBDT is the independent reference: its codes were set by the default-model pipeline
    ModelBundle bundled = DefaultModels.gbdt();
    Map<String, String> bundledCodes;
    try (var in = DefaultModels.class.getResourceAsStream("smb-supply-chain-gbdt.json")) {
      assertThat(in).as("the bundled GBDT's file").isNotNull();
      bundledCodes = codeByFeature(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertThat(bundledCodes).hasSizeGreaterThan(20);
    Map<String, String> bundledTexts = new HashMap<>();
    bundled.reasonCodes().forEach(r -> bundledTexts.put(r.code(), r.text()));
    for (String type : List.of("scorecard", "gbdt")) {
      Path out = dir.resolve(type + ".json");
      CliRun run = CliRun.of("train", "--data", features.toString(), "--labels", labels.toString(), "--target",
          "defaulted", "--model-type", type, "--out", out.toString());
      assertThat(run.code()).as(run.err()).isZero();
      ModelBundle bundle = ModelBundle.read(out);
      Map<String, String> codes = codeByFeature(Files.readString(out));
      assertThat(codes).as(type).isNotEmpty();
      codes.forEach((feature, code) -> {
        assertThat(code).as(type + " " + feature).isEqualTo(StandardReasons.codeOf(feature));
        if (bundledCodes.containsKey(feature)) {
          assertThat(code).as(type + " " + feature + " as the bundled GBDT").isEqualTo(bundledCodes.get(feature));
        }
      });
      for (ModelBundle.ReasonCode r : bundle.reasonCodes()) {
        assertThat(r.text()).as(type + " " + r.code()).isEqualTo(StandardReasons.statements().get(r.code()));
        if (bundledTexts.containsKey(r.code())) {
          assertThat(r.text()).isEqualTo(bundledTexts.get(r.code()));
        }
      }
      // a row's four reasons are four different statements: codes are per group
      assertThat(bundle.reasonCodes().stream().map(ModelBundle.ReasonCode::code).distinct().count())
          .isEqualTo(bundle.reasonCodes().size());
    }
  }

  @Test
  void aSampleWithAColumnThatIsNoStandardFeature_keepsACodePerColumn() throws Exception {
    // the features table with one more column of the user's own: no longer chainscore features output
    List<String> lines = Files.readAllLines(features);
    StringBuilder b = new StringBuilder(lines.get(0)).append(",own_score\n");
    for (int i = 1; i < lines.size(); i++) {
      b.append(lines.get(i)).append(',').append(i % 7).append('\n');
    }
    Path own = Files.writeString(dir.resolve("own.csv"), b);
    Path out = dir.resolve("own.json");
    CliRun run = CliRun.of("train", "--data", own.toString(), "--labels", labels.toString(), "--target", "defaulted",
        "--model-type", "gbdt", "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    ModelBundle bundle = ModelBundle.read(out);
    assertThat(bundle.reasonCodes()).allSatisfy(r -> assertThat(r.code()).matches("R[0-9]{2}"));
    assertThat(bundle.reasonCodes().stream().map(ModelBundle.ReasonCode::text)).contains("own_score");
  }
}
