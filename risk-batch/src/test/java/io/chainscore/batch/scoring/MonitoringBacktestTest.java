package io.chainscore.batch.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.scoring.ModelBundle;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The back-test of a run whose labelled rows hold fewer than two defaults: the AUC where both
 * classes are present, no DeLong interval (its variance needs two of each), no AUC alert, and the
 * calibration test as always (until 2026-12-07 one default stopped monitor, none wrote "NaN").
 */
class MonitoringBacktestTest {
  private static final double[] PD = {0.01, 0.02, 0.03, 0.05, 0.08, 0.12};
  private static final String AS_OF = "2025-06-30";

  @TempDir Path dir;

  private static ModelBundle bundle() throws Exception {
    try (InputStream in = MonitoringBacktestTest.class.getResourceAsStream("/bundles/scorecard.json")) {
      return ModelBundle.read(in);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> backtest(int... defaulted) throws Exception {
    StringBuilder csv = new StringBuilder(
        "supplier_id,as_of_date,score,pd,grade,reason_1,reason_2,reason_3,reason_4,model_id,model_version\n");
    Map<String, Map<LocalDate, Boolean>> labels = new HashMap<>();
    for (int i = 0; i < PD.length; i++) {
      csv.append("S").append(i).append(',').append(AS_OF).append(',').append(600 - 10 * i).append(',')
          .append(PD[i]).append(",6,,,,,m,1\n");
      labels.put("S" + i, Map.of(LocalDate.parse(AS_OF), java.util.Arrays.binarySearch(defaulted, i) >= 0));
    }
    Path scores = Files.writeString(dir.resolve("s" + defaulted.length + ".csv"), csv);
    Map<String, Object> report = Monitoring.report(List.of(new Monitoring.Run("run", scores, null)), 0, bundle(),
        labels, new Monitoring.Thresholds(0.10, 0.25, 0.10, 0.60, 0.01));
    assertThat((List<?>) report.get("alerts")).isEmpty();
    return (Map<String, Object>) ((List<Map<String, Object>>) report.get("runs")).get(0).get("backtest");
  }

  @Test
  void oneDefault_givesTheAucWithoutAnInterval() throws Exception {
    // the default at PD 0.05 outranks 3 of the 5 non-defaults: AUC 3/5 by a pair count
    Map<String, Object> b = backtest(3);
    assertThat(b.get("defaults")).isEqualTo(1);
    assertThat((Double) b.get("auc")).isCloseTo(0.6, within(1e-12));
    assertThat(b.get("auc_lower")).isNull();
    assertThat(b.get("auc_upper")).isNull();
    // P(D >= 1) = 1 - prod(1 - p)
    double none = 1;
    for (double p : PD) {
      none *= 1 - p;
    }
    assertThat((Double) b.get("calibration_p_value")).isCloseTo(1 - none, within(1e-12));
  }

  @Test
  void noDefault_hasNoAucAtAll() throws Exception {
    Map<String, Object> b = backtest();
    assertThat(b.get("defaults")).isEqualTo(0);
    assertThat(b).containsEntry("auc", null).containsEntry("auc_lower", null).containsEntry("auc_upper", null);
    assertThat((Double) b.get("calibration_p_value")).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void twoDefaults_giveTheDeLongInterval() throws Exception {
    Map<String, Object> b = backtest(4, 5);
    assertThat((Double) b.get("auc")).isCloseTo(1.0, within(1e-12));
    assertThat((Double) b.get("auc_lower")).isNotNull();
    assertThat((Double) b.get("auc_upper")).isCloseTo(1.0, within(1e-12));
  }
}
