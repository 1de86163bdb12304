package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.trade.Sector;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortfolioFilesTest {
  private static final String HEADER = "supplier_id,anchor_id,sector,drawn,undrawn,ccf,anchor_sales_share,lgd,collateral\n";

  @Test
  void readExposures_parsesOptionalColumnsAndQuotes() {
    List<Exposure> e = PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,Metal Parts,1000,500,0.5,0.7,,receivables\n"
        + "\"S,2\",A2,glass,2000,,,0,0.3,\n"), "x.csv");
    assertThat(e).hasSize(2);
    assertThat(e.get(0).sector()).isEqualTo(Sector.METAL_PARTS);
    assertThat(e.get(0).ead()).isEqualTo(1250.0);
    assertThat(e.get(0).lgd()).isNaN();
    assertThat(e.get(0).lgd(IrbRegime.BASEL_III)).isEqualTo(0.20);
    assertThat(e.get(0).assetClass()).isEqualTo(AssetClass.CORPORATE);
    assertThat(e.get(1).supplierId()).isEqualTo("S,2");
    assertThat(e.get(1).collateral()).isEqualTo(Collateral.UNSECURED);
    assertThat(e.get(1).maturityYears()).isNaN();
  }

  @Test
  void readExposures_errorsNameFileRowAndColumn() {
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,glass,1000,500,,0.7,,\n"), "x.csv"))
        .hasMessage("x.csv, row 1, column ccf: is required when undrawn > 0");
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,glass,1000,0,,0.7,,\nS2,A1,glass,abc,0,,0.7,,\n"), "x.csv"))
        .hasMessage("x.csv, row 2, column drawn: 'abc' is not a number; expected a decimal such as -12.5 or 3e-4");
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,glass,1000,0,,1.7,,\n"), "x.csv"))
        .hasMessageContaining("x.csv, row 1: exposure S1: anchorSalesShare must be in [0, 1]");
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader("supplier_id,drawn\n"), "x.csv"))
        .hasMessageContaining("x.csv, row 0, column anchor_id: missing from the header");
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,glass,1000,0,,0.5,,gold\n"), "x.csv"))
        .hasMessageContaining("column collateral: expected unsecured or receivables, got 'gold'");
  }

  @Test
  void readExposures_hexOrPaddedNumbers_areRefusedNamingFileRowAndColumn() {
    // Double.parseDouble reads both as numbers (8.0 and 5.0); the shared strict reader does not.
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,glass,0x1p3,0,,0.7,,\n"), "x.csv"))
        .hasMessage("x.csv, row 1, column drawn: '0x1p3' is not a number; expected a decimal such as -12.5 or 3e-4");
    assertThatThrownBy(() -> PortfolioFiles.readExposures(new StringReader(HEADER
        + "S1,A1,glass,1000,0,,\" 0.5 \",,\n"), "x.csv"))
        .hasMessage("x.csv, row 1, column anchor_sales_share: ' 0.5 ' is not a number; expected a decimal such as"
            + " -12.5 or 3e-4");
    assertThatThrownBy(() -> PortfolioFiles.readScores(new StringReader("supplier_id,pd\nS1\u0000x,0.1\n"), "s.csv"))
        .hasMessage("s.csv, row 1, column supplier_id: 'S1\\u0000x' holds a NUL character; expected text without"
            + " control bytes");
  }

  @Test
  void readScores_andAnchorPds() throws Exception {
    List<SupplierScore> s = PortfolioFiles.readScores(new StringReader("supplier_id,pd\nS1,0.01\n\nS2,0.2\n"), "s.csv");
    assertThat(s).containsExactly(new SupplierScore("S1", 0.01, ""), new SupplierScore("S2", 0.2, ""));
    assertThatThrownBy(() -> PortfolioFiles.readScores(new StringReader("supplier_id,pd\nS1,2\n"), "s.csv"))
        .hasMessage("s.csv, row 1: score S1: pd must be in [0, 1], got 2.0");
    Path dir = Files.createDirectories(Path.of("target", "portfolio-files-test"));
    Path anchors = dir.resolve("anchors.csv");
    Files.writeString(anchors, "anchor_id,pd\nA1,0.004\nA2,0.02\n");
    assertThat(PortfolioFiles.readAnchorPds(anchors)).containsEntry("A1", 0.004).containsEntry("A2", 0.02);
    Path scenario = dir.resolve("scenario.json");
    Files.writeString(scenario, "{\"name\": \"bad\", \"oops\": 1}");
    assertThatThrownBy(() -> PortfolioFiles.readScenario(scenario))
        .hasMessageContaining("scenario.json: stress scenario: unknown field 'oops'");
  }

  @Test
  void documentedExamples_runEndToEndAndWriteTheJson() throws Exception {
    Path examples = Path.of("..", "docs", "examples");
    List<Exposure> exposures = PortfolioFiles.readExposures(examples.resolve("portfolio-exposures.csv"));
    List<SupplierScore> scores = PortfolioFiles.readScores(examples.resolve("portfolio-scores.csv"));
    PortfolioReport report = PortfolioAnalysis.builder().exposures(exposures).scores(scores)
        .regime(IrbRegime.parse("basel3"))
        .simulation(CreditPortfolioSimulation.builder().simulations(1000).anchorPd("A1", 0.004))
        .build().report(PortfolioFiles.readScenario(examples.resolve("portfolio-scenario.json")));
    // Hand check of one figure: S0001 EAD = 120,000 + 0.4 x 30,000; it runs off in half a year, so
    // its EL carries the half-year PD 1 - (1 - 1.8%)^0.5: EL = PD_0.5 x 20% x EAD; S0002 (one year)
    // the 12-month PD.
    assertThat(exposures.get(0).ead()).isEqualTo(132_000.0);
    assertThat(report.byAnchor().stream().filter(b -> b.key().equals("A1")).findFirst().orElseThrow()
        .totals().expectedLoss()).isCloseTo((1 - Math.sqrt(0.982)) * 0.20 * 132_000 + 0.004 * 0.45 * 450_000,
            org.assertj.core.api.Assertions.within(1e-6));
    Path out = Files.createDirectories(Path.of("target", "portfolio-example"));
    PortfolioFiles.writeJson(report, out.resolve("portfolio.json"));
    assertThat(Files.readString(out.resolve("portfolio.json"))).contains("\"regime\" : \"BASEL_III\"");
  }
}
