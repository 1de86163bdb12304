package io.chainscore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a previous score run kept in a directory ({@code score --baseline DIR}, or the run's
 * manifest or score table in DIR when DIR holds several runs): its score table and, when kept
 * beside it, its feature table, each found in DIR by the file name its manifest records and
 * checked against the manifest's size and SHA-256.
 *
 * <p>Only DIR is looked in, whatever directory the manifest names: an archived copy of a run is
 * compared as archived, never with the live run that has since been overwritten, and a manifest
 * edited to name another file cannot make the run read it. Symbolic links are not followed.
 *
 * @param scores the baseline's score table
 * @param features the baseline's feature table and the column that identified its rows (the run's
 *     {@code --id-column}, as its manifest's options record it; {@code supplier_id} by default), or
 *     null when DIR does not hold it (no CSI then)
 * @param modelSha256 the SHA-256 of the model the run scored with, as its manifest records it
 */
record BaselineRun(Path scores, io.chainscore.batch.scoring.FeatureRows.Table features, String modelSha256,
    io.chainscore.batch.scoring.Monitoring.RowCounts rows) {
  /**
   * Finds and verifies the baseline run in {@code dir}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong: no score-run manifest, a
   *     score table missing from DIR, a file whose size or SHA-256 is not the manifest's
   */
  static BaselineRun of(Path dir) throws IOException {
    return of(dir, "--baseline");
  }

  /**
   * As {@link #of(Path)}, naming {@code option} (such as {@code --runs}) in messages. {@code run}
   * is a directory holding one score run, or one run's manifest ({@code OUT.manifest.json}) or
   * score table ({@code OUT}, its manifest the default {@code OUT.manifest.json} beside it) in a
   * directory that holds several; the run's files are then looked for in that file's directory.
   *
   * @throws IllegalArgumentException as {@link #of(Path)}, and for a directory holding several
   *     score runs, naming their manifests (it used to take the first by name)
   */
  static BaselineRun of(Path run, String option) throws IOException {
    if (Files.isRegularFile(run) || io.chainscore.batch.io.TableReader.isTableDirectory(run)) {
      Path manifestPath = run.getFileName().toString().endsWith(".manifest.json") ? run
          : run.resolveSibling(run.getFileName() + ".manifest.json");
      if (!Files.isRegularFile(manifestPath)) {
        throw new IllegalArgumentException(option + " " + run + ": no run manifest " + manifestPath.getFileName()
            + " beside it (expected a score run's directory, manifest or score table)");
      }
      JsonNode manifest = read(manifestPath);
      if (!isScoreRun(manifest)) {
        throw new IllegalArgumentException(option + " " + run + ": " + manifestPath.getFileName()
            + " is not the manifest of a score run");
      }
      Path dir = manifestPath.getParent() != null ? manifestPath.getParent() : Path.of("");
      return of(dir, manifestPath, manifest, option);
    }
    if (!Files.isDirectory(run)) {
      throw new IllegalArgumentException(option + " " + run + ": not a directory (expected a score run's directory,"
          + " manifest or score table)");
    }
    List<Path> found = new java.util.ArrayList<>();
    JsonNode manifest = null;
    for (Path p : RunManifest.manifestsIn(run)) {
      JsonNode candidate = read(p);
      if (isScoreRun(candidate)) {
        found.add(p);
        manifest = candidate;
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(run + " holds no run manifest (*.manifest.json) of a score run");
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException(option + " " + run + ": holds " + found.size() + " score runs ("
          + String.join(", ", found.stream().map(p -> p.getFileName().toString()).toList())
          + "); give the manifest of the one to use, e.g. " + option + " " + found.get(0));
    }
    return of(run, found.get(0), manifest, option);
  }

  /** A manifest of {@code chainscore score}, or of the Spark job ({@code "job": "chainscore-spark"}), which scores too. */
  private static boolean isScoreRun(JsonNode manifest) {
    return "score".equals(manifest.path("command").asText()) || SPARK_JOB.equals(manifest.path("job").asText());
  }

  /** The Spark job's manifest's {@code job}. */
  private static final String SPARK_JOB = "chainscore-spark";

  private static BaselineRun of(Path dir, Path manifestPath, JsonNode manifest, String option) throws IOException {
    if (SPARK_JOB.equals(manifest.path("job").asText())) {
      // the scores a directory of part files, each checked against output_files; no feature
      // table is kept beside them, so no CSI
      return new BaselineRun(verifiedParts(dir, manifestPath, manifest, option), null,
          manifest.path("model").path("sha256").asText(""), new io.chainscore.batch.scoring.Monitoring.RowCounts(-1,
              manifest.path("score_rows_quarantined").asLong(0), null,
              manifest.path("transaction_rows_quarantined").asLong(-1)));
    }
    Path scores = verified(dir, manifestPath, manifest.path("outputs").path(0), "outputs[0]", true, option);
    int featureInput = RunManifest.featureInput(manifest, scores);
    Path features = verified(dir, manifestPath, manifest.path("inputs").path(featureInput),
        "inputs[" + featureInput + "]", false, option);
    String idColumn = manifest.path("options").path("id_column")
        .asText(io.chainscore.batch.scoring.FeatureTableScoring.ID_COLUMN);
    io.chainscore.batch.scoring.Monitoring.RowCounts counts = rowCounts(manifest.path("rows"));
    if (counts.transactionsQuarantined() < 0 && features != null) {
      // a --features run: the trade-table rows refused before its features are those the features
      // run that wrote the table counted, when that run's manifest is beside the table and names
      // the very file scored (until 2026-12-07 monitor said nothing of them: a supplier whose own
      // row features refused was lost with "quarantined 0")
      long refused = featuresRunRefused(features, manifest.path("inputs").path(featureInput).path("sha256").asText(""));
      counts = new io.chainscore.batch.scoring.Monitoring.RowCounts(counts.read(), counts.quarantined(),
          counts.byColumn(), refused);
    }
    return new BaselineRun(scores, features == null ? null : new io.chainscore.batch.scoring.FeatureRows.Table(features,
        idColumn), manifest.path("model").path("sha256").asText(""), counts);
  }

  /**
   * The trade-table rows refused by the {@code chainscore features} run that wrote {@code features},
   * from its manifest beside it ({@code FEATURES.manifest.json}: {@code rows.quarantined}), when
   * that manifest's output is the file of SHA-256 {@code sha256} (the one the score run scored);
   * -1 (not known) otherwise: no such manifest, another command's, another file's, or unreadable.
   */
  private static long featuresRunRefused(Path features, String sha256) {
    Path manifestPath = features.resolveSibling(features.getFileName() + ".manifest.json");
    if (sha256.isEmpty() || !Files.isRegularFile(manifestPath)) {
      return -1;
    }
    try {
      JsonNode m = new ObjectMapper().readTree(manifestPath.toFile());
      boolean same = "features".equals(m.path("command").asText())
          && sha256.equals(m.path("outputs").path(0).path("sha256").asText());
      return same && m.path("rows").path("quarantined").canConvertToLong()
          ? m.path("rows").path("quarantined").asLong() : -1;
    } catch (IOException | RuntimeException unreadable) {
      return -1;
    }
  }

  /**
   * The row counts of a score run's manifest ({@code rows}): read, quarantined, by column
   * ({@code quarantined_column_COLUMN}, {@code quarantined_whole_row}; null for a manifest written
   * before they were, which then counted no rows by column) and the trade-table rows refused.
   */
  private static io.chainscore.batch.scoring.Monitoring.RowCounts rowCounts(JsonNode rows) {
    java.util.Map<String, Long> byColumn = ScoreCommand.quarantinedByColumn(rows);
    long quarantined = rows.path("quarantined").asLong(0);
    return new io.chainscore.batch.scoring.Monitoring.RowCounts(rows.path("read").asLong(-1), quarantined,
        quarantined == 0 || !byColumn.isEmpty() ? byColumn : null, rows.path("transactions_quarantined").asLong(-1));
  }

  private static JsonNode read(Path manifest) throws IOException {
    try {
      return new ObjectMapper().readTree(manifest.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(manifest + ": not a readable run manifest: " + e.getOriginalMessage());
    }
  }

  private static Path verified(Path dir, Path manifestPath, JsonNode entry, String field, boolean required,
      String option) throws IOException {
    String recorded = entry.path("path").asText("");
    String sha = entry.path("sha256").asText("");
    if (recorded.isEmpty() || !sha.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(manifestPath + ", " + field + ": expected a path and a SHA-256");
    }
    Path name = Path.of(recorded).getFileName();
    if (name == null || List.of(".", "..").contains(name.toString())) {
      throw new IllegalArgumentException(manifestPath + ", " + field + ": '" + recorded + "' names no file");
    }
    Path file = dir.resolve(name.toString());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!required && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      throw new IllegalArgumentException(option + " " + dir + ": the run's file " + name + " (" + field
          + " of " + manifestPath.getFileName() + ") is " + (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
              ? "not a regular file" : "not in the directory"));
    }
    String difference = new RunManifest.FileEntry(recorded, entry.path("bytes").asLong(-1), sha)
        .differenceFrom(file, "the run's manifest " + manifestPath.getFileName());
    if (difference != null) {
      throw new IllegalArgumentException(file + ": " + difference + "; the file changed after that run");
    }
    return file;
  }

  /**
   * The Spark job's score table in {@code dir} (its {@code output}'s name: a directory of Parquet
   * part files), when its part files are exactly those the manifest's {@code output_files} lists,
   * each of the size and SHA-256 recorded; the writers' bookkeeping ({@code _SUCCESS}, hidden
   * files) aside.
   */
  private static Path verifiedParts(Path dir, Path manifestPath, JsonNode manifest, String option) throws IOException {
    JsonNode listed = manifest.path("output_files");
    String output = manifest.path("output").asText("");
    Path name = output.isEmpty() ? null : Path.of(output.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*:/*", "/")).getFileName();
    if (name == null || !listed.isArray() || listed.isEmpty()) {
      throw new IllegalArgumentException(manifestPath + ": a Spark run's manifest without output and output_files"
          + " (written by a version before 2026-12-06): its scores cannot be checked; run it again");
    }
    Path table = dir.resolve(name.toString());
    if (!io.chainscore.batch.io.TableReader.isTableDirectory(table)) {
      throw new IllegalArgumentException(option + " " + dir + ": the run's scores " + name + " (output of "
          + manifestPath.getFileName() + ") are not a directory of Parquet part files in the directory");
    }
    java.util.Set<String> present = new java.util.TreeSet<>();
    try (var files = Files.list(table)) {
      files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith("_") && !f.startsWith("."))
          .forEach(present::add);
    }
    java.util.Set<String> recorded = new java.util.TreeSet<>();
    for (JsonNode entry : listed) {
      String part = entry.path("path").asText("");
      Path file = table.resolve(part);
      if (part.isEmpty() || !file.getParent().equals(table)) {
        throw new IllegalArgumentException(manifestPath + ", output_files: '" + part + "' names no part file");
      }
      recorded.add(part);
      verified(table, manifestPath, entry, "output_files", true, option);
    }
    java.util.Set<String> extra = new java.util.TreeSet<>(present);
    extra.removeAll(recorded);
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException(table + ": holds part files the run's manifest " + manifestPath.getFileName()
          + " does not list (" + String.join(", ", extra) + "); the table changed after that run");
    }
    return table;
  }
}
