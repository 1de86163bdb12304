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

  @Test
  void sha256_matchesFipsTestVector() throws IOException {
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    Path abc = Files.writeString(dir.resolve("abc.txt"), "abc");
    assertThat(RunManifest.sha256(abc))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
    assertThat(json.get("started_at") == null ? json.get("startedAt").asText() : "").isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.get("inputs").get(0).get("sha256").asText())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(json.get("inputs").get(0).get("bytes").asLong()).isEqualTo(3);
    assertThat(json.get("rows").get("quarantined").asLong()).isEqualTo(1);
    assertThat(json.get("options").get("as_of").asText()).isEqualTo("2025-06-30");
  }
}
