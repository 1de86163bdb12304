package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortfolioCommandTest {
  @TempDir Path dir;

  private static Path example(String name) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/examples").resolve(name))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("docs/examples/" + name + " not found");
    }
    return p.resolve("docs/examples").resolve(name);
  }

  @Test
  void portfolio_examples_writeJsonAndHtmlConsistentWithCapitalTotals() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(new String[] {"portfolio",
        "--scores", example("portfolio-scores.csv").toString(),
        "--exposures", example("portfolio-exposures.csv").toString(),
        "--scenario", example("portfolio-scenario.json").toString(),
        "--simulations", "2000", "--threads", "2", "--out", dir.toString()},
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("portfolio.json").toFile());
    double capital = json.get("totals").get("capital").asDouble();
    double rwa = json.get("totals").get("rwa").asDouble();
    assertThat(capital).isCloseTo(0.08 * rwa, org.assertj.core.data.Offset.offset(1e-6 * rwa));
    double anchorCapital = 0;
    for (JsonNode a : json.get("by_anchor")) {
      anchorCapital += a.get("totals").get("capital").asDouble();
    }
    assertThat(anchorCapital).isCloseTo(capital, org.assertj.core.data.Offset.offset(1e-6 * capital));
    assertThat(Files.readString(dir.resolve("portfolio.html"))).contains("<svg").doesNotContain("<script");
    assertThat(out.toString()).contains("Portfolio (BASEL_III)").contains("99.9%: VaR");
    // A second run refuses to overwrite.
    int again = ChainScoreCli.execute(new String[] {"portfolio",
        "--scores", example("portfolio-scores.csv").toString(),
        "--exposures", example("portfolio-exposures.csv").toString(), "--simulations", "0",
        "--out", dir.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(again).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void portfolio_missingFile_exitsTwo() {
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(new String[] {"portfolio", "--scores", dir.resolve("nope.csv").toString(),
        "--exposures", dir.resolve("nope2.csv").toString(), "--out", dir.resolve("o").toString()},
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("nope2.csv").doesNotContain("\tat ");
  }
}
