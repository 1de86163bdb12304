package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CutGuideTest {

  /** The obvious definition: how many cuts are at or below x. */
  private static int linearCount(double[] cuts, int start, int count, double x) {
    int n = 0;
    for (int i = start; i < start + count; i++) {
      if (cuts[i] <= x) {
        n++;
      }
    }
    return n;
  }

  @Test
  void bin_columnsOfEveryShape_equalLinearCountAtAroundAndBetweenCuts() {
    Random random = new Random(7);
    List<double[]> columns = new ArrayList<>();
    columns.add(new double[0]);
    columns.add(new double[] {0.0});
    columns.add(new double[] {-1.5, 2.0});
    columns.add(distinct(random, 250, () -> random.nextGaussian())); // quantile-like
    columns.add(distinct(random, 255, () -> Math.exp(3 * random.nextGaussian()))); // lognormal amounts
    columns.add(distinct(random, 40, () -> random.nextInt(41) - 20.0)); // integer codes
    columns.add(distinct(random, 3000, () -> random.nextDouble() * 1e-300)); // subnormal-scale range
    columns.add(distinct(random, 5000, () -> random.nextBoolean() ? random.nextGaussian() * 1e12
        : random.nextGaussian() * 1e-12)); // two clusters
    columns.add(new double[] {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -0.0, Double.MIN_VALUE, 1.0,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY});
    columns.add(new double[] {1.0, Math.nextUp(1.0), Math.nextUp(Math.nextUp(1.0))});
    int total = 0;
    for (double[] c : columns) {
      total += c.length;
    }
    double[] cuts = new double[total + 5];
    int[] start = new int[columns.size()];
    int[] count = new int[columns.size()];
    int at = 5; // the columns need not start at 0
    for (int b = 0; b < columns.size(); b++) {
      start[b] = at;
      count[b] = columns.get(b).length;
      System.arraycopy(columns.get(b), 0, cuts, at, count[b]);
      at += count[b];
    }
    CutGuide guide = CutGuide.of(cuts, start, count);
    for (int b = 0; b < columns.size(); b++) {
      List<Double> probes = new ArrayList<>(List.of(0.0, -0.0, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE));
      for (double c : columns.get(b)) {
        probes.add(c);
        probes.add(Math.nextUp(c));
        probes.add(Math.nextDown(c));
      }
      for (int i = 0; i < 2000; i++) {
        probes.add(random.nextGaussian() * Math.pow(10, random.nextInt(30) - 15));
      }
      double[] values = probes.stream().mapToDouble(Double::doubleValue).toArray();
      int[] bins = new int[values.length];
      guide.bins(b, values, values.length, bins);
      for (int i = 0; i < values.length; i++) {
        int expected = linearCount(cuts, start[b], count[b], values[i]);
        assertThat(guide.bin(b, values[i])).as("column %s value %s", b, values[i]).isEqualTo(expected);
        assertThat(bins[i]).as("batch column %s value %s", b, values[i]).isEqualTo(expected);
      }
      int[] nanBin = new int[1];
      guide.bins(b, new double[] {Double.NaN}, 1, nanBin);
      assertThat(nanBin[0]).as("NaN gets a bin in range").isBetween(0, count[b]);
    }
  }

  private static double[] distinct(Random random, int n, java.util.function.DoubleSupplier draw) {
    TreeSet<Double> set = new TreeSet<>();
    while (set.size() < n) {
      set.add(draw.getAsDouble() + 0.0);
    }
    double[] sorted = set.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }
}
