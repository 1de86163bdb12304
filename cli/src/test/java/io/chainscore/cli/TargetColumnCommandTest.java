package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target column in the file's own words: a true/false target in one file (without --labels)
 * was refused as "expected 0 or 1, got 'false'" although the help says true/false is taken, so a
 * sample of one class was reported as a bad value; and an event label the labels do not hold was
 * reported with values ('0', '1') the file does not have.
 */
class TargetColumnCommandTest {
  @TempDir Path dir;

  /** German credit with creditability written true (bad) and false (good). */
  private Path germanTrueFalse(boolean goodsOnly) throws Exception {
    List<String> lines = Files.readAllLines(TestRuns.german());
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      if (line.endsWith(",bad") && !goodsOnly) {
        out.add(line.substring(0, line.length() - "bad".length()) + "true");
      } else if (line.endsWith(",good")) {
        out.add(line.substring(0, line.length() - "good".length()) + "false");
      }
    }
    return Files.write(dir.resolve(goodsOnly ? "goods.csv" : "german-tf.csv"), out);
  }

  @Test
  void train_trueFalseTargetInOneFile_trainsAsTheEventLabel() throws Exception {
    Path tf = germanTrueFalse(false);
    CliRun words = CliRun.of("train", "--data", tf.toString(), "--target", "creditability", "--seed", "7", "--out",
        dir.resolve("tf.json").toString());
    assertThat(words.code()).as(words.err()).isZero();
    CliRun label = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--seed", "7", "--out", dir.resolve("label.json").toString());
    assertThat(label.code()).as(label.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    // the same scorecard: characteristics, bins, points, calibration and master scale
    assertThat(json.readTree(dir.resolve("tf.json").toFile()).get("model"))
        .isEqualTo(json.readTree(dir.resolve("label.json").toFile()).get("model"));
  }

  @Test
  void train_oneClassTrueFalseTarget_saysSoInTheFilesWords() throws Exception {
    Path goods = germanTrueFalse(true);
    CliRun run = CliRun.of("train", "--data", goods.toString(), "--target", "creditability", "--out",
        dir.resolve("m.json").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("chainscore train: --target"
        + " creditability in " + goods + ": all 700 rows are non-events ('false'); training needs both classes");
    assertThat(dir.resolve("m.json")).doesNotExist();
  }

  @Test
  void train_eventLabelTheLabelsDoNotHold_quotesTheirWords() throws Exception {
    Path features = Files.writeString(dir.resolve("features.csv"), "supplier_id,as_of_date,x\n"
        + "S1,2025-06-30,1\nS2,2025-06-30,2\nS3,2025-06-30,3\n");
    Path labels = Files.writeString(dir.resolve("labels.csv"), "supplier_id,as_of_date,defaulted\n"
        + "S1,2025-06-30,false\nS2,2025-06-30,true\nS3,2025-06-30,false\n");
    CliRun run = CliRun.of("train", "--data", features.toString(), "--labels", labels.toString(), "--target",
        "defaulted", "--event-label", "maybe", "--out", dir.resolve("m.json").toString());
    assertThat(run.code()).isEqualTo(2);
    // named at its row of the labels file, which the target is read from
    assertThat(run.err().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("chainscore train: " + labels
        + ", row 2, column defaulted: expected two labels, the event label 'maybe' and one"
        + " other, got 'false' and then 'true', neither of them 'maybe'");
  }
}
