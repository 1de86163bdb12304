package io.chainscore.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelJoinTest {
  @TempDir Path dir;

  private static LabelJoin.Columns features() {
    return new LabelJoin.Columns("f.arrow", List.of("supplier_id", "as_of_date", "x", "sector"), List.of(
        new String[] {"S1", "S2", "S3", "S1"},
        new String[] {"2025-06-30", "2025-06-30", "2025-06-30", "2024-06-30"},
        new double[] {1, 2, 3, 4},
        new String[] {"glass", "a, \"quoted\" code", null, "glass"}));
  }

  @Test
  void join_countsUnlabelledRowsAndUnusedLabels_andTakesOnlyTheTarget() {
    LabelJoin.Columns l = new LabelJoin.Columns("l.csv", List.of("supplier_id", "as_of_date", "defaulted", "true_pd"),
        List.of(new String[] {"S3", "S1", "S9"},
            new String[] {"2025-06-30", "2025-06-30", "2025-06-30"},
            new double[] {1, 0, 1},
            new double[] {0.5, 0.1, 0.2}));
    LabelJoin.Result r = LabelJoin.join(features(), l, "defaulted", null);
    // S1 2025 and S3 are labelled; S2 and S1 2024 have no label row: 2 unlabelled; S9 is unused.
    assertThat(r.featureRows()).isEqualTo(4);
    assertThat(r.unlabelledRows()).isEqualTo(2);
    assertThat(r.unusedLabels()).isEqualTo(1);
    assertThat(r.data().numeric("x")).containsExactly(1, 3);
    assertThat(r.data().target()).containsExactly(0, 1);
    assertThat(r.data().columnNames()).containsExactly("supplier_id", "as_of_date", "x", "sector");
  }

  /**
   * An empty target in a labels file is refused at its row of that file, as an empty target of a
   * sample's own column and an empty defaulted of monitor --labels are: an unknown outcome is not a
   * non-default, and leaving its feature row out shrank the sample among the "unlabelled" (until
   * 2026-12-07), with or without --event-label, from a CSV (NA too) or typed columns alike.
   */
  @Test
  void join_emptyTargetInTheLabels_refusedAtItsRowOfTheLabelsFile(@TempDir Path dir)
      throws Exception {
    LabelJoin.Columns l = new LabelJoin.Columns("l.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S3", "S1", "S2"}, new String[] {"2025-06-30", "2025-06-30", "2025-06-30"},
            new double[] {1, 0, Double.NaN}));
    assertThatThrownBy(() -> LabelJoin.join(features(), l, "defaulted", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("l.csv, row 3, column defaulted: the target is missing; expected an outcome");
    Path csv = Files.writeString(dir.resolve("labels.csv"),
        "supplier_id,as_of_date,defaulted\nS3,2025-06-30,bad\nS1,2025-06-30,NA\nS2,2025-06-30,good\n");
    assertThatThrownBy(() -> LabelJoin.join(features(), LabelJoin.Columns.readCsv(csv), "defaulted", "bad"))
        .hasMessageStartingWith(csv + ", row 2, column defaulted: the target is missing");
  }

  /**
   * Labels written to CSV by pandas carry as_of_date as a date-time without a time zone: they join
   * on its date, as the table readers read one.
   */
  @Test
  void join_asOfDateTimesWithoutAZone_joinOnTheirDates() {
    LabelJoin.Columns l = new LabelJoin.Columns("pandas.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S3", "S1", "S2", "S1"},
            new String[] {"2025-06-30 00:00:00", "2025-06-30T13:45", "2025-07-30 00:00:00", "2024-06-30 00:00:00.000"},
            new double[] {1, 0, 1, 1}));
    LabelJoin.Result r = LabelJoin.join(features(), l, "defaulted", null);
    assertThat(r.data().numeric("x")).containsExactly(1, 3, 4);
    assertThat(r.data().target()).containsExactly(0, 1, 1);
    assertThat(r.unlabelledRows()).isEqualTo(1);   // S2: its label is of another date
    assertThat(r.unusedLabels()).isEqualTo(1);
  }

  /**
   * An as_of_date with an offset (an instant, as Spark and pandas write a tz-aware datetime) joins
   * on the date on which it falls in the zone given: 16:30 UTC on June 29 is June 30 in Shanghai,
   * the same rows as the plain dates; in UTC it is June 29 and joins no row of June 30. Without a zone it is
   * refused, naming file, row, column and the option, not left unjoined; the joined table keeps the
   * features' text.
   */
  @Test
  void join_asOfDatesWithOffsets_joinOnTheirDatesInTheZone_refusedWithoutOne() {
    LabelJoin.Columns l = new LabelJoin.Columns("spark.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S3", "S1", "S8", "S1"},
            new String[] {"2025-06-30T00:00:00+08:00", "2025-06-29 16:30:00Z", "2025-06-30 08:00:00+0800",
                "2024-06-30T09:00:00+08"},
            new double[] {1, 0, 1, 1}));
    LabelJoin.Result r = LabelJoin.join(features(), l, "defaulted", null, null, java.time.ZoneId.of("Asia/Shanghai"));
    assertThat(r.data().numeric("x")).containsExactly(1, 3, 4);
    assertThat(r.data().target()).containsExactly(0, 1, 1);
    assertThat(r.data().categorical("as_of_date")).containsExactly("2025-06-30", "2025-06-30", "2024-06-30");
    assertThat(r.unlabelledRows()).isEqualTo(1);   // S2: no label row
    assertThat(r.unusedLabels()).isEqualTo(1);     // S8: no feature row
    LabelJoin.Result utc = LabelJoin.join(features(), l, "defaulted", null, null, java.time.ZoneOffset.UTC);
    // in UTC the first two are June 29: only S1 of 2024 (01:00 UTC) is labelled
    assertThat(utc.data().numeric("x")).containsExactly(4);
    assertThat(utc.unusedLabels()).isEqualTo(3);
    assertThatThrownBy(() -> LabelJoin.join(features(), l, "defaulted", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spark.csv, row 1, column as_of_date: '2025-06-30T00:00:00+08:00' is a date-time with"
            + " a time zone")
        .hasMessageContaining("--time-zone");
    // the feature table's keys are read by the same rule
    LabelJoin.Columns plain = new LabelJoin.Columns("l.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S1"}, new String[] {"2025-06-30"}, new double[] {1}));
    LabelJoin.Columns zonedFeatures = new LabelJoin.Columns("f.csv", List.of("supplier_id", "as_of_date", "x"),
        List.of(new String[] {"S1", "S2"}, new String[] {"2025-06-30", "2025-06-30T01:00:00+02:00"},
            new double[] {1, 2}));
    assertThatThrownBy(() -> LabelJoin.join(zonedFeatures, plain, "defaulted", null))
        .hasMessageStartingWith("f.csv, row 2, column as_of_date: '2025-06-30T01:00:00+02:00' is a date-time");
    assertThat(LabelJoin.join(zonedFeatures, plain, "defaulted", null, null, java.time.ZoneOffset.UTC).data()
        .numeric("x")).containsExactly(1);   // S2's instant is June 29 in UTC, and S2 has no label anyway
  }

  /**
   * A --weight column in neither table: one line naming both files and each one's header, in the
   * wording of a missing column; until 2026-12-08 "f.arrow and l.csv: no column 'w' (the --weight
   * column) in either", without what either has.
   */
  @Test
  void join_weightColumnInNeitherTable_namesBothFilesAndTheirHeaders() {
    LabelJoin.Columns l = new LabelJoin.Columns("l.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S1"}, new String[] {"2025-06-30"}, new double[] {0}));
    assertThatThrownBy(() -> LabelJoin.join(features(), l, "defaulted", null, "w"))
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessage("f.arrow and l.csv, column w: missing from both headers (the --weight column); f.arrow's header"
            + " has [supplier_id, as_of_date, x, sector]; l.csv's header has [supplier_id, as_of_date, defaulted]");
  }

  @Test
  void join_badInput_namesFileRowAndColumn() {
    LabelJoin.Columns twice = new LabelJoin.Columns("labels.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S1", "S1"}, new String[] {"2025-06-30", "2025-06-30"}, new double[] {0, 1}));
    assertThatThrownBy(() -> LabelJoin.join(features(), twice, "defaulted", null))
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessage("labels.csv, row 2, column supplier_id: supplier_id and as_of_date S1 and 2025-06-30 are labelled"
            + " twice (rows 1 and 2); expected one label per supplier and as-of date");
    LabelJoin.Columns noDate = new LabelJoin.Columns("labels.csv", List.of("supplier_id", "defaulted"),
        List.of(new String[] {"S1"}, new double[] {0}));
    assertThatThrownBy(() -> LabelJoin.join(features(), noDate, "defaulted", null))
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessage("labels.csv, column as_of_date: missing from the header (a join key); the header has [supplier_id,"
            + " defaulted]");
    assertThatThrownBy(() -> LabelJoin.join(features(), twice, "bad", null))
        .hasMessageStartingWith("labels.csv, column bad: missing from the header (the target)");
    // a supplier at two dates is two rows of a panel; at one date twice, one label counted twice
    LabelJoin.Columns labels = new LabelJoin.Columns("labels.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S1", "S2"}, new String[] {"2025-06-30", "2025-06-30"}, new double[] {0, 1}));
    LabelJoin.Columns repeated = new LabelJoin.Columns("f.csv", List.of("supplier_id", "as_of_date", "x"), List.of(
        new String[] {"S1", "S2", "S1", "S2"}, new String[] {"2025-06-30", "2025-06-30", "2024-06-30", "2025-06-30"},
        new double[] {1, 2, 3, 4}));
    assertThatThrownBy(() -> LabelJoin.join(repeated, labels, "defaulted", null))
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessage("f.csv, row 4, column supplier_id: supplier_id and as_of_date S2 and 2025-06-30 are in two feature"
            + " rows (rows 2 and 4); expected one row per supplier and as-of date");
  }

  /**
   * A record of a labels CSV that cannot be read whole is refused by the shared rule and wording
   * ({@code CsvReader#recordProblem}): a short row as every reader names it (it was "FILE: row 2
   * (line 3): expected 3 fields as in the header, got 2"), and an unterminated quote that swallowed
   * the rest of the file into one record of the header's width, which was taken as a label.
   */
  @Test
  void readCsv_recordNotReadableWhole_isRefusedAsEveryReaderRefusesIt() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("labeljoin");
    Path shortRow = java.nio.file.Files.writeString(dir.resolve("short.csv"),
        "supplier_id,as_of_date,defaulted\nS1,2025-06-30,0\nS2,2025-06-30\n");
    assertThatThrownBy(() -> LabelJoin.Columns.readCsv(shortRow))
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessage(shortRow + ", row 2: has 2 fields, expected 3 as in the header");
    Path open = java.nio.file.Files.writeString(dir.resolve("open.csv"),
        "supplier_id,as_of_date,defaulted\nS1,2025-06-30,\"0\nS2,2025-06-30,1\n");
    assertThatThrownBy(() -> LabelJoin.Columns.readCsv(open))
        .isInstanceOf(io.chainscore.tables.InputFormatException.class)
        .hasMessageStartingWith(open + ", row 1: has an unterminated quoted field");
  }

  @Test
  void readCsv_typesColumns_andBooleanTargetsJoinAsZeroOne() throws Exception {
    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, "supplier_id,as_of_date,defaulted,default_date,true_pd\n"
        + "S1,2025-06-30,false,,0.01\nS2,2025-06-30,true,2025-09-01,0.2\nS3,2025-06-30,false,,NA\n");
    LabelJoin.Columns c = LabelJoin.Columns.readCsv(labels);
    assertThat(c.rowCount()).isEqualTo(3);
    assertThat((double[]) c.values().get(2)).containsExactly(0, 1, 0);
    assertThat((String[]) c.values().get(3)).containsExactly(null, "2025-09-01", null);
    assertThat(((double[]) c.values().get(4))[2]).isNaN();
    LabelJoin.Result r = LabelJoin.join(features(), c, "defaulted", null);
    assertThat(r.data().target()).containsExactly(0, 1, 0);
  }

  /**
   * A labels table as a spreadsheet in a decimal-comma locale saves it (';', decimal commas,
   * DD.MM.YYYY dates) reads to the comma file's columns, its dates as ISO text, and joins alike; a
   * decimal point in a numeric column is refused at its field, one in a text column is text.
   */
  @Test
  void readCsv_semicolonFile_readsAsTheCommaFile_andRefusesDecimalPointsInNumbers() throws Exception {
    Path comma = dir.resolve("labels.csv");
    Files.writeString(comma, "supplier_id,as_of_date,defaulted,default_date,true_pd,note\n"
        + "S1,2025-06-30,false,,0.01,1.5\nS2,2025-06-30,true,2025-09-01,-2.5E-3,x\nS3,2025-06-30,false,,NA,\"a;b\"\n");
    Path semicolon = dir.resolve("labels-de.csv");
    Files.writeString(semicolon, "supplier_id;as_of_date;defaulted;default_date;true_pd;note\n"
        + "S1;30.06.2025;false;;0,01;1.5\nS2;2025-06-30;true;01.09.2025;-2,5E-3;x\nS3;30.06.2025;false;;NA;\"a;b\"\n");
    LabelJoin.Columns a = LabelJoin.Columns.readCsv(comma);
    LabelJoin.Columns b = LabelJoin.Columns.readCsv(semicolon);
    assertThat(b.names()).isEqualTo(a.names());
    for (int c = 0; c < a.names().size(); c++) {
      Object x = a.values().get(c);
      Object y = b.values().get(c);
      assertThat(y.getClass()).as(a.names().get(c)).isEqualTo(x.getClass());
      if (x instanceof double[] d) {
        assertThat((double[]) y).as(a.names().get(c)).containsExactly(d);
      } else {
        assertThat((String[]) y).as(a.names().get(c)).containsExactly((String[]) x);
      }
    }
    assertThat((double[]) b.values().get(4)).containsExactly(0.01, -0.0025, Double.NaN);
    assertThat(LabelJoin.join(features(), b, "defaulted", null).data().target()).containsExactly(0, 1, 0);
    Path point = dir.resolve("labels-point.csv");
    Files.writeString(point, "supplier_id;as_of_date;defaulted;true_pd\n"
        + "S1;30.06.2025;false;0,01\nS2;30.06.2025;true;0.2\nS3;30.06.2025;false;1.234,5\n");
    assertThatThrownBy(() -> LabelJoin.Columns.readCsv(point))
        .hasMessage(point + ", row 2, column true_pd: '0.2' has a decimal point; expected a decimal comma, as the"
            + " file is separated by semicolons, and no thousands separators (such as -1234,56)");
  }

  /**
   * A labels file's true/false target is joined in those words: {@code --event-label true} names
   * the event as the file writes it (it matched no row, the booleans having become 1 and 0), and an
   * event label the file does not hold is refused quoting the file's own labels, not '0' and '1'.
   */
  @Test
  void join_booleanTarget_keepsTheFilesWords() throws Exception {
    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, "supplier_id,as_of_date,defaulted\n"
        + "S1,2025-06-30,false\nS2,2025-06-30,true\nS3,2025-06-30,false\n");
    LabelJoin.Columns c = LabelJoin.Columns.readCsv(labels);
    assertThat(c.booleans()).containsExactly("defaulted");
    assertThat((double[]) c.values().get(2)).containsExactly(0, 1, 0);   // still 1/0 as a column
    TabularData plain = LabelJoin.join(features(), c, "defaulted", null).data();
    assertThat(plain.target()).containsExactly(0, 1, 0);
    assertThat(plain.targetLabel(0)).isEqualTo("false");
    assertThat(LabelJoin.join(features(), c, "defaulted", "true").data().target()).containsExactly(0, 1, 0);
    assertThat(LabelJoin.join(features(), c, "defaulted", "false").data().target()).containsExactly(1, 0, 1);
    assertThatThrownBy(() -> LabelJoin.join(features(), c, "defaulted", "maybe"))
        .hasMessage(labels + ", row 2, column defaulted: expected two labels, the event label"
            + " 'maybe' and one other, got 'false' and then 'true', neither of them 'maybe'");
    // text True/False (pandas) joins as before, with its words kept
    LabelJoin.Columns pandas = new LabelJoin.Columns("pandas.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S1", "S2"}, new String[] {"2025-06-30", "2025-06-30"}, new String[] {"False", "True"}));
    TabularData fromText = LabelJoin.join(features(), pandas, "defaulted", null).data();
    assertThat(fromText.target()).containsExactly(0, 1);
    assertThat(fromText.targetLabel(1)).isEqualTo("True");
  }

  /**
   * A feature table's stray text in a numeric column is refused at its row of that file, also when
   * joined to labels (where row 3 of the file is the joined table's row 2), and also when the row
   * itself has no label: the column's type was read from the whole file.
   */
  @Test
  void join_featureColumnWithTextAmongNumbers_refusedAtTheFeatureTablesRow() throws Exception {
    StringBuilder features = new StringBuilder("supplier_id,as_of_date,tenure\n");
    StringBuilder labels = new StringBuilder("supplier_id,as_of_date,defaulted\n");
    for (int i = 1; i <= 40; i++) {
      features.append("S").append(i).append(",2025-06-30,").append(i == 3 ? "abc" : Double.toString(i / 3.0))
          .append('\n');
      if (i != 1) {
        labels.append("S").append(i).append(",2025-06-30,").append(i % 2 == 0).append('\n');
      }
    }
    Path f = Files.writeString(dir.resolve("features.csv"), features);
    Path l = Files.writeString(dir.resolve("labels.csv"), labels);
    LabelJoin.Columns columns = LabelJoin.Columns.readCsv(f);
    assertThat(columns.textAmongNumbers()).containsOnlyKeys("tenure");
    LabelJoin.Result result = LabelJoin.join(columns, LabelJoin.Columns.readCsv(l), "defaulted", null);
    TabularData joined = result.data();
    assertThat(joined.rowCount()).isEqualTo(39);
    // S1, the feature table's row 1, has no label: the joined rows are its rows 2..40
    assertThat(result.featureRowOf()).hasSize(39).startsWith(2, 3, 4).endsWith(40);
    assertThat(joined.textAmongNumbers("tenure")).hasMessageStartingWith(f + ", row 3, column tenure: 'abc' is not a"
        + " number, but 39 of the column's 40 values are; ");
    assertThatThrownBy(() -> TabularSamples.of(joined, Set.copyOf(LabelJoin.KEYS)))
        .isSameAs(joined.textAmongNumbers("tenure"));
    // the text on S1, which has no label: the joined rows are all numbers, but the column's type was
    // read from the whole file, so it is refused at the file's row 1 all the same
    Path unlabelled = Files.writeString(dir.resolve("features-s1.csv"), features.toString()
        .replace("\nS1,2025-06-30,0.3333333333333333\n", "\nS1,2025-06-30,n/a\n")
        .replace("\nS3,2025-06-30,abc\n", "\nS3,2025-06-30,1.0\n"));
    TabularData withoutS1 = LabelJoin.join(LabelJoin.Columns.readCsv(unlabelled), LabelJoin.Columns.readCsv(l),
        "defaulted", null).data();
    assertThat(withoutS1.isNumeric("tenure")).isFalse();
    assertThat(withoutS1.textAmongNumbers("tenure")).hasMessageStartingWith(unlabelled + ", row 1, column tenure:"
        + " 'n/a' is not a number, but 39 of the column's 40 values are; ");
  }

  /**
   * One stray text value in a numeric column whose numbers all differ (an amount): {@code train}
   * and {@code bins} called the column "an identifier (all N values differ)" and advised --exclude;
   * it is a numeric column, refused at the stray value's row by {@link TabularSamples#of}.
   */
  @Test
  void nonCandidate_numericColumnOfDistinctValuesWithStrayText_isNoIdentifier() throws Exception {
    StringBuilder csv = new StringBuilder("supplier_id,as_of_date,amount,defaulted\n");
    for (int i = 1; i <= 30; i++) {
      csv.append("S").append(i).append(",2025-06-30,").append(i == 7 ? "1,234.5" : Double.toString(1000 + i / 7.0))
          .append(',').append(i % 2 == 0).append('\n');
    }
    Path f = Files.writeString(dir.resolve("amounts.csv"), csv.toString().replace("1,234.5", "\"1,234.5\""));
    TabularData data = TabularData.readCsv(f, "defaulted");
    assertThat(data.isNumeric("amount")).isFalse();
    assertThat(LabelJoin.nonCandidate(data, Set.copyOf(LabelJoin.KEYS))).isEmpty();
    assertThatThrownBy(() -> TabularSamples.of(data, Set.copyOf(LabelJoin.KEYS)))
        .hasMessageStartingWith(f + ", row 7, column amount: '1,234.5' is not a number, but 29 of the column's 30"
            + " values are; ");
  }

  @Test
  void writeCsv_selectedRows_readBackToTheSameValues() throws Exception {
    LabelJoin.Columns l = new LabelJoin.Columns("l", List.of("supplier_id", "as_of_date", "defaulted"), List.of(
        new String[] {"S1", "S2", "S3", "S1"},
        new String[] {"2025-06-30", "2025-06-30", "2025-06-30", "2024-06-30"},
        new double[] {0, 1, 0, 1}));
    TabularData joined = LabelJoin.join(features(), l, "defaulted", null).data();
    Path out = dir.resolve("holdout.csv");
    LabelJoin.writeCsv(joined, new boolean[] {false, true, true, true}, out);
    TabularData back = TabularData.readCsv(out, "defaulted");
    assertThat(back.rowCount()).isEqualTo(3);
    assertThat(back.target()).containsExactly(1, 0, 1);
    assertThat(back.numeric("x")).containsExactly(2, 3, 4);
    assertThat(back.categorical("sector")).containsExactly("a, \"quoted\" code", null, "glass");
    assertThat(back.categorical("supplier_id")).containsExactly("S2", "S3", "S1");
  }

  @Test
  void nonCandidate_findsIdsAndDatesButNotFeatures() {
    LabelJoin.Columns l = new LabelJoin.Columns("l", List.of("supplier_id", "as_of_date", "defaulted"), List.of(
        new String[] {"S1", "S2", "S3", "S1"},
        new String[] {"2025-06-30", "2025-06-30", "2025-06-30", "2024-06-30"},
        new double[] {0, 1, 0, 1}));
    TabularData joined = LabelJoin.join(features(), l, "defaulted", null).data();
    assertThat(LabelJoin.nonCandidate(joined, Set.of())).contains("column 'supplier_id' is an identifier");
    assertThat(LabelJoin.nonCandidate(joined, Set.of("supplier_id"))).contains("column 'as_of_date' is a date");
    assertThat(LabelJoin.nonCandidate(joined, Set.copyOf(LabelJoin.KEYS))).isEmpty();
    // By content: all-distinct text over 20 rows is an identifier, whatever its name.
    String[] ids = new String[25];
    double[] y = new double[25];
    for (int i = 0; i < 25; i++) {
      ids[i] = "contract-" + i;
      y[i] = i % 2;
    }
    TabularData byContent = TabularData.ofColumns("t", "y", null, List.of("contract", "y"), List.of(ids, y));
    assertThat(LabelJoin.nonCandidate(byContent, Set.of())).contains("column 'contract' is an identifier (all 25 values differ)");
  }

  /**
   * A labels as_of_date that is no date ('2025-13-01', '30.06.2025' in a comma file) joined no row
   * and was counted as unlabelled; it is refused as the table readers refuse it, at its row.
   */
  @Test
  void join_labelDateThatIsNoDate_isRefusedAtItsRow() {
    for (String bad : new String[] {"2025-13-01", "30.06.2025", "2025-6-30"}) {
      LabelJoin.Columns l = new LabelJoin.Columns("l.csv", List.of("supplier_id", "as_of_date", "defaulted"),
          List.of(new String[] {"S1", "S2", "S3"}, new String[] {"2025-06-30", bad, "2025-06-30"},
              new double[] {0, 1, 0}));
      assertThatThrownBy(() -> LabelJoin.join(features(), l, "defaulted", null))
          .hasMessage("l.csv, row 2, column as_of_date: '" + bad + "' is not a date in YYYY-MM-DD form between"
              + " 1900-01-01 and 2199-12-31");
    }
  }

  /**
   * A bad target value of the labels was numbered by its row among the joined rows (the feature
   * table's order, labelled rows only); it is named at its row of the labels file.
   */
  @Test
  void join_badTargetValue_isNamedAtItsRowOfTheLabels() {
    LabelJoin.Columns l = new LabelJoin.Columns("l.csv", List.of("supplier_id", "as_of_date", "defaulted"),
        List.of(new String[] {"S9", "S3", "S2", "S1"},
            new String[] {"2025-06-30", "2025-06-30", "2025-06-30", "2025-06-30"},
            new String[] {"0", "1", "maybe", "1"}));
    assertThatThrownBy(() -> LabelJoin.join(features(), l, "defaulted", null))
        .hasMessage("l.csv, row 3, column defaulted: expected 0 or 1 (or true or false), got 'maybe'; two other"
            + " labels need the event label named (--event-label maybe if 'maybe' is the event)");
  }
}
