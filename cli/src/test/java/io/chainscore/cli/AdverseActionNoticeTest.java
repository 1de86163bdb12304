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

  /**
   * Two stumps in XGBoost's JSON on two standard features: invoiced_amount_12m below 1,000,000 adds
   * 0.3 to the log-odds (cover 40, else -0.2 with cover 60), on_time_delivery_rate_12m below 0.95 or
   * missing adds 0.4 (cover 30, else -0.1 with cover 70). Imported with {@code --schema standard}, so
   * the bundle has all 39 standard features and the trees read two of them.
   */
  private Path twoStumps() throws Exception {
    Path source = java.nio.file.Files.writeString(dir.resolve("two.json"), ""
        + "{\"learner\":{\"attributes\":{},\"feature_names\":[\"invoiced_amount_12m\",\"on_time_delivery_rate_"
        + "12m\"],\"feature_types\":[\"q\",\"q\"],\"gradient_booster\":{\"model\":{\"cats\":{\"enc\":[],\"feature_seg"
        + "ments\":[],\"sorted_idx\":[]},\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\"2\"},"
        + "\"iteration_indptr\":[0,1,2],\"tree_info\":[0,0],\"trees\":[{\"base_weights\":[0.0,0.3,-0.2],\"cate"
        + "gories\":[],\"categories_nodes\":[],\"categories_segments\":[],\"categories_sizes\":[],\"default_l"
        + "eft\":[0,0,0],\"id\":0,\"left_children\":[1,-1,-1],\"loss_changes\":[0.0,0.0,0.0],\"parents\":[2147"
        + "483647,0,0],\"right_children\":[2,-1,-1],\"split_conditions\":[1000000.0,0.3,-0.2],\"split_indi"
        + "ces\":[0,0,0],\"split_type\":[0,0,0],\"sum_hessian\":[100.0,40.0,60.0],\"tree_param\":{\"num_delet"
        + "ed\":\"0\",\"num_feature\":\"2\",\"num_nodes\":\"3\",\"size_leaf_vector\":\"1\"}},{\"base_weights\":[0.0,0."
        + "4,-0.1],\"categories\":[],\"categories_nodes\":[],\"categories_segments\":[],\"categories_sizes\":"
        + "[],\"default_left\":[1,0,0],\"id\":1,\"left_children\":[1,-1,-1],\"loss_changes\":[0.0,0.0,0.0],\"p"
        + "arents\":[2147483647,0,0],\"right_children\":[2,-1,-1],\"split_conditions\":[0.95,0.4,-0.1],\"sp"
        + "lit_indices\":[1,0,0],\"split_type\":[0,0,0],\"sum_hessian\":[100.0,30.0,70.0],\"tree_param\":{\"n"
        + "um_deleted\":\"0\",\"num_feature\":\"2\",\"num_nodes\":\"3\",\"size_leaf_vector\":\"1\"}}]},\"name\":\"gbtre"
        + "e\"},\"learner_model_param\":{\"base_score\":\"[5E-1]\",\"boost_from_average\":\"1\",\"num_class\":\"0\","
        + "\"num_feature\":\"2\",\"num_target\":\"1\"},\"objective\":{\"name\":\"binary:logistic\",\"reg_loss_param\""
        + ":{\"scale_pos_weight\":\"1\"}}},\"version\":[3,4,0]}");
    Path bundle = dir.resolve("two-bundle.json");
    CliRun imported = CliRun.of("import", "xgboost", "--source", source.toString(), "--out", bundle.toString(),
        "--schema", "standard");
    assertThat(imported.code()).as(imported.err()).isZero();
    return bundle;
  }

  /**
   * The reason codes of a tree ensemble on the standard features are reason groups: A03 covers ten
   * features. The notice listed all ten under A03, with their values, for a model that split on one
   * of them; a notice may name only the factors the model scored (Reg. B comment 9(b)(2)-4).
   */
  @Test
  void treesOnStandardFeatures_noticeListsOnlyTheFeaturesTheModelScored() throws Exception {
    Path bundle = twoStumps();
    CliRun run = CliRun.of("explain", "--model", bundle.toString(), "--set", "invoiced_amount_12m=800000", "--set",
        "on_time_delivery_rate_12m=0.97", "--adverse-action", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode reasons = new ObjectMapper().readTree(run.out()).get("reasons");
    // TreeSHAP: 0.3 - (0.4 * 0.3 + 0.6 * -0.2) = +0.3 for A03, -0.1 - (0.3 * 0.4 + 0.7 * -0.1) = -0.15 for A06
    assertThat(reasons).hasSize(1);
    assertThat(reasons.get(0).get("code").asText()).isEqualTo("A03");
    assertThat(reasons.get(0).get("factors")).hasSize(1);
    assertThat(reasons.get(0).get("factors").get(0).get("name").asText()).isEqualTo("invoiced_amount_12m");
    CliRun text = CliRun.of("explain", "--model", bundle.toString(), "--set", "invoiced_amount_12m=800000", "--set",
        "on_time_delivery_rate_12m=0.97", "--adverse-action");
    assertThat(text.out()).contains("(invoiced_amount_12m 800000)").doesNotContain("invoice_count")
        .doesNotContain("open_receivables");
  }

  /**
   * The values a notice quotes are the row's: {@code --json} gave them as text rounded to six
   * significant digits (849681.37 became "849681") and a missing one as the string "missing", where
   * {@code explain --json} gives numbers as numbers and a missing value as null; the text notice
   * printed the same rounded figure.
   */
  @Test
  void noticeQuotesTheRowsOwnValues_exactNumbersAndNullWhenMissing() throws Exception {
    Path bundle = twoStumps();
    CliRun run = CliRun.of("explain", "--model", bundle.toString(), "--set", "invoiced_amount_12m=849681.37", "--set",
        "on_time_delivery_rate_12m=missing", "--adverse-action", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode reasons = new ObjectMapper().readTree(run.out()).get("reasons");
    // TreeSHAP: a missing on-time rate goes left, 0.4 - (0.3 * 0.4 + 0.7 * -0.1) = +0.35 for A06, then +0.3 for A03
    assertThat(reasons).hasSize(2);
    assertThat(reasons.get(0).get("code").asText()).isEqualTo("A06");
    JsonNode onTime = reasons.get(0).get("factors").get(0);
    assertThat(onTime.get("name").asText()).isEqualTo("on_time_delivery_rate_12m");
    assertThat(onTime.get("value").isNull()).as(onTime.toString()).isTrue();
    assertThat(reasons.get(1).get("code").asText()).isEqualTo("A03");
    JsonNode amount = reasons.get(1).get("factors").get(0);
    assertThat(amount.get("value").isNumber()).as(amount.toString()).isTrue();
    assertThat(amount.get("value").asDouble()).isCloseTo(849681.37, org.assertj.core.data.Offset.offset(0.0));
    CliRun text = CliRun.of("explain", "--model", bundle.toString(), "--set", "invoiced_amount_12m=849681.37", "--set",
        "on_time_delivery_rate_12m=missing", "--adverse-action");
    assertThat(text.out()).contains("(on_time_delivery_rate_12m missing)").contains("(invoiced_amount_12m 849681.37)");
    // a sum's last-bit noise is not quoted: 12 significant digits, trailing zeros dropped
    assertThat(new AdverseActionNotice.Factor("open_receivables", 1031668.1000000001).valueText()).isEqualTo("1031668.1");
    assertThat(new AdverseActionNotice.Factor("growth_3m_yoy", -0.25).valueText()).isEqualTo("-0.25");
    assertThat(new AdverseActionNotice.Factor("firm_age_years", 12.0).valueText()).isEqualTo("12");
  }
}
