package io.chainscore.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commits a run's outputs on Hadoop file systems as one set, the way {@code chainscore score}
 * commits its files (docs/reliability.md): each output is written under a hidden temporary name
 * beside its target ({@code .NAME.tmp-<uuid>}, {@link #stage}); then {@link #commit} deletes the
 * old manifest before the first rename, so that a manifest never vouches for a mixed set of an old
 * and a new run's files, deletes the earlier run's side outputs this run does not write (a stale
 * quarantine), renames each output into place, and writes the manifest last (itself staged and
 * renamed). So: <b>when the manifest exists, the files it names are this run's, complete</b>; a run
 * killed during the commit leaves no manifest.
 *
 * <p>The commit journal: before it deletes or renames anything, {@link #commit} writes the staged
 * manifest and then a journal beside it ({@code .MANIFEST.commit-journal}: each rename, in order,
 * the manifest's last, and the side outputs to delete). A commit that a kill or a failure stops
 * leaves the journal and its staged files, and {@link #resume} finishes it (the job's {@code
 * --resume}), without computing anything again; the journal is deleted once the manifest is in
 * place. A run stopped before its journal leaves the earlier run's set and manifest as they were.
 *
 * <p>Temporary names: {@link #abort} deletes this run's own (on failure), unless its journal is
 * written (they are then what {@link #resume} renames); {@link #stage} deletes those an earlier run
 * that was killed left beside the same target. Two runs must not write the same outputs at once.
 *
 * <p>Thread safety: one commit per instance, on one thread.
 */
final class OutputCommit {
  /** For tests: run after the first rename of a commit (a fault injected there). */
  static Runnable afterFirstRename = null;

  /** The staged outputs: temporary name to target, in the order they are renamed. */
  private final Map<Path, Path> staged = new LinkedHashMap<>();
  private final Map<Path, FileSystem> fileSystems = new LinkedHashMap<>();
  /** Whether {@link #commit} wrote its journal: from then on the staged files belong to {@link #resume}. */
  private boolean journalled;

  /**
   * A new temporary name beside {@code target} (on {@code fs}) to write its content to, renamed to
   * {@code target} by {@link #commit}; temporary names of {@code target} an earlier run left are
   * deleted first.
   */
  Path stage(FileSystem fs, Path target) throws IOException {
    deleteLeftovers(fs, target);
    Path temp = new Path(target.getParent(), prefix(target) + UUID.randomUUID());
    staged.put(temp, target);
    fileSystems.put(temp, fs);
    return temp;
  }

  private static String prefix(Path target) {
    return "." + target.getName() + ".tmp-";
  }

  /** Deletes the temporary names of {@code target} that are there (an earlier run's, killed before it cleaned up). */
  static void deleteLeftovers(FileSystem fs, Path target) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith(prefix(target)))) {
      fs.delete(s.getPath(), true);
    }
  }

  /**
   * Commits: writes {@code manifestJson} to {@code manifest} under a temporary name and the
   * journal ({@link #journalOf}), deletes {@code manifest} (on {@code manifestFs}) if it is there,
   * deletes each of {@code sideOutputs} this commit did not stage (an earlier run's), renames every
   * staged output to its target (replacing what is there), the manifest last, and deletes the
   * journal.
   *
   * @throws IOException naming the target when a delete or rename fails; the manifest is then absent
   *     and the journal there for {@link #resume}
   */
  void commit(FileSystem manifestFs, Path manifest, byte[] manifestJson, FileSystem fs, List<Path> sideOutputs)
      throws IOException {
    manifestFs = raw(manifestFs);
    Path manifestTemp = stage(manifestFs, manifest);
    manifestFs.mkdirs(manifest.getParent());
    try (OutputStream out = manifestFs.create(manifestTemp, false)) {
      out.write(manifestJson);
    }
    List<Path> deletions = new ArrayList<>();
    for (Path side : sideOutputs) {
      if (!staged.containsValue(side)) {
        deletions.add(side.getFileSystem(fs.getConf()).makeQualified(side));
      }
    }
    writeJournal(manifestFs, manifest, deletions);
    journalled = true;
    finish(manifestFs, manifest, staged, deletions);
    staged.clear();
    manifestFs.delete(journalOf(manifest), false);
  }

  /**
   * The renames and deletions of a commit, from the point its journal was written: the old
   * manifest deleted before the first rename (while the new one, always the last rename, is still
   * staged), the side outputs deleted, each staged output renamed over its target, the manifest
   * last. A rename whose temporary name is gone and whose target is there was done before (a
   * resumed commit).
   */
  private static void finish(FileSystem manifestFs, Path manifest, Map<Path, Path> renames, List<Path> deletions)
      throws IOException {
    Configuration conf = manifestFs.getConf();
    // first: from here on until the last rename, no manifest vouches for the files
    if (manifestFs.exists(stagedManifest(renames)) && manifestFs.exists(manifest) && !manifestFs.delete(manifest, false)) {
      throw new IOException("could not delete the old manifest " + manifest);
    }
    for (Path side : deletions) {
      FileSystem fs = side.getFileSystem(conf);
      if (fs.exists(side) && !fs.delete(side, true)) {
        throw new IOException("could not delete " + side + ", an earlier run's");
      }
    }
    boolean first = true;
    for (Map.Entry<Path, Path> e : renames.entrySet()) {
      FileSystem targetFs = raw(e.getValue().getFileSystem(conf));
      Path target = e.getValue();
      if (!targetFs.exists(e.getKey())) {
        if (targetFs.exists(target)) {
          continue;   // renamed before the commit stopped
        }
        throw new IOException("the commit journal of " + manifest + " renames " + e.getKey() + " to " + target
            + ", but neither is there; run again with --overwrite");
      }
      if (targetFs.exists(target) && !targetFs.delete(target, true)) {
        throw new IOException("could not delete " + target + " to replace it");
      }
      if (!targetFs.rename(e.getKey(), target)) {
        throw new IOException("could not rename " + e.getKey() + " to " + target);
      }
      if (first && afterFirstRename != null) {
        afterFirstRename.run();
      }
      first = false;
    }
  }

  /** The staged manifest of a commit's renames: the last one, as {@link #commit} stages it last. */
  private static Path stagedManifest(Map<Path, Path> renames) {
    Path last = null;
    for (Path staged : renames.keySet()) {
      last = staged;
    }
    return last;
  }

  /** The local file system without its checksum files (the manifest and journal alone, as chainscore score writes them). */
  private static FileSystem raw(FileSystem fs) {
    return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** The commit journal of {@code manifest}: a hidden file beside it. */
  static Path journalOf(Path manifest) {
    return new Path(manifest.getParent(), "." + manifest.getName() + ".commit-journal");
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** Writes the journal under a temporary name and renames it into place: a journal is whole or absent. */
  private void writeJournal(FileSystem manifestFs, Path manifest, List<Path> deletions) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode j = JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode renames = j.putArray("renames");
    for (Map.Entry<Path, Path> e : staged.entrySet()) {
      FileSystem fs = fileSystems.get(e.getKey());
      renames.addArray().add(fs.makeQualified(e.getKey()).toString()).add(fs.makeQualified(e.getValue()).toString());
    }
    com.fasterxml.jackson.databind.node.ArrayNode deletes = j.putArray("delete");
    deletions.forEach(d -> deletes.add(d.toString()));
    Path journal = journalOf(manifest);
    Path temp = new Path(journal.getParent(), journal.getName() + ".tmp");
    try (OutputStream out = manifestFs.create(temp, true)) {
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(j));
    }
    if (manifestFs.exists(journal)) {
      manifestFs.delete(journal, false);
    }
    if (!manifestFs.rename(temp, journal)) {
      throw new IOException("could not write the commit journal " + journal);
    }
  }

  /**
   * Finishes the commit whose journal is beside {@code manifest}, if there is one: the renames not
   * yet done, the deletions, the manifest last; then deletes the journal.
   *
   * @return the manifest's bytes when a commit was finished, null when there was no journal
   * @throws IOException when the journal is unreadable or a staged file it names is gone
   */
  static byte[] resume(Configuration conf, Path manifest) throws IOException {
    FileSystem manifestFs = raw(manifest.getFileSystem(conf));
    Journal journal = readJournal(manifestFs, manifest);
    if (journal == null) {
      return null;
    }
    finish(manifestFs, manifest, journal.renames(), journal.deletions());
    manifestFs.delete(journalOf(manifest), false);
    try (java.io.InputStream in = manifestFs.open(manifest)) {
      return in.readAllBytes();
    }
  }

  /** A commit journal: the renames in order (temporary name to target, the manifest last) and the deletions. */
  private record Journal(Map<Path, Path> renames, List<Path> deletions) {}

  /** The commit journal beside {@code manifest}, read; null when there is none. */
  private static Journal readJournal(FileSystem manifestFs, Path manifest) throws IOException {
    Path journal = journalOf(manifest);
    if (!manifestFs.exists(journal)) {
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode j;
    try (java.io.InputStream in = manifestFs.open(journal)) {
      j = JSON.readTree(in);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("the commit journal " + journal + " is not readable (" + e.getOriginalMessage()
          + "); run again with --overwrite");
    }
    Map<Path, Path> renames = new LinkedHashMap<>();
    j.path("renames").forEach(r -> renames.put(new Path(r.get(0).asText()), new Path(r.get(1).asText())));
    if (renames.isEmpty()) {
      throw new IOException("the commit journal " + journal + " names no manifest; run again with --overwrite");
    }
    List<Path> deletions = new ArrayList<>();
    j.path("delete").forEach(d -> deletions.add(new Path(d.asText())));
    return new Journal(renames, deletions);
  }

  /**
   * The manifest a commit journal beside {@code manifest} will put in place (the staged manifest,
   * or the manifest itself when its rename was done), or null when there is no journal.
   */
  static byte[] journalledManifest(Configuration conf, Path manifest) throws IOException {
    FileSystem manifestFs = raw(manifest.getFileSystem(conf));
    Journal journal = readJournal(manifestFs, manifest);
    if (journal == null) {
      return null;
    }
    Path staged = stagedManifest(journal.renames());
    try (java.io.InputStream in = manifestFs.open(manifestFs.exists(staged) ? staged : manifest)) {
      return in.readAllBytes();
    }
  }

  /**
   * Deletes the staged outputs not renamed (a failed run's): its own temporary names, nothing else;
   * nothing once the commit's journal is written.
   */
  void abort() {
    if (journalled) {
      return;   // the commit had begun: its staged files are what --resume renames
    }
    for (Map.Entry<Path, Path> e : staged.entrySet()) {
      try {
        fileSystems.get(e.getKey()).delete(e.getKey(), true);
      } catch (IOException ignored) {
        // already failing: the run's own error is the one to report; the next run deletes it
      }
    }
    staged.clear();
  }

  /**
   * A part file's name as Spark writes it: {@code part-NNNNN-}, the writing job's random UUID, and
   * the rest ({@code -c000.snappy.parquet}).
   */
  private static final java.util.regex.Pattern SPARK_PART =
      java.util.regex.Pattern.compile("(part-[0-9]+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(.*)");

  /**
   * Renames the part files Spark wrote into the staged table directory {@code dir} (on {@code fs})
   * after their content, and describes every part file, by name: each as {@code path} (its name in
   * the directory), {@code bytes} and {@code sha256} (lower-case hex), as a run manifest lists a
   * file, the writers' bookkeeping ({@code _SUCCESS}, hidden {@code .crc} files) left out. {@code
   * part-NNNNN-<UUID>REST} becomes {@code part-NNNNN-<the first 32 hex digits of its
   * SHA-256>REST}.
   *
   * <p>Why: Spark names a write's parts with a random UUID, so two runs of the same portfolio,
   * model and options wrote the same bytes under other names, and their manifests differed in
   * every {@code output_files} path (until 2026-12-07). Named after their bytes, the same run gives
   * the same folder and manifest (its times and the application's id aside), and a part's name
   * still tells one content from another, as the UUID told one run's parts from another's (the
   * job's earlier-manifest and {@code --resume} checks rely on that).
   */
  static List<Map<String, Object>> nameAfterContent(FileSystem fs, Path dir) throws IOException {
    List<Map<String, Object>> parts = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (!f.isFile() || name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      String sha = sha256(fs, f.getPath());
      java.util.regex.Matcher spark = SPARK_PART.matcher(name);
      if (spark.matches()) {
        name = spark.group(1) + "-" + sha.substring(0, 32) + spark.group(2);
        if (!fs.rename(f.getPath(), new Path(dir, name))) {
          throw new IOException("could not rename " + f.getPath() + " to " + name);
        }
      }
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("path", name);
      part.put("bytes", f.getLen());
      part.put("sha256", sha);
      parts.add(part);
    }
    parts.sort(java.util.Comparator.comparing(part -> (String) part.get("path")));
    return parts;
  }

  /** The lower-case hex SHA-256 of file {@code file}'s bytes. */
  private static String sha256(FileSystem fs, Path file) throws IOException {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (java.io.InputStream in = fs.open(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }
}
