package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.validation.ModelDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentHtmlTest {
  /**
   * A fit that did not converge (3 defaults separated from 636 rows: README's holdout) has
   * infinite standard errors: its terms' standard error, z and p are n/a. The page printed
   * "Infinity", z "-0.000" and p "1.000", a test result that was never obtained; a converged term
   * keeps its figures, and a z of minus nothing is written 0.000.
   */
  @Test
  void weights_withoutFiniteStandardError_sayNa_andNoNegativeZero() {
    StringBuilder b = new StringBuilder();
    DocumentHtml.weights(b, new ModelDocument.Weights(List.of(
        new ModelDocument.Term("(intercept)", -20.4941, Double.POSITIVE_INFINITY, -0.0, 1.0),
        new ModelDocument.Term("growth_3m_yoy", 0.7219, Double.POSITIVE_INFINITY, 0.0, 1.0),
        new ModelDocument.Term("duration_in_month", 0.8201, 0.1395, 5.879, 4.138e-9),
        new ModelDocument.Term("purpose", 0.0001, 0.2, -0.0004, 0.9997)), false, 0.3429));
    String html = b.toString();
    assertThat(html).contains("<tr><td>(intercept)</td><td>-20.4941</td><td>n/a</td><td>n/a</td><td>n/a</td></tr>",
        "<tr><td>growth_3m_yoy</td><td>0.7219</td><td>n/a</td><td>n/a</td><td>n/a</td></tr>",
        "<tr><td>duration_in_month</td><td>0.8201</td><td>0.1395</td><td>5.879</td><td>4.138e-09</td></tr>",
        "<tr><td>purpose</td><td>0.0001</td><td>0.2000</td><td>0.000</td><td>0.9997</td></tr>",
        "(the fit did not converge)")
        .doesNotContain("Infinity").doesNotContain("-0.000");
  }

  /** The reason statements, sentences, are left-aligned; the shared style right-aligns other cells. */
  @Test
  void reasonStatements_areLeftAlignedProse() {
    StringBuilder b = new StringBuilder();
    DocumentHtml.reasonCodes(b, List.of(new ModelDocument.ReasonCode("A06", "Your record of delivering to your"
        + " customers on time in the last 12 months counted against you.")));
    assertThat(b.toString()).contains("<th class=\"prose\">statement</th>",
        "<td>A06</td><td class=\"prose\">Your record of delivering");
    assertThat(Html.STYLE).contains("td.prose,th.prose{text-align:left}").contains("td,th{border:1px solid #ccc;"
        + "padding:3px 8px;text-align:right}");
    // the prose rule comes after the right alignment of every cell, so it wins at equal specificity or more
    assertThat(Html.STYLE.indexOf("td.prose")).isGreaterThan(Html.STYLE.indexOf("text-align:right"));
  }

  /**
   * The PD calibration and a segment's training record, JSON objects in the bundle, are written as
   * name-value pairs: the page printed the JSON, quotes and braces and the intercept shift's
   * seventeen digits included (README's segmented scorecard).
   */
  @Test
  void calibrationRecord_isReadable_notJson() {
    String calibration = "{\"calibration_rows\":1361,\"central_tendency\":0.08,\"central_tendency_source\":\"given\","
        + "\"intercept_shift\":0.17420222233062393,\"master_scale\":\"fit:6\"}";
    assertThat(DocumentHtml.record(calibration)).isEqualTo("calibration rows 1,361; central tendency 0.08; central"
        + " tendency source given; intercept shift 0.174202; master scale fit:6");
    assertThat(DocumentHtml.record("{\"events\":18,\"name\":\"thin_file\",\"pd_calibration\":{\"kind\":\"logistic\","
        + "\"slope\":1},\"bins\":[2,3],\"weights\":null,\"rows\":190}"))
        .isEqualTo("events 18; name thin_file; pd calibration (kind logistic; slope 1); bins [2, 3]; weights none; rows 190");
    assertThat(DocumentHtml.record("not json {")).isEqualTo("not json {");
    StringBuilder b = new StringBuilder();
    DocumentHtml.method(b, new ModelDocument.Model("m", "1", "scorecard", "", "abc", 3, List.of("a", "b"),
        List.of(new ModelDocument.Grade("1", 0.01), new ModelDocument.Grade("D", Double.NaN)), List.of(), null, null,
        null, calibration, null, null));
    assertThat(b.toString()).contains("<tr><th>PD calibration</th><td class=\"text\">calibration rows 1,361; central"
        + " tendency 0.08; central tendency source given; intercept shift 0.174202; master scale fit:6</td></tr>")
        .doesNotContain("&quot;").doesNotContain("0.1742022223");
  }
}
