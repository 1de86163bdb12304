package io.chainscore.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
  @TempDir Path dir;

  /** The one rule by which a later command decides a file is still the one a manifest lists. */
  @Test
  void fileEntry_differenceFrom_sizeThenHashThenKind() throws IOException {
    Path abc = Files.writeString(dir.resolve("abc.txt"), "abc");
    String sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";   // FIPS 180-2 B.1
    RunManifest.FileEntry entry = new RunManifest.FileEntry(abc.toString(), 3, sha);
    assertThat(entry.differenceFrom(abc, "m.json")).isNull();
    assertThat(new RunManifest.FileEntry(abc.toString(), -1, sha).differenceFrom(abc, "m.json"))
        .as("no size recorded: the hash decides").isNull();
    Files.writeString(abc, "abd");   // same size, other bytes
    assertThat(entry.differenceFrom(abc, "m.json"))
        .isEqualTo("SHA-256 " + RunManifest.sha256(abc) + ", but m.json records " + sha);
    Files.writeString(abc, "abcd");
    assertThat(entry.differenceFrom(abc, "m.json")).isEqualTo("4 bytes, but m.json records 3");
    assertThat(entry.differenceFrom(dir, "m.json")).isEqualTo("not a regular file");
    assertThat(entry.differenceFrom(dir.resolve("gone.txt"), "m.json")).isEqualTo("not there");
    assertThat(new RunManifest.FileEntry("-", -1, null).differenceFrom(abc, "m.json")).isEqualTo("not hashed by m.json");
  }

  @Test
  void sha256_matchesFipsTestVector() throws IOException {
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    Path abc = Files.writeString(dir.resolve("abc.txt"), "abc");
    assertThat(RunManifest.sha256(abc))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sha256_matchesFipsMillionATestVector() throws IOException {
    // FIPS 180-2, appendix B.3: SHA-256 of one million 'a' (several of the reader's blocks' worth
    // of compression calls, one read).
    Path as = Files.write(dir.resolve("a.txt"), "a".repeat(1_000_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(RunManifest.sha256(as))
        .isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  @Test
  void write_producesAuditJson() throws IOException {
    Path in = Files.writeString(dir.resolve("in.csv"), "abc");
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("threads", 2);
    options.put("as_of", "2025-06-30");
    RunManifest manifest = new RunManifest("chainscore 0.1.0", "score",
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:02.5Z"), 2.5, 2,
        List.of(RunManifest.FileEntry.of(in)), Map.of("id", "m", "version", "1", "sha256", "00"),
        options, List.of(), Map.of("read", 10L, "written", 9L, "quarantined", 1L, "resumed_from", 0L));
    Path path = dir.resolve("manifest.json");
    manifest.write(path);
    JsonNode json = new ObjectMapper().readTree(path.toFile());
    assertThat(json.get("started_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.get("finished_at").asText()).isEqualTo("2026-01-01T00:00:02.500Z");
    assertThat(json.get("elapsed_seconds").asDouble()).isEqualTo(2.5);
    // snake_case throughout, and the Map.of rows come out sorted by key in every JVM.
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("tool", "command", "started_at", "finished_at", "elapsed_seconds", "threads",
        "inputs", "model", "options", "outputs", "rows");
    List<String> rows = new java.util.ArrayList<>();
    json.get("rows").fieldNames().forEachRemaining(rows::add);
    assertThat(rows).containsExactly("quarantined", "read", "resumed_from", "written");
    assertThat(json.get("inputs").get(0).get("sha256").asText())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(json.get("inputs").get(0).get("bytes").asLong()).isEqualTo(3);
    assertThat(json.get("rows").get("quarantined").asLong()).isEqualTo(1);
    assertThat(json.get("options").get("as_of").asText()).isEqualTo("2025-06-30");
  }

  @Test
  void builder_hashesFilesAndNamesTheModelAsEveryCommandDoes() throws Exception {
    Path model = dir.resolve("model.json");
    try (java.io.InputStream in = getClass().getResourceAsStream("/bundles/scorecard.json")) {
      Files.write(model, in.readAllBytes());
    }
    io.chainscore.scoring.ModelBundle bundle = io.chainscore.scoring.ModelBundle.read(model);
    Path tables = Files.createDirectories(dir.resolve("tables"));
    Files.writeString(tables.resolve("b.csv"), "b");
    Files.writeString(tables.resolve("a.csv"), "abc");
    Files.createDirectories(tables.resolve("sub"));
    Path out = Files.writeString(dir.resolve("out.csv"), "");
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("as_of", "2025-06-30");
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    RunManifest fromFile = RunManifest.builder("chainscore 0.1.0", "score", start).threads(3)
        .inputsRead(java.util.List.of(tables.resolve("a.csv"), tables.resolve("b.csv"))).model(bundle, model).options(options).output(out)
        .rows(Map.of("read", 2L)).finish(start.plusSeconds(1), 1.0);
    // The files read, in the order given, then the model file.
    assertThat(fromFile.inputs()).extracting(RunManifest.FileEntry::path)
        .containsExactly(tables.resolve("a.csv").toString(), tables.resolve("b.csv").toString(), model.toString());
    assertThat(fromFile.inputs().get(0).sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(fromFile.inputs().get(2).sha256()).isEqualTo(RunManifest.sha256(model));
    assertThat(fromFile.model()).containsEntry("id", bundle.modelId()).containsEntry("sha256", bundle.sha256())
        .containsEntry("file", model.toString());
    assertThat(fromFile.outputs()).extracting(RunManifest.FileEntry::bytes).containsExactly(0L);
    assertThat(fromFile.threads()).isEqualTo(3);

    RunManifest shipped = RunManifest.builder("chainscore 0.1.0", "score", start).model(bundle, null)
        .finish(start, 0);
    assertThat(shipped.model()).containsEntry("file", "bundled:" + bundle.modelId());
    assertThat(shipped.inputs()).isEmpty();
    assertThat(RunManifest.builder("t", "features", start).finish(start, 0).model()).isNull();
  }

  @Test
  void phases_areWrittenInTheOrderTheyRan_andOnlyWhenTimed() throws IOException {
    RunManifest.PhaseClock clock = new RunManifest.PhaseClock();
    clock.end("read");
    clock.end("features");
    clock.end("fingerprint");
    RunManifest plain = new RunManifest("chainscore 0.1.0", "features", Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:01Z"), 1.0, 2, List.of(), null, Map.of(), List.of(), Map.of());
    Path without = dir.resolve("without.json");
    plain.write(without);
    assertThat(new ObjectMapper().readTree(without.toFile()).has("phases")).isFalse();
    Path with = dir.resolve("with.json");
    plain.withPhases(clock.phases()).write(with);
    JsonNode phases = new ObjectMapper().readTree(with.toFile()).get("phases");
    List<String> names = new java.util.ArrayList<>();
    phases.forEach(p -> names.add(p.get("name").asText()));
    // written as a list, so the order survives the writer's sorting of map keys
    assertThat(names).containsExactly("read", "features", "fingerprint");
    phases.forEach(p -> assertThat(p.get("seconds").asDouble()).isBetween(0.0, 60.0));
  }
}
