package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supplier labelled twice at one as-of date in {@code monitor --labels}: the refusal named the
 * file, the supplier and the date but no row, so the user had to search the register for it; it
 * names the row of the repeat, the column and the first row (in the same file or another).
 */
class MonitorLabelsTest {
  @TempDir Path dir;

  @Test
  void repeatedLabel_isNamedAtItsRowWithTheFirst() throws Exception {
    String header = "supplier_id,as_of_date,defaulted\n";
    Path good = Files.writeString(dir.resolve("good.csv"), header + "S1,2025-06-30,false\nS2,2025-06-30,true\n"
        + "S1,2025-05-31,true\n");
    assertThat(MonitorCommand.readLabels(List.of(good), null).get("S1"))
        .containsEntry(LocalDate.parse("2025-06-30"), false).containsEntry(LocalDate.parse("2025-05-31"), true);
    Path twice = Files.writeString(dir.resolve("twice.csv"), header + "S1,2025-06-30,false\nS2,2025-06-30,true\n"
        + "S3,2025-06-30,false\nS2,2025-06-30,false\n");
    assertThatThrownBy(() -> MonitorCommand.readLabels(List.of(twice), null)).hasMessage(twice + ", row 4, column"
        + " supplier_id: supplier S2 has a second label as of 2025-06-30 (the first: row 2); expected one label per"
        + " supplier and as-of date");
    Path other = Files.writeString(dir.resolve("other.csv"), header + "S9,2025-06-30,false\nS1,2025-06-30,true\n");
    assertThatThrownBy(() -> MonitorCommand.readLabels(List.of(good, other), null)).hasMessage(other + ", row 2,"
        + " column supplier_id: supplier S1 has a second label as of 2025-06-30 (the first: " + good + ", row 1);"
        + " expected one label per supplier and as-of date");
  }
}
