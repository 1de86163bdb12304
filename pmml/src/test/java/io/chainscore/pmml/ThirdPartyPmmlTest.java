package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.pmml.testing.JpmmlHarness;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.PointsScale;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jpmml.evaluator.Evaluator;
import org.junit.jupiter.api.Test;

/**
 * PMML not written by ChainScore (no ChainScore extension): hand-written documents in the forms of
 * the reference's worked example, sklearn2pmml's logistic regression and a converter's sum of
 * trees. Imported bundles score as JPMML-Evaluator evaluates the same documents, and the
 * reference's hand-worked scorecard rows come out as the reference says.
 */
class ThirdPartyPmmlTest {
  private static String resource(String name) throws Exception {
    try (InputStream in = ThirdPartyPmmlTest.class.getResourceAsStream("/third-party/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ModelBundle importResource(String name) throws Exception {
    try (InputStream in = ThirdPartyPmmlTest.class.getResourceAsStream("/third-party/" + name)) {
      return PmmlImport.read(in, new PmmlImport.Options(name, null, "2025-01-01T00:00:00Z", "0".repeat(64)));
    }
  }

  @Test
  void referenceScorecard_handWorkedRows() throws Exception {
    ModelBundle b = importResource("reference-scorecard.pmml");
    assertThat(b.schema().feature(0).name()).isEqualTo("lateshare"); // snake_case feature names
    // rows of the reference's table (row 4 needs asMissing, which ChainScore refuses): points and
    // ChainScore's reasons (positive points below the best only; JPMML also lists zero totals)
    assertRow(b, 0.02, 0.25, 475, List.of());
    assertRow(b, 0.12, 0.72, 435, List.of("RC_CONC", "RC_LATE"));
    assertRow(b, Double.NaN, Double.NaN, 422, List.of("RC_LATE", "RC_CONC"));
    assertRow(b, 0.05, 0.30, 460, List.of("RC_LATE"));
    // outside the Interval: refused, as JPMML's returnInvalid does
    assertThatThrownBy(() -> b.scorer().score(new double[] {1.7, 0.45})).isInstanceOf(ScoringException.class);
  }

  private static void assertRow(ModelBundle b, double late, double top, double points, List<String> reasons) {
    ScoreResult r = b.scorer().score(new double[] {late, top});
    assertThat(r.points()).isEqualTo(points);
    assertThat(r.reasonCodes()).isEqualTo(reasons);
    // no ChainScore extension: the default scale (PDO 20, 600 at 50:1) and no calibration
    assertThat(r.pd()).isCloseTo(new PointsScale(20, 600, 50).probabilityOfDefault(points), within(1e-15));
  }

  @Test
  void referenceScorecard_agreesWithJpmmlOnRandomRows() throws Exception {
    String pmml = resource("reference-scorecard.pmml");
    ModelBundle b = importResource("reference-scorecard.pmml");
    Evaluator jpmml = JpmmlHarness.load(pmml);
    Random random = new Random(3);
    double[] edges = {0.05, Math.nextDown(0.05), 0.2, Math.nextDown(0.2), 0.3, Math.nextUp(0.3), 0.6, Math.nextUp(0.6), 0, 1};
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
      double[] row = new double[2];
      for (int j = 0; j < 2; j++) {
        int u = random.nextInt(10);
        row[j] = u == 0 ? Double.NaN : u < 5 ? edges[random.nextInt(edges.length)] : random.nextDouble() * 1.1 - 0.05;
      }
      Map<String, Object> out = JpmmlHarness.evaluate(jpmml, b.schema(), row);
      ScoreResult r;
      try {
        r = b.scorer().score(row);
      } catch (ScoringException e) {
        assertThat(out).as(java.util.Arrays.toString(row)).isNull();
        continue;
      }
      assertThat(out).as(java.util.Arrays.toString(row)).isNotNull();
      assertThat(((Number) out.get("Score")).doubleValue()).isCloseTo(r.points(), within(1e-9));
      List<String> codes = new java.util.ArrayList<>();
      for (String k : List.of("Reason1", "Reason2")) {
        if (out.get(k) != null) {
          codes.add(out.get(k).toString());
        }
      }
      assertThat(codes.subList(0, r.reasonCodes().size())).isEqualTo(r.reasonCodes());
      compared++;
    }
    assertThat(compared).isGreaterThan(2000);
  }

  private static ModelBundle importText(String name, String pmml) throws Exception {
    return PmmlImport.read(new java.io.ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8)),
        new PmmlImport.Options(name, null, "2025-01-01T00:00:00Z", "0".repeat(64)));
  }

  /** The reference scorecard with both fields float32 (what sklearn2pmml writes for float32 columns). */
  private static String floatScorecard() throws Exception {
    return resource("reference-scorecard.pmml").replace("dataType=\"double\">", "dataType=\"float\">");
  }

  @Test
  void floatFields_scoreAsJpmmlComparesInFloat32_atAndAroundEveryCut() throws Exception {
    String pmml = floatScorecard();
    assertThat(pmml).contains("name=\"lateShare\" optype=\"continuous\" dataType=\"float\"")
        .contains("name=\"topBuyerShare\" optype=\"continuous\" dataType=\"float\"");
    ModelBundle b = importText("float.pmml", pmml);
    Evaluator jpmml = JpmmlHarness.load(pmml);
    // the audit's row: 0.049999999 rounds to 0.05f, which is not below the cut 0.05f
    assertThat(((Number) JpmmlHarness.evaluate(jpmml, b.schema(), new double[] {0.049999999, 0.25}).get("Score"))
        .doubleValue()).isEqualTo(460.0);
    assertThat(b.scorer().score(new double[] {0.049999999, 0.25}).points()).isEqualTo(460.0);
    // every cut and margin, as double and as float, with their double and float neighbours and
    // the rounding midpoints between floats (which round to even)
    List<Double> values = new java.util.ArrayList<>();
    for (double cut : new double[] {0.05, 0.2, 0.3, 0.6, 0, 1}) {
      float f = (float) cut;
      for (float g : new float[] {Math.nextDown(f), f, Math.nextUp(f)}) {
        double mid = ((double) g + Math.nextUp(g)) / 2;
        for (double v : new double[] {cut, g, mid, ((double) Math.nextDown(g) + g) / 2}) {
          for (double w : new double[] {Math.nextDown(v), v, Math.nextUp(v)}) {
            values.add(w);
          }
        }
      }
    }
    values.add(0.049999999);
    values.add(-1e-46);
    values.add(1.00000001);
    values.add(Double.NaN);
    int scored = 0;
    int refused = 0;
    for (double late : values) {
      for (double top : values) {
        double[] row = {late, top};
        Map<String, Object> out = JpmmlHarness.evaluate(jpmml, b.schema(), row);
        ScoreResult r;
        try {
          r = b.scorer().score(row);
        } catch (ScoringException e) {
          assertThat(out).as(java.util.Arrays.toString(row)).isNull();
          refused++;
          continue;
        }
        assertThat(out).as(java.util.Arrays.toString(row)).isNotNull();
        assertThat(((Number) out.get("Score")).doubleValue()).as(java.util.Arrays.toString(row)).isEqualTo(r.points());
        scored++;
      }
    }
    assertThat(scored).isGreaterThan(4000);
    assertThat(refused).isGreaterThan(100);
  }

  @Test
  void lessOrEqualCuts_explainedWithTheirRealClosure() throws Exception {
    // topBuyerShare: lessOrEqual 0.3, lessOrEqual 0.6, True; lateShare: lessThan 0.05, lessThan 0.2
    ModelBundle b = importResource("reference-scorecard.pmml");
    List<String> bins = new java.util.ArrayList<>();
    for (double[] row : new double[][] {{0.01, 0.3}, {0.05, 0.6}, {0.2, 0.7}, {0.2, Math.nextUp(0.3)}}) {
      b.scorer().explain(row).items().forEach(i -> bins.add(i.bin()));
    }
    assertThat(bins).containsExactly("[-inf, 0.05)", "[-inf, 0.3]", "[0.05, 0.2)", "(0.3, 0.6]", "[0.2, +inf)",
        "(0.6, +inf)", "[0.2, +inf)", "(0.3, 0.6]");
  }

  @Test
  void floatFields_whereChainScoreComputesInDouble_refusedNamingTheField() throws Exception {
    String pmml = resource("logistic-classifier.pmml");
    String field = pmml.replaceAll("(?s).*?<DataField name=\"([^\"]+)\" optype=\"continuous\" dataType=\"double\".*", "$1");
    String edited = pmml.replaceFirst("(<DataField name=\"" + field + "\" optype=\"continuous\") dataType=\"double\"",
        "$1 dataType=\"float\"");
    assertThat(edited).isNotEqualTo(pmml);
    assertThatThrownBy(() -> importText("lr.pmml", edited)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("DataField@dataType")
        .hasMessageContaining("DataField " + field + " dataType float: a RegressionModel's terms: ChainScore decides in"
            + " double where a PMML evaluator uses the value rounded to float32");
  }

  /**
   * The reference scorecard with lateShare made an integer field, a count of late invoices in [0,
   * 50] split at 3 and 10 ({@code outliers} as given: the Interval refuses, asExtremeValues clamps).
   */
  private static String integerScorecard(boolean clamp) throws Exception {
    String pmml = resource("reference-scorecard.pmml")
        .replaceFirst("dataType=\"double\">\\s*<Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"1\"/>",
            clamp ? "dataType=\"integer\">" : "dataType=\"integer\"><Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"50\"/>")
        .replace("value=\"0.05\"", "value=\"3\"").replace("value=\"0.2\"", "value=\"10\"");
    return clamp ? pmml.replace("<MiningField name=\"lateShare\"/>",
        "<MiningField name=\"lateShare\" outliers=\"asExtremeValues\" lowValue=\"0\" highValue=\"50\"/>") : pmml;
  }

  @Test
  void integerFields_refuseFractionsAsJpmmlDoes() throws Exception {
    for (boolean clamp : new boolean[] {false, true}) {
      String pmml = integerScorecard(clamp);
      assertThat(pmml).contains("dataType=\"integer\"").contains("value=\"10\"");
      ModelBundle b = importText("int.pmml", pmml);
      assertThat(b.schema().feature(0).wholeNumber()).isTrue();
      assertThat(b.schema().feature(1).wholeNumber()).isFalse();
      Evaluator jpmml = JpmmlHarness.load(pmml);
      // hand-picked: whole values at and beside the splits, fractions, values beyond the range
      double[] lates = {0, 2, 3, 9, 10, 50, -0.0, 2.5, 3.0000000000000004, 9.999, 0.5, 50.5, 51, 60.5, -1, -0.5,
          Double.NaN};
      int refusedBoth = 0;
      int scoredBoth = 0;
      for (double late : lates) {
        for (double top : new double[] {0.25, 0.3, 0.7}) {
          double[] row = {late, top};
          Map<String, Object> expected = JpmmlHarness.evaluate(jpmml, b.schema(), row);
          if (expected == null) {
            refusedBoth++;
            assertThatThrownBy(() -> b.scorer().score(row)).as("clamp %s, row %s", clamp, java.util.Arrays.toString(row))
                .isInstanceOf(ScoringException.class);
          } else {
            scoredBoth++;
            assertThat(b.scorer().score(row).points()).as("clamp %s, row %s", clamp, java.util.Arrays.toString(row))
                .isEqualTo(((Number) expected.get("Score")).doubleValue());
          }
        }
      }
      assertThat(refusedBoth).as("fractions refused (and, with the Interval, values beyond it)")
          .isEqualTo(3 * (clamp ? 7 : 9));
      assertThat(scoredBoth).isPositive();
      // and on the harness's random rows (values at, below and above every split, whole one in four)
      int refused = 0;
      for (double[] row : JpmmlHarness.rows(b, 3_000, 1207)) {
        Map<String, Object> expected = JpmmlHarness.evaluate(jpmml, b.schema(), row);
        if (expected == null) {
          refused++;
          assertThatThrownBy(() -> b.scorer().score(row)).as("row %s", java.util.Arrays.toString(row))
              .isInstanceOf(ScoringException.class);
        } else {
          assertThat(b.scorer().score(row).points()).as("row %s", java.util.Arrays.toString(row))
              .isEqualTo(((Number) expected.get("Score")).doubleValue());
        }
      }
      assertThat(refused).isBetween(300, 2_700);
    }
    // a fraction is refused with its own reason, naming the field
    ModelBundle b = importText("int.pmml", integerScorecard(true));
    assertThatThrownBy(() -> b.scorer().score(new double[] {60.5, 0.25})).isInstanceOfSatisfying(ScoringException.class,
        e -> assertThat(e.getMessage()).isEqualTo(
            "row 0, feature lateshare: value 60.5 is not a whole number; the feature takes whole numbers only"));
    // a replacement for missing values with a fraction could never be a value of the field
    String badReplacement = integerScorecard(false).replace("<MiningField name=\"lateShare\"/>",
        "<MiningField name=\"lateShare\" missingValueReplacement=\"2.5\"/>");
    assertThatThrownBy(() -> importText("int.pmml", badReplacement)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("MiningField@missingValueReplacement")
        .hasMessageContaining("2.5 is not a whole number, and field lateShare is dataType integer");
  }

  @Test
  void scorecardWithoutAMissingAttribute_refusesMissingValuesAsJpmmlDoes() throws Exception {
    String pmml = resource("reference-scorecard.pmml")
        .replace(" missingValueTreatment=\"asValue\" missingValueReplacement=\"1\"", "")
        .replace("<Attribute partialScore=\"10\"><True/></Attribute>",
            "<Attribute partialScore=\"10\"><SimplePredicate field=\"topBuyerShare\" operator=\"greaterThan\" value=\"0.6\"/></Attribute>");
    ModelBundle b = PmmlImport.read(new java.io.ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8)),
        new PmmlImport.Options("edited.pmml", null, "2025-01-01T00:00:00Z", "0".repeat(64)));
    Evaluator jpmml = JpmmlHarness.load(pmml);
    double[] missingTop = {0.1, Double.NaN};
    assertThat(JpmmlHarness.evaluate(jpmml, b.schema(), missingTop)).isNull();
    assertThatThrownBy(() -> b.scorer().score(missingTop)).isInstanceOf(ScoringException.class)
        .hasMessageContaining("topbuyershare");
    double[] present = {0.1, 0.7};
    assertThat(((Number) JpmmlHarness.evaluate(jpmml, b.schema(), present).get("Score")).doubleValue())
        .isEqualTo(b.scorer().score(present).points()).isEqualTo(435.0);
  }

  @Test
  void referenceScorecardVerbatim_refusedNamingAsMissing() {
    assertThatThrownBy(() -> importResource("reference-scorecard-original.pmml"))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("reference-scorecard-original.pmml, line 15, MiningField@invalidValueTreatment")
        .hasMessageContaining("asMissing");
  }

  @Test
  void logisticClassifier_pdIsJpmmlsEventProbability() throws Exception {
    ModelBundle b = importResource("logistic-classifier.pmml");
    assertThat(ModelView.of(b)).isInstanceOf(io.chainscore.scoring.spi.LogisticView.class);
    Evaluator jpmml = JpmmlHarness.load(resource("logistic-classifier.pmml"));
    Random random = new Random(4);
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
      double[] row = {random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 90,
          random.nextInt(20) == 0 ? Double.NaN : random.nextDouble() * 2.2 - 0.1};
      Map<String, Object> out = JpmmlHarness.evaluate(jpmml, b.schema(), row);
      ScoreResult r;
      try {
        r = b.scorer().score(row);
      } catch (ScoringException e) {
        assertThat(out).isNull();
        continue;
      }
      assertThat(out).as(java.util.Arrays.toString(row)).isNotNull();
      assertThat(((Number) out.get("probability(1)")).doubleValue()).isCloseTo(r.pd(), within(1e-9));
      compared++;
    }
    assertThat(compared).isGreaterThan(2000);
  }

  @Test
  void treesSum_pdIsTheLogisticOfJpmmlsSum() throws Exception {
    ModelBundle b = importResource("trees-sum.pmml");
    Evaluator jpmml = JpmmlHarness.load(resource("trees-sum.pmml"));
    Random random = new Random(5);
    double[] edges = {1250.5, Math.nextUp(1250.5), -0.1, Math.nextUp(-0.1), Math.nextDown(-0.1), 0};
    for (int i = 0; i < 3000; i++) {
      double[] row = {random.nextInt(10) == 0 ? Double.NaN
          : random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextGaussian() * 2000,
          random.nextInt(10) == 0 ? Double.NaN : random.nextInt(3)};
      Map<String, Object> out = JpmmlHarness.evaluate(jpmml, b.schema(), row);
      assertThat(out).isNotNull();
      double margin = ((Number) out.values().iterator().next()).doubleValue();
      ScoreResult r = b.scorer().score(row);
      assertThat(r.pd()).as(java.util.Arrays.toString(row)).isCloseTo(1 / (1 + Math.exp(-margin)), within(1e-12));
    }
  }

  /** A WoE RegressionModel whose x_woe is an if chain: {@code cases}, in order, then 0.5. */
  private static String woeChain(String cases) {
    return """
        <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
          <Header/>
          <DataDictionary>
            <DataField name="x" optype="continuous" dataType="double"/>
            <DataField name="y" optype="continuous" dataType="double"/>
            <DataField name="target" optype="categorical" dataType="string"><Value value="1"/><Value value="0"/></DataField>
          </DataDictionary>
          <RegressionModel functionName="classification" normalizationMethod="logit">
            <MiningSchema>
              <MiningField name="x"/>
              <MiningField name="y" missingValueTreatment="returnInvalid"/>
              <MiningField name="target" usageType="target"/>
            </MiningSchema>
            <Output>
              <OutputField name="p1" optype="continuous" dataType="double" feature="probability" value="1"/>
            </Output>
            <LocalTransformations>
              <DerivedField name="x_woe" optype="continuous" dataType="double">
        """ + cases + """
              </DerivedField>
            </LocalTransformations>
            <RegressionTable intercept="-2" targetCategory="1">
              <NumericPredictor name="x_woe" coefficient="1.5"/>
              <NumericPredictor name="y" coefficient="0.3"/>
            </RegressionTable>
            <RegressionTable intercept="0" targetCategory="0"/>
          </RegressionModel>
        </PMML>
        """;
  }

  /**
   * An if chain is evaluated in order: an isIn case after a lessThan case does not take the values
   * the lessThan took (3 below 5 is -1, not 2; 7 is 2), as JPMML evaluates it on every row here;
   * an isMissing case after another case is refused at import (JPMML refuses a missing row there).
   * The cases were read as unordered bins until 2026-12-07 (x = 3 scored PD 0.786 for JPMML's
   * 0.039).
   */
  @Test
  void woeIfChain_casesInOrder_asJpmmlEvaluatesThem() throws Exception {
    String ordered = woeChain("""
        <Apply function="if">
          <Apply function="isMissing"><FieldRef field="x"/></Apply>
          <Constant>0.1</Constant>
          <Apply function="if">
            <Apply function="lessThan"><FieldRef field="x"/><Constant>5</Constant></Apply>
            <Constant>-1</Constant>
            <Apply function="if">
              <Apply function="isIn"><FieldRef field="x"/><Constant>3</Constant><Constant>7</Constant></Apply>
              <Constant>2</Constant>
              <Constant>0.5</Constant>
            </Apply>
          </Apply>
        </Apply>
        """);
    ModelBundle b = importText("woe-chain.pmml", ordered);
    Evaluator jpmml = JpmmlHarness.load(ordered);
    double[][] rows = {{3, 1}, {7, 1}, {4.99, 0}, {5, 0}, {Double.NaN, 1}, {-2, 2}, {8, -1}};
    for (double[] row : rows) {
      Map<String, Object> out = JpmmlHarness.evaluate(jpmml, b.schema(), row);
      assertThat(out).as(java.util.Arrays.toString(row)).isNotNull();
      assertThat(b.scorer().score(row).pd()).as(java.util.Arrays.toString(row))
          .isCloseTo(((Number) out.get("p1")).doubleValue(), within(1e-12));
    }
    // by hand: x = 3 takes lessThan's -1: logistic(-2 - 1.5 + 0.3) = 0.0392; x = 7 takes isIn's 2
    assertThat(b.scorer().score(new double[] {3, 1}).pd()).isCloseTo(1 / (1 + Math.exp(3.2)), within(1e-12));
    assertThat(b.scorer().score(new double[] {7, 1}).pd()).isCloseTo(1 / (1 + Math.exp(-1.3)), within(1e-12));
    String missingLate = woeChain("""
        <Apply function="if">
          <Apply function="lessThan"><FieldRef field="x"/><Constant>5</Constant></Apply>
          <Constant>-1</Constant>
          <Apply function="if">
            <Apply function="isMissing"><FieldRef field="x"/></Apply>
            <Constant>0.1</Constant>
            <Constant>0.5</Constant>
          </Apply>
        </Apply>
        """);
    assertThatThrownBy(() -> importText("missing-late.pmml", missingLate)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("Apply@function").hasMessageContaining("isMissing after another case");
  }

  /**
   * {@code missingValueStrategy="none"} (PMML's default) ignores defaultChild: refused at import, as
   * the import routes missing values by defaultChild (it scored such trees as defaultChild's).
   */
  @Test
  void treeModel_missingValueStrategyNone_refused() throws Exception {
    String pmml = resource("trees-sum.pmml").replace("missingValueStrategy=\"defaultChild\"",
        "missingValueStrategy=\"none\"");
    assertThat(pmml).contains("missingValueStrategy=\"none\"");
    assertThatThrownBy(() -> importText("none.pmml", pmml)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("TreeModel@missingValueStrategy").hasMessageContaining("expected defaultChild");
    String absent = resource("trees-sum.pmml").replace(" missingValueStrategy=\"defaultChild\"", "");
    assertThatThrownBy(() -> importText("absent.pmml", absent)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missingValueStrategy=\"none\" is not supported");
  }
}
