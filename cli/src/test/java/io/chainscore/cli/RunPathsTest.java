package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a {@code score} or {@code features} run reads and writes, checked before any work: a
 * {@code --resume} with nothing to resume checked as a fresh run, an output that is an input or
 * another output, a manifest that would overwrite a file, a folder for an output, a format, a
 * folder that cannot be written; and the files of an earlier run a replacing run removes (its
 * stale quarantine) or must leave alone (another run's manifest in a shared folder).
 */
class RunPathsTest {
  @TempDir Path dir;

  private Path model;
  private Path features;

  @BeforeEach
  void modelAndFeatures() throws Exception {
    model = TestRuns.model(dir);
    features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 600, 5, "2025-06-30");
  }

  private CliRun score(Path out, String... more) {
    return score(features, out, more);
  }

  private CliRun score(Path table, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("score", "--model", model.toString(), "--features", table.toString(),
        "--out", out.toString(), "--as-of", "2025-06-30", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /** Every file under {@code folder} (hidden ones too) with the SHA-256 of its bytes. */
  static Map<String, String> state(Path folder) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (var walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(p).toString(), RunManifest.sha256(p));
      }
    }
    return files;
  }

  /**
   * A {@code --resume} that finds no interrupted run is a fresh run: the quarantine another run's
   * manifest lists was replaced (it is refused without --resume, exit 2).
   */
  @Test
  void resumeWithNothingToResume_refusesAnotherRunsQuarantine_asAFreshRunDoes() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path withBadRows = TestRuns.features(dir.resolve("bad.csv"), 1500, 3, "2025-06-30");
    CliRun first = score(withBadRows, runs.resolve("s.arrow"));
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    Map<String, String> before = state(runs);

    for (String[] more : new String[][] {{}, {"--resume"}}) {
      CliRun second = score(runs.resolve("s.csv"), more);
      assertThat(second.code()).as(String.join(" ", more)).isEqualTo(2);
      assertThat(second.err().strip()).isEqualTo("chainscore score: " + runs.resolve("s.quarantine.csv")
          + " already exists (an output of the run of " + runs.resolve("s.arrow.manifest.json")
          + "); pass --overwrite to replace it");
      assertThat(state(runs)).isEqualTo(before);
    }
  }

  /** The same through {@code features}, whose quarantine a score table of the same base name shares. */
  @Test
  void resumeWithNothingToResume_refusesTheFeatureRunsQuarantine() throws Exception {
    Path runs = dir.resolve("fx");
    CliRun.portfolioWithFeatures(dir.resolve("p"), runs.resolve("feat.parquet"), 40, 7, "csv");
    Path quarantine = runs.resolve("feat.quarantine.csv");
    assertThat(quarantine).exists();
    Map<String, String> before = state(runs);
    CliRun resumed = CliRun.of("score", "--features", runs.resolve("feat.parquet").toString(), "--out",
        runs.resolve("feat.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--resume");
    assertThat(resumed.code()).as(resumed.out()).isEqualTo(2);
    assertThat(resumed.err().strip()).isEqualTo("chainscore score: " + quarantine + " already exists (an output of"
        + " the run of " + runs.resolve("feat.parquet.manifest.json") + "); pass --overwrite to replace it");
    assertThat(state(runs)).isEqualTo(before);
  }

  /**
   * A {@code features} run whose quarantine another output of the same base name wrote names that
   * run's manifest, as {@code score} names it.
   */
  @Test
  void features_refusingAnotherRunsQuarantine_namesThatRunsManifest() throws Exception {
    Path runs = dir.resolve("fx");
    Path portfolio = dir.resolve("p");
    CliRun.portfolioWithFeatures(portfolio, runs.resolve("feat.parquet"), 40, 7, "csv");
    Path quarantine = runs.resolve("feat.quarantine.csv");
    Map<String, String> before = state(runs);
    CliRun second = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
        "--out", runs.resolve("feat.csv").toString(), "--quiet");
    assertThat(second.code()).as(second.out()).isEqualTo(2);
    assertThat(second.err().strip()).isEqualTo("chainscore features: " + quarantine + " already exists (an output"
        + " of the run of " + runs.resolve("feat.parquet.manifest.json") + "); pass --overwrite to replace it");
    assertThat(state(runs)).isEqualTo(before);
  }

  /** A table with no data rows is refused with and without {@code --resume} (nothing to resume). */
  @Test
  void resumeWithNothingToResume_refusesATableWithNoDataRows() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.csv"), TestRuns.HEADER + ",as_of_date\n");
    for (String[] more : new String[][] {{}, {"--resume"}}) {
      CliRun run = score(empty, dir.resolve("e/s.csv"), more);
      assertThat(run.code()).as(run.out()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore score: " + empty
          + ": no data rows; expected one row per supplier to score after the header");
      assertThat(dir.resolve("e")).doesNotExist();
    }
  }

  /** {@code chainscore args...} in a child JVM started in {@code cwd} (relative paths): exit code and output. */
  private CliRun inFolder(Path cwd, String... args) throws Exception {
    Path log = Files.createTempFile(Files.createDirectories(dir.resolve("logs")), "run", ".log");
    Process p = new ProcessBuilder(TestRuns.javaCommand(ChainScoreCli.class.getName(), args)).directory(cwd.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new CliRun(p.waitFor(), Files.readString(log), "");
  }

  /**
   * Two months' runs, each in its own folder with relative paths, keep their manifests in one
   * folder: the December run deleted M/nov.json, whose recorded "scores.csv" it read from its own
   * working directory as its own output. A manifest's relative path is read from the manifest's
   * folder (or, for OUT.manifest.json beside OUT, from the folder that gives OUT).
   */
  @Test
  void aManifestKeptInASharedFolder_isNotDeletedByAnotherFoldersRun() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("M"));
    Path nov = Files.createDirectories(dir.resolve("nov"));
    Path dec = Files.createDirectories(dir.resolve("dec"));
    String[] args = {"score", "--model", "../scorecard.json", "--features", "../f.csv", "--out", "scores.csv",
        "--as-of", "2025-06-30", "--quiet", "--manifest-out"};
    CliRun november = inFolder(nov, concat(args, "../M/nov.json"));
    assertThat(november.code()).as(november.out()).isZero();
    Map<String, String> novBefore = state(nov);
    Map<String, String> sharedBefore = state(shared);

    CliRun december = inFolder(dec, concat(args, "../M/dec.json"));
    assertThat(december.code()).as(december.out()).isZero();
    assertThat(state(nov)).isEqualTo(novBefore);
    Map<String, String> sharedAfter = state(shared);
    assertThat(sharedAfter.remove("dec.json")).isNotNull();
    assertThat(sharedAfter).as("M/nov.json, byte for byte").isEqualTo(sharedBefore);

    // the manifest of an output's own default name, recorded from the parent folder, is still
    // the output's: replaced with the output (a --manifest-out now) it is deleted, not left stale
    Path run = Files.createDirectories(dir.resolve("run"));
    String[] fromParent = {"score", "--model", "scorecard.json", "--features", "f.csv", "--out", "run/s.csv",
        "--as-of", "2025-06-30", "--quiet"};
    assertThat(inFolder(dir, fromParent).code()).isZero();
    assertThat(run.resolve("s.csv.manifest.json")).exists();
    CliRun replaced = inFolder(dir, concat(fromParent, "--overwrite", "--manifest-out", "run/nightly.json"));
    assertThat(replaced.code()).as(replaced.out()).isZero();
    assertThat(run.resolve("s.csv.manifest.json")).doesNotExist();
    assertThat(run.resolve("nightly.json")).exists();
  }

  private static String[] concat(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  /**
   * {@code --manifest-out} naming --out, the quarantine, an input (with --overwrite too) or a file
   * that exists (without --overwrite) overwrote it after the run: refused before any work, naming
   * the clash; a --resume of the finished run keeps its manifest, and --overwrite replaces a file.
   */
  @Test
  void manifestOut_namingAnOutputAnInputOrAnExistingFile_isRefusedBeforeAnyWork() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("m"));
    Path out = runs.resolve("s.csv");
    Path notes = Files.writeString(runs.resolve("notes.json"), "{\"kept\": true}");
    Map<String, String> before = state(dir);
    Map<String[], String> refusals = new java.util.LinkedHashMap<>();
    refusals.put(new String[] {"--manifest-out", out.toString()}, "--manifest-out " + out
        + " is the same file as --out " + out + "; each output of a run needs a file of its own");
    refusals.put(new String[] {"--manifest-out", runs.resolve("s.quarantine.csv").toString()}, "--manifest-out "
        + runs.resolve("s.quarantine.csv") + " is the same file as the quarantine " + runs.resolve("s.quarantine.csv")
        + "; each output of a run needs a file of its own");
    refusals.put(new String[] {"--manifest-out", runs.resolve("bad.csv").toString(), "--quarantine-out",
        runs.resolve("bad.csv").toString()}, "--manifest-out " + runs.resolve("bad.csv") + " is the same file as"
        + " --quarantine-out " + runs.resolve("bad.csv") + "; each output of a run needs a file of its own");
    refusals.put(new String[] {"--manifest-out", features.toString(), "--overwrite"}, "--manifest-out " + features
        + " is a file the run reads, --features " + features + "; a run never writes over its input");
    refusals.put(new String[] {"--manifest-out", runs.resolve("../scorecard.json").toString(), "--overwrite"},
        "--manifest-out " + runs.resolve("../scorecard.json") + " is a file the run reads, --model " + model
        + "; a run never writes over its input");
    refusals.put(new String[] {"--manifest-out", notes.toString()}, notes + " already exists; pass --overwrite to"
        + " replace it");
    refusals.put(new String[] {"--manifest-out", notes.toString(), "--resume"}, notes + " already exists; pass"
        + " --overwrite to replace it");
    for (Map.Entry<String[], String> refusal : refusals.entrySet()) {
      CliRun run = score(out, refusal.getKey());
      assertThat(run.code()).as(String.join(" ", refusal.getKey())).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore score: " + refusal.getValue());
      assertThat(state(dir)).as(String.join(" ", refusal.getKey())).isEqualTo(before);
    }

    // allowed: the manifest of this output's finished run, kept by --resume; a file replaced with --overwrite
    Path kept = runs.resolve("nightly.json");
    CliRun first = score(out, "--manifest-out", kept.toString());
    assertThat(first.code()).as(first.err()).isZero();
    Map<String, String> finished = state(dir);
    CliRun resumed = score(out, "--manifest-out", kept.toString(), "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).startsWith("Nothing to resume: " + out);
    assertThat(state(dir)).isEqualTo(finished);
    CliRun replaced = score(runs.resolve("t.csv"), "--manifest-out", notes.toString(), "--overwrite");
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(Files.readString(notes)).contains("\"command\" : \"score\"");
  }

  /** {@code --quarantine-out} naming the input deleted the input before the run (a "stopped run's" quarantine). */
  @Test
  void quarantineOut_namingTheInputOrTheOut_isRefused_andTheInputKept() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("q"));
    Path out = runs.resolve("s.csv");
    Map<String, String> before = state(dir);
    CliRun input = score(out, "--quarantine-out", features.toString());
    assertThat(input.code()).isEqualTo(2);
    assertThat(input.err().strip()).isEqualTo("chainscore score: --quarantine-out " + features
        + " is a file the run reads, --features " + features + "; a run never writes over its input");
    assertThat(state(dir)).isEqualTo(before);

    // the same file by another spelling, and through a link
    Path spelled = dir.resolve("q/../f.csv");
    CliRun other = score(out, "--quarantine-out", spelled.toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err().strip()).isEqualTo("chainscore score: --quarantine-out " + spelled
        + " is a file the run reads, --features " + features + "; a run never writes over its input");
    Path link = Files.createSymbolicLink(dir.resolve("link.csv"), features);
    before = state(dir);
    CliRun linked = score(link, out, "--quarantine-out", features.toString());
    assertThat(linked.code()).isEqualTo(2);
    assertThat(linked.err().strip()).isEqualTo("chainscore score: --quarantine-out " + features
        + " is a file the run reads, --features " + link + "; a run never writes over its input");
    assertThat(state(dir)).isEqualTo(before);

    CliRun sameAsOut = score(out, "--quarantine-out", out.toString());
    assertThat(sameAsOut.code()).isEqualTo(2);
    assertThat(sameAsOut.err().strip()).isEqualTo("chainscore score: --quarantine-out " + out
        + " is the same file as --out " + out + "; each output of a run needs a file of its own");
    assertThat(state(dir)).isEqualTo(before);
  }

  /** {@code --out} naming an input replaced it with {@code --overwrite}: a portfolio table, a feature table. */
  @Test
  void out_namingAnInput_isRefused_evenWithOverwrite() throws Exception {
    Path portfolio = dir.resolve("p3");
    CliRun gen = CliRun.of("generate", "--suppliers", "40", "--seed", "5", "--format", "csv", "--threads", "1",
        "--quiet", "--out", portfolio.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    Map<String, String> before = state(dir);
    Path suppliers = portfolio.resolve("suppliers.csv");
    CliRun table = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--quiet",
        "--out", suppliers.toString(), "--overwrite");
    assertThat(table.code()).isEqualTo(2);
    assertThat(table.err().strip()).isEqualTo("chainscore features: --out " + suppliers + " is a file the run reads,"
        + " --transactions " + portfolio + " (its table " + suppliers + "); a run never writes over its input");
    assertThat(state(dir)).isEqualTo(before);

    CliRun scores = score(features, "--overwrite");
    assertThat(scores.code()).isEqualTo(2);
    assertThat(scores.err().strip()).isEqualTo("chainscore score: --out " + features + " is a file the run reads,"
        + " --features " + features + "; a run never writes over its input");
    CliRun fromTransactions = CliRun.of("score", "--transactions", portfolio.toString(), "--out",
        portfolio.resolve("loans.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--overwrite");
    assertThat(fromTransactions.code()).isEqualTo(2);
    assertThat(fromTransactions.err().strip()).isEqualTo("chainscore score: --out " + portfolio.resolve("loans.csv")
        + " is a file the run reads, --transactions " + portfolio + " (its table " + portfolio.resolve("loans.csv")
        + "); a run never writes over its input");
    assertThat(state(dir)).isEqualTo(before);
  }

  /**
   * An --out that is a folder ran the whole computation, then failed to commit (exit 1, and for
   * features "pass --resume to finish it", an option it does not have): refused before any work.
   */
  @Test
  void out_thatIsAFolder_isRefusedBeforeAnyWork() throws Exception {
    Path portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "40", "--seed", "5", "--format", "csv", "--threads", "1", "--quiet",
        "--out", portfolio.toString()).code()).isZero();
    Path folder = Files.createDirectories(dir.resolve("runs/dir.csv"));
    Files.writeString(folder.resolve("inside.txt"), "kept");
    Map<String, String> before = state(dir);
    CliRun features = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--quiet",
        "--out", folder.toString(), "--overwrite");
    assertThat(features.code()).isEqualTo(2);
    assertThat(features.err().strip()).isEqualTo("chainscore features: " + folder + " is a directory; --out names the"
        + " file to write, e.g. " + folder.resolve("features.parquet"));
    CliRun scores = score(folder, "--overwrite");
    assertThat(scores.code()).isEqualTo(2);
    assertThat(scores.err().strip()).isEqualTo("chainscore score: " + folder + " is a directory; --out names the file"
        + " to write, e.g. " + folder.resolve("scores.csv"));
    CliRun quarantine = score(dir.resolve("runs/t.csv"), "--quarantine-out", folder.toString());
    assertThat(quarantine.code()).isEqualTo(2);
    assertThat(quarantine.err().strip()).isEqualTo("chainscore score: " + folder + " is a directory; --quarantine-out"
        + " names the file to write, e.g. " + folder.resolve("quarantine.csv"));
    assertThat(state(dir)).isEqualTo(before);
    try (var left = Files.list(dir.resolve("runs"))) {
      assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("dir.csv");
    }
  }

  /** An --out without a table extension was refused after the computation, naming the hidden staged file. */
  @Test
  void out_withoutATableExtension_isRefusedBeforeAnyWork_namingTheUsersPath() throws Exception {
    Path portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "40", "--seed", "5", "--format", "csv", "--threads", "1", "--quiet",
        "--out", portfolio.toString()).code()).isZero();
    Map<String, String> before = state(dir);
    Path noext = dir.resolve("out/noext");
    CliRun features = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--quiet",
        "--out", noext.toString());
    assertThat(features.code()).isEqualTo(2);
    assertThat(features.err().strip()).isEqualTo("chainscore features: output " + noext
        + " has an unknown extension; expected .csv, .arrow, .arrows or .parquet");
    CliRun quarantine = score(dir.resolve("out/s.csv"), "--quarantine-out", dir.resolve("out/bad.txt").toString());
    assertThat(quarantine.code()).isEqualTo(2);
    assertThat(quarantine.err().strip()).isEqualTo("chainscore score: output " + dir.resolve("out/bad.txt")
        + " has an unknown extension; expected .csv, .arrow, .arrows or .parquet");
    assertThat(state(dir)).isEqualTo(before);
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /**
   * A --manifest-out in a folder this user cannot write failed after the scoring, exit 1, naming
   * "..staged.m.json.tmp", and left the staged files behind: refused before any work, naming the
   * user's path. (As root a folder's mode does not stop a write: the test makes it immutable then.)
   */
  @Test
  void manifestOut_inAFolderThatCannotBeWritten_isRefusedBeforeAnyWork() throws Exception {
    Path locked = Files.createDirectories(dir.resolve("ro"));
    Path runs = Files.createDirectories(dir.resolve("w"));
    // not an assumption: a check that may be skipped is no check (.ci/run installs chattr, e2fsprogs)
    assertThat(readOnly(locked)).as("the folder made read-only (its mode, or chattr +i as root)").isTrue();
    try {
      Map<String, String> before = state(dir);
      Path manifest = locked.resolve("m.json");
      CliRun run = score(runs.resolve("s.csv"), "--manifest-out", manifest.toString());
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore score: --manifest-out " + manifest + ": cannot be written:"
          + " its folder " + locked + " is not writable by this user");
      assertThat(state(dir)).isEqualTo(before);
      try (var left = Files.list(runs)) {
        assertThat(left.toList()).as("no staged or partial files").isEmpty();
      }
      // and an --out in a folder to be created inside it
      CliRun out = score(locked.resolve("sub/s.csv"));
      assertThat(out.code()).isEqualTo(2);
      assertThat(out.err().strip()).isEqualTo("chainscore score: --out " + locked.resolve("sub/s.csv")
          + ": cannot be written: its folder " + locked + " is not writable by this user");
    } finally {
      writable(locked);
    }
  }

  /** Makes {@code folder} read-only for this process (its mode; for root, the immutable attribute). */
  private static boolean readOnly(Path folder) throws Exception {
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    if (!Files.isWritable(folder)) {
      return true;
    }
    try {
      new ProcessBuilder("chattr", "+i", folder.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (java.io.IOException noChattr) {
      return false;
    }
    return !Files.isWritable(folder);
  }

  private static void writable(Path folder) throws Exception {
    try {
      new ProcessBuilder("chattr", "-i", folder.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (java.io.IOException noChattr) {
      // nothing to undo
    }
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The files of {@code folder} (relative, sorted) that {@code manifest} does not list among its outputs. */
  private static List<String> unlisted(Path folder, Path manifest) throws Exception {
    com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile());
    List<Path> listed = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode f : m.get("outputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
      listed.add(p.toAbsolutePath().normalize());
    }
    List<String> rest = new ArrayList<>();
    for (String name : state(folder).keySet()) {
      Path p = folder.resolve(name).toAbsolutePath().normalize();
      if (!listed.contains(p) && !p.equals(manifest.toAbsolutePath().normalize())) {
        rest.add(name);
      }
    }
    return rest;
  }

  /**
   * A run that quarantined rows, replaced with {@code --overwrite --quarantine-out q/bad.csv} on a
   * clean table, left its s.quarantine.csv beside the new scores, listed by no manifest: the
   * replaced run's outputs this run does not write go with its manifest; a quarantine another
   * run's manifest lists (s.arrow's, sharing the name) stays.
   */
  @Test
  void overwrite_removesTheReplacedRunsQuarantine_thatItsNewQuarantineIsNot() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("o"));
    Path out = runs.resolve("s.csv");
    Path withBadRows = TestRuns.features(dir.resolve("bad.csv"), 1500, 3, "2025-06-30");
    CliRun first = score(withBadRows, out);
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    assertThat(Files.readAllLines(runs.resolve("s.quarantine.csv"))).hasSizeGreaterThan(1);

    CliRun replaced = score(out, "--overwrite", "--quarantine-out", runs.resolve("q/bad.csv").toString());
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(runs.resolve("s.quarantine.csv")).as("the replaced run's quarantine").doesNotExist();
    assertThat(Files.readAllLines(runs.resolve("q/bad.csv"))).containsExactly("row,record_id,column,reason");
    assertThat(unlisted(runs, runs.resolve("s.csv.manifest.json"))).isEmpty();

    // and back: the quarantine at q/bad.csv, recorded by the run replaced, goes the same way
    CliRun back = score(withBadRows, out, "--overwrite");
    assertThat(back.code()).as(back.err()).isEqualTo(3);
    assertThat(runs.resolve("q/bad.csv")).doesNotExist();
    assertThat(unlisted(runs, runs.resolve("s.csv.manifest.json"))).isEmpty();

    // a quarantine two runs share by name, the other's manifest listing it, is the other's
    Path other = runs.resolve("s.arrow");
    CliRun second = score(withBadRows, other, "--overwrite");
    assertThat(second.code()).as(second.err()).isEqualTo(3);
    byte[] shared = Files.readAllBytes(runs.resolve("s.quarantine.csv"));
    Map<String, String> arrowRun = new TreeMap<>(state(runs));
    arrowRun.keySet().removeIf(name -> !name.startsWith("s.arrow") && !name.equals("s.quarantine.csv"));
    CliRun third = score(out, "--overwrite", "--quarantine-out", runs.resolve("q/bad.csv").toString());
    assertThat(third.code()).as(third.err()).isZero();
    assertThat(Files.readAllBytes(runs.resolve("s.quarantine.csv"))).isEqualTo(shared);
    Map<String, String> after = new TreeMap<>(state(runs));
    after.keySet().removeIf(name -> !name.startsWith("s.arrow") && !name.equals("s.quarantine.csv"));
    assertThat(after).isEqualTo(arrowRun);
  }
}
