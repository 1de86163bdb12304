package io.chainscore.batch.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * @param phases the run's phases with their wall seconds, in the order they ran (for example
 *     {@code features}, {@code score}, {@code fingerprint}), or null when the command does not time them;
 *     like {@code started_at}, {@code finished_at} and {@code elapsed_seconds} these differ from
 *     run to run, everything else in a manifest is reproducible
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
    Map<String, Long> rows,
    List<Phase> phases) {

  /**
   * The {@code tool} field of every ChainScore run manifest (the command line's and the Spark
   * job's): {@code chainscore VERSION}, the version from the jar manifest of {@code entryPoint}'s
   * package, or {@code 0.1.0-SNAPSHOT (development build)} when it has none (classes run from a
   * build tree).
   */
  public static String tool(Class<?> entryPoint) {
    String v = entryPoint.getPackage().getImplementationVersion();
    return "chainscore " + (v == null ? "0.1.0-SNAPSHOT (development build)" : v);
  }

  /** A manifest without phase timings. */
  public RunManifest(String tool, String command, Instant startedAt, Instant finishedAt, double elapsedSeconds,
      int threads, List<FileEntry> inputs, Map<String, String> model, Map<String, Object> options,
      List<FileEntry> outputs, Map<String, Long> rows) {
    this(tool, command, startedAt, finishedAt, elapsedSeconds, threads, inputs, model, options, outputs, rows, null);
  }

  /** The same manifest with {@code phases} as its phase timings. */
  public RunManifest withPhases(List<Phase> phases) {
    return new RunManifest(tool, command, startedAt, finishedAt, elapsedSeconds, threads, inputs, model, options,
        outputs, rows, phases == null ? null : List.copyOf(phases));
  }

  /**
   * One timed phase of a run.
   *
   * @param name what ran, for example {@code invoices} (reading them and feeding the engine)
   * @param seconds its wall time
   */
  public record Phase(String name, double seconds) {}

  /**
   * Times the phases of a run one after another: each {@link #end} closes the phase that began at
   * the previous one (or at construction).
   *
   * <p>Thread safety: not thread-safe; the run's thread calls it.
   */
  public static final class PhaseClock {
    private final List<Phase> phases = new ArrayList<>();
    private final long started = System.nanoTime();
    private long last = started;

    /** Seconds since the clock started: the run's elapsed time, every phase in it. */
    public double elapsedSeconds() {
      return (System.nanoTime() - started) / 1e9;
    }

    /** Ends the current phase, named {@code name}, and starts the next. */
    public void end(String name) {
      long now = System.nanoTime();
      phases.add(new Phase(name, (now - last) / 1e9));
      last = now;
    }

    /** The phases ended so far, in order. */
    public List<Phase> phases() {
      return List.copyOf(phases);
    }
  }

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

    /**
     * How {@code file} differs from this entry, or null when it is a regular file of the recorded
     * size (when one is recorded) and SHA-256: the one rule by which a later command decides that
     * a file is still the one a run's manifest lists ({@code score --resume} over a finished run,
     * a baseline run's folder). The words name the recorder, for example {@code "1,024 bytes, but
     * the run's manifest m.json records 2,048"}; an entry without a SHA-256 (a pipe) matches no
     * file.
     *
     * @param recorder who recorded the entry, as the message names it
     */
    public String differenceFrom(Path file, String recorder) throws IOException {
      if (!Files.isRegularFile(file)) {   // a link to one is followed; a caller that refuses links checks first
        return Files.exists(file) ? "not a regular file" : "not there";
      }
      if (sha256 == null) {
        return "not hashed by " + recorder;
      }
      long size = Files.size(file);
      if (bytes >= 0 && size != bytes) {
        return size + " bytes, but " + recorder + " records " + bytes;
      }
      String actual = RunManifest.sha256(file);
      return actual.equals(sha256) ? null : "SHA-256 " + actual + ", but " + recorder + " records " + sha256;
    }
  }

  /**
   * Starts the manifest of a run: the commands say what went in and came out, the builder hashes
   * the files and names the model the same way for every command.
   *
   * @param tool tool name and version, for example {@code chainscore 0.1.0}
   * @param command the subcommand, for example {@code score}
   * @param startedAt when the run started
   */
  public static Builder builder(String tool, String command, Instant startedAt) {
    return new Builder(tool, command, startedAt);
  }

  /**
   * Collects a run's manifest; files are hashed when added, so add outputs once they are complete.
   *
   * <p>Thread safety: not thread safe; one run builds one manifest.
   */
  public static final class Builder {
    private final String tool;
    private final String command;
    private final Instant startedAt;
    private int threads = 1;
    private final List<FileEntry> inputs = new ArrayList<>();
    private Map<String, String> model;
    private Map<String, Object> options = new LinkedHashMap<>();
    private final List<FileEntry> outputs = new ArrayList<>();
    private Map<String, Long> rows = new LinkedHashMap<>();
    private List<Phase> phases;

    private Builder(String tool, String command, Instant startedAt) {
      this.tool = tool;
      this.command = command;
      this.startedAt = startedAt;
    }

    /** Worker threads of the run. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** An input file. */
    public Builder input(Path file) throws IOException {
      inputs.add(FileEntry.of(file));
      return this;
    }

    /**
     * The files a run read, each hashed when it is a regular file; a pipe, whose bytes the run
     * consumed and which cannot be read again, is listed unhashed ({@code bytes -1}). Record what
     * was read, not what a folder holds: a folder may hold files the run never opened.
     */
    public Builder inputsRead(List<Path> files) throws IOException {
      for (Path p : files) {
        inputs.add(readEntry(p));
      }
      return this;
    }

    /** Files already hashed, in order ({@link InputHashes#get}). */
    public Builder inputs(List<FileEntry> entries) {
      inputs.addAll(entries);
      return this;
    }

    /**
     * The model scored with: its id, version and content hash, and where it came from; a bundle
     * file ({@code file} not null) is also listed as an input, a shipped bundle is recorded as
     * {@code bundled:<model id>}.
     */
    public Builder model(ModelBundle bundle, Path file) throws IOException {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("id", bundle.modelId());
      m.put("version", bundle.modelVersion());
      m.put("sha256", bundle.sha256());
      m.put("file", file == null ? "bundled:" + bundle.modelId() : file.toString());
      model = m;
      if (file != null) {
        input(file);
      }
      return this;
    }

    /** The options the run was given, by name (copied). */
    public Builder options(Map<String, Object> options) {
      this.options = new LinkedHashMap<>(options);
      return this;
    }

    /** An output file, complete. */
    public Builder output(Path file) throws IOException {
      outputs.add(FileEntry.of(file));
      return this;
    }

    /**
     * An output file still under its staged name ({@link FileSetCommit#stage}): listed under the
     * name it will be committed to, hashed from the staged bytes.
     */
    public Builder output(Path target, Path staged) throws IOException {
      outputs.add(new FileEntry(target.toString(), Files.size(staged), sha256(staged)));
      return this;
    }

    /** Row counts by name (copied). */
    public Builder rows(Map<String, Long> rows) {
      this.rows = new LinkedHashMap<>(rows);
      return this;
    }

    /** The run's timed phases, in order (copied). */
    public Builder phases(List<Phase> phases) {
      this.phases = List.copyOf(phases);
      return this;
    }

    /** The manifest of the run that finished at {@code finishedAt} after {@code elapsedSeconds}. */
    public RunManifest finish(Instant finishedAt, double elapsedSeconds) {
      return new RunManifest(tool, command, startedAt, finishedAt, elapsedSeconds, threads, List.copyOf(inputs),
          model, options, List.copyOf(outputs), rows, phases);
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

  /** The entry of a file a run read: hashed when it is a regular file, else (a pipe) unhashed, {@code bytes -1}. */
  static FileEntry readEntry(Path p) throws IOException {
    return Files.isRegularFile(p) ? FileEntry.of(p) : new FileEntry(p.toString(), -1, null);
  }

  /**
   * The input files of a run hashed on a thread of their own, started as the run starts, so that
   * fingerprinting gigabytes of trade tables overlaps the computation instead of following it
   * (3.4 GB of Parquet tables at 200,000 suppliers took about 3 s, the last step of the features
   * command). The entries are those {@link Builder#inputsRead} gives for the same files, taken
   * when the hashing reads them: a file replaced during the run is caught by neither.
   *
   * <p>Thread safety: {@link #get} and {@link #cancel} from the run's thread.
   */
  public static final class InputHashes {
    private final java.util.concurrent.FutureTask<List<FileEntry>> task;

    private InputHashes(List<Path> files) {
      List<Path> copy = List.copyOf(files);
      task = new java.util.concurrent.FutureTask<>(() -> {
        List<FileEntry> entries = new ArrayList<>(copy.size());
        for (Path p : copy) {
          entries.add(readEntry(p));
        }
        return entries;
      });
    }

    /** Starts hashing {@code files} in order on a daemon thread. */
    public static InputHashes start(List<Path> files) {
      InputHashes hashes = new InputHashes(files);
      Thread thread = new Thread(hashes.task, "chainscore-input-hashes");
      thread.setDaemon(true);
      thread.start();
      return hashes;
    }

    /** The files' entries, in the order given, once hashed; the hashing's own failure is rethrown. */
    public List<FileEntry> get() throws IOException {
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while hashing the inputs");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    /** Stops the hashing of a run that failed (its files are not needed). */
    public void cancel() {
      task.cancel(true);
    }
  }

  /**
   * The committed run manifests in {@code dir} ({@code *.manifest.json}, regular files), by name;
   * not the hidden staged copies ({@code .staged.*}) of a run still committing. The one listing of a
   * folder's runs, for a baseline's folder and for the side files other runs list.
   */
  public static java.util.List<Path> manifestsIn(Path dir) throws IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")
              && !f.getFileName().toString().startsWith(".") && java.nio.file.Files.isRegularFile(f))
          .sorted().toList();
    }
  }

  /** Larger JSON files in a run's folder are not read as manifests (a manifest is a few KB). */
  private static final long MANIFEST_SIZE_LIMIT = 1 << 20;

  /**
   * The files of folder {@code dir} that may be run manifests, in name order: every visible
   * regular {@code *.json} (a {@code --manifest-out} need not end in {@code .manifest.json}), for
   * {@link #read} to tell. Empty when {@code dir} is null or no folder.
   */
  public static List<Path> candidatesIn(Path dir) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")
          && !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)).sorted().toList();
    }
  }

  /**
   * The run manifest at {@code file}, or null when it is none (not JSON, another tool's, too
   * large): the one reading of an earlier run's manifest when a run looks for what it replaces
   * (the command line's checks before a run, and the commit's {@link RunCommit#manifestsMadeFalse}).
   */
  public static com.fasterxml.jackson.databind.JsonNode read(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) > MANIFEST_SIZE_LIMIT) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
      return json != null && json.path("tool").asText("").startsWith("chainscore") && json.path("outputs").isArray()
          ? json : null;
    } catch (com.fasterxml.jackson.core.JacksonException unreadable) {
      return null;
    }
  }

  /**
   * The folder the relative paths of the run manifest {@code manifest} ({@code json}) are read
   * from, when its first output is {@code output}; null when it is another file's manifest. A path
   * is recorded as the run was given it: an absolute one is compared as it is; a relative one is
   * read from the manifest's own folder, or, for the manifest of {@code output}'s own default name
   * ({@code OUTPUT.manifest.json} beside it), from the folder that gives {@code output} (a run
   * started from a parent folder recorded {@code run/s.csv}). A relative path is never read from
   * today's working directory: {@code scores.csv} recorded by a run in {@code nov/} whose
   * manifest went to {@code ../M/nov.json} is not {@code dec/scores.csv}.
   */
  public static Path recordedBase(Path manifest, com.fasterxml.jackson.databind.JsonNode json, Path output) {
    String first = json.path("outputs").path(0).path("path").asText("");
    if (first.isEmpty()) {
      return null;
    }
    Path recorded;
    try {
      recorded = Path.of(first);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
    Path folder = manifest.toAbsolutePath().normalize().getParent();
    if (recorded.isAbsolute()) {
      return io.chainscore.batch.io.FileIdentity.sameFile(recorded, output) ? folder : null;
    }
    if (io.chainscore.batch.io.FileIdentity.sameFile(folder.resolve(recorded), output)) {
      return folder;
    }
    Path target = output.toAbsolutePath().normalize();
    Path named = recorded.normalize();
    boolean defaultName = manifest.toAbsolutePath().normalize()
        .equals(target.resolveSibling(target.getFileName() + ".manifest.json"));
    if (defaultName && !named.startsWith("..") && target.endsWith(named) && target.getNameCount() > named.getNameCount()) {
      return target.getRoot().resolve(target.subpath(0, target.getNameCount() - named.getNameCount()));
    }
    return null;
  }

  /**
   * The output files the run manifest {@code manifest} ({@code json}) lists (with a {@code score
   * --transactions} run's feature table, {@code BASE.features.arrow} beside its scores, which it
   * lists among its inputs), each where it is
   * (absolute, normalised) with its entry as recorded: relative paths read from {@link
   * #recordedBase} of the output the manifest's name gives ({@code OUT.manifest.json}: {@code
   * OUT} beside it), else from the manifest's own folder, as a {@code --manifest-out}'s are.
   */
  public static java.util.Map<Path, FileEntry> listedOutputs(Path manifest, com.fasterxml.jackson.databind.JsonNode json) {
    Path folder = manifest.toAbsolutePath().normalize().getParent();
    String name = manifest.getFileName().toString();
    Path base = null;
    if (name.endsWith(MANIFEST_SUFFIX) && name.length() > MANIFEST_SUFFIX.length()) {
      base = recordedBase(manifest, json, folder.resolve(name.substring(0, name.length() - MANIFEST_SUFFIX.length())));
    }
    if (base == null) {
      base = folder;
    }
    java.util.Map<Path, FileEntry> listed = new LinkedHashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode e : json.path("outputs")) {
      String path = e.path("path").asText("");
      if (path.isEmpty()) {
        continue;
      }
      try {
        listed.putIfAbsent(base.resolve(path).normalize(),
            new FileEntry(path, e.path("bytes").asLong(-1), e.path("sha256").asText(null)));
      } catch (java.nio.file.InvalidPathException notAPath) {
        // not a path this system reads: no file of this run
      }
    }
    // A score --transactions run's feature table (BASE.features.arrow beside its scores) is its own
    // file, committed with its scores, but listed among its inputs, as what it scored: s.csv and
    // s.arrow share it as they share s.quarantine.csv (until 2026-12-07 a run replacing it left the
    // other run's manifest vouching for the table it had computed)
    String first = json.path("outputs").path(0).path("path").asText("");
    if (!first.isEmpty()) {
      try {
        Path kept = BatchJob.sideFile(Path.of(first), ".features.arrow").normalize();
        for (com.fasterxml.jackson.databind.JsonNode e : json.path("inputs")) {
          String path = e.path("path").asText("");
          if (!path.isEmpty() && Path.of(path).normalize().equals(kept)) {
            listed.putIfAbsent(base.resolve(path).normalize(),
                new FileEntry(path, e.path("bytes").asLong(-1), e.path("sha256").asText(null)));
            break;
          }
        }
      } catch (java.nio.file.InvalidPathException notAPath) {
        // not a path this system reads: no file of this run
      }
    }
    return listed;
  }

  private static final String MANIFEST_SUFFIX = ".manifest.json";

  /**
   * Lower-case hex SHA-256 of a file's bytes, read as {@link InputDigest} reads the batch engine's
   * inputs (1 MiB blocks through a direct buffer: an 8 KB stream took 1.4x the CPU time, the
   * nightly job hashes 8 GB).
   */
  public static String sha256(Path file) throws IOException {
    return HexFormat.of().formatHex(InputDigest.sha256(file));
  }

  /**
   * Writes the manifest as indented JSON, atomically, with {@link ResultJson}: snake_case names
   * ({@code started_at}, {@code elapsed_seconds}), map keys sorted.
   */
  public void write(Path path) throws IOException {
    ResultJson.write(this, path);
  }

  /**
   * Which of a score run's manifest's {@code inputs} is the feature table it scored: the first of a
   * {@code --features} run; of a {@code --transactions} run, which lists the trade tables first, the
   * features it kept as {@code BASE.features.arrow} beside its scores ({@code outputs[0]}; {@code
   * scores} when the manifest names none). Matched by path, not by file name: a run given {@code
   * --baseline} lists the baseline's inputs too, and a {@code --transactions} baseline of the same
   * base name kept a table of the same name (until 2026-12-07 a {@code --features} run with such a
   * baseline was read with the baseline's table). The one reading of it, for {@code --baseline},
   * {@code monitor} and the portfolio commands' account of a supplier without a score.
   */
  public static int featureInput(com.fasterxml.jackson.databind.JsonNode manifest, Path scores) {
    Path kept;
    try {
      kept = BatchJob.sideFile(Path.of(manifest.path("outputs").path(0).path("path").asText(scores.toString())),
          ".features.arrow").normalize();
    } catch (java.nio.file.InvalidPathException e) {
      return 0;
    }
    com.fasterxml.jackson.databind.JsonNode inputs = manifest.path("inputs");
    for (int i = 0; i < inputs.size(); i++) {
      try {
        if (Path.of(inputs.get(i).path("path").asText("")).normalize().equals(kept)) {
          return i;
        }
      } catch (java.nio.file.InvalidPathException e) {
        // not a path this system reads: not the kept table
      }
    }
    return 0;
  }
}
