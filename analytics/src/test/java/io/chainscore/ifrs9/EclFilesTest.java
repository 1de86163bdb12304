package io.chainscore.ifrs9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row of ecl's days past due, previous facility table or scenarios with a field too few or too
 * many: the fields of a short row were read from the row before (a supplier whose days were cut
 * off was staged 2 on its neighbour's 45 days past due) and an extra field was ignored, exit 0;
 * each is refused naming the file and the row.
 */
class EclFilesTest {
  @TempDir Path dir;

  /** A migration matrix cut short: said so with its line and column, without the parser's internals. */
  @Test
  void migration_cutShort_isSaidSoWithItsLine() throws Exception {
    Path cut = Files.writeString(dir.resolve("migration.json"), "{\"grades\": [\"1\", \"2\"],\n \"matrix\": [[0.9, 0.09,"
        + " 0.01], [0.1, 0.8, 0.1]]\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EclFiles.readMigration(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(cut + ": not readable JSON: the document ends early, inside an object (cut short?) (line 3, column 1)");
  }

  /**
   * A days-past-due table of a header alone is refused (every facility was left at 0 days, exit 0,
   * nothing said), and a supplier listed twice names both rows, as --previous's table does.
   */
  /** A key given twice or a second object is refused with its line (the last key was taken, the object ignored). */
  @Test
  void migration_repeatedKeyOrSecondObject_isRefusedWithItsLine() throws Exception {
    String good = "{\"grades\": [\"1\"],\n \"matrix\": [[0.9, 0.1]]";
    Path twice = Files.writeString(dir.resolve("twice.json"), good + ",\n \"matrix\": [[1.0, 0.0]]}\n");
    assertThatThrownBy(() -> EclFiles.readMigration(twice))
        .hasMessageStartingWith(twice + ": not readable JSON: Duplicate field 'matrix' (line 3, column ");
    Path second = Files.writeString(dir.resolve("second.json"), good + "}\n{\"grades\": [\"2\"]}\n");
    assertThatThrownBy(() -> EclFiles.readMigration(second))
        .hasMessageStartingWith(second + ": not readable JSON: trailing content after the JSON object (line 3, column ");
    assertThat(EclFiles.readMigration(Files.writeString(dir.resolve("good.json"), good + "}\n")).grades())
        .containsExactly("1");
  }

  @Test
  void daysPastDue_headerOnly_isRefused_andARepeatNamesBothRows() throws Exception {
    Path headerOnly = Files.writeString(dir.resolve("dpd.csv"), "supplier_id,days_past_due\n");
    assertThatThrownBy(() -> EclFiles.readDaysPastDue(headerOnly))
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessage(headerOnly + ": no rows (a header and no data rows); expected the days past due of the book's"
            + " suppliers (leave --days-past-due out when none is past due)");
    Path twice = Files.writeString(dir.resolve("twice.csv"), "supplier_id,days_past_due\nS1,45\nS2,0\nS1,3\n");
    assertThatThrownBy(() -> EclFiles.readDaysPastDue(twice))
        .hasMessage(twice + ", row 3, column supplier_id: 'S1' is also in row 1; expected one row"
            + " per supplier");
    Path stages = Files.writeString(dir.resolve("ecl_facilities.csv"), "supplier_id,stage\nS1,1\nS2,2\nS2,1\n");
    assertThatThrownBy(() -> EclFiles.readStages(stages))
        .hasMessage(stages + ", row 3, column supplier_id: 'S2' is also in row 2; expected one"
            + " row per facility");
  }

  @Test
  void daysPastDue_rowOfTheWrongWidth_isRefusedAtItsRow() throws Exception {
    Path good = Files.writeString(dir.resolve("good.csv"), "supplier_id,days_past_due\nS1,45\nS2,0\n");
    assertThat(EclFiles.readDaysPastDue(good)).containsExactly(java.util.Map.entry("S1", 45),
        java.util.Map.entry("S2", 0));
    Path shortRow = Files.writeString(dir.resolve("short.csv"), "supplier_id,days_past_due\nS1,45\nS2\n");
    assertThatThrownBy(() -> EclFiles.readDaysPastDue(shortRow))
        .hasMessage(shortRow + ", row 2: has 1 fields, expected 2 as in the header");
    Path extra = Files.writeString(dir.resolve("extra.csv"), "supplier_id,days_past_due\nS1,45\nS2,0,45\n");
    assertThatThrownBy(() -> EclFiles.readDaysPastDue(extra))
        .hasMessage(extra + ", row 2: has 3 fields, expected 2 as in the header");
  }

  /**
   * An empty days past due (or previous stage) is refused as every table reader refuses an empty
   * cell where a value is required; until 2026-12-08 it was "'' is not a whole number in the [0,
   * 100000] range", as if a number had been mistyped.
   */
  @Test
  void daysPastDue_emptyCell_isWordedAsEveryReaderWordsIt() throws Exception {
    Path empty = Files.writeString(dir.resolve("dpd.csv"), "supplier_id,days_past_due\nS1,45\nS2,\n");
    assertThatThrownBy(() -> EclFiles.readDaysPastDue(empty))
        .hasMessage(empty + ", row 2, column days_past_due: is empty; a value is required");
    Path noStage = Files.writeString(dir.resolve("ecl_facilities.csv"), "supplier_id,anchor_id,stage\nS1,A1,\n");
    assertThatThrownBy(() -> EclFiles.readStages(noStage))
        .hasMessage(noStage + ", row 1, column stage: is empty; a value is required");
  }

  @Test
  void previousStages_truncatedRow_isRefusedAtItsRow() throws Exception {
    String header = "supplier_id,anchor_id,stage\n";
    Path good = Files.writeString(dir.resolve("ecl_facilities.csv"), header + "S1,A1,2\nS2,A1,1\n");
    assertThat(EclFiles.readStages(good)).containsExactly(java.util.Map.entry("S1", Staging.Stage.values()[1]),
        java.util.Map.entry("S2", Staging.Stage.values()[0]));
    Path cut = Files.writeString(dir.resolve("cut.csv"), header + "S1,A1,2\nS2,A1\n");
    assertThatThrownBy(() -> EclFiles.readStages(cut))
        .hasMessage(cut + ", row 2: has 2 fields, expected 3 as in the header");
  }

  @Test
  void previousStages_headerOnly_isRefused() throws Exception {
    Path headerOnly = Files.writeString(dir.resolve("ecl_facilities.csv"), "supplier_id,anchor_id,stage\n");
    assertThatThrownBy(() -> EclFiles.readStages(headerOnly)).hasMessage(headerOnly + ": no facilities (a header"
        + " and no data rows); expected the facility table of an earlier ecl run, which has at least one");
  }

  @Test
  void scenarios_rowOfTheWrongWidth_isRefusedAtItsRow() throws Exception {
    Path good = Files.writeString(dir.resolve("good.csv"), "name,weight,factor\nbase,0.6,1\nadverse,0.4,-1.5\n");
    List<Scenarios.Scenario> scenarios = EclFiles.readScenarios(good);
    assertThat(scenarios).hasSize(2);
    assertThat(scenarios.get(1).factor()).isCloseTo(-1.5, org.assertj.core.data.Offset.offset(1e-15));
    Path shortRow = Files.writeString(dir.resolve("short.csv"), "name,weight,factor\nbase,0.6,1\nadverse,0.4\n");
    assertThatThrownBy(() -> EclFiles.readScenarios(shortRow))
        .hasMessage(shortRow + ", row 2: has 2 fields, expected 3 as in the header");
    Path extra = Files.writeString(dir.resolve("extra.csv"), "name,weight,factor\nbase,0.6,1\nadverse,0.4,1.5,-2\n");
    assertThatThrownBy(() -> EclFiles.readScenarios(extra))
        .hasMessage(extra + ", row 2: has 4 fields, expected 3 as in the header");
  }

  /**
   * Weights 0 and 1 and factors of exactly -10 and 10 are in range; weights that do not sum to 1
   * are refused naming the file, as a weight above 1 or a factor past 10 are naming the cell.
   */
  @Test
  void scenarios_closedRangeEnds_readAndSumChecked() throws Exception {
    Path ends = Files.writeString(dir.resolve("ends.csv"), "name,weight,factor\nall,1,-10\nnone,0,10\n");
    assertThat(EclFiles.readScenarios(ends)).extracting(Scenarios.Scenario::weight).containsExactly(1.0, 0.0);
    Path sum = Files.writeString(dir.resolve("sum.csv"), "name,weight,factor\nbase,0.6,1\nadverse,0.3,-1.5\n");
    assertThatThrownBy(() -> EclFiles.readScenarios(sum)).hasMessageStartingWith(sum + ": scenario weights");
    Path heavy = Files.writeString(dir.resolve("heavy.csv"), "name,weight,factor\nbase,1.01,1\n");
    assertThatThrownBy(() -> EclFiles.readScenarios(heavy)).hasMessageContaining("is not a weight in [0, 1]");
    Path far = Files.writeString(dir.resolve("far.csv"), "name,weight,factor\nbase,1,10.01\n");
    assertThatThrownBy(() -> EclFiles.readScenarios(far)).hasMessageContaining("is not a systematic factor value");
  }
}
