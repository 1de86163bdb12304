package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.TabularData;
import io.chainscore.develop.document.ModelDocumentation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.validation.ModelDocument;
import io.chainscore.validation.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20 section 3: {@code chainscore document} on German credit for a scorecard trained by
 * {@code chainscore train}: every section is written, the cohort table counts what a direct count
 * of the file gives, the AUC is the pair count's, and on the rows it was fitted on the
 * characteristics' re-estimated weights are close to 1 (the fit's own weights, up to the rounding
 * of points to whole numbers).
 */
class DocumentCommandTest {
  @TempDir Path dir;

  @Test
  void germanCredit_scorecard_documentedSectionBySection() throws Exception {
    Path german = TestRuns.german();
    Path bundlePath = dir.resolve("german.json");
    CliRun train = CliRun.of("train", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--test-share", "0.3", "--seed", "7", "--out", bundlePath.toString());
    assertThat(train.code()).as(train.err()).isZero();

    Path out = dir.resolve("doc/german.html");
    CliRun doc = CliRun.of("document", "--model", bundlePath.toString(), "--data", german.toString(), "--target",
        "creditability", "--event-label", "bad", "--cohort", "housing", "--out", out.toString());
    assertThat(doc.code()).as(doc.err()).isZero();
    String html = Files.readString(out);
    for (String section : new String[] {"1. Purpose and scope", "2. Data and cohorts", "3. Method",
        "4. Performance and calibration on the sample", "Bin tables on the validation sample",
        "5. Re-estimated weights and significance", "6. Stability", "7. Limitations", "8. Provenance"}) {
      assertThat(html).contains(section);
    }
    // the scope's pointer to the limitations names their section (it named the provenance's)
    java.util.regex.Matcher pointer = java.util.regex.Pattern.compile("section (\\d+) says what it does not show")
        .matcher(html);
    assertThat(pointer.find()).isTrue();
    assertThat(html).contains("<h2>" + pointer.group(1) + ". Limitations</h2>");
    assertThat(CliRun.of("document", "--model", bundlePath.toString(), "--data", german.toString(), "--target",
        "creditability", "--event-label", "bad", "--out", out.toString()).code()).isEqualTo(2);
    // the provenance: the trainer, then the settings it recorded, one group a line
    assertThat(html.split("<h2>8. Provenance</h2>")[1]).contains("<tr><th>trainer</th><td class=\"text\">chainscore"
        + " train " + ChainScoreCli.versionText() + "</td></tr><tr><th>training settings</th><td class=\"settings\">"
        + "<div>target=creditability event_label=bad exclude=[] weight_column=none cohort=none test_share=0.3 seed=7"
        + "</div><div>method=woe_logistic min_iv=0.02 max_correlation=0.7 max_characteristics=15"
        + " min_bin_share=0.05 max_bins=8 selection=information_value weights=none binning=automatic</div></td></tr>");

    // The same document through the library, checked against the file.
    ModelBundle bundle = ModelBundle.read(bundlePath);
    TabularData data = TabularData.readCsv(german, "creditability", "bad");
    double[] rows = ValidateCommand.rows(bundle.schema(), data, german);
    String[] housing = data.categorical("housing");
    ModelDocument d = ModelDocumentation.build(bundle, rows, data.target(), housing, german.toString(), "x", null,
        ValidationReport.Options.defaults().inSample(true));
    assertThat(d.data().rows()).isEqualTo(1000);
    assertThat(d.data().defaults()).isEqualTo(300);
    Map<String, long[]> byHousing = new HashMap<>();
    for (int i = 0; i < housing.length; i++) {
      long[] c = byHousing.computeIfAbsent(housing[i], k -> new long[2]);
      c[0]++;
      c[1] += data.target()[i];
    }
    assertThat(d.cohorts()).hasSize(byHousing.size());
    for (ModelDocument.Cohort c : d.cohorts()) {
      assertThat(new long[] {c.rows(), c.defaults()}).containsExactly(byHousing.get(c.name()));
    }
    // AUC by counting pairs.
    double[] pd = d.validation().pd();
    int[] y = data.target();
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < pd.length; i++) {
      for (int j = 0; j < pd.length; j++) {
        if (y[i] == 1 && y[j] == 0) {
          pairs++;
          wins += pd[i] > pd[j] ? 1 : pd[i] == pd[j] ? 0.5 : 0;
        }
      }
    }
    assertThat(d.validation().metrics().auc()).isCloseTo(wins / pairs, within(1e-12));
    // In sample, each characteristic's weight holds: near 1 (points are whole numbers, and the fit
    // was on 70% of these rows).
    for (ModelDocument.Term t : d.weights().terms().subList(1, d.weights().terms().size())) {
      assertThat(t.coefficient()).as(t.name()).isBetween(0.6, 1.4);
    }
    assertThat(d.weights().terms().get(0).name()).isEqualTo("(intercept)");
    assertThat(d.stability()).isNotNull();
    assertThat(d.limitations()).anyMatch(l -> l.contains("fitted on"));
  }
}
