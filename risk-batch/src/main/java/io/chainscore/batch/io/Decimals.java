package io.chainscore.batch.io;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Decimal numbers (a Parquet DECIMAL column, an Arrow Decimal vector: an unscaled integer and a
 * scale) as the double a number column holds: the double nearest to the exact decimal, which is
 * the double {@link Double#parseDouble} gives for the same number written in a CSV, so a table's
 * features do not depend on the format it came in. Money is usually stored this way (Spark,
 * DuckDB and pyarrow write DECIMAL(p, s) for their decimal type).
 *
 * <p>Thread safety: stateless.
 */
final class Decimals {
  /** 10^0 .. 10^22: the powers of ten a double holds exactly. */
  private static final double[] EXACT_POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < EXACT_POWERS.length; i++) {
      EXACT_POWERS[i] = p;
      p *= 10;
    }
  }

  private Decimals() {}

  /** The double nearest to {@code unscaled / 10^scale}. */
  static double toDouble(long unscaled, int scale) {
    // Both operands exact (|unscaled| below 2^53, the power of ten exact): IEEE division rounds the
    // exact quotient once, to nearest. Otherwise BigDecimal, whose doubleValue rounds once too.
    if (scale >= 0 && scale < EXACT_POWERS.length && Math.abs(unscaled) < (1L << 53)) {
      return scale == 0 ? (double) unscaled : unscaled / EXACT_POWERS[scale];
    }
    return BigDecimal.valueOf(unscaled, scale).doubleValue();
  }

  /** As {@link #toDouble(long, int)}, for an unscaled integer of any size. */
  static double toDouble(BigInteger unscaled, int scale) {
    return unscaled.bitLength() < 64 ? toDouble(unscaled.longValue(), scale)
        : new BigDecimal(unscaled, scale).doubleValue();
  }

  /**
   * The signed big-endian two's-complement integer in {@code bytes[from, from + length)} (a Parquet
   * FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY decimal) as the double of {@link #toDouble(long, int)}.
   */
  static double bigEndianToDouble(byte[] bytes, int from, int length, int scale) {
    if (length == 0) {
      return 0.0;
    }
    if (length <= 8) {
      long v = bytes[from];   // the sign, extended
      for (int i = from + 1; i < from + length; i++) {
        v = v << 8 | (bytes[i] & 0xff);
      }
      return toDouble(v, scale);
    }
    return toDouble(new BigInteger(bytes, from, length), scale);
  }
}
