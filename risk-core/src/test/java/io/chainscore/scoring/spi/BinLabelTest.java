package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A bin's label shows its real closure: {@code [a, b)} for cuts fitted to data, {@code (a, b]} where
 * an end is the double just above a short decimal (a {@code <=} cut as written). A fitted edge whose
 * neighbour below happens to print one digit shorter was taken for such a cut, and its labels
 * contradicted the scores (the bundled scorecard's 0.9865047037601471).
 */
class BinLabelTest {
  @Test
  void workedLabels() {
    assertThat(new Bin.Range(0.9778088, 0.9865047037601471, 0).label()).isEqualTo("[0.977809, 0.986505)");
    assertThat(new Bin.Range(0.9865047037601471, Double.POSITIVE_INFINITY, 0).label()).isEqualTo("[0.986505, +inf)");
    assertThat(new Bin.Range(Math.nextUp(0.3), Math.nextUp(0.6), 0).label()).isEqualTo("(0.3, 0.6]");
    assertThat(new Bin.Range(Double.NEGATIVE_INFINITY, 0.3, 0).label()).isEqualTo("[-inf, 0.3)");
    assertThat(new Bin.Range(1, Math.nextUp(2.0), 0).label()).isEqualTo("[1, 2]");
  }

  /**
   * Random edges, as data give them, keep {@code [a, b)}; the double just above a random decimal
   * of up to 10 significant digits gets its {@code ]} (a cut of more digits is shown at its
   * neighbour with {@code )}: the same doubles either way; a fitted edge just above a short decimal
   * by chance, about one in a million, is shown as that decimal's {@code ]}, the same doubles too). The reference is the definition: the decimal
   * written, not the printing of a neighbour.
   */
  @Test
  void randomFittedEdgesAndShortDecimalCuts() {
    SplittableRandom random = new SplittableRandom(29);
    for (int i = 0; i < 100_000; i++) {
      double fitted = random.nextDouble(-1000, 1000);
      assertThat(new Bin.Range(Double.NEGATIVE_INFINITY, fitted, 0).label()).as("%s", fitted).endsWith(")");
      int digits = 1 + random.nextInt(10);
      BigDecimal decimal = BigDecimal.valueOf(random.nextLong(1, (long) Math.pow(10, digits)))
          .movePointLeft(random.nextInt(digits + 3));
      double cut = decimal.doubleValue();
      assertThat(new Bin.Range(Double.NEGATIVE_INFINITY, Math.nextUp(cut), 0).label()).as("<= %s", decimal)
          .endsWith("]");
    }
  }
}
