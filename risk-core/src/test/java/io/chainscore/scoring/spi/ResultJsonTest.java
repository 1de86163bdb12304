package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {
  record Tail(double zLevel, double valueAtRisk, @JsonProperty("sha") String modelSha256, Map<String, Integer> counts) {}

  @Test
  void toJson_snakeCaseInComponentOrderWithSortedMaps() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("written", 2);
    counts.put("read", 3);
    counts.put("Quarantined", 1);
    String json = ResultJson.toJson(new Tail(0.99, 12.5, "ab", counts));
    // zLevel first although it sorts after valueAtRisk: records keep component order.
    assertThat(json.replaceAll("\\s+", "")).isEqualTo(
        "{\"z_level\":0.99,\"value_at_risk\":12.5,\"sha\":\"ab\",\"counts\":{\"Quarantined\":1,\"read\":3,\"written\":2}}");
    assertThat(json).endsWith("}\n");
  }

  @Test
  void toJson_unorderedMapsOfAnyClassComeOutSorted() {
    Map<String, Object> many = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      many.put("key" + (i * 7919 % 200), i);
    }
    String json = ResultJson.toJson(Map.of("b", 1, "a", List.of(many), "c", Instant.parse("2026-01-02T03:04:05Z")));
    assertThat(json.indexOf("\"a\"")).isLessThan(json.indexOf("\"b\"")).isGreaterThan(0);
    assertThat(json.indexOf("\"b\"")).isLessThan(json.indexOf("\"c\""));
    assertThat(json).contains("\"c\" : \"2026-01-02T03:04:05Z\"");
    int last = -1;
    List<String> sorted = many.keySet().stream().sorted().toList();
    for (String k : sorted) {
      int at = json.indexOf("\"" + k + "\"");
      assertThat(at).isGreaterThan(last);
      last = at;
    }
  }

  @Test
  void write_replacesTheFileWholeAndLeavesNoTemporary(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub").resolve("x.json");
    ResultJson.write(Map.of("meanPd", 0.5), file);
    ResultJson.write(Map.of("mean_pd", 0.25), file);
    assertThat(Files.readString(file)).isEqualTo("{\n  \"mean_pd\" : 0.25\n}\n");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("x.json");
    }
  }

  @Test
  void propertyName_matchesWhatTheWriterWrites() {
    assertThat(ResultJson.propertyName("meanPdChange")).isEqualTo("mean_pd_change");
    assertThat(ResultJson.propertyName("modelSha256")).isEqualTo("model_sha256");
    // Jackson reads consecutive capitals as one acronym: such components need an explicit name.
    assertThat(ResultJson.propertyName("binomialPValue")).isEqualTo("binomial_pvalue");
  }
}
