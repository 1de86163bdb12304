package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.docs.JavaSnippets;
import io.chainscore.docs.JavaSnippets.Snippet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documentation's Java snippets marked {@code module risk-spark} (README's and this module's
 * README's Spark examples) compile against this module's test class path, which has Spark; the
 * others are compiled and run by cli's {@code DocumentationJavaTest}.
 */
class SparkDocumentationJavaTest {
  @Test
  void sparkSnippets_compile() throws Exception {
    List<Snippet> spark = JavaSnippets.documented().stream().filter(s -> "risk-spark".equals(s.module())).toList();
    assertThat(spark.stream().map(Snippet::file)).contains("README.md", "risk-spark/README.md");
    JavaSnippets.compile(spark);
  }
}
