package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.docs.JavaSnippets;
import io.chainscore.docs.JavaSnippets.Snippet;
import io.chainscore.features.FeatureSchema;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of README.md, docs/*.md and the module READMEs compile against the libraries
 * (cli's test class path holds every module but risk-spark, whose blocks its own
 * {@code SparkDocumentationJavaTest} compiles), the runnable ones run, and the printed output the
 * README shows is what the example prints. Markers and wrapping: {@link JavaSnippets}.
 */
class DocumentationJavaTest {
  @TempDir Path dir;

  @Test
  void everySnippet_compiles_andTheRunnableOnesRun() throws Throwable {
    List<Snippet> all = JavaSnippets.documented();
    List<Snippet> here = all.stream().filter(s -> s.module() == null).toList();
    // Nothing is skipped silently: a snippet compiled elsewhere names a module that has a doc test.
    assertThat(all.stream().filter(s -> s.module() != null).map(Snippet::module)).allMatch("risk-spark"::equals);
    assertThat(here.stream().map(Snippet::file)).contains("README.md", "docs/binning.md", "docs/model-bundle.md");
    assertThat(here).hasSizeGreaterThanOrEqualTo(8);
    JavaSnippets.Compiled compiled = JavaSnippets.compile(here);
    int ran = 0;
    for (Snippet s : here) {
      if (!s.run()) {
        continue;
      }
      Object result = compiled.run(s, new ByteArrayOutputStream());
      ran++;
      if (s.result() != null) {
        assertThat(result).as(s.where() + ": " + s.result()).isNotNull();
      }
    }
    assertThat(ran).as("snippets run").isGreaterThanOrEqualTo(2);
  }

  @Test
  void embeddingSnippet_scoresItsRow_asTheScorerDoesOnTheSameRowBuiltByIndex() throws Throwable {
    Snippet embedding = JavaSnippets.documented().stream()
        .filter(s -> s.file().equals("README.md") && String.join("\n", s.code()).contains("DefaultModels.scorecard()"))
        .findFirst().orElseThrow();
    assertThat(embedding.run()).isTrue();
    Object result = JavaSnippets.compile(List.of(embedding)).run(embedding, new ByteArrayOutputStream());
    assertThat(result).isInstanceOf(ScoreResult.class);
    ScoreResult r = (ScoreResult) result;
    // The same values the snippet sets, placed by column index, every other feature NaN.
    ModelBundle bundle = DefaultModels.scorecard();
    FeatureSchema schema = bundle.schema();
    double[] row = new double[schema.size()];
    Arrays.fill(row, Double.NaN);
    row[schema.indexOf("on_time_delivery_rate_12m")] = 0.81;
    row[schema.indexOf("growth_3m_yoy")] = -0.35;
    row[schema.indexOf("growth_6m_vs_prior_6m")] = -0.22;
    row[schema.indexOf("open_receivables")] = 2_450_000;
    row[schema.indexOf("disputed_share_12m")] = 0.06;
    row[schema.indexOf("avg_days_past_due_12m")] = 12;
    row[schema.indexOf("financing_utilisation")] = 0.92;
    row[schema.indexOf("dilution_rate_12m")] = 0.031;
    row[schema.indexOf("firm_age_years")] = 4.5;
    int sector = schema.indexOf("sector");
    row[sector] = schema.feature(sector).categoryIndex("textiles");
    ScoreResult expected = bundle.scorer().score(row);
    assertThat(r.pd()).isCloseTo(expected.pd(), within(0.0));
    assertThat(r.points()).isEqualTo(expected.points());
    assertThat(r.grade()).isEqualTo(expected.grade());
    assertThat(r.pd()).isBetween(0.0, 1.0);
  }

  @Test
  void printedOutputShownInTheReadme_isWhatTheExamplePrints() throws Exception {
    Path readme = JavaSnippets.repositoryRoot().resolve("README.md");
    List<Snippet> printing = JavaSnippets.documented().stream().filter(s -> s.prints() != null).toList();
    assertThat(printing).as("snippets with 'It prints'").isNotEmpty();
    for (Snippet s : printing) {
      List<String> shown = JavaSnippets.printedAfter(readme, s);
      assertThat(shown).as(s.where() + " shows its output after 'It prints'").isNotEmpty();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Class.forName(s.prints()).getMethod("run", PrintStream.class)
          .invoke(null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).as(s.where()).isEqualTo(shown);
    }
  }

  @Test
  void aSnippetThatDoesNotCompile_failsWithItsFileAndLine() throws Exception {
    Path md = Files.writeString(dir.resolve("x.md"), String.join("\n",
        "# x",
        "<!-- java-snippet: run",
        "import java.util.List;",
        "-->",
        "```java",
        "List<String> a = List.of(\"a\");",
        "int n = a.size() + undefinedThing;",
        "```",
        ""));
    List<Snippet> snippets = JavaSnippets.extract(md, "x.md");
    assertThatThrownBy(() -> JavaSnippets.compile(snippets))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("x.md line 7: cannot find symbol");
  }

  @Test
  void aJavaBlockWithoutAMarker_isRefusedWithItsLine() throws Exception {
    Path md = Files.writeString(dir.resolve("y.md"), "# y\n\ntext\n\n```java\nint a = 1;\n```\n");
    assertThatThrownBy(() -> JavaSnippets.extract(md, "y.md"))
        .isInstanceOf(JavaSnippets.MarkerException.class)
        .hasMessageStartingWith("y.md line 5: a java block without a <!-- java-snippet");
  }
}
