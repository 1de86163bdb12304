package io.chainscore.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.scoring.ModelBundle;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelsResolveTest {
  @Test
  void resolve_nullOrName_givesTheShippedBundle() throws Exception {
    assertThat(DefaultModels.resolve(null).sha256()).isEqualTo(DefaultModels.scorecard().sha256());
    assertThat(DefaultModels.resolve(DefaultModels.GBDT).sha256()).isEqualTo(DefaultModels.gbdt().sha256());
    assertThat(DefaultModels.isShipped(null)).isTrue();
    assertThat(DefaultModels.isShipped(DefaultModels.SCORECARD)).isTrue();
  }

  /** load takes the shipped names only: a resource path read a second, distinct copy of a model. */
  @Test
  void load_resourcePath_isRefusedNamingTheShippedNames() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DefaultModels.load("/io/chainscore/models/" + DefaultModels.GBDT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no bundled model named '/io/chainscore/models/" + DefaultModels.GBDT + "'; bundled: "
            + DefaultModels.SCORECARD + ", " + DefaultModels.GBDT);
    assertThat(DefaultModels.load(DefaultModels.GBDT)).isSameAs(DefaultModels.gbdt());
  }

  @Test
  void resolve_nameOfADirectory_stillGivesTheShippedBundle() throws Exception {
    // Run from models/, where smb-supply-chain-gbdt/ holds the model card.
    assertThat(Files.isDirectory(Path.of(DefaultModels.GBDT))).isTrue();
    assertThat(DefaultModels.resolve(DefaultModels.GBDT).modelId()).isEqualTo(DefaultModels.GBDT);
  }

  @Test
  void resolve_path_readsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gbdt-copy.json");
    try (InputStream in = DefaultModels.class.getResourceAsStream(DefaultModels.GBDT + ".json")) {
      Files.write(file, in.readAllBytes());
    }
    ModelBundle read = DefaultModels.resolve(file.toString());
    assertThat(read.sha256()).isEqualTo(DefaultModels.gbdt().sha256());
    assertThat(DefaultModels.isShipped(file.toString())).isFalse();
  }

  @Test
  void resolve_neitherFileNorName_isNoSuchFile(@TempDir Path dir) {
    String missing = dir.resolve("smb-supply-chain-scorecard-v9.json").toString();
    assertThatThrownBy(() -> DefaultModels.resolve(missing)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing);
    assertThat(DefaultModels.isShipped(missing)).isFalse();
  }

  /** The shipped bundles are read once: the same bundle (and Scorer) on every call, from any thread. */
  @Test
  void shippedBundles_areReadOnce_theSameBundleForEveryCaller() throws Exception {
    java.util.List<java.util.concurrent.Future<ModelBundle>> calls = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(i % 2 == 0 ? DefaultModels::gbdt : () -> DefaultModels.load(DefaultModels.GBDT)));
      }
      for (java.util.concurrent.Future<ModelBundle> call : calls) {
        assertThat(call.get()).isSameAs(DefaultModels.gbdt());
      }
    } finally {
      pool.shutdown();
    }
    assertThat(DefaultModels.scorecard()).isSameAs(DefaultModels.scorecard())
        .isSameAs(DefaultModels.resolve(null)).isSameAs(DefaultModels.load(DefaultModels.SCORECARD));
    assertThat(DefaultModels.scorecard().scorer()).isSameAs(DefaultModels.scorecard().scorer());
    assertThatThrownBy(() -> DefaultModels.load("no-such-model")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no bundled model named 'no-such-model'; bundled: smb-supply-chain-scorecard, smb-supply-chain-gbdt");
    // a null name is refused naming it (it failed inside ConcurrentHashMap.get with its own words)
    assertThatThrownBy(() -> DefaultModels.load(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
  }
}
