package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 12: the job turns Spark's web UI off unless the user enables it (it listens on
 * every interface by default), and the documented local recipes bind the driver to 127.0.0.1 only.
 */
class SparkLocalBindingTest {
  @Test
  void safeDefaults_turnTheUiOff_unlessTheUserSetIt() {
    assertThat(ChainScoreSparkJob.safeDefaults(new SparkConf(false)))
        .isEqualTo(Map.of("spark.ui.enabled", "false", "spark.log.level", "WARN"));
    assertThat(ChainScoreSparkJob.safeDefaults(new SparkConf(false).set("spark.ui.enabled", "true")
        .set("spark.log.level", "INFO"))).isEmpty();
    assertThat(ChainScoreSparkJob.safeDefaults(new SparkConf(false).set("spark.ui.enabled", "false")))
        .isEqualTo(Map.of("spark.log.level", "WARN"));
  }

  @Test
  void localRecipesInTheDocs_bindTheDriverTo127001Only_andEnableNoUi() throws Exception {
    Path docs = Path.of("").toAbsolutePath();
    while (!Files.exists(docs.resolve("docs/scale-out.md"))) {
      docs = docs.getParent();
    }
    List<String> blocks = new ArrayList<>();
    String[] parts = Files.readString(docs.resolve("docs/scale-out.md")).split("```");
    for (int i = 1; i < parts.length; i += 2) {
      if (parts[i].contains("local[")) {
        blocks.add(parts[i]);
      }
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    for (String block : blocks) {
      assertThat(block).contains("spark.driver.bindAddress=127.0.0.1").contains("spark.driver.host=127.0.0.1")
          .doesNotContain("spark.ui.enabled=true").doesNotContainPattern("0\\.0\\.0\\.0");
    }
  }
}
