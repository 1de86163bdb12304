package io.chainscore.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * A rating master scale: consecutive PD bands {@code [lower, upper)} that partition {@code [0, 1]},
 * each a grade with a representative PD, followed by one default grade.
 *
 * <p>The first band starts at 0; each band starts where the previous one ends; the last
 * non-default band ends at 1 and, as the only exception, also contains PD = 1. The default grade
 * (PD = 100 %, obligors already in default) is never assigned from a PD; it is listed so that grade
 * indexes cover the whole scale.
 *
 * <p>Thread safety: immutable.
 */
public final class MasterScale {
  /**
   * One grade of the scale.
   *
   * <p>Thread safety: immutable.
   *
   * @param name grade label, for example {@code "3"} or {@code "D"}
   * @param pdLower inclusive lower PD bound (1 for the default grade)
   * @param pdUpper exclusive upper PD bound (inclusive for the last non-default grade; 1 for the
   *     default grade)
   * @param representativePd the PD used for capital and pricing of the grade
   * @param isDefault whether this is the default grade
   */
  public record Grade(
      String name, double pdLower, double pdUpper, double representativePd, boolean isDefault) {}

  private final List<Grade> grades;
  private final double[] uppers;
  /**
   * The bands that a PD can be counted against (all uppers but the last), padded with +infinity to
   * eight for a three-step branch-free search; null when there are more.
   */
  private final double[] searchUppers;

  private MasterScale(List<Grade> grades) {
    this.grades = List.copyOf(grades);
    this.uppers = new double[grades.size() - 1];
    for (int i = 0; i < uppers.length; i++) {
      uppers[i] = grades.get(i).pdUpper();
    }
    if (uppers.length - 1 <= 7) {
      searchUppers = new double[8];
      java.util.Arrays.fill(searchUppers, Double.POSITIVE_INFINITY);
      System.arraycopy(uppers, 0, searchUppers, 0, Math.max(0, uppers.length - 1));
    } else {
      searchUppers = null;
    }
  }

  /**
   * Builds a scale from the upper PD bounds of the non-default grades.
   *
   * @param names names of the non-default grades followed by the default grade's name
   * @param pdUppers strictly increasing exclusive upper bounds, the last equal to 1
   * @param representativePds one per non-default grade, inside its band
   * @throws IllegalArgumentException when the bands do not partition [0, 1] or a representative PD
   *     lies outside its band
   */
  public static MasterScale of(List<String> names, double[] pdUppers, double[] representativePds) {
    java.util.Objects.requireNonNull(names, "names");
    java.util.Objects.requireNonNull(pdUppers, "pdUppers");
    java.util.Objects.requireNonNull(representativePds, "representativePds");
    int n = pdUppers.length;
    if (n < 1 || names.size() != n + 1 || representativePds.length != n) {
      throw new IllegalArgumentException(
          "master scale: need n >= 1 upper bounds, n representative PDs and n + 1 names");
    }
    if (pdUppers[n - 1] != 1.0) {
      throw new IllegalArgumentException("master scale: the last band must end at PD 1, got " + pdUppers[n - 1]);
    }
    List<Grade> grades = new ArrayList<>(n + 1);
    double lower = 0;
    for (int i = 0; i < n; i++) {
      double upper = pdUppers[i];
      double rep = representativePds[i];
      if (upper > 1.0) {
        // said as what it is: until 2026-12-07 a bound above 1 was reported as the next band's
        // emptiness ("band [1.5, 1.0) is empty"), naming the grade after the one at fault
        throw new IllegalArgumentException("master scale: grade " + names.get(i) + " upper bound " + upper
            + " is above PD 1; the bounds lie in (0, 1], the last equal to 1");
      }
      if (!(upper > lower)) {
        throw new IllegalArgumentException(
            "master scale: grade " + names.get(i) + " band [" + lower + ", " + upper + ") is empty; upper bounds must increase strictly");
      }
      boolean last = i == n - 1;
      if (!(rep >= lower && (rep < upper || (last && rep <= upper)))) {
        throw new IllegalArgumentException(
            "master scale: grade " + names.get(i) + " representative PD " + rep + " is outside its band [" + lower + ", " + upper + ")");
      }
      grades.add(new Grade(names.get(i), lower, upper, rep, false));
      lower = upper;
    }
    grades.add(new Grade(names.get(n), 1.0, 1.0, 1.0, true));
    for (int i = 0; i < grades.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (grades.get(i).name().equals(grades.get(j).name())) {
          throw new IllegalArgumentException("master scale: duplicate grade name " + grades.get(i).name());
        }
      }
    }
    return new MasterScale(grades);
  }

  /** All grades, best first, the default grade last. */
  public List<Grade> grades() {
    return grades;
  }

  /** The grade at {@code index}. */
  public Grade grade(int index) {
    return grades.get(index);
  }

  /** Index of the default grade (the last one). */
  public int defaultGradeIndex() {
    return grades.size() - 1;
  }

  /**
   * Index of the non-default grade whose band contains {@code pd}: the first band with
   * {@code pd < upper}, or the last non-default band for PD 1; -1 for NaN or a PD outside [0, 1].
   */
  public int gradeIndexOf(double pd) {
    if (!(pd >= 0 && pd <= 1)) {
      return -1;
    }
    double[] u = searchUppers;
    if (u != null) {
      // how many of the (sorted) bands end at or below pd: three compares, no branch
      int i = pd >= u[3] ? 4 : 0;
      i += pd >= u[i + 1] ? 2 : 0;
      return i + (pd >= u[i] ? 1 : 0);
    }
    if (uppers.length <= 16) {
      // branch-free count of the bands that end at or below pd (the last band, ending at 1, is
      // excluded so PD 1 falls in it)
      int index = 0;
      for (int i = 0, n = uppers.length - 1; i < n; i++) {
        index += pd >= uppers[i] ? 1 : 0;
      }
      return index;
    }
    int lo = 0;
    int hi = uppers.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (pd < uppers[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
