package io.chainscore.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.api.ApiSurface;
import io.chainscore.api.ApiSurfaceCheck;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bundled models' artifact: a declared API that changes only on purpose, usable on the runtime alone. */
class ModelsApiTest {
  private static final Path CLASSES = Path.of("target/classes");
  private static final Path API_FILE = Path.of("api/models.api");

  @Test
  void module_requiresTheRuntimeAndNothingElseOfOurs() throws Exception {
    var descriptor = ApiSurface.descriptor(CLASSES);
    assertThat(descriptor.requires()).extracting(r -> r.name())
        .containsExactlyInAnyOrder("java.base", "io.chainscore.core");
    assertThat(ApiSurface.publicPackages(descriptor)).containsExactly("io.chainscore.models");
  }

  @Test
  void surface_matchesTheCommittedApiFile() throws Exception {
    ApiSurfaceCheck.Result result = ApiSurfaceCheck.check(CLASSES, API_FILE);
    assertThat(result.removed().isEmpty() && result.added().isEmpty()).as(result.message(API_FILE)).isTrue();
  }

  @Test
  void everyBundledModel_loadsFromThisArtifact() throws Exception {
    assertThat(DefaultModels.names()).isNotEmpty();
    for (String name : DefaultModels.names()) {
      ModelBundle bundle = DefaultModels.load(name);
      assertThat(bundle.modelId()).isEqualTo(name);
    }
  }
}
