package io.chainscore.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
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
 * killed during the commit leaves no manifest (rerun with {@code --overwrite}).
 *
 * <p>Temporary names: {@link #abort} deletes this run's own (on failure); {@link #stage} deletes
 * those an earlier run that was killed left beside the same target. Two runs must not write the
 * same outputs at once.
 *
 * <p>Thread safety: one commit per instance, on one thread.
 */
final class OutputCommit {
  /** For tests: run after the first rename of a commit (a fault injected there). */
  static Runnable afterFirstRename = null;

  /** The staged outputs: temporary name to target, in the order they are renamed. */
  private final Map<Path, Path> staged = new LinkedHashMap<>();
  private final Map<Path, FileSystem> fileSystems = new LinkedHashMap<>();

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
   * Commits: deletes {@code manifest} (on {@code manifestFs}) if it is there, deletes each of
   * {@code sideOutputs} this commit did not stage (an earlier run's), renames every staged output
   * to its target (replacing what is there), then writes {@code manifestJson} to {@code manifest}
   * under a temporary name and renames it.
   *
   * @throws IOException naming the target when a delete or rename fails; the manifest is then absent
   */
  void commit(FileSystem manifestFs, Path manifest, byte[] manifestJson, FileSystem fs, List<Path> sideOutputs)
      throws IOException {
    if (manifestFs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
      // the manifest alone, as chainscore score writes it: no hidden .crc file beside it
      manifestFs = local.getRawFileSystem();
    }
    // first: from here on until the last rename, no manifest vouches for the files
    if (manifestFs.exists(manifest) && !manifestFs.delete(manifest, false)) {
      throw new IOException("could not delete the old manifest " + manifest);
    }
    for (Path side : sideOutputs) {
      if (!staged.containsValue(side) && fs.exists(side) && !fs.delete(side, true)) {
        throw new IOException("could not delete " + side + ", an earlier run's");
      }
    }
    Path manifestTemp = stage(manifestFs, manifest);
    manifestFs.mkdirs(manifest.getParent());
    try (OutputStream out = manifestFs.create(manifestTemp, false)) {
      out.write(manifestJson);
    }
    boolean first = true;
    for (Map.Entry<Path, Path> e : new ArrayList<>(staged.entrySet())) {
      FileSystem targetFs = fileSystems.get(e.getKey());
      Path target = e.getValue();
      if (targetFs.exists(target) && !targetFs.delete(target, true)) {
        throw new IOException("could not delete " + target + " to replace it");
      }
      if (!targetFs.rename(e.getKey(), target)) {
        throw new IOException("could not rename " + e.getKey() + " to " + target);
      }
      staged.remove(e.getKey());
      if (first && afterFirstRename != null) {
        afterFirstRename.run();
      }
      first = false;
    }
  }

  /** Deletes the staged outputs not renamed (a failed run's): its own temporary names, nothing else. */
  void abort() {
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
   * The part files of the table directory {@code dir} (on {@code fs}), by name: each as {@code
   * path} (its name in the directory), {@code bytes} and {@code sha256} (lower-case hex), as a run
   * manifest lists a file; the writers' bookkeeping ({@code _SUCCESS}, hidden {@code .crc} files)
   * left out.
   */
  static List<Map<String, Object>> describeParts(FileSystem fs, Path dir) throws IOException {
    List<Map<String, Object>> parts = new ArrayList<>();
    org.apache.hadoop.fs.FileStatus[] listed = fs.listStatus(dir);
    java.util.Arrays.sort(listed, java.util.Comparator.comparing(f -> f.getPath().getName()));
    for (org.apache.hadoop.fs.FileStatus f : listed) {
      String name = f.getPath().getName();
      if (!f.isFile() || name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      java.security.MessageDigest sha;
      try {
        sha = java.security.MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      try (java.io.InputStream in = fs.open(f.getPath())) {
        byte[] buffer = new byte[1 << 20];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("path", name);
      part.put("bytes", f.getLen());
      part.put("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
      parts.add(part);
    }
    return parts;
  }
}
