package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate --labels} took a label whose as_of_date is no date ('2025-13-01', '30.06.2025')
 * for a label of no feature row: exit 0, the rows "without a label (left out)", where {@code
 * monitor --labels} refused the file. Both now refuse it at its row of the labels file, with the
 * table readers' words; and a bad target value is named at its labels row, not its joined row.
 */
class ValidateLabelDatesTest {
  @TempDir Path dir;

  @Test
  void labelDateThatIsNoDate_isRefusedAtItsFileRow_asMonitorRefusesIt() throws Exception {
    Path portfolio = dir.resolve("p");
    Path features = dir.resolve("f.csv");
    CliRun.portfolioWithFeatures(portfolio, features, 120, 11, "csv");
    Path model = TestRuns.model(dir);
    List<String> labels = new java.util.ArrayList<>(Files.readAllLines(portfolio.resolve("labels.csv")));
    labels.set(4, labels.get(4).replace(",2025-06-30,", ",2025-13-01,"));
    labels.set(7, labels.get(7).replace(",2025-06-30,", ",30.06.2025,"));
    Path bad = Files.write(dir.resolve("lbad.csv"), labels);
    String expected = bad + ", row 4, column as_of_date: '2025-13-01' is not a date in YYYY-MM-DD form between"
        + " 1900-01-01 and 2199-12-31";

    CliRun validate = CliRun.of("validate", "--data", features.toString(), "--labels", bad.toString(), "--target",
        "defaulted", "--out", dir.resolve("v").toString());
    assertThat(validate.code()).isEqualTo(2);
    assertThat(validate.err().strip()).isEqualTo("chainscore validate: " + expected);
    assertThat(dir.resolve("v/metrics.json")).doesNotExist();

    // monitor reads labels with the table readers: the same words
    Path run = dir.resolve("run/s.csv");
    CliRun score = CliRun.of("score", "--features", features.toString(), "--as-of", "2025-06-30", "--out",
        run.toString(), "--quiet");
    assertThat(score.code()).as(score.err()).isZero();
    CliRun monitor = CliRun.of("monitor", "--runs", run.getParent().toString(), "--labels", bad.toString(), "--out",
        dir.resolve("m").toString());
    assertThat(monitor.code()).isEqualTo(2);
    assertThat(monitor.err().strip()).isEqualTo("chainscore monitor: " + expected);

    // the day-first date alone, then a bad target after a row the join leaves out: each at its file row
    labels.set(4, labels.get(4).replace(",2025-13-01,", ",2025-06-30,"));
    Files.write(bad, labels);
    CliRun dayFirst = CliRun.of("validate", "--data", features.toString(), "--labels", bad.toString(), "--target",
        "defaulted", "--out", dir.resolve("v").toString());
    assertThat(dayFirst.err().strip()).isEqualTo("chainscore validate: " + bad + ", row 7, column as_of_date:"
        + " '30.06.2025' is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31");
    labels.set(7, labels.get(7).replace(",30.06.2025,", ",2025-06-30,"));
    labels.set(2, labels.get(2).replace("S0000002,", "S9999999,"));     // joins no feature row
    labels.set(10, labels.get(10).replaceFirst(",(true|false),", ",maybe,"));
    Files.write(bad, labels);
    CliRun target = CliRun.of("validate", "--data", features.toString(), "--labels", bad.toString(), "--target",
        "defaulted", "--out", dir.resolve("v").toString());
    assertThat(target.code()).isEqualTo(2);
    assertThat(target.err().strip()).isEqualTo("chainscore validate: " + bad + ", row 10, column defaulted: expected"
        + " 0 or 1 (or true or false), got 'maybe'; two other labels need the event label named"
        + " (--event-label maybe if 'maybe' is the event)");
  }
}
