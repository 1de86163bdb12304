package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Decimals} against the JDK's decimal parser: the double of a decimal read from Parquet or
 * Arrow is the double {@link Double#parseDouble} gives for the same decimal written out, for
 * every size of unscaled integer (the fast division below 2^53, BigDecimal beyond) and every byte
 * length of a big-endian FIXED_LEN_BYTE_ARRAY.
 */
class DecimalsTest {
  private static double parsed(BigInteger unscaled, int scale) {
    return Double.parseDouble(new BigDecimal(unscaled, scale).toString());
  }

  @Test
  void toDouble_isTheParsedDecimal_forUnscaledIntegersOfEverySize() {
    SplittableRandom random = new SplittableRandom(20261205);
    for (int i = 0; i < 200_000; i++) {
      int bits = 1 + random.nextInt(63);
      long unscaled = random.nextLong() >> (64 - bits);   // every magnitude, both signs
      int scale = random.nextInt(i % 5 == 0 ? 40 : 19);
      double want = parsed(BigInteger.valueOf(unscaled), scale);
      assertThat(Decimals.toDouble(unscaled, scale)).as("%d e-%d", unscaled, scale)
          .isEqualTo(want);
      assertThat(Decimals.toDouble(BigInteger.valueOf(unscaled), scale)).isEqualTo(want);
    }
    // money at two places, the common case: exactly what the CSV text parses to
    assertThat(Decimals.toDouble(18275331, 2)).isEqualTo(182753.31);
    assertThat(Decimals.toDouble(-5, 1)).isEqualTo(-0.5);
    assertThat(Decimals.toDouble(Long.MIN_VALUE, 0)).isEqualTo(-9.223372036854775808E18);
    assertThat(Decimals.toDouble((1L << 53) + 1, 0)).isEqualTo(parsed(BigInteger.valueOf((1L << 53) + 1), 0));
  }

  @Test
  void bigEndianToDouble_readsTwosComplementOfEveryLength() {
    SplittableRandom random = new SplittableRandom(7);
    for (int length = 1; length <= 16; length++) {
      for (int i = 0; i < 5_000; i++) {
        byte[] bytes = new byte[length + 3];
        for (int b = 0; b < bytes.length; b++) {
          bytes[b] = (byte) random.nextInt(256);
        }
        int scale = random.nextInt(20);
        BigInteger unscaled = new BigInteger(bytes, 2, length);   // the JDK's big-endian two's complement
        assertThat(Decimals.bigEndianToDouble(bytes, 2, length, scale)).as("length %d: %s e-%d", length, unscaled, scale)
            .isEqualTo(parsed(unscaled, scale));
      }
    }
  }
}
