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
 * A segment no supplier of a run reached has no mean PD: null, as a run's without suppliers (until
 * 2026-12-07 monitor.json held the text "NaN" there and the summary printed "NaN%"). The bundle is
 * a two-segment scorecard trained by {@code train --segment} on generated data.
 */
class MonitoringEmptySegmentTest {
  private static final String HEADER = "supplier_id,as_of_date,score,pd,grade,reason_1,reason_2,reason_3,reason_4,"
      + "model_id,model_version,segment\n";

  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void segmentWithoutSuppliers_hasNoMeanPd() throws Exception {
    ModelBundle bundle;
    try (InputStream in = getClass().getResourceAsStream("/bundles/segmented-scorecard.json")) {
      bundle = ModelBundle.read(in);
    }
    Path may = Files.writeString(dir.resolve("may.csv"), HEADER + "S1,2025-05-31,600,0.02,2,,,,,sc,1.0.0,thin_file\n"
        + "S2,2025-05-31,620,0.01,1,,,,,sc,1.0.0,seasoned\nS3,2025-05-31,560,0.05,4,,,,,sc,1.0.0,seasoned\n");
    Path june = Files.writeString(dir.resolve("june.csv"), HEADER + "S2,2025-06-30,620,0.01,1,,,,,sc,1.0.0,seasoned\n"
        + "S3,2025-06-30,560,0.07,4,,,,,sc,1.0.0,seasoned\n");
    Map<String, Object> report = Monitoring.report(List.of(new Monitoring.Run("may", may, null),
        new Monitoring.Run("june", june, null)), 0, bundle, null, new Monitoring.Thresholds(0.10, 0.25, 0.10, 0.60, 0.01));
    List<Map<String, Object>> segments = (List<Map<String, Object>>) ((List<Map<String, Object>>) report.get("runs"))
        .get(1).get("segments");
    assertThat(segments).extracting(s -> s.get("segment")).containsExactly("thin_file", "seasoned");
    assertThat(segments.get(0)).containsEntry("suppliers", 0).containsEntry("mean_pd", null)
        .containsEntry("psi_score_deciles", null);
    assertThat((Double) segments.get(1).get("mean_pd")).isCloseTo(0.04, within(1e-12));
  }
}
