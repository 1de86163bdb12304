package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ParquetColumn#packPlainText}, PLAIN text pages packed in place, against the value-at-a-time
 * copy it replaced; and {@link ParquetColumn#unpackRun}, the bit-packed runs of the RLE / bit-packing hybrid (dictionary
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

  /**
   * The reference: PLAIN text (4-byte little-endian length, then the bytes) packed to the front of
   * {@code in} a value at a time with {@code System.arraycopy}; {@code ~i} when value i's length or
   * bytes run past {@code to}.
   */
  private static int referencePack(byte[] in, int from, int to, int count, int[] offsets) {
    int read = from;
    int write = 0;
    offsets[0] = 0;
    for (int i = 0; i < count; i++) {
      if (read + 4 > to) {
        return ~i;
      }
      int length = (in[read] & 0xff) | (in[read + 1] & 0xff) << 8 | (in[read + 2] & 0xff) << 16 | (in[read + 3] & 0xff) << 24;
      read += 4;
      if (length < 0 || length > to - read) {
        return ~i;
      }
      System.arraycopy(in, read, in, write, length);
      read += length;
      write += length;
      offsets[i + 1] = write;
    }
    return write;
  }

  @Test
  void packPlainText_equalsTheValueAtATimeCopy_onRandomPages() {
    SplittableRandom random = new SplittableRandom(2026_12_06_18L);
    int faulty = 0;
    int nearTheArrayEnd = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      int count = random.nextInt(200);
      int from = random.nextInt(24);
      // values of 0-40 bytes (ids), now and then longer ones
      int[] lengths = new int[count];
      int total = 0;
      for (int i = 0; i < count; i++) {
        lengths[i] = random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(41);
        total += 4 + lengths[i];
      }
      int to = from + total;
      byte[] page = new byte[to + random.nextInt(12)];   // the buffer may end right after the page
      for (int i = 0; i < page.length; i++) {
        page[i] = (byte) random.nextInt(256);
      }
      for (int i = 0, at = from; i < count; at += 4 + lengths[i], i++) {
        int length = lengths[i];
        if (random.nextInt(400) == 0) {
          length = random.nextBoolean() ? -1 - random.nextInt(1000) : to - at - 3 + random.nextInt(50);
        }
        page[at] = (byte) length;
        page[at + 1] = (byte) (length >>> 8);
        page[at + 2] = (byte) (length >>> 16);
        page[at + 3] = (byte) (length >>> 24);
      }
      if (count > 0 && random.nextInt(10) == 0) {
        to -= 1 + random.nextInt(Math.min(total, 30));   // a page cut short
      }
      byte[] expected = page.clone();
      byte[] actual = page.clone();
      int[] expectedOffsets = new int[count + 1];
      int[] actualOffsets = new int[count + 1];
      int want = referencePack(expected, from, to, count, expectedOffsets);
      int got = ParquetColumn.packPlainText(actual, from, to, count, actualOffsets);
      assertThat(got).as("trial %d, count %d, from %d, to %d", trial, count, from, to).isEqualTo(want);
      int values = want >= 0 ? count : ~want;
      assertThat(Arrays.copyOf(actualOffsets, values + 1)).as("trial %d", trial)
          .isEqualTo(Arrays.copyOf(expectedOffsets, values + 1));
      int packed = expectedOffsets[values];
      assertThat(Arrays.copyOf(actual, packed)).as("trial %d: the packed bytes", trial)
          .isEqualTo(Arrays.copyOf(expected, packed));
      if (want < 0) {
        faulty++;
        // the faulty value's length is where it was, for the message that names it
        int at = from + packed + 4 * values;
        if (at + 4 <= to) {
          assertThat(Arrays.copyOfRange(actual, at, at + 4)).isEqualTo(Arrays.copyOfRange(page, at, at + 4));
        }
      } else if (page.length - to < 8 && count > 1) {
        nearTheArrayEnd++;
      }
    }
    assertThat(faulty).as("faulty pages among the trials").isGreaterThan(1_000);
    assertThat(nearTheArrayEnd).as("pages ending within 8 bytes of their array").isGreaterThan(1_000);
  }
}
