package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --adverse-action} states what ranked the row's reasons and quotes the row's own
 * values of the characteristics the model scored under each reason (docs/adverse-action.md).
 */
class AdverseActionNoticeTest {
  @TempDir Path dir;

  /**
   * A segmented bundle of boosted trees ranks each row's reasons against its segment's approved
   * population; the notice stated the top-level reference instead, which for such a bundle is
   * {@code per_segment}, and so printed the training-average method ("the average applicant, not
   * an approved one") for every supplier.
   */
  @Test
  void segmentedTrees_noticeStatesTheSegmentsApprovedPopulation() throws Exception {
    Path data = SegmentedCommandTest.writeData(dir, 28);
    Path trees = dir.resolve("trees.json");
    CliRun trained = CliRun.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id,as_of_date", "--model-type", "gbdt", "--trees", "10", "--depth", "2", "--reason-reference",
        "approved:0.15", "--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out",
        trees.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
    ModelBundle bundle = ModelBundle.read(trees);
    assertThat(bundle.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.PER_SEGMENT);
    java.util.Set<String> segments = new java.util.HashSet<>();
    for (String supplier : java.util.List.of("S00000", "S00001", "S00002", "S00003", "S00004", "S00005",
        "S00006", "S00007", "S00008", "S00009")) {
      CliRun run = CliRun.of("explain", "--model", trees.toString(), "--features", data.toString(), "--supplier",
          supplier, "--adverse-action", "--json");
      assertThat(run.code()).as(run.err()).isZero();
      JsonNode notice = new ObjectMapper().readTree(run.out());
      String segment = bundle.scorer()
          .score(ExplainCommand.supplierRow(bundle, data, null, supplier)).segment();
      ModelBundle.ReasonReference own = bundle.segments().stream().filter(s -> s.name().equals(segment))
          .findFirst().orElseThrow().bundle().reasonReference();
      assertThat(own.method()).isEqualTo(ModelBundle.ReasonReference.APPROVED_POPULATION);
      assertThat(notice.get("method").asText()).as(supplier + " in " + segment)
          .isEqualTo(AdverseActionNotice.method(own))
          .contains("in segment " + segment)
          .doesNotContain("not an approved one");
      segments.add(segment);
    }
    assertThat(segments).containsExactlyInAnyOrder("thin_file", "seasoned");
  }
}
