package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 9: the features manifest listed every file of the folder re-hashed afterwards:
 * with both anchors.csv and anchors.arrow both were listed, and a FIFO input was missing. Also the
 * manifest's phases, as the README names them (issue #17: users see where a run's time goes).
 */
class FeaturesManifestTest {
  @TempDir Path dir;

  @Test
  void manifest_listsTheFilesRead_oneper_table_includingAPipe() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "40", "--seed", "3", "--out", p.toString(), "--quiet").code()).isZero();
    // Anchors in another format (tables may differ in format; one table in two formats is refused),
    // and files features does not read (labels, exposures, a stray note): none of those listed.
    assertThat(CliRun.of("generate", "--suppliers", "40", "--seed", "3", "--format", "arrow", "--out",
        dir.resolve("arrow").toString(), "--quiet").code()).isZero();
    Files.copy(dir.resolve("arrow/anchors.arrow"), p.resolve("anchors.arrow"));
    Files.delete(p.resolve("anchors.csv"));
    Files.writeString(p.resolve("notes.txt"), "not a table");
    // Instalments through a named pipe, fed by a writer process.
    byte[] instalments = Files.readAllBytes(p.resolve("instalments.csv"));
    Files.delete(p.resolve("instalments.csv"));
    Process mkfifo = new ProcessBuilder("mkfifo", p.resolve("instalments.csv").toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path source = Files.write(dir.resolve("instalments.source"), instalments);
    Process feeder = new ProcessBuilder("sh", "-c", "cat '" + source + "' > '" + p.resolve("instalments.csv") + "'").start();

    Path out = dir.resolve("f.csv");
    CliRun run = CliRun.of("features", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString(), "--quiet");
    assertThat(run.code()).as(run.err()).isIn(0, 3);
    assertThat(feeder.waitFor(10, TimeUnit.SECONDS)).isTrue();

    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("f.csv.manifest.json").toFile());
    // the phases as the README lists them, in the order they ran
    List<String> phases = new ArrayList<>();
    manifest.get("phases").forEach(phase -> phases.add(phase.get("name").asText()));
    assertThat(phases).containsExactly("reference_tables", "invoice_events", "invoices", "loans", "instalments",
        "deliveries", "engine_finish", "write", "fingerprint");
    JsonNode inputs = manifest.get("inputs");
    List<String> names = new ArrayList<>();
    for (JsonNode f : inputs) {
      names.add(Path.of(f.get("path").asText()).getFileName().toString());
    }
    assertThat(names).containsExactly("anchors.arrow", "suppliers.csv", "loans.csv", "credit_notes.csv", "disputes.csv",
        "invoices.csv", "instalments.csv", "deliveries.csv");
    for (JsonNode f : inputs) {
      Path file = Path.of(f.get("path").asText());
      if (file.getFileName().toString().equals("instalments.csv")) {
        assertThat(f.get("bytes").asLong()).isEqualTo(-1);
        assertThat(f.get("sha256").isNull()).isTrue();
      } else {
        assertThat(f.get("sha256").asText()).isEqualTo(RunManifest.sha256(file));
      }
    }
  }

  /**
   * A table stored as a directory of Parquet part files, as Spark writes one: the features are
   * those of the same rows in one file, and the manifest lists each part, with its hash, where the
   * table's file would be (the writers' _SUCCESS and .crc files are not read, nor listed).
   */
  @Test
  void tableDirectory_manifestListsEachPart_featuresOfTheWholeFile() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "60", "--seed", "4", "--format", "parquet", "--out", p.toString(),
        "--quiet").code()).isZero();
    CliRun whole = CliRun.of("features", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("whole.csv").toString(), "--quiet");
    assertThat(whole.code()).as(whole.err()).isZero();
    Path parts = dir.resolve("parts.tmp");
    Files.createDirectories(parts);
    Files.move(p.resolve("deliveries.parquet"), parts.resolve("part-00000-1f2e.snappy.parquet"));
    Files.writeString(parts.resolve("_SUCCESS"), "");
    Files.writeString(parts.resolve(".part-00000-1f2e.snappy.parquet.crc"), "");
    Files.move(parts, p.resolve("deliveries.parquet"));
    CliRun split = CliRun.of("features", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("split.csv").toString(), "--quiet");
    assertThat(split.code()).as(split.err()).isZero();
    assertThat(Files.readString(dir.resolve("split.csv"))).isEqualTo(Files.readString(dir.resolve("whole.csv")));
    JsonNode inputs = new ObjectMapper().readTree(dir.resolve("split.csv.manifest.json").toFile()).get("inputs");
    List<String> names = new ArrayList<>();
    for (JsonNode f : inputs) {
      Path file = Path.of(f.get("path").asText());
      names.add(p.relativize(file).toString());
      assertThat(f.get("sha256").asText()).isEqualTo(RunManifest.sha256(file));
    }
    assertThat(names).containsExactly("anchors.parquet", "suppliers.parquet", "loans.parquet", "credit_notes.parquet",
        "disputes.parquet", "invoices.parquet", "instalments.parquet", "deliveries.parquet/part-00000-1f2e.snappy.parquet");
  }
}
