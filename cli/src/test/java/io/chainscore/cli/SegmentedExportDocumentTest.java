package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.document.ModelDocumentation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.spi.Bin;
import io.chainscore.scoring.spi.Characteristic;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.validation.CharacteristicBins;
import io.chainscore.validation.ModelDocument;
import io.chainscore.validation.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export pmml}, {@code import pmml} and {@code document} on a segmented bundle trained by
 * {@code train --segment}: the PMML imports back into a segmented bundle that scores every holdout
 * row as the original does (points, PD, grade, reasons and segment, bit for bit); the document lists
 * the routing rules and has a section per segment whose rows, AUC and bin points match a direct
 * count of the file, a pair count and the bundle's own bins; malformed input is one line, exit 2.
 */
class SegmentedExportDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path data;
  private Path bundlePath;

  @BeforeEach
  void trainSegmented() throws Exception {
    bundlePath = trainSegmented(dir);
    data = dir.resolve("data.csv");
  }

  /**
   * Trains {@code dir/seg.json}, a segmented scorecard on {@code dir/data.csv} with its holdout rows
   * in {@code dir/holdout.csv}: thin files (tenure under 12 months) default on volume drops,
   * seasoned suppliers on late payment.
   */
  static Path trainSegmented(Path dir) throws Exception {
    Path data = SegmentedCommandTest.writeData(dir, 28);
    Path bundlePath = dir.resolve("seg.json");
    CliRun trained = CliRun.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id,as_of_date", "--holdout-out", dir.resolve("holdout.csv").toString(), "--segment",
        "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out", bundlePath.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
    return bundlePath;
  }

  private static String errorLine(CliRun run) {
    List<String> errors = run.err().lines().filter(l -> l.startsWith("chainscore")).toList();
    assertThat(errors).hasSize(1);
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    return errors.get(0);
  }

  private static ScoreResult score(ModelBundle bundle, double[] row) {
    try {
      return bundle.scorer().score(row);
    } catch (ScoringException e) {
      return null;
    }
  }

  @Test
  void exportPmml_thenImport_scoresEveryHoldoutRowAlike() throws Exception {
    Path pmml = dir.resolve("seg.pmml");
    CliRun exported = CliRun.of("export", "pmml", "--model", bundlePath.toString(), "--out", pmml.toString(), "--json");
    assertThat(exported.code()).as(exported.err()).isZero();
    JsonNode result = JSON.readTree(exported.out());
    assertThat(result.get("model_kind").asText()).isEqualTo("segmented");
    assertThat(result.get("bytes").asLong()).isEqualTo(Files.size(pmml));
    String text = Files.readString(pmml);
    assertThat(text).contains("<Segmentation multipleModelMethod=\"selectFirst\">").contains("<Segment id=\"thin_file\">")
        .contains("<Segment id=\"seasoned\">").contains("name=\"segment\"");

    Path back = dir.resolve("back.json");
    CliRun imported = CliRun.of("import", "pmml", "--source", pmml.toString(), "--out", back.toString(), "--json");
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(JSON.readTree(imported.out()).get("model_kind").asText()).isEqualTo("segmented");

    ModelBundle original = ModelBundle.read(bundlePath);
    ModelBundle roundTrip = ModelBundle.read(back);
    assertThat(roundTrip.segments().stream().map(ModelBundle.Segment::rule).toList())
        .isEqualTo(original.segments().stream().map(ModelBundle.Segment::rule).toList());
    // each segment's training record (rows, events, its trainer's settings) comes back as it was
    JsonNode provenance = JSON.readTree(bundlePath.toFile()).get("provenance");
    assertThat(provenance.get("segments")).hasSize(2);
    JsonNode imported2 = JSON.readTree(back.toFile()).get("provenance");
    assertThat(imported2.get("segments")).isEqualTo(provenance.get("segments"));
    assertThat(imported2.get("pd_calibration")).isEqualTo(provenance.get("pd_calibration"));
    // the import records itself (docs/pmml.md, Import): the file's hash, the document's word kept as its claim
    assertThat(imported2.get("trained_at")).isEqualTo(provenance.get("trained_at"));
    assertThat(imported2.get("training_data_sha256").asText()).isEqualTo(io.chainscore.batch.engine.RunManifest.sha256(pmml));
    assertThat(imported2.get("trainer").asText()).startsWith("imported from PMML by chainscore import pmml (")
        .endsWith("; the document's provenance (its claim): trained_at=" + provenance.get("trained_at").asText()
            + " training_data_sha256=" + provenance.get("training_data_sha256").asText() + " trainer="
            + provenance.get("trainer").asText());
    TabularData holdout = TabularData.readCsv(dir.resolve("holdout.csv"), "bad", null);
    double[] rows = ValidateCommand.rows(original.schema(), holdout, dir.resolve("holdout.csv"));
    int p = original.schema().size();
    int[] bySegment = new int[2];
    for (int i = 0; i < holdout.rowCount(); i++) {
      double[] row = java.util.Arrays.copyOfRange(rows, i * p, (i + 1) * p);
      ScoreResult a = score(original, row);
      ScoreResult b = score(roundTrip, row);
      assertThat(b).as("row " + i).isEqualTo(a);
      if (a != null) {
        bySegment[a.segment().equals("thin_file") ? 0 : 1]++;
      }
    }
    assertThat(bySegment[0]).isGreaterThan(50);
    assertThat(bySegment[1]).isGreaterThan(200);

    // a PMML that is not the form ChainScore reads: one line naming the element, exit 2
    Path bad = dir.resolve("bad.pmml");
    Files.writeString(bad, text.replace("multipleModelMethod=\"selectFirst\"", "multipleModelMethod=\"average\""));
    CliRun refused = CliRun.of("import", "pmml", "--source", bad.toString(), "--out", dir.resolve("x.json").toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(errorLine(refused)).contains("bad.pmml").contains("Segmentation@multipleModelMethod")
        .contains("selectFirst");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void document_listsTheRulesAndDocumentsEachSegment() throws Exception {
    Path holdoutPath = dir.resolve("holdout.csv");
    Path out = dir.resolve("doc/seg.html");
    CliRun doc = CliRun.of("document", "--model", bundlePath.toString(), "--data", holdoutPath.toString(),
        "--target", "bad", "--out", out.toString(), "--json");
    assertThat(doc.code()).as(doc.err()).isZero();
    String html = Files.readString(out);
    for (String section : new String[] {"1. Purpose and scope", "3. Method", "Routing rules", "tenure_months &lt; 12",
        "4. Performance and calibration on the sample", "4.1 Segment thin_file: tenure_months &lt; 12",
        "4.2 Segment seasoned: otherwise", "5. Re-estimated weights and significance", "7. Limitations",
        "8. Provenance"}) {
      assertThat(html).contains(section);
    }
    // every segment's bin tables, one heading level below its section
    assertThat(html.split("<h3>Bin tables on the validation sample</h3>", -1)).hasSize(3);

    // the same document through the library, against the file read directly
    ModelBundle bundle = ModelBundle.read(bundlePath);
    TabularData holdout = TabularData.readCsv(holdoutPath, "bad", null);
    double[] rows = ValidateCommand.rows(bundle.schema(), holdout, holdoutPath);
    ModelDocument d = ModelDocumentation.build(bundle, rows, holdout.target(), null, holdoutPath.toString(), "x", null,
        ValidationReport.Options.defaults());
    assertThat(d.weights()).isNull();
    assertThat(d.segments()).hasSize(2);
    double[] tenure = holdout.numeric("tenure_months");
    int[] y = holdout.target();
    List<List<Integer>> members = List.of(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < tenure.length; i++) {
      members.get(tenure[i] < 12 ? 0 : 1).add(i);
    }
    for (int s = 0; s < 2; s++) {
      ModelDocument.Segment g = d.segments().get(s);
      ModelBundle.Segment segment = bundle.segments().get(s);
      assertThat(g.name()).isEqualTo(segment.name());
      assertThat(g.rule()).isEqualTo(segment.rule());
      assertThat(html).contains(g.rule().replace("<", "&lt;"));
      List<Integer> index = members.get(s);
      assertThat(g.rows()).isEqualTo(index.size());
      assertThat(g.defaults()).isEqualTo(index.stream().mapToInt(i -> y[i]).sum());
      // the segment's AUC is the pair count's on its own PDs
      double wins = 0;
      long pairs = 0;
      double[] pd = new double[index.size()];
      for (int k = 0; k < pd.length; k++) {
        double[] row = java.util.Arrays.copyOfRange(rows, index.get(k) * bundle.schema().size(),
            (index.get(k) + 1) * bundle.schema().size());
        pd[k] = segment.bundle().scorer().score(row).pd();
      }
      for (int a = 0; a < pd.length; a++) {
        for (int b = 0; b < pd.length; b++) {
          if (y[index.get(a)] == 1 && y[index.get(b)] == 0) {
            pairs++;
            wins += pd[a] > pd[b] ? 1 : pd[a] == pd[b] ? 0.5 : 0;
          }
        }
      }
      assertThat(g.validation().metrics().auc()).isCloseTo(wins / pairs, org.assertj.core.api.Assertions.within(1e-12));
      // its bin tables: the bundle's characteristics, bins and points, with counts summing to its rows
      List<Characteristic> characteristics = ((ScorecardView) ModelView.of(segment.bundle())).characteristics();
      assertThat(g.characteristics()).isEqualTo(characteristics.stream().map(Characteristic::name).toList());
      List<CharacteristicBins> tables = g.validation().binTables();
      assertThat(tables).hasSameSizeAs(characteristics);
      for (int c = 0; c < tables.size(); c++) {
        assertThat(tables.get(c).bins().stream().map(CharacteristicBins.Bin::points).toList())
            .isEqualTo(characteristics.get(c).bins().stream().map(Bin::value).toList());
        assertThat(tables.get(c).bins().stream().mapToLong(CharacteristicBins.Bin::count).sum()).isEqualTo(index.size());
      }
      assertThat(g.weights()).isNotNull();
      assertThat(g.weights().terms().stream().skip(1).map(ModelDocument.Term::name).toList())
          .isSubsetOf(g.characteristics());
      // its own trainer text, apart from its training record, and its settings one group a line
      com.fasterxml.jackson.databind.JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(bundlePath.toFile()).get("provenance").get("segments").get(s);
      assertThat(g.trainer()).isEqualTo(record.get("trainer").asText());
      assertThat(g.training()).doesNotContain("trainer").contains("\"rows\":" + record.get("rows").asInt());
      String[] groups = g.trainer().split("; ");
      assertThat(groups).hasSize(3);
      assertThat(groups[2]).startsWith("method=woe_logistic ");
      String section = html.split("<h2>4\\." + (s + 1) + " Segment ")[1].split("<h2>")[0];
      assertThat(section).contains("<tr><th>trainer</th><td class=\"text\">" + groups[0] + "</td></tr>"
          + "<tr><th>training settings</th><td class=\"settings\"><div>" + groups[1].replace("'", "&#39;")
          + "</div><div>" + groups[2] + "</div></td></tr>");
    }
    assertThat(d.validation().metrics().segments()).hasSize(2);
    assertThat(d.segments()).allSatisfy(g -> assertThat(g.stability()).isNull());

    // with cohorts, section 6 shows each segment's own stability (figures: SegmentedScorecardsTest)
    String[] cohorts = new String[tenure.length];
    for (int i = 0; i < cohorts.length; i++) {
      cohorts[i] = i % 2 == 0 ? "2024" : "2025";
    }
    ModelDocument withCohorts = ModelDocumentation.build(bundle, rows, holdout.target(), cohorts,
        holdoutPath.toString(), "x", null, ValidationReport.Options.defaults());
    String stability = io.chainscore.reports.DocumentHtml.render(withCohorts).split("<h2>6. Stability</h2>")[1]
        .split("<h2>7. ")[0];
    for (ModelDocument.Segment g : withCohorts.segments()) {
      ModelDocument.Stability gs = g.stability();
      assertThat(gs.csiNames()).isEqualTo(g.characteristics());
      assertThat(stability).contains("<h3>Segment " + g.name() + "</h3>\n<p>From cohort 2024 to 2025: PSI of its PDs "
          + String.format(java.util.Locale.ROOT, "%.4f.", gs.psiScores()));
      assertThat(stability).contains("characteristic stability of segment " + g.name());
      for (double v : gs.csi()) {
        assertThat(stability).contains(String.format(java.util.Locale.ROOT, "%.4f", v));
      }
    }
  }

  /**
   * Segments of boosted trees keep their own approved-population reason references through PMML
   * (each in its segment's {@code chainscore-segment} extension): without them the round trip ranked
   * reasons against one shared reference and changed reason codes on most rows.
   */
  @Test
  void exportPmml_treeSegments_keepTheirOwnReasonReferences() throws Exception {
    Path trees = dir.resolve("trees.json");
    CliRun trained = CliRun.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id,as_of_date", "--model-type", "gbdt", "--trees", "20", "--depth", "3", "--reason-reference",
        "approved:0.15", "--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out",
        trees.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
    ModelBundle original = ModelBundle.read(trees);
    assertThat(original.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.PER_SEGMENT);
    Path pmml = dir.resolve("trees.pmml");
    assertThat(CliRun.of("export", "pmml", "--model", trees.toString(), "--out", pmml.toString()).code()).isZero();
    Path back = dir.resolve("trees-back.json");
    CliRun imported = CliRun.of("import", "pmml", "--source", pmml.toString(), "--out", back.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    ModelBundle roundTrip = ModelBundle.read(back);
    for (int s = 0; s < 2; s++) {
      assertThat(roundTrip.segments().get(s).bundle().reasonReference())
          .isEqualTo(original.segments().get(s).bundle().reasonReference());
    }
    assertThat(original.segments().get(0).bundle().reasonReference())
        .isNotEqualTo(original.segments().get(1).bundle().reasonReference());
    TabularData rows = TabularData.readCsv(data, "bad", null);
    double[] x = ValidateCommand.rows(original.schema(), rows, data);
    int p = original.schema().size();
    for (int i = 0; i < rows.rowCount(); i++) {
      double[] row = java.util.Arrays.copyOfRange(x, i * p, (i + 1) * p);
      ScoreResult a = score(original, row);
      ScoreResult b = score(roundTrip, row);
      assertThat(a).as("row %d", i).isNotNull();
      assertThat(b.pd()).as("row %d", i).isEqualTo(a.pd());
      assertThat(b.reasonCodes()).as("row %d", i).isEqualTo(a.reasonCodes());
      assertThat(b.segment()).isEqualTo(a.segment());
    }
  }
}
