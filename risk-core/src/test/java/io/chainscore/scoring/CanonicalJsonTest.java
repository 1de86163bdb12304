package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The canonical text's one-pass split (a bundle's content without its hash, and the full text with
 * it) against writing the tree twice; and the canonical number text (a bundle's SHA-256 covers it, so it must never change): the fast
 * search of {@link CanonicalJson#number} against its definition, every length tried from one digit
 * up ({@link CanonicalJson#shortestByScan}), on values of the kinds bundles hold.
 */
class CanonicalJsonTest {

  @Test
  void documentedExamples() {
    assertThat(CanonicalJson.number(0.0015)).isEqualTo("0.0015");
    assertThat(CanonicalJson.number(1.5e20)).isEqualTo("1.5E+20");
    assertThat(CanonicalJson.number(1e-7)).isEqualTo("1E-7");
    assertThat(CanonicalJson.number(600)).isEqualTo("600");
    assertThat(CanonicalJson.number(-0.0)).isEqualTo("0");
    // a float threshold read as a double needs its 17 digits; 0.1 needs one
    assertThat(CanonicalJson.number((double) 0.1f)).isEqualTo("0.10000000149011612");
    assertThat(CanonicalJson.number(0.1)).isEqualTo("0.1");
    // JDK 17's Double.toString gives 2.0E-3 style digits but not always the shortest: 2^-44 etc.
    assertThat(CanonicalJson.number(Math.scalb(1.0, -44))).isEqualTo(CanonicalJson.shortestByScan(Math.scalb(1.0, -44)));
  }

  @Test
  void fastSearchEqualsTheScanOnValuesOfEveryKind() {
    SplittableRandom random = new SplittableRandom(20261202);
    for (int i = 0; i < 200_000; i++) {
      double v = switch (i % 8) {
        case 0 -> random.nextDouble(); // PDs, shares
        case 1 -> (float) random.nextGaussian(); // float32 thresholds and leaves (XGBoost, LightGBM)
        case 2 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern
        case 3 -> Math.round(random.nextDouble() * 1e6) / 1e4; // decimals typed by people
        case 4 -> random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30));
        case 5 -> Double.MIN_VALUE * random.nextInt(1, 1 << 20); // subnormals
        case 6 -> Math.nextUp(random.nextInt(-1000, 1000) + 0.5); // next to ties
        default -> Math.scalb(1.0, random.nextInt(-1074, 1024)) * (random.nextBoolean() ? 1 : -1); // powers of two
      };
      if (!Double.isFinite(v) || (v == Math.rint(v) && Math.abs(v) < 9007199254740992.0)) {
        continue;
      }
      String fast = CanonicalJson.number(v);
      assertThat(fast).as("bits %x", Double.doubleToRawLongBits(v)).isEqualTo(CanonicalJson.shortestByScan(v));
      assertThat(Double.parseDouble(fast)).isEqualTo(v);
    }
  }

  @Test
  void splitGivesTheTextsOfWritingTwice() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    String[] documents = {
      "{\"b\":1.5,\"a\":[1,{\"z\":\"x,}\",\"y\":null}],\"t\":true}", // the member goes in the middle
      "{\"z\":0.25,\"y\":\"]\"}", // last
      "{\"a\":{\"sha256\":\"nested\"},\"b\":2}", // last, with a nested member of the same name left alone
      "{\"zz\":1}", // before every other member
      "{}", // the only member
      "{\"sha256\":\"old\",\"a\":1}" // an existing member is replaced
    };
    for (String d : documents) {
      com.fasterxml.jackson.databind.node.ObjectNode root =
          (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(d);
      CanonicalJson.Split split = CanonicalJson.without(root, "sha256");
      assertThat(split.without()).as(d).isEqualTo(CanonicalJson.write(root, "sha256"));
      root.put("sha256", "abc\"d");
      assertThat(split.with("abc\"d")).as(d).isEqualTo(CanonicalJson.write(root, null));
    }
  }
}
