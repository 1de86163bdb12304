package io.chainscore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedder's class path, as Maven resolved it for this module: the test class path surefire
 * reports ({@code surefire.test.class.path}) holds this module, risk-core, models and Jackson, and
 * otherwise only the test frameworks every module gets in test scope from the parent POM (JUnit and
 * its opentest4j/apiguardian, AssertJ and its Byte Buddy). So the runtime class path an embedder
 * inherits from {@code models} is risk-core and Jackson, nothing else: a Smile, Commons Math or
 * Arrow jar reaching it fails this test. In a reactor build the ChainScore modules appear as their
 * {@code target/classes} folders or, after packaging, their {@code target/*.jar}; when installed, as
 * jars in the local repository.
 */
class EmbedderClasspathTest {
  private static final List<String> TEST_FRAMEWORKS =
      List.of("/org/junit/", "/org/opentest4j/", "/org/apiguardian/", "/org/assertj/", "/net/bytebuddy/");

  @Test
  void classpath_holdsOnlyRiskCoreModelsJacksonAndTheTestFrameworks() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = Arrays.stream(classpath.split(File.pathSeparator))
        .map(e -> e.replace(File.separatorChar, '/')).filter(e -> !e.isBlank()).toList();
    assertThat(entries).anyMatch(e -> isChainScore(e, "risk-core"));
    assertThat(entries).anyMatch(e -> isChainScore(e, "models"));
    assertThat(entries).anyMatch(e -> e.contains("/com/fasterxml/jackson/core/jackson-databind/"));
    List<String> runtime = entries.stream()
        .filter(e -> TEST_FRAMEWORKS.stream().noneMatch(e::contains))
        .filter(e -> !e.endsWith("/examples/target/test-classes"))
        .toList();
    assertThat(runtime).allSatisfy(e -> assertThat(isChainScore(e, "examples") || isChainScore(e, "risk-core")
        || isChainScore(e, "models") || e.contains("/com/fasterxml/jackson/core/")).as(e).isTrue());
  }

  @Test
  void isChainScore_recognisesReactorFoldersAndInstalledJarsOnly() {
    assertThat(isChainScore("/w/repo/models/target/classes", "models")).isTrue();
    assertThat(isChainScore("/r/.m2/repository/io/chainscore/models/0.1.0-SNAPSHOT/models-0.1.0-SNAPSHOT.jar", "models"))
        .isTrue();
    assertThat(isChainScore("/w/repo/models/target/models-0.1.0-SNAPSHOT.jar", "models")).isTrue();
    assertThat(isChainScore("/w/repo/model-dev/target/model-dev-0.1.0-SNAPSHOT.jar", "models")).isFalse();
    assertThat(isChainScore("/w/repo/model-dev/target/classes", "models")).isFalse();
    assertThat(isChainScore("/r/.m2/repository/com/github/haifengl/smile-core/2.6.0/smile-core-2.6.0.jar", "models"))
        .isFalse();
  }

  private static boolean isChainScore(String entry, String module) {
    return entry.endsWith("/" + module + "/target/classes")
        || entry.matches(".*/" + module + "/target/" + module + "-[0-9][^/]*\\.jar")
        || entry.contains("/io/chainscore/" + module + "/") && entry.endsWith(".jar");
  }
}
