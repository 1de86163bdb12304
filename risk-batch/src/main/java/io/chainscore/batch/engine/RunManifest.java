package io.chainscore.batch.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit record of a batch run, written as JSON beside its output: what went in (files with
 * sizes and SHA-256), which model, the options, what came out, row counts, timings and the
 * software version.
 *
 * @param tool tool name and version
 * @param command the subcommand, for example {@code score}
 * @param startedAt when the run started (UTC)
 * @param finishedAt when it finished (UTC)
 * @param elapsedSeconds wall time
 * @param threads worker threads
 * @param inputs input files
 * @param model the model's id, version and content hash, empty when none
 * @param options the options the run was given, by name
 * @param outputs output files
 * @param rows row counts: read, written, quarantined, resumed_from
 *
 * <p>Thread safety: immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunManifest(
    String tool,
    String command,
    Instant startedAt,
    Instant finishedAt,
    double elapsedSeconds,
    int threads,
    List<FileEntry> inputs,
    Map<String, String> model,
    Map<String, Object> options,
    List<FileEntry> outputs,
    Map<String, Long> rows) {

  /**
   * One file.
   *
   * @param path as given
   * @param bytes size
   * @param sha256 lower-case hex SHA-256 of the content
   */
  public record FileEntry(String path, long bytes, String sha256) {
    /** Reads and hashes {@code file}. */
    public static FileEntry of(Path file) throws IOException {
      return new FileEntry(file.toString(), Files.size(file), RunManifest.sha256(file));
    }
  }

  /** Row counts of a finished batch job, in the manifest's naming. */
  public static Map<String, Long> rows(BatchResult result) {
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("read", result.rowsRead());
    rows.put("written", result.rowsWritten());
    rows.put("quarantined", result.rowsQuarantined());
    rows.put("resumed_from", result.resumedFromRow());
    return rows;
  }

  /** Lower-case hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Writes the manifest as indented JSON, atomically. */
  public void write(Path path) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
        .addSerializer(Instant.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(Instant.class)));
    Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
    json.writeValue(tmp.toFile(), this);
    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
