package io.chainscore.scoring.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable list of {@code double} values without boxing: values are appended, read by index and
 * copied out as an exactly sized array.
 *
 * <p>Internal to ChainScore's own modules (layout passes of compilers and loaders); not part of the
 * public API.
 *
 * <p>Thread safety: not thread-safe; one instance belongs to one thread at a time.
 */
public final class DoubleList {
  private double[] values;
  private int size;

  /** An empty list with room for 16 values before it grows. */
  public DoubleList() {
    this(16);
  }

  /** An empty list with room for {@code initialCapacity} values before it grows. */
  public DoubleList(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("initialCapacity " + initialCapacity + " is negative");
    }
    values = new double[Math.max(1, initialCapacity)];
  }

  /** Appends {@code value}, doubling the storage when it is full (amortised constant time). */
  public void add(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, IntList.grownCapacity(size));
    }
    values[size++] = value;
  }

  /** The value at {@code index}, {@code 0 <= index < size()}. */
  public double get(int index) {
    return values[Objects.checkIndex(index, size)];
  }


  /** The number of values added. */
  public int size() {
    return size;
  }

  /** A new array holding the values in the order they were added. */
  public double[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
