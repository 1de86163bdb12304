package io.chainscore.ifrs9;

import java.util.List;

/**
 * A one-period grade migration matrix with default as its absorbing last state: {@code K + 1}
 * rows and columns, each row a probability distribution, the last row {@code (0, ..., 0, 1)}.
 * Cumulative PDs of grade {@code i} after {@code n} periods are {@code (P^n)_{i,D}} (a
 * time-homogeneous first-order Markov chain); {@link #chain} multiplies scenario-conditional
 * matrices instead.
 *
 * <p>Thread safety: immutable.
 */
public final class MigrationMatrix {
  private static final double ROW_TOLERANCE = 1e-9;

  private final List<String> grades;
  private final double[][] p;

  private MigrationMatrix(List<String> grades, double[][] p) {
    this.grades = List.copyOf(grades);
    this.p = p;
  }

  /**
   * A matrix over {@code grades} (the performing grades, best first) plus default, checked: square
   * of size {@code grades + 1}, entries in [0, 1], rows summing to 1 within 1e-9, default absorbing.
   *
   * @throws IllegalArgumentException naming the row and what was expected
   */
  public static MigrationMatrix of(List<String> grades, double[][] matrix) {
    int size = grades.size() + 1;
    if (matrix.length != size) {
      throw new IllegalArgumentException("migration matrix: expected " + size + " rows (" + grades.size()
          + " grades and default), got " + matrix.length);
    }
    double[][] copy = new double[size][];
    for (int i = 0; i < size; i++) {
      String row = i < grades.size() ? grades.get(i) : "default";
      if (matrix[i].length != size) {
        throw new IllegalArgumentException("migration matrix row " + row + ": expected " + size + " columns, got " + matrix[i].length);
      }
      double sum = 0;
      for (int j = 0; j < size; j++) {
        double v = matrix[i][j];
        if (!(v >= 0 && v <= 1)) {
          throw new IllegalArgumentException("migration matrix row " + row + ", column " + (j + 1)
              + ": expected a probability in [0, 1], got " + v);
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > ROW_TOLERANCE) {
        throw new IllegalArgumentException("migration matrix row " + row + ": expected probabilities summing to 1, got " + sum);
      }
      copy[i] = matrix[i].clone();
    }
    if (copy[size - 1][size - 1] != 1) {
      throw new IllegalArgumentException("migration matrix: expected default (the last row) to be absorbing, (0, ..., 0, 1)");
    }
    return new MigrationMatrix(grades, copy);
  }

  /**
   * Estimates a matrix by counting moves between two consecutive runs (cohort method): row {@code
   * i} is the share of the obligors in grade {@code i} at the start that are in each grade, or in
   * default, at the end. A grade nobody started in keeps itself with probability 1 (and says so in
   * no figure, so callers should report counts beside the matrix).
   *
   * @param from each obligor's grade index at the start ({@code 0..K-1})
   * @param to the same obligor's grade index at the end ({@code 0..K-1}, or {@code K} for default)
   */
  public static MigrationMatrix estimate(List<String> grades, int[] from, int[] to) {
    int k = grades.size();
    if (from.length != to.length) {
      throw new IllegalArgumentException("migration counts: expected as many start as end grades, got " + from.length + " and " + to.length);
    }
    long[][] counts = new long[k + 1][k + 1];
    for (int o = 0; o < from.length; o++) {
      if (from[o] < 0 || from[o] >= k || to[o] < 0 || to[o] > k) {
        throw new IllegalArgumentException("migration of obligor " + o + ": expected grades in 0.." + (k - 1)
            + " and end states in 0.." + k + ", got " + from[o] + " -> " + to[o]);
      }
      counts[from[o]][to[o]]++;
    }
    double[][] matrix = new double[k + 1][k + 1];
    for (int i = 0; i < k; i++) {
      long total = 0;
      for (long c : counts[i]) {
        total += c;
      }
      for (int j = 0; j <= k; j++) {
        matrix[i][j] = total == 0 ? (i == j ? 1 : 0) : (double) counts[i][j] / total;
      }
    }
    matrix[k][k] = 1;
    return of(grades, matrix);
  }

  /** The performing grades, best first. */
  public List<String> grades() {
    return grades;
  }

  /** The one-period probability of moving from state {@code i} to state {@code j} (default is the last). */
  public double probability(int i, int j) {
    return p[i][j];
  }

  /**
   * The cumulative PD term structure of grade {@code grade} over {@code periods} periods, {@code
   * CPD(n) = (P^n)_{grade,D}}.
   */
  public PdTermStructure termStructure(int grade, int periods, double periodYears) {
    MigrationMatrix[] same = new MigrationMatrix[periods];
    java.util.Arrays.fill(same, this);
    return chain(grade, periodYears, same);
  }

  /**
   * The cumulative PDs of grade {@code grade} through a sequence of (scenario-conditional)
   * one-period matrices over the same grades: {@code CPD(n) = (P_1 P_2 ... P_n)_{grade,D}}.
   */
  public static PdTermStructure chain(int grade, double periodYears, MigrationMatrix... matrices) {
    if (matrices.length == 0) {
      throw new IllegalArgumentException("migration chain: expected at least one period");
    }
    int size = matrices[0].p.length;
    if (grade < 0 || grade >= size - 1) {
      throw new IllegalArgumentException("grade index: expected 0.." + (size - 2) + ", got " + grade);
    }
    // propagate the row vector of state probabilities: exact and O(n K^2)
    double[] state = new double[size];
    state[grade] = 1;
    double[] cumulative = new double[matrices.length];
    for (int n = 0; n < matrices.length; n++) {
      if (matrices[n].p.length != size) {
        throw new IllegalArgumentException("migration chain: period " + (n + 1) + " has " + (matrices[n].p.length - 1)
            + " grades, expected " + (size - 1));
      }
      double[] next = new double[size];
      for (int i = 0; i < size; i++) {
        if (state[i] == 0) {
          continue;
        }
        double[] row = matrices[n].p[i];
        for (int j = 0; j < size; j++) {
          next[j] += state[i] * row[j];
        }
      }
      state = next;
      cumulative[n] = Math.min(1, state[size - 1]);
    }
    return PdTermStructure.ofCumulative(periodYears, cumulative);
  }
}
