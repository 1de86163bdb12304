package io.chainscore.batch.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the UTF-8 values of one text column into Strings, decoding each distinct value about
 * once instead of once per row: a value equal to the previous row's (ids of the same supplier
 * come in runs) or to the one held in a small direct-mapped cache (a few thousand buyer ids)
 * returns the String decoded before, the same instance, so callers can map ids by identity and
 * {@link String#hashCode()} is computed once per value. The cache switches itself off for a
 * column whose values rarely repeat (invoice ids), leaving the previous-row check.
 *
 * <p>Pure ASCII without NUL is turned into a String by a byte copy; any other value goes through
 * a strict {@link CharsetDecoder}, so the result (and every refusal) is the same as decoding each
 * value on its own.
 *
 * <p>Thread safety: not thread-safe; one per column of a reader.
 */
final class Utf8Ids {
  /** Outcome of {@link #decode} for bytes that are not valid UTF-8. */
  static final String INVALID = new String("invalid UTF-8");

  private static final int CACHE = 4096;
  /** Lookups between checks of the cache's hit rate. */
  private static final int REVIEW = 1 << 16;

  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] previous = new byte[0];
  private int previousLength = -1;
  private String previousString;
  private byte[][] cacheBytes = new byte[CACHE][];
  private String[] cacheStrings = new String[CACHE];
  private boolean cacheOn = true;
  private int lookups;
  private int hits;

  /**
   * The text of {@code bytes[0..length)}, or {@link #INVALID} when they are not valid UTF-8
   * (compare by identity). A value holding NUL is returned as decoded; the caller refuses it.
   */
  String decode(byte[] bytes, int length) {
    if (length == previousLength && Arrays.equals(bytes, 0, length, previous, 0, length)) {
      return previousString;
    }
    String s;
    if (cacheOn) {
      int h = 1;
      for (int i = 0; i < length; i++) {
        h = 31 * h + bytes[i];
      }
      int slot = (h ^ (h >>> 13)) & (CACHE - 1);
      byte[] held = cacheBytes[slot];
      if (held != null && held.length == length && Arrays.equals(bytes, 0, length, held, 0, length)) {
        s = cacheStrings[slot];
        hits++;
      } else {
        s = decodeFresh(bytes, length);
        if (s != INVALID) {
          cacheBytes[slot] = Arrays.copyOf(bytes, length);
          cacheStrings[slot] = s;
        }
      }
      if (++lookups == REVIEW) {
        // Fewer than one hit in four: the values hardly repeat, so hashing them costs more than it saves.
        cacheOn = hits * 4 >= lookups;
        if (!cacheOn) {
          cacheBytes = null;
          cacheStrings = null;
        }
        lookups = 0;
        hits = 0;
      }
    } else {
      s = decodeFresh(bytes, length);
    }
    if (s != INVALID) {
      if (previous.length < length) {
        previous = new byte[Math.max(length, 2 * previous.length)];
      }
      System.arraycopy(bytes, 0, previous, 0, length);
      previousLength = length;
      previousString = s;
    }
    return s;
  }

  private String decodeFresh(byte[] bytes, int length) {
    boolean plain = true;
    for (int i = 0; i < length; i++) {
      int b = bytes[i];
      if (b <= 0) {   // NUL or a byte of a multi-byte sequence (negative as a Java byte)
        plain = false;
        break;
      }
    }
    if (plain) {
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.reset().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      return INVALID;
    }
  }
}
