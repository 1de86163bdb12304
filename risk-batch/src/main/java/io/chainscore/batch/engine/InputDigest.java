package io.chainscore.batch.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of every byte of a file, read through a direct buffer in 1 MiB blocks (the JDK's
 * SHA-256 uses the CPU's SHA instructions where there are any). {@code docs/reliability.md} gives
 * its throughput against the engine's.
 *
 * <p>Thread safety: stateless.
 */
final class InputDigest {
  private static final int BLOCK = 1 << 20;

  private InputDigest() {}

  /** The 32-byte SHA-256 of {@code file}'s content. */
  static byte[] sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buffer) >= 0) {
        buffer.flip();
        sha.update(buffer);
        buffer.clear();
      }
    }
    return sha.digest();
  }
}
