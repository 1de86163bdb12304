package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's --json prints one JSON object on stdout with its result, every name in snake_case. */
class JsonOutputTest {
  @TempDir Path dir;

  private static JsonNode json(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args) + ": " + err).isIn(0, 3);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertSnakeCase(json, args[0]);
    return json;
  }

  /** Every field name, at any depth, is snake_case: no camelCase name from a record slips through. */
  private static void assertSnakeCase(JsonNode node, String where) {
    node.fieldNames().forEachRemaining(name -> assertThat(name).as(where + ": field name").matches("[a-z][a-z0-9_]*"));
    node.fields().forEachRemaining(e -> assertSnakeCase(e.getValue(), where + "." + e.getKey()));
    if (node.isArray()) {
      node.forEach(child -> assertSnakeCase(child, where + "[]"));
    }
  }

  @Test
  void json_everyCommand_printsItsResult() throws Exception {
    assertThat(json("demo", "--suppliers", "100", "--json").get("rows_scored").asInt()).isEqualTo(100);
    String p = dir.resolve("p").toString();
    assertThat(json("generate", "--suppliers", "120", "--out", p, "--json").get("suppliers").asInt()).isEqualTo(120);
    assertThat(json("features", "--transactions", p, "--as-of", "2025-06-30", "--out", dir.resolve("f.csv").toString(), "--json")
        .get("rows").get("suppliers").asInt()).isEqualTo(120);
    assertThat(json("score", "--features", dir.resolve("f.csv").toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("s.csv").toString(), "--json").get("rows").get("written").asInt()).isEqualTo(120);
    JsonNode whatif = json("whatif", "--features", dir.resolve("f.csv").toString(), "--supplier", "S0000001",
        "--set", "on_time_delivery_rate_12m=0.2", "--json");
    assertThat(whatif.get("after").get("score").get("points").asDouble())
        .isLessThanOrEqualTo(whatif.get("before").get("score").get("points").asDouble());
    assertThat(json("explain", "--features", dir.resolve("f.csv").toString(), "--supplier", "S0000001", "--json")
        .get("items").size()).isPositive();
    Path model = Files.createDirectories(dir.resolve("m")).resolve("x.json");
    try (var in = getClass().getResourceAsStream("/models/xgboost-small.json")) {
      Files.write(dir.resolve("m/xgb.json"), in.readAllBytes());
    }
    assertThat(json("import", "xgboost", "--source", dir.resolve("m/xgb.json").toString(), "--out", model.toString(), "--json")
        .get("sha256").asText()).hasSize(64);
    StringBuilder exposures = new StringBuilder("supplier_id,anchor_id,sector,drawn,anchor_sales_share\n");
    for (String line : Files.readAllLines(dir.resolve("p/suppliers.csv")).subList(1, 121)) {
      String[] c = line.split(",");
      exposures.append(c[0]).append(',').append(c[1]).append(',').append(c[2]).append(",50000,0.8\n");
    }
    Files.writeString(dir.resolve("e.csv"), exposures);
    assertThat(json("portfolio", "--scores", dir.resolve("s.csv").toString(), "--exposures", dir.resolve("e.csv").toString(),
        "--simulations", "0", "--out", dir.resolve("r").toString(), "--json").get("suppliers").asInt()).isEqualTo(120);
  }
}
