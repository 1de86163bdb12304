package io.chainscore.develop;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The settings a trainer records in a bundle's {@code provenance.trainer}, after the trainer's
 * name and version: one group {@code "; key=value key=value ..."} per part of the training (the
 * development rows and their split, then the model's own options), so that a validator can tell
 * from the bundle alone how it was trained and train it again. The one rule for every trainer
 * ({@code GbdtTrainer}, {@code ScorecardTrainer}, {@code chainscore train}):
 *
 * <ul>
 *   <li>keys are lowercase snake case, each given once in a group, in the order put; a group
 *       starts with {@code "; key="}, where a reader (the model document) splits the text, and the
 *       values a trainer writes itself never hold {@code "; "} (a column name given by the user
 *       is written as given);
 *   <li>a value is {@link String#valueOf(Object)} of what is put (so a double reads as Java prints
 *       it, {@code 0.05}, {@code 1.0}; a set or map should be put sorted, a {@code TreeSet} or
 *       {@code TreeMap}, so that its text does not depend on hashing); an absent setting is put as
 *       {@code none} rather than left out;
 *   <li>nothing that differs between runs of the same inputs and options: no clock, no thread
 *       count, no path (a file is recorded by a SHA-256 of its contents or rows, never by where
 *       it lies).
 * </ul>
 *
 * <p>Thread safety: not thread-safe (a builder); {@link #sha256(double[])} is stateless.
 */
public final class TrainerSettings {
  private final StringBuilder text = new StringBuilder();

  /** No settings yet. */
  public TrainerSettings() {}

  /** Adds {@code key=value}. */
  public TrainerSettings put(String key, Object value) {
    text.append(text.length() == 0 ? "" : " ").append(key).append('=').append(value);
    return this;
  }

  /** Whether nothing was put. */
  public boolean isEmpty() {
    return text.length() == 0;
  }

  /** The group as it follows a trainer's name: {@code "; key=value ..."}, or empty when nothing was put. */
  public String group() {
    return text.length() == 0 ? "" : "; " + text;
  }

  @Override
  public String toString() {
    return text.toString();
  }

  /**
   * {@code none} for null, else {@code sha256:} and the SHA-256 (lowercase hex) of the values' IEEE
   * 754 bits, each as 8 big-endian bytes: how a trainer records per-row sample weights.
   */
  public static String weights(double[] weights) {
    return weights == null ? "none" : "sha256:" + sha256(weights);
  }

  /** The SHA-256 (lowercase hex) of the values' IEEE 754 bits, each as 8 big-endian bytes. */
  public static String sha256(double[] values) {
    MessageDigest md = digest();
    ByteBuffer b = ByteBuffer.allocate(8);
    for (double v : values) {
      b.clear();
      md.update(b.putDouble(v).array());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The SHA-256 (lowercase hex) of {@code bytes}, for a file recorded by its contents. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
