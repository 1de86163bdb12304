package io.chainscore.batch.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The durable state of a run after its last completed checkpoint: how much input is done and
 * how long the partial output and quarantine files were then.
 */
record Checkpoint(
    int version,
    String fingerprint,
    long chunks,
    long inputRows,
    long outputBytes,
    long outputHeaderBytes,
    long quarantineBytes,
    long quarantineHeaderBytes,
    long rowsWritten,
    long rowsQuarantined) {
  /** 2 since the quarantine has its record_id column: a run stopped before cannot be resumed into it. */
  static final int VERSION = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes atomically: a temporary file forced to disk, then renamed over the old one. */
  void write(Path path) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static Checkpoint read(Path path) throws IOException {
    try {
      Checkpoint c = JSON.readValue(path.toFile(), Checkpoint.class);
      if (c.version != VERSION) {
        throw new ResumeException(path + " has checkpoint version " + c.version + "; expected " + VERSION
            + " (written by another version of chainscore); pass --overwrite to start again");
      }
      return c;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ResumeException(path + " is not a readable checkpoint: " + e.getOriginalMessage());
    }
  }
}
