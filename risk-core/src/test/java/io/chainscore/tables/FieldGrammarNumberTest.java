package io.chainscore.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The number grammar's conversion (with its fast path for short decimals) against {@link
 * Double#parseDouble}, bit for bit, on the texts CSV files hold: Java's, Python's and
 * spreadsheets' ways of writing doubles and floats, short decimals, exponents, leading and
 * trailing zeros, signs, and the longest mantissas.
 */
class FieldGrammarNumberTest {

  private static double parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return FieldGrammar.parseNumber(b, 0, b.length);
  }

  private static void same(String text) {
    assertThat(Double.doubleToRawLongBits(parse(text))).as(text)
        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
  }

  @Test
  void equalsParseDoubleOnTextsOfEveryKind() {
    SplittableRandom random = new SplittableRandom(2026_12_02);
    for (int i = 0; i < 300_000; i++) {
      double v = switch (i % 6) {
        case 0 -> random.nextDouble() * Math.pow(10, random.nextInt(-8, 12));
        case 1 -> (float) random.nextGaussian();
        case 2 -> Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
        case 3 -> Math.round(random.nextDouble() * 1e9) / Math.pow(10, random.nextInt(0, 12));
        case 4 -> random.nextInt(-1_000_000, 1_000_000) / 100.0;
        default -> random.nextGaussian() * 1e-3;
      };
      if (random.nextBoolean()) {
        v = -v;
      }
      same(Double.toString(v));
      same(Float.toString((float) v));
      same(new BigDecimal(v).round(new java.math.MathContext(random.nextInt(1, 25))).toPlainString());
      same(String.format(Locale.ROOT, "%." + random.nextInt(0, 18) + "f", v));
      same(String.format(Locale.ROOT, "%." + random.nextInt(0, 18) + "e", v));
    }
  }

  @Test
  void edges() {
    for (String t : new String[] {"0", "-0", "-0.0", "+0.0", "0.000", "000123", "1.", ".5", "-.5", "1e0", "1E+22",
        "1e22", "1e23", "9007199254740993", "900719925474099.3", "999999999999999", "9999999999999999",
        "0.1", "0.30000000000000004", "123456789012345e-22", "123456789012345e-23", "1e-22", "1e-23",
        "4.9e-324", "1.7976931348623157e308", "2.2250738585072014E-308", "1e400", "1e-400",
        "0.0000000000000000000000001", "12345678901234567890", "1.00000000000000000000001"}) {
      same(t);
    }
    assertThat(parse("1e")).isNaN();
    assertThat(parse("0x10")).isNaN();
    assertThat(parse(" 1")).isNaN();
    assertThat(parse("1f")).isNaN();
    assertThat(parse("Infinity")).isInfinite();
  }
}
