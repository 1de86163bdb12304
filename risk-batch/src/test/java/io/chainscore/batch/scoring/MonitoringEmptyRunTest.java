package io.chainscore.batch.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.scoring.ModelBundle;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose every row was quarantined (a new code upstream in one column) scored no supplier: it
 * is reported with its data-quality warning and no PSI, not a stopped monitor (until 2026-12-07
 * "stability index: actual counts are all zero", exit 2, no report); as the reference, the other
 * runs get no PSI either.
 */
class MonitoringEmptyRunTest {
  private static final String HEADER =
      "supplier_id,as_of_date,score,pd,grade,reason_1,reason_2,reason_3,reason_4,model_id,model_version\n";

  @TempDir Path dir;

  private static ModelBundle bundle() throws Exception {
    try (InputStream in = MonitoringEmptyRunTest.class.getResourceAsStream("/bundles/scorecard.json")) {
      return ModelBundle.read(in);
    }
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> runs(int reference) throws Exception {
    Path full = Files.writeString(dir.resolve("full.csv"), HEADER + "S1,2025-05-31,600,0.01,5,,,,,m,1\n"
        + "S2,2025-05-31,580,0.03,6,,,,,m,1\nS3,2025-05-31,560,0.06,6,,,,,m,1\n");
    Path empty = Files.writeString(dir.resolve("empty.csv"), HEADER);
    Monitoring.RowCounts allQuarantined = new Monitoring.RowCounts(3, 3, Map.of("sector", 3L), -1);
    Map<String, Object> report = Monitoring.report(List.of(new Monitoring.Run("may", full, null),
        new Monitoring.Run("june", empty, null, allQuarantined)), reference, bundle(), null,
        new Monitoring.Thresholds(0.10, 0.25, 0.10, 0.60, 0.01));
    assertThat((List<?>) report.get("alerts")).isEmpty();
    return (List<Map<String, Object>>) report.get("runs");
  }

  @Test
  void runThatScoredNoSupplier_isReportedWithItsDataQuality_withoutPsi() throws Exception {
    List<Map<String, Object>> runs = runs(0);
    Map<String, Object> june = runs.get(1);
    assertThat(june.get("suppliers")).isEqualTo(0);
    assertThat(june).containsEntry("psi_score_deciles", null).containsEntry("psi_grades", null)
        .containsEntry("mean_pd", null).containsEntry("csi", null);
    assertThat((Double) june.get("quarantined_share")).isCloseTo(1.0, within(1e-12));
    assertThat(june.get("quarantine_warning")).isEqualTo(true);
    assertThat(june.get("status")).isEqualTo("warning");
    assertThat((Double) runs.get(0).get("psi_grades")).isCloseTo(0.0, within(1e-12));
    assertThat((Double) runs.get(0).get("mean_pd")).isCloseTo(0.1 / 3, within(1e-12));
  }

  @Test
  void referenceThatScoredNoSupplier_leavesEveryPsiOut() throws Exception {
    List<Map<String, Object>> runs = runs(1);
    assertThat(runs.get(0)).containsEntry("psi_score_deciles", null).containsEntry("psi_grades", null)
        .containsEntry("status", "ok");
  }
}
