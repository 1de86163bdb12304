package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ParquetColumn#unpackRun}, the bit-packed runs of the RLE / bit-packing hybrid (dictionary
 * indices, definition levels), against the byte-at-a-time accumulator it replaced, written out
 * here as the Parquet format describes it: random runs of every width from 0 to 32 bits, at every
 * offset in the page, with random bytes after them and runs cut short.
 */
class ParquetColumnTest {
  /**
   * The reference: values packed from the least significant bit, a byte fed at a time; -1 when a
   * value needs a byte at or after {@code end}.
   */
  private static int reference(byte[] in, int p, int end, int width, int mask, int[] out, int at, int n) {
    long acc = 0;
    int bits = 0;
    for (int i = 0; i < n; i++) {
      while (bits < width) {
        if (p >= end) {
          return -1;
        }
        acc |= (long) (in[p++] & 0xff) << bits;
        bits += 8;
      }
      out[at + i] = (int) acc & mask;
      acc >>>= width;
      bits -= width;
    }
    return n;
  }

  @Test
  void unpackRun_equalsTheByteAtATimeAccumulator_onRandomRunsOfEveryWidth() {
    SplittableRandom random = new SplittableRandom(2026_12_06);
    int cutShort = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      int width = random.nextInt(33);
      int mask = width == 32 ? -1 : (1 << width) - 1;
      int groups = 1 + random.nextInt(40);
      int values = groups * 8;
      int n = random.nextInt(4) == 0 ? values : 1 + random.nextInt(values);
      int p = random.nextInt(16);
      int runBytes = groups * width;
      // a run cut short (its page ends early) one time in eight, else followed by other bytes
      int end = random.nextInt(8) == 0 ? p + random.nextInt(runBytes + 1) : p + runBytes;
      byte[] in = new byte[end + random.nextInt(20)];
      for (int i = 0; i < in.length; i++) {
        in[i] = (byte) random.nextInt(256);
      }
      int at = random.nextInt(5);
      int[] expected = new int[at + n];
      int[] actual = new int[at + n];
      int want = reference(in, p, end, width, mask, expected, at, n);
      int got = ParquetColumn.unpackRun(in, p, end, width, mask, actual, at, n);
      assertThat(got).as("trial %d, width %d, n %d, p %d, end %d", trial, width, n, p, end).isEqualTo(want);
      if (want >= 0) {
        assertThat(actual).as("trial %d, width %d", trial, width).isEqualTo(expected);
      } else {
        cutShort++;
      }
    }
    assertThat(cutShort).as("runs cut short among the trials").isGreaterThan(500);
  }
}
