package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escape_hostileText_hasNoMarkupLeft() {
    String hostile = "<script>alert('x')</script>\" onmouseover=\"steal()\" &amp; <img src=x>";
    String escaped = Html.escape(hostile);
    assertThat(escaped).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onmouseover=&quot;steal()&quot;"
        + " &amp;amp; &lt;img src=x&gt;");
    assertThat(escaped).doesNotContain("<", ">", "\"", "'");
  }

  @Test
  void escape_plainTextAndNull_areUnchangedOrEmpty() {
    assertThat(Html.escape("S0001 textiles é 100%")).isEqualTo("S0001 textiles é 100%");
    assertThat(Html.escape(null)).isEmpty();
  }

  /**
   * A statistic is written to six significant digits without the trailing zeros {@code %.6g} pads
   * it with: monitor.html showed an alert's threshold 0.01 as 0.0100000 and a PSI of 0 as 0.00000,
   * report.html an asset correlation of 0.12 as 0.120000 and an interval's clipped end as 1.00000.
   */
  @Test
  void statistic_hasNoTrailingZerosNorNegativeZero() {
    assertThat(Html.statistic(0.01)).isEqualTo("0.01");
    assertThat(Html.statistic(0.12)).isEqualTo("0.12");
    assertThat(Html.statistic(1.0)).isEqualTo("1");
    assertThat(Html.statistic(0.0)).isEqualTo("0");
    assertThat(Html.statistic(-0.0)).isEqualTo("0");
    assertThat(Html.statistic(-1e-9)).isEqualTo("-1e-09");
    assertThat(Html.statistic(18.8345)).isEqualTo("18.8345");
    assertThat(Html.statistic(0.929659123)).isEqualTo("0.929659");
    assertThat(Html.statistic(300.055)).isEqualTo("300.055");
    assertThat(Html.statistic(120000)).isEqualTo("120000");
    assertThat(Html.statistic(8.27036e-26)).isEqualTo("8.27036e-26");
    assertThat(Html.statistic(5e-26)).isEqualTo("5e-26");
    assertThat(Html.statistic(-0.00448145)).isEqualTo("-0.00448145");
    assertThat(Html.statistic(Double.NaN)).isEqualTo("n/a");
  }

  /** A path or identifier may break after each slash, underscore and hyphen and nowhere else; its text is escaped. */
  @Test
  void breakable_breaksAfterSlashesUnderscoresAndHyphens_only() {
    assertThat(Html.breakable("/tmp/junit-149627/m2025-05-31"))
        .isEqualTo("/<wbr>tmp/<wbr>junit-<wbr>149627/<wbr>m2025-<wbr>05-<wbr>31");
    assertThat(Html.breakable("growth_6m_vs_prior_6m 0.2969"))
        .isEqualTo("growth_<wbr>6m_<wbr>vs_<wbr>prior_<wbr>6m 0.2969");
    assertThat(Html.breakable("a<b>/c")).isEqualTo("a&lt;b&gt;/<wbr>c");
  }

  /**
   * Printed, a heading stays on the page of what it heads, at every level the pages use: the
   * document's bin tables are headed by h3 (h4 in a segment's section), and
   * "firm_age_years (IV 0.9112)" ended page 4 of README's document with its table on page 5, when
   * only h2 was kept with what follows (seen in Chromium's print to PDF).
   */
  @Test
  void printLayout_keepsEveryHeadingLevelWithWhatFollows() {
    String print = Html.STYLE.substring(Html.STYLE.indexOf("@media print{"));
    java.util.regex.Matcher rule = java.util.regex.Pattern.compile("([a-z0-9,]+)\\{[^}]*page-break-after:avoid").matcher(print);
    assertThat(rule.find()).isTrue();
    assertThat(rule.group(1).split(",")).contains("h2", "h3", "h4");
  }
}
