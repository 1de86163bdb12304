package io.chainscore.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The runtime's declared API: what it exports to everyone, and that its surface changes only on purpose. */
class RiskCoreApiTest {
  private static final Path CLASSES = Path.of("target/classes");
  private static final Path API_FILE = Path.of("api/risk-core.api");

  @Test
  void exports_onlyTheEmbeddersPackagesToEveryModule() throws Exception {
    assertThat(ApiSurface.publicPackages(ApiSurface.descriptor(CLASSES)))
        .containsExactly("io.chainscore.features", "io.chainscore.scoring", "io.chainscore.trade");
  }

  @Test
  void surface_matchesTheCommittedApiFile() throws Exception {
    ApiSurfaceCheck.Result result = ApiSurfaceCheck.check(CLASSES, API_FILE);
    assertThat(result.removed().isEmpty() && result.added().isEmpty()).as(result.message(API_FILE)).isTrue();
  }

  /** About twenty-five at most: what a lending service needs, and nothing of the engines. */
  @Test
  void exportedTopLevelTypes_stayAboutTwentyFive() throws Exception {
    ApiSurfaceCheck.Result result = ApiSurfaceCheck.check(CLASSES, API_FILE);
    assertThat(result.exportedTypes()).isBetween(15L, 25L);
  }

  /**
   * Every public type of the exported packages says in its Javadoc how it may be shared between
   * threads (twelve of the trade package's did not).
   */
  @Test
  void exportedTypes_sayTheirThreadSafety() throws Exception {
    java.util.regex.Pattern declaration = java.util.regex.Pattern.compile(
        "(?s)/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*public (?:static )?(?:final |sealed |abstract )*"
            + "(?:record|class|enum|interface) (\\w+)");
    java.util.List<String> silent = new java.util.ArrayList<>();
    int types = 0;
    for (String pkg : new String[] {"features", "scoring", "trade"}) {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of("src/main/java/io/chainscore", pkg))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          java.util.regex.Matcher m = declaration.matcher(java.nio.file.Files.readString(file));
          while (m.find()) {
            types++;
            if (!m.group(1).contains("Thread safety")) {
              silent.add(pkg + "." + m.group(2));
            }
          }
        }
      }
    }
    assertThat(types).isGreaterThan(30);
    assertThat(silent).isEmpty();
  }

  /** The READMEs' count of the exported types is the surface's (they said 23 with 24 exported). */
  @Test
  void readmes_countTheExportedTypes() throws Exception {
    long types = ApiSurfaceCheck.check(CLASSES, API_FILE).exportedTypes();
    assertThat(java.nio.file.Files.readString(Path.of("README.md")))
        .contains("the embedder's API: " + types + " top-level types");
    assertThat(java.nio.file.Files.readString(Path.of("../README.md")).replaceAll("\\s+", " "))
        .contains("types (" + types + " today:");
  }
}
