package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.ifrs9.PortfolioEcl;
import java.util.List;
import org.junit.jupiter.api.Test;

class EclHtmlTest {
  /**
   * A stage without facilities has no coverage: n/a, where the page read 0.00% (README's book has
   * no stage 3). The other stages' coverages are ECL / EAD to three significant digits: 303,689 /
   * 4,482,921,836 = 0.00677%, 29,481 / 48,031,624 = 0.0614%.
   */
  @Test
  void stageWithoutFacilities_hasNoCoverage() {
    PortfolioEcl.Group total = new PortfolioEcl.Group("total", 2000, 4_530_953_460.0, 333_170, new long[] {1957, 43, 0},
        new double[] {4_482_921_836.0, 48_031_624.0, 0}, new double[] {303_689, 29_481, 0});
    PortfolioEcl.Group empty = new PortfolioEcl.Group("A09", 0, 0, 0, new long[] {0, 0, 0}, new double[3], new double[3]);
    PortfolioEcl.Result r = new PortfolioEcl.Result(List.of(), total, List.of(empty), List.of(), List.of(), List.of(),
        List.of(), List.of(), 0);
    String html = EclHtml.render(r, "test");
    assertThat(html).contains("<tr><td>1</td><td>1,957</td><td>4,482,921,836</td><td>303,689</td><td>0.00677%</td></tr>",
        "<tr><td>2</td><td>43</td><td>48,031,624</td><td>29,481</td><td>0.0614%</td></tr>",
        "<tr><td>3</td><td>0</td><td>0</td><td>0</td><td>n/a</td></tr>",
        "<tr><td>A09</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>n/a</td></tr>")
        .doesNotContain("0.00%");
  }
}
