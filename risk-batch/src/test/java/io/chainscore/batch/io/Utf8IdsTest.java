package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The caching decoder against a strict JDK decoder applied to every value on its own. */
class Utf8IdsTest {
  /** The reference: each value decoded alone, strictly; null when not valid UTF-8. */
  private static String reference(byte[] bytes, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static final String[] PIECES = {"S", "INV-", "0", "7", "é", "€", "\u0000", "𝄞", "-", "B12"};

  /** Random values: runs of a repeated id, a few thousand repeating ids, unique ids, non-ASCII, NUL and broken bytes. */
  private static byte[] randomValue(SplittableRandom random) {
    if (random.nextInt(20) == 0) {
      byte[] broken = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < broken.length; i++) {
        broken[i] = (byte) random.nextInt(256);
      }
      return broken;
    }
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      b.append(PIECES[random.nextInt(PIECES.length)]);
    }
    b.append(random.nextInt(random.nextBoolean() ? 3_000 : 1_000_000));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesEveryValueAsAStrictDecoderDoes_repeatedOrNot() {
    SplittableRandom random = new SplittableRandom(17);
    for (int column = 0; column < 3; column++) {
      Utf8Ids ids = new Utf8Ids();
      byte[] scratch = new byte[64];
      byte[] value = randomValue(random);
      int runLeft = 0;
      for (int row = 0; row < 400_000; row++) {
        // column 0: long runs of equal values; 1: values mostly from a small set; 2: mostly unique
        if (runLeft-- <= 0) {
          value = column == 1 && random.nextInt(4) != 0
              ? ("B" + random.nextInt(2_000)).getBytes(StandardCharsets.UTF_8) : randomValue(random);
          runLeft = column == 0 ? random.nextInt(300) : 0;
        }
        // Stale bytes beyond the value's length must not matter.
        java.util.Arrays.fill(scratch, (byte) random.nextInt(256));
        System.arraycopy(value, 0, scratch, 0, value.length);
        String expected = reference(value, value.length);
        String actual = ids.decode(scratch, value.length);
        if (expected == null) {
          assertThat(actual).isSameAs(Utf8Ids.INVALID);
        } else {
          assertThat(actual).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aRepeatedValueIsTheSameInstance_andAnInvalidOneIsNeverCached() {
    Utf8Ids ids = new Utf8Ids();
    byte[] a = "S000123".getBytes(StandardCharsets.UTF_8);
    String first = ids.decode(a.clone(), a.length);
    assertThat(ids.decode(a.clone(), a.length)).isSameAs(first);
    byte[] bad = {'S', (byte) 0xC3};
    assertThat(ids.decode(bad.clone(), 2)).isSameAs(Utf8Ids.INVALID);
    assertThat(ids.decode(bad.clone(), 2)).isSameAs(Utf8Ids.INVALID);
    byte[] b = "B7".getBytes(StandardCharsets.UTF_8);
    String buyer = ids.decode(b.clone(), 2);
    ids.decode(a.clone(), a.length);
    assertThat(ids.decode(b.clone(), 2)).isSameAs(buyer).isEqualTo("B7");
  }
}
