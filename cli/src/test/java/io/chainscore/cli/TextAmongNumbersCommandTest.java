package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stray text cell in a numeric column: {@code train} exited 0 with a bundle declaring the
 * column categorical, its numbers as hundreds of categories ('10.0', '10.033333'); it is now
 * refused at the cell, naming file, row and column, exit 2, and so is the same cell in the data
 * {@code validate} scores with a model whose feature is numeric.
 */
class TextAmongNumbersCommandTest {
  @TempDir Path dir;

  /** German credit with 'abc' as the duration of data row 5. */
  private Path germanWithText() throws Exception {
    List<String> lines = Files.readAllLines(TestRuns.german());
    int column = List.of(lines.get(0).split(",")).indexOf("duration_in_month");
    assertThat(column).isEqualTo(1);
    String row5 = lines.get(5);
    int start = row5.indexOf(',') + 1;
    int end = row5.indexOf(',', start);
    lines.set(5, row5.substring(0, start) + "abc" + row5.substring(end));
    return Files.write(dir.resolve("german-text.csv"), lines);
  }

  @Test
  void train_numericColumnWithOneTextCell_refusedAtTheCell() throws Exception {
    Path data = germanWithText();
    String expected = data + ", row 5, column duration_in_month: 'abc' is not a number, but 999 of the column's"
        + " 1000 values are; expected a number, or an empty field or NA for a missing value (a column is categorical"
        + " only when fewer than 95% of its values are numbers)";
    for (String model : new String[] {"scorecard", "gbdt"}) {
      Path out = dir.resolve(model + ".json");
      CliRun run = CliRun.of("train", "--data", data.toString(), "--target", "creditability", "--event-label", "bad",
          "--model-type", model, "--out", out.toString());
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("chainscore train: " + expected);
      assertThat(out).doesNotExist();
    }
    CliRun bins = CliRun.of("bins", "--data", data.toString(), "--target", "creditability", "--event-label", "bad",
        "--out", dir.resolve("bins.json").toString());
    assertThat(bins.code()).isEqualTo(2);
    assertThat(bins.err()).contains("chainscore bins: " + expected);
    // left out on purpose, the column is not read as a characteristic at all
    CliRun excluded = CliRun.of("train", "--data", data.toString(), "--target", "creditability", "--event-label", "bad",
        "--exclude", "duration_in_month", "--out", dir.resolve("excluded.json").toString());
    assertThat(excluded.code()).as(excluded.err()).isZero();
  }

  @Test
  void validate_numericFeatureWithOneTextCell_namesTheCell() throws Exception {
    Path model = dir.resolve("german.json");
    CliRun train = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--out", model.toString());
    assertThat(train.code()).as(train.err()).isZero();
    io.chainscore.features.FeatureSchema schema = io.chainscore.scoring.ModelBundle.read(model).schema();
    assertThat(schema.feature(schema.indexOf("duration_in_month")).type())
        .isEqualTo(io.chainscore.features.FeatureType.NUMERIC);
    Path data = germanWithText();
    CliRun run = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target",
        "creditability", "--event-label", "bad", "--out", dir.resolve("v").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("chainscore validate: " + data + ", row 5, column duration_in_month: 'abc' is not a"
        + " number, but 999 of the column's 1000 values are; ");
  }
}
