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
}
