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
}
