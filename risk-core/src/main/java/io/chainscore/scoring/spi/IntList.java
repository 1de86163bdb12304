package io.chainscore.scoring.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable list of {@code int} values without boxing: values are appended, read by index and
 * copied out as an exactly sized array.
 *
 * <p>Internal to ChainScore's own modules (layout passes of compilers and loaders); not part of the
 * public API.
 *
 * <p>Thread safety: not thread-safe; one instance belongs to one thread at a time.
 */
public final class IntList {
  private int[] values;
  private int size;

  /** An empty list with room for 16 values before it grows. */
  public IntList() {
    this(16);
  }

  /** An empty list with room for {@code initialCapacity} values before it grows. */
  public IntList(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("initialCapacity " + initialCapacity + " is negative");
    }
    values = new int[Math.max(1, initialCapacity)];
  }

  /** Appends {@code value}, doubling the storage when it is full (amortised constant time). */
  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, grownCapacity(size));
    }
    values[size++] = value;
  }

  /** The value at {@code index}, {@code 0 <= index < size()}. */
  public int get(int index) {
    return values[Objects.checkIndex(index, size)];
  }


  /** The number of values added. */
  public int size() {
    return size;
  }

  /** A new array holding the values in the order they were added. */
  public int[] toArray() {
    return Arrays.copyOf(values, size);
  }

  static int grownCapacity(int size) {
    if (size >= Integer.MAX_VALUE - 8) {
      throw new OutOfMemoryError("list of " + size + " values cannot grow");
    }
    // doubling, capped below the largest array the JVMs allocate
    return (int) Math.min((long) size * 2, Integer.MAX_VALUE - 8);
  }
}
