package io.chainscore.scoring.spi;

import io.chainscore.testing.BundleRebuild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleBuilderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SHA = "ab".repeat(32);

  @Test
  void build_fromTheExampleScorecardsParts_reproducesItsCanonicalTextAndGoldenRows() throws Exception {
    ModelBundle file = load("scorecard.json");
    assertThat(BundleRebuild.rebuild(file).toJson()).isEqualTo(normalised("scorecard.json").toJson());
  }

  @Test
  void build_fromTheExampleLogisticModelsParts_reproducesItsCanonicalTextAndGoldenRows() throws Exception {
    ModelBundle file = load("logistic.json");
    ModelBundle rebuilt = BundleRebuild.rebuild(file);
    assertThat(rebuilt.toJson()).isEqualTo(normalised("logistic.json").toJson());
    assertThat(ModelView.of(rebuilt)).isEqualTo(ModelView.of(file));
  }

  @Test
  void view_ofTheExampleScorecard_listsItsCharacteristicsBinsAndPointsAsWritten() throws Exception {
    ScorecardView view = (ScorecardView) ModelView.of(load("scorecard.json"));
    Characteristic first = view.characteristics().get(0);
    assertThat(first).isEqualTo(new Characteristic("late_payment", "days_beyond_terms_avg", "R01", List.of(
        new Bin.Range(Double.NEGATIVE_INFINITY, 5, 60), new Bin.Range(5, 15, 45), new Bin.Range(15, 30, 25),
        new Bin.Range(30, Double.POSITIVE_INFINITY, 5), new Bin.Missing(20))));
    JsonNode written = tree("scorecard.json").get("model");
    assertThat(view.basePoints()).isEqualTo(written.get("base_points").doubleValue());
    assertThat(view.characteristics()).hasSize(written.get("characteristics").size());
    for (int c = 0; c < view.characteristics().size(); c++) {
      JsonNode bins = written.get("characteristics").get(c).get("bins");
      assertThat(view.characteristics().get(c).bins()).hasSize(bins.size());
      for (int b = 0; b < bins.size(); b++) {
        assertThat(view.characteristics().get(c).bins().get(b).value()).isEqualTo(bins.get(b).get("points").doubleValue());
      }
    }
  }

  @Test
  void view_ofTheExampleLogisticModel_listsItsTermsWithTheirWoeBins() throws Exception {
    LogisticView view = (LogisticView) ModelView.of(load("logistic.json"));
    assertThat(view.intercept()).isEqualTo(-3.2);
    assertThat(view.terms()).extracting(LogisticView.Term::feature)
        .containsExactly("days_beyond_terms_avg", "dilution_rate_12m", "sector", "invoice_count_12m");
    assertThat(view.terms().get(0)).isEqualTo(new LogisticView.Term("days_beyond_terms_avg", 0.045, 11.5, "R01", null));
    LogisticView.Term sector = view.terms().get(2);
    assertThat(sector.coefficient()).isEqualTo(-0.9);
    assertThat(sector.woe().bins()).containsExactly(new Bin.Categories(List.of("MANUFACTURING"), 0.35),
        new Bin.Categories(List.of("LOGISTICS"), 0.2), new Bin.Categories(List.of("RETAIL"), -0.25),
        new Bin.Categories(List.of("AGRICULTURE"), -0.6), new Bin.Missing(0));
  }

  @Test
  void build_scoresTheGoldenInputsByTheScorecardsOwnArithmetic() throws Exception {
    ModelBundle bundle = smallScorecard("R01").goldenInputs(List.of(new double[] {3}, new double[] {Double.NaN},
        new double[] {12})).build();
    // By hand: base 500 + bin points; the golden rows hold what the scorer gives, and reload.
    assertThat(bundle.scorer().score(new double[] {3}).points()).isEqualTo(540);
    assertThat(bundle.scorer().score(new double[] {12}).points()).isEqualTo(480);
    JsonNode golden = MAPPER.readTree(bundle.toJson()).get("golden_rows");
    assertThat(golden).hasSize(3);
    assertThat(golden.get(0).get("features").get("late_days").doubleValue()).isEqualTo(3);
    assertThat(golden.get(1).get("features").get("late_days").isNull()).isTrue();
    assertThat(golden.get(1).get("points").doubleValue()).isEqualTo(510);
    ScoreResult third = bundle.scorer().score(new double[] {12});
    assertThat(golden.get(2).get("pd").doubleValue()).isEqualTo(third.pd());
    assertThat(golden.get(2).get("grade").textValue()).isEqualTo(third.grade());
    assertThat(ModelBundle.fromJson(bundle.toJson()).sha256()).isEqualTo(bundle.sha256());
    // the text of a file saved with a byte-order mark (Files.readString keeps it), as read(Path) reads the file
    assertThat(ModelBundle.fromJson("\uFEFF" + bundle.toJson()).sha256()).isEqualTo(bundle.sha256());
  }

  @Test
  void build_reasonCodeNotInTheTable_isRefusedByTheLoaderNamingTheField() {
    assertThatThrownBy(() -> smallScorecard("R09").build())
        .isInstanceOf(ModelFormatException.class)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("model.characteristics[0].reason_code"));
  }

  @Test
  void build_withoutScoreScale_isRefusedByTheLoaderNamingTheField() {
    BundleBuilder b = BundleBuilder.create("m", "1").feature(BundleBuilder.Feature.of(LATE_DAYS))
        .model(new ScorecardView(0, List.of())).reasonCode("R01", "Late").provenance(PROVENANCE);
    assertThatThrownBy(b::build).isInstanceOf(ModelFormatException.class)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("score_scale"));
  }

  @Test
  void build_binsThatLeaveAGap_isRefusedByTheCompilerNamingTheBins() {
    BundleBuilder b = base().model(new ScorecardView(500, List.of(new Characteristic("late", "late_days", "R01",
        List.of(new Bin.Range(Double.NEGATIVE_INFINITY, 5, 40), new Bin.Range(6, Double.POSITIVE_INFINITY, -20),
            new Bin.Missing(10))))));
    assertThatThrownBy(b::build).isInstanceOf(ModelFormatException.class)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).startsWith("model.characteristics[0].bins"));
  }

  @Test
  void defaultMasterScale_hasEightDoublingGradesWithGeometricMeansAndD() {
    MasterScale scale = BundleBuilder.defaultMasterScale();
    assertThat(scale.grades()).extracting(MasterScale.Grade::name)
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "D");
    assertThat(scale.grades()).extracting(MasterScale.Grade::pdUpper)
        .startsWith(0.003, 0.006, 0.012, 0.025, 0.05, 0.10, 0.20, 1.0);
    assertThat(scale.grade(0).representativePd()).isEqualTo(0.0015);
    assertThat(scale.grade(3).representativePd()).isEqualTo(Math.sqrt(0.012 * 0.025));
    assertThat(scale.grade(8).isDefault()).isTrue();
  }

  @Test
  void trainingDataSha256_isTheDigestOfTheBigEndianRowBitsThenLabels() throws Exception {
    double[] rows = new double[2000];
    int[] labels = new int[1000];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i % 7 == 0 ? Double.NaN : i * 0.37 - 50;
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3 == 0 ? 1 : 0;
    }
    // A second computation: DataOutputStream writes big-endian, NaN canonicalised as doubleToLongBits.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (double v : rows) {
        out.writeDouble(v);
      }
      for (int y : labels) {
        out.writeLong(y);
      }
    }
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    assertThat(BundleBuilder.trainingDataSha256(rows, labels)).isEqualTo(expected);
  }

  private static final FeatureSpec LATE_DAYS = FeatureSpec.numeric("late_days", "days", 0, 365, "Days late.");
  private static final ModelBundle.Provenance PROVENANCE =
      new ModelBundle.Provenance("2026-01-01T00:00:00Z", SHA, "test");

  private static BundleBuilder base() {
    return BundleBuilder.create("m", "1").description("Test.").feature(BundleBuilder.Feature.of(LATE_DAYS))
        .scoreScale(20, 600, 50).reasonCode("R01", "Paid late").provenance(PROVENANCE);
  }

  private static BundleBuilder smallScorecard(String code) {
    return base().model(new ScorecardView(500, List.of(new Characteristic("late", "late_days", code, List.of(
        new Bin.Range(Double.NEGATIVE_INFINITY, 5, 40), new Bin.Range(5, Double.POSITIVE_INFINITY, -20),
        new Bin.Missing(10))))));
  }

  private static ModelBundle load(String resource) throws Exception {
    return ModelBundle.fromJson(text(resource));
  }

  /**
   * The example file with the three things ChainScore's builder always writes made explicit: a
   * description on every feature (empty when absent), {@code "calibration": {"kind": "none"}} when
   * absent, and no {@code null} range ends (an absent end is the same open end).
   */
  private static ModelBundle normalised(String resource) throws Exception {
    ObjectNode doc = (ObjectNode) tree(resource);
    for (JsonNode f : doc.get("features")) {
      ObjectNode feature = (ObjectNode) f;
      if (!feature.has("description")) {
        feature.put("description", "");
      }
      for (String end : List.of("min", "max")) {
        if (feature.has(end) && feature.get(end).isNull()) {
          feature.remove(end);
        }
      }
    }
    if (!doc.has("calibration")) {
      doc.putObject("calibration").put("kind", "none");
    }
    return ModelBundle.seal(doc.toString());
  }

  private static JsonNode tree(String resource) throws IOException {
    return MAPPER.readTree(text(resource));
  }

  private static String text(String resource) throws IOException {
    try (InputStream in = BundleBuilderTest.class.getResourceAsStream("/bundles/" + resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
