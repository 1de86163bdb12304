package io.chainscore.tables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Printable#escape} on every UTF-16 unit, against the rule written out plainly. */
class PrintableTest {
  @Test
  void escape_everyCharacter_asTheRuleSays() {
    for (int c = 0; c <= 0xFFFF; c++) {
      String expected;
      if (c == '\n') {
        expected = "\\n";
      } else if (c == '\r') {
        expected = "\\r";
      } else if (c == '\t') {
        expected = "\\t";
      } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
        expected = "\\u" + String.format("%04x", c);
      } else {
        expected = String.valueOf((char) c);
      }
      assertThat(Printable.escape("a" + (char) c + "b")).as("U+%04X", c).isEqualTo("a" + expected + "b");
    }
    String plain = "no controls here";
    assertThat(Printable.escape(plain)).isSameAs(plain);
  }
}
