package io.chainscore.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.testing.BundleRebuild;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The shipped bundles, rebuilt part by part through {@code BundleBuilder} (model from the load-time
 * view, golden outputs re-scored), are the committed files byte for byte: the builder writes every
 * field, number and golden row the way the files have them.
 */
class BundledModelsRebuildTest {
  @Test
  void rebuild_defaultScorecard_isTheCommittedFileByteForByte() throws Exception {
    String file = text(DefaultModels.SCORECARD);
    ModelBundle bundle = ModelBundle.fromJson(file);
    assertThat(ModelView.of(bundle)).isInstanceOf(ScorecardView.class);
    ModelBundle rebuilt = BundleRebuild.rebuild(bundle);
    assertThat(rebuilt.toJson()).isEqualTo(file);
    assertThat(rebuilt.sha256()).isEqualTo(bundle.sha256());
  }

  @Test
  void rebuild_defaultGbdt_isTheCommittedFileByteForByte() throws Exception {
    String file = text(DefaultModels.GBDT);
    ModelBundle bundle = ModelBundle.fromJson(file);
    assertThat(((TreeEnsembleView) ModelView.of(bundle)).treeCount()).isEqualTo(100); // 1.3.0: the xgboost engine's 100 trees
    ModelBundle rebuilt = BundleRebuild.rebuild(bundle);
    assertThat(rebuilt.toJson()).isEqualTo(file);
    assertThat(rebuilt.sha256()).isEqualTo(bundle.sha256());
  }

  private static String text(String name) throws Exception {
    try (InputStream in = DefaultModels.class.getResourceAsStream(name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
