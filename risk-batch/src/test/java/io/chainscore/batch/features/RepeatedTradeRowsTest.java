package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.batch.io.GeneratedPortfolios;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.features.engine.BadRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows an export repeats are counted once: a repeated instalment (a loan and due date again), a
 * repeated credit note id and a loan no instalment names are quarantined, and every feature of the
 * portfolio with them equals, bit for bit, the feature of the same portfolio without them (the
 * reference: the simulator's own tables, which have none). Until 2026-12-07 the first two were
 * counted twice (a repeated instalment in the days past due, a repeated credit note in the dilution)
 * and the third left out of {@code outstanding_financing} without a word.
 */
class RepeatedTradeRowsTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 30);

  @TempDir static Path root;
  private static Path clean;

  @BeforeAll
  static void portfolio() throws IOException {
    clean = root.resolve("clean");
    GeneratedPortfolios.write(clean, GeneratedPortfolios.simulate(150, 41, D), TableWriter.Format.CSV);
  }

  private static PortfolioFeatures.Result features(Path dir, int threads, List<BadRecord> bad) throws IOException {
    return PortfolioFeatures.compute(dir, new PortfolioFeatures.Options(D, threads, true,
        PortfolioFeatures.DEFAULT_REGIONS), bad::add);
  }

  /** {@code dir} as a copy of the clean portfolio. */
  private static Path copyOfClean(String name) throws IOException {
    Path dir = root.resolve(name);
    Files.createDirectories(dir);
    try (var files = Files.list(clean)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  private static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void repeatedRows_areQuarantined_andTheFeaturesAreThoseWithoutThem(int threads) throws IOException {
    Path dir = copyOfClean("repeated-" + threads);
    // an instalment repeated far from its first (the file is then out of due-date order), one
    // repeated right after itself, a credit note repeated, and a loan no instalment names
    List<String> instalments = lines(dir.resolve("instalments.csv"));
    String far = instalments.get(1);
    int nearRow = instalments.size() / 2;   // a data row (1-based, after the header)
    String near = instalments.get(nearRow);
    instalments.add(nearRow + 1, near);
    instalments.add(far);
    Files.write(dir.resolve("instalments.csv"), instalments);
    List<String> creditNotes = lines(dir.resolve("credit_notes.csv"));
    assertThat(creditNotes).hasSizeGreaterThan(3);
    String note = creditNotes.get(2);
    creditNotes.add(note);
    Files.write(dir.resolve("credit_notes.csv"), creditNotes);
    List<String> loans = lines(dir.resolve("loans.csv"));
    String[] loan = loans.get(1).split(",", -1);
    loans.add("L-NO-SCHEDULE," + loans.get(1).substring(loan[0].length() + 1));
    Files.write(dir.resolve("loans.csv"), loans);

    List<BadRecord> bad = new ArrayList<>();
    PortfolioFeatures.Result withRepeats = features(dir, threads, bad);
    PortfolioFeatures.Result reference = features(clean, threads, new ArrayList<>());

    assertThat(bad).extracting(r -> r.table() + "|" + r.row() + "|" + r.recordId() + "|" + r.field() + "|" + r.reason())
        .containsExactly(
            "loan|" + (loans.size() - 1) + "|L-NO-SCHEDULE|loan_id|has no accepted instalment: no row of the"
                + " instalments table names it, or every row that does was refused",
            "credit_note|" + (creditNotes.size() - 1) + "|" + note.split(",")[0] + "|credit_note_id|is a duplicate",
            "instalment|" + (nearRow + 1) + "|" + near.split(",")[0]
                + "|due_date|is a duplicate: an earlier instalment of loan '" + near.split(",")[0] + "' is due that day",
            "instalment|" + (instalments.size() - 1) + "|" + far.split(",")[0]
                + "|due_date|is a duplicate: an earlier instalment of loan '" + far.split(",")[0] + "' is due that day");
    assertThat(withRepeats.quarantined()).isEqualTo(4);
    assertThat(withRepeats.supplierIds()).isEqualTo(reference.supplierIds());
    assertThat(withRepeats.matrix()).isEqualTo(reference.matrix());
  }

  /**
   * Instalments out of due-date order, none repeated: the pass that checks by order gives way to
   * the one that checks each row against a set, and the features are those of the ordered file
   * (sums of other order agree to 1e-12 relative; counts and days exactly).
   */
  @Test
  void instalmentsInReverseOrder_noneRepeated_giveTheFeaturesOfTheOrderedFile() throws IOException {
    Path dir = copyOfClean("reversed");
    List<String> instalments = lines(dir.resolve("instalments.csv"));
    List<String> body = new ArrayList<>(instalments.subList(1, instalments.size()));
    Collections.reverse(body);
    body.add(0, instalments.get(0));
    Files.write(dir.resolve("instalments.csv"), body);

    List<BadRecord> bad = new ArrayList<>();
    double[] reversed = features(dir, 2, bad).matrix();
    double[] ordered = features(clean, 2, new ArrayList<>()).matrix();
    assertThat(bad).isEmpty();
    assertThat(reversed).hasSameSizeAs(ordered);
    for (int i = 0; i < ordered.length; i++) {
      if (Double.isNaN(ordered[i])) {
        assertThat(reversed[i]).as("value %d", i).isNaN();
      } else {
        assertThat(reversed[i]).as("value %d", i).isCloseTo(ordered[i], within(1e-12 * Math.max(1, Math.abs(ordered[i]))));
      }
    }
  }

  /** The clean portfolio has loans, instalments and credit notes, so the tests above test something. */
  @Test
  void theReferencePortfolio_hasEveryTableTheTestsRepeat() throws IOException {
    List<BadRecord> bad = new ArrayList<>();
    PortfolioFeatures.Result r = features(clean, 1, bad);
    assertThat(bad).isEmpty();
    assertThat(r.instalments()).isGreaterThan(100);
    assertThat(r.rowsRead().get("credit_note")).isGreaterThan(10L);
    assertThat(r.rowsRead().get("loan")).isGreaterThan(10L);
  }
}
