package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The score run's portfolio summary and its stability report against a baseline run. */
class ScoreSummaryTest {
  @TempDir Path dir;

  private static void run(String... args) {
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args) + ": " + err).isIn(0, 3);
  }

  @Test
  void score_withBaseline_reportsGradesMigrationAndPsi() throws Exception {
    run("generate", "--suppliers", "300", "--seed", "21", "--out", dir.resolve("p").toString(), "--quiet");
    // Two runs a quarter apart on the same portfolio: the baseline as of March, this one as of June.
    run("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-03-31", "--out", dir.resolve("base/f.csv").toString());
    run("score", "--features", dir.resolve("base/f.csv").toString(), "--as-of", "2025-03-31", "--out", dir.resolve("base/s.csv").toString(), "--quiet");
    run("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-06-30", "--out", dir.resolve("now/f.csv").toString());
    run("score", "--features", dir.resolve("now/f.csv").toString(), "--as-of", "2025-06-30", "--out", dir.resolve("now/s.csv").toString(),
        "--baseline", dir.resolve("base").toString(), "--quiet");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("now/s.csv.summary.json").toFile());

    // Recompute from the two score files with plain code.
    Map<String, String[]> before = scores(dir.resolve("base/s.csv"));
    Map<String, String[]> after = scores(dir.resolve("now/s.csv"));
    assertThat(summary.get("suppliers").asInt()).isEqualTo(after.size());
    double meanPd = after.values().stream().mapToDouble(r -> Double.parseDouble(r[3])).average().orElseThrow();
    assertThat(summary.get("mean_pd").asDouble()).isCloseTo(meanPd, org.assertj.core.data.Offset.offset(1e-12));
    long total = 0;
    for (JsonNode g : summary.get("by_grade")) {
      long expected = after.values().stream().filter(r -> r[4].equals(g.get("grade").asText())).count();
      assertThat(g.get("suppliers").asLong()).as("grade " + g.get("grade")).isEqualTo(expected);
      total += expected;
    }
    assertThat(total).isEqualTo(after.size());
    JsonNode stability = summary.get("stability");
    assertThat(stability.get("suppliers_in_both").asInt()).isEqualTo(after.size());
    JsonNode grades = stability.get("grade_migration").get("grades");
    JsonNode counts = stability.get("grade_migration").get("counts");
    long diagonal = 0;
    long moved = 0;
    for (int a = 0; a < grades.size(); a++) {
      for (int b = 0; b < grades.size(); b++) {
        long expected = 0;
        for (Map.Entry<String, String[]> e : after.entrySet()) {
          if (before.get(e.getKey())[4].equals(grades.get(a).asText()) && e.getValue()[4].equals(grades.get(b).asText())) {
            expected++;
          }
        }
        assertThat(counts.get(a).get(b).asLong()).isEqualTo(expected);
        if (a == b) {
          diagonal += expected;
        } else {
          moved += expected;
        }
      }
    }
    assertThat(diagonal + moved).isEqualTo(after.size());
    // The largest move is the largest absolute score change.
    double largest = 0;
    for (Map.Entry<String, String[]> e : after.entrySet()) {
      largest = Math.max(largest, Math.abs(Double.parseDouble(e.getValue()[2]) - Double.parseDouble(before.get(e.getKey())[2])));
    }
    assertThat(Math.abs(stability.get("largest_moves").get(0).get("change").asDouble())).isEqualTo(largest);
    assertThat(stability.get("psi_grades").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(stability.get("csi").get("on_time_delivery_rate_12m").asDouble()).isGreaterThanOrEqualTo(0);
  }

  /**
   * The terminal's baseline line counts the suppliers both runs scored and those only one did: a
   * supplier the baseline scored and this run lost upstream (its features row gone) is "dropped",
   * on the terminal as in the summary file (it showed only in the file until 2026-12-07).
   */
  @Test
  void score_withBaseline_saysOnTheTerminalHowManySuppliersWereDroppedAndNew() throws Exception {
    run("generate", "--suppliers", "120", "--seed", "21", "--format", "csv", "--out", dir.resolve("p").toString(), "--quiet");
    run("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-03-31", "--out", dir.resolve("base/f.csv").toString());
    run("score", "--features", dir.resolve("base/f.csv").toString(), "--as-of", "2025-03-31", "--out",
        dir.resolve("base/s.csv").toString(), "--quiet");
    run("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-06-30", "--out", dir.resolve("now/f.csv").toString());
    // this month's table without its first two suppliers, and with one the baseline did not have
    List<String> lines = Files.readAllLines(dir.resolve("now/f.csv"));
    List<String> edited = new java.util.ArrayList<>(lines.subList(0, 1));
    edited.addAll(lines.subList(3, lines.size()));
    edited.add(lines.get(1).replaceFirst("^[^,]+", "S_NEW"));
    Files.write(dir.resolve("now/f.csv"), edited);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(new String[] {"score", "--features", dir.resolve("now/f.csv").toString(), "--as-of",
        "2025-06-30", "--out", dir.resolve("now/s.csv").toString(), "--baseline", dir.resolve("base").toString()},
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    JsonNode stability = new ObjectMapper().readTree(dir.resolve("now/s.csv.summary.json").toFile()).get("stability");
    long both = stability.get("suppliers_in_both").asLong();
    assertThat(both).isEqualTo(lines.size() - 1 - 2);
    assertThat(stability.get("new_suppliers").asLong()).isEqualTo(1);
    assertThat(stability.get("dropped_suppliers").asLong()).isEqualTo(2);
    assertThat(out.toString()).containsOnlyOnce(both + " suppliers in both, 1 new, 2 dropped\n");
  }

  private static Map<String, String[]> scores(Path file) throws Exception {
    Map<String, String[]> out = new HashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",", -1);
      out.put(c[0], c);
    }
    return out;
  }
}
