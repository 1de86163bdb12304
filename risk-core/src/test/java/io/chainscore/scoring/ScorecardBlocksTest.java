package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.spi.PointsScale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The column-wise block path with the policies folded into the lookups gives, for every row, NaN
 * exactly when {@link RowGuard#isClean} refuses the row as it is, and otherwise the row path's
 * points bit for bit; the row path itself is checked against a brute-force scan in {@link
 * ScorecardModelTest}.
 */
class ScorecardBlocksTest {
  private static final int CHARACTERISTICS = 16;
  /** Reason codes: characteristic c has code c % CODES. */
  private static final int CODES = 5;
  /** Two categorical columns after the numeric ones, used by no characteristic. */
  private static final int WIDTH = CHARACTERISTICS + 2;

  /**
   * Numeric columns of whole numbers only (spread edges, integer limits): a fraction is refused;
   * guided or not, the column is checked value by value.
   */
  private static boolean wholeNumber(int j) {
    return j == 6 || j == 11;
  }

  /** Repetitions in which a whole-number column was guided (checked at the last one). */
  private static int guidedWholeNumberColumns;

  @RepeatedTest(6)
  void points_nanExactlyForUncleanRowsElseRowPathPoints(RepetitionInfo repetition) {
    SplittableRandom random = new SplittableRandom(4242 + repetition.getCurrentRepetition());
    double[][] edges = new double[CHARACTERISTICS][];
    for (int c = 0; c < CHARACTERISTICS; c++) {
      edges[c] = edges(random, c % 5);
    }
    List<FeatureSpec> specs = new ArrayList<>();
    byte[] missing = new byte[WIDTH];
    byte[] range = new byte[WIDTH];
    double[] impute = new double[WIDTH];
    for (int j = 0; j < CHARACTERISTICS; j++) {
      // lognormal amounts (shape 2) keep a non-negative range, as amounts do
      double[] limits = j % 5 == 2 ? new double[] {random.nextBoolean() ? 0.0 : Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY} : wholeNumber(j) ? (random.nextBoolean() ? new double[] {-50, 1e7}
          : new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}) : limits(random, edges[j]);
      specs.add(wholeNumber(j) ? FeatureSpec.integer("f" + j, "", limits[0], limits[1], "")
          : FeatureSpec.numeric("f" + j, "", limits[0], limits[1], ""));
      missing[j] = (byte) random.nextInt(3);
      range[j] = (byte) random.nextInt(2);
      impute[j] = limits[0] > Double.NEGATIVE_INFINITY ? limits[0] : 0.0;
    }
    specs.add(FeatureSpec.categorical("sector", List.of("a", "b", "c"), ""));
    specs.add(FeatureSpec.categorical("region", List.of("x", "y"), ""));
    FeatureSchema schema = FeatureSchema.of(specs);
    RowGuard guard = new RowGuard(schema, missing, impute, range);
    ScorecardModel model = model(random, edges);
    ScorecardBlocks blocks = ScorecardBlocks.of(model, guard, CODES);
    assertThat(blocks).isNotNull();
    int[] counts = blocks.guideCounts();
    assertThat(counts[0]).as("guided by value").isPositive();
    assertThat(counts[1]).as("guided by bits").isPositive();
    assertThat(counts[2]).as("not guided (adjacent edges far from the rest)").isPositive();
    // a whole-number column is guided where its edges allow (its fractions then refused by the column check)
    if (blocks.guides(6) || blocks.guides(11)) {
      guidedWholeNumberColumns++;
    }
    if (repetition.getCurrentRepetition() == repetition.getTotalRepetitions()) {
      assertThat(guidedWholeNumberColumns).as("repetitions with a guided whole-number column").isPositive();
    }

    int rowCount = 3_000;
    double[] rows = new double[rowCount * WIDTH];
    for (int r = 0; r < rowCount; r++) {
      for (int j = 0; j < CHARACTERISTICS; j++) {
        rows[r * WIDTH + j] = value(random, edges[j], schema.feature(j).min(), schema.feature(j).max());
        if (wholeNumber(j) && random.nextBoolean()) {
          rows[r * WIDTH + j] = Math.rint(rows[r * WIDTH + j]);   // half the values whole, half mostly not
        }
      }
      for (int j = CHARACTERISTICS; j < WIDTH; j++) {
        int pick = random.nextInt(20);
        rows[r * WIDTH + j] = pick == 0 ? Double.NaN : pick == 1 ? 0.5 : pick == 2 ? 7 : random.nextInt(2);
      }
      if (r % 2 == 0) {
        // every other row made acceptable as it is, keeping values at and next to the limits
        for (int j = 0; j < WIDTH; j++) {
          double x = rows[r * WIDTH + j];
          if (j >= CHARACTERISTICS) {
            rows[r * WIDTH + j] = x == 1.0 ? 1.0 : 0.0;
          } else if (x != x) {
            rows[r * WIDTH + j] = missing[j] == RowGuard.MISSING_PASS ? x : impute[j];
          } else {
            // into the valid range, which holds finite numbers only (and a whole number where the
            // column takes only those: its limits are whole)
            double inRange = Math.max(Math.max(schema.feature(j).min(), -Double.MAX_VALUE),
                Math.min(Math.min(schema.feature(j).max(), Double.MAX_VALUE), x));
            rows[r * WIDTH + j] = wholeNumber(j) ? Math.rint(inRange) : inRange;
          }
        }
      }
    }
    double[] points = new double[rowCount];
    double[] pointsWithReasons = new double[rowCount];
    double[] totals = new double[rowCount * CODES];
    ScorecardBlocks.ReasonScratch scratch = blocks.newReasonScratch();
    for (int first = 0; first < rowCount; first += 100) {
      int count = Math.min(100, rowCount - first);
      blocks.points(rows, first * WIDTH, count, WIDTH, points, first);
      blocks.pointsAndPointsBelow(rows, first * WIDTH, count, WIDTH, pointsWithReasons, first, scratch);
      System.arraycopy(scratch.totals, 0, totals, first * CODES, count * CODES);
    }
    int clean = 0;
    int infinite = 0;
    int fractions = 0;
    for (int r = 0; r < rowCount; r++) {
      String row = Arrays.toString(Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH));
      // the rule as FeatureSpec states it, independently of the guard: each value missing where
      // its policy passes it on, else accepted by its spec (in range, finite, whole where required);
      // a missing value in a column of whole numbers (categorical or declared) is scored again
      // through the policies, which pass it on: not clean as it is, though not refused
      boolean acceptable = true;
      for (int j = 0; j < WIDTH; j++) {
        double x = rows[r * WIDTH + j];
        boolean integral = j >= CHARACTERISTICS || wholeNumber(j);
        acceptable &= x != x ? missing[j] == RowGuard.MISSING_PASS && !integral : schema.feature(j).accepts(x);
      }
      assertThat(guard.isClean(rows, r * WIDTH)).as("row %d %s", r, row).isEqualTo(acceptable);
      for (int j = 0; j < CHARACTERISTICS; j++) {
        double x = rows[r * WIDTH + j];
        if (wholeNumber(j) && Double.isFinite(x) && x != Math.rint(x)) {
          fractions++;
          assertThat(points[r]).as("fraction %s in whole-number column %d, row %d %s", x, j, r, row).isNaN();
          assertThat(pointsWithReasons[r]).as("fraction in whole-number column %d, row %d %s", j, r, row).isNaN();
        }
      }
      if (Arrays.stream(rows, r * WIDTH, r * WIDTH + CHARACTERISTICS).anyMatch(Double::isInfinite)) {
        // an infinity is out of every range, whether the spec bounds that side or not
        infinite++;
        assertThat(guard.isClean(rows, r * WIDTH)).as("row with an infinity %d %s", r, row).isFalse();
        assertThat(points[r]).as("row with an infinity %d %s", r, row).isNaN();
      }
      if (guard.isClean(rows, r * WIDTH)) {
        clean++;
        assertThat(Double.doubleToRawLongBits(points[r])).as("clean row %d %s", r, row)
            .isEqualTo(Double.doubleToRawLongBits(model.points(rows, r * WIDTH)));
        double[] rowTotals = new double[CODES];
        double rowPoints = model.pointsAndPointsBelow(rows, r * WIDTH, rowTotals);
        assertThat(Double.doubleToRawLongBits(pointsWithReasons[r])).as("clean row %d %s", r, row)
            .isEqualTo(Double.doubleToRawLongBits(rowPoints));
        for (int code = 0; code < CODES; code++) {
          assertThat(Double.doubleToRawLongBits(totals[r * CODES + code])).as("row %d code %d", r, code)
              .isEqualTo(Double.doubleToRawLongBits(rowTotals[code]));
        }
      } else {
        assertThat(points[r]).as("unclean row %d %s", r, row).isNaN();
        assertThat(pointsWithReasons[r]).as("unclean row %d %s", r, row).isNaN();
      }
    }
    assertThat(clean).as("both kinds of rows occur").isBetween(rowCount / 20, rowCount - rowCount / 20);
    assertThat(infinite).as("rows with an infinity").isGreaterThan(rowCount / 50);
    assertThat(fractions).as("fractions in whole-number columns").isGreaterThan(rowCount / 10);
  }

  /** Edges of one of five shapes: none, spread, one per decade, around zero, adjacent pair far away. */
  private static double[] edges(SplittableRandom random, int shape) {
    int k = shape == 0 ? 0 : shape == 2 ? 6 + random.nextInt(7) : 1 + random.nextInt(12);
    double[] e = new double[k];
    for (int i = 0; i < k; i++) {
      e[i] = switch (shape) {
        case 1 -> random.nextDouble(-100, 100);
        case 2 -> Math.pow(10, i - 4 + random.nextDouble() * 0.8); // one per decade from 1e-4 up
        case 3 -> random.nextBoolean() ? 0.0 : random.nextGaussian();
        default -> i < 2 ? 1.0 : random.nextDouble(1e6, 1e9);
      };
    }
    if (shape == 4 && k >= 2) {
      e[1] = Math.nextUp(1.0);
    }
    return Arrays.stream(e).sorted().distinct().toArray();
  }

  /** A valid range: infinite, cutting through the edges, or on an edge. */
  private static double[] limits(SplittableRandom random, double[] edges) {
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    int pick = random.nextInt(4);
    if (pick == 1 && edges.length > 0) {
      lo = edges[random.nextInt(edges.length)];
    } else if (pick == 2) {
      lo = -50;
      hi = 1e7;
    } else if (pick == 3 && edges.length > 0) {
      hi = edges[random.nextInt(edges.length)];
    }
    return new double[] {lo, Math.max(lo, hi)};
  }

  private static double value(SplittableRandom random, double[] edges, double min, double max) {
    int pick = random.nextInt(14);
    if (pick == 0) {
      // NaN of any sign and payload: a guide must give every NaN the missing value, not only the
      // bits of Double.NaN (a guide computing its bucket from the bits would not)
      long[] nans = {0x7ff8_0000_0000_0000L, 0xfff8_0000_0000_0000L, 0x7ff0_0000_0000_0001L,
          0x7fff_ffff_ffff_ffffL, 0xffff_ffff_ffff_ffffL, 0x7ff8_dead_beef_0042L, 0xfff0_0000_0000_0400L};
      return Double.longBitsToDouble(nans[random.nextInt(nans.length)]);
    }
    if (pick == 1) {
      double[] extremes = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0, -Double.MAX_VALUE,
          Double.MAX_VALUE, Double.MIN_VALUE};
      return extremes[random.nextInt(extremes.length)];
    }
    if (pick < 4) {
      double limit = random.nextBoolean() ? min : max;
      int nudge = random.nextInt(3);
      return nudge == 0 ? limit : nudge == 1 ? Math.nextUp(limit) : Math.nextDown(limit);
    }
    if (pick < 9 && edges.length > 0) {
      double e = edges[random.nextInt(edges.length)];
      int nudge = random.nextInt(3);
      return nudge == 0 ? e : nudge == 1 ? Math.nextUp(e) : Math.nextDown(e);
    }
    return random.nextBoolean() ? random.nextDouble(-120, 120) : Math.exp(random.nextGaussian() * 6);
  }

  /**
   * Ranked reason codes (all characteristics guided) give, for every clean row, the codes of the
   * row path's per-code totals ranked by a sort (largest total first, ties to the lower code, only
   * positive totals, at most four): codes of their own and codes shared by two or three
   * characteristics, points with ties (whole numbers) and without, one to four words of ranks.
   * Rows whose totals the caller sets (rescored through the policies) get the totals' ranking.
   */
  @org.junit.jupiter.api.Test
  void rankedReasons_equalTheSortedRowPathTotals() {
    java.util.Set<Integer> wordsSeen = new java.util.TreeSet<>();
    int sharedModels = 0;
    int rankedModels = 0;
    int unguidedModels = 0;
    for (int seed = 0; seed < 40; seed++) {
      SplittableRandom random = new SplittableRandom(777 + seed);
      boolean shared = seed % 2 == 1;
      // points: coarse whole numbers (few distinct totals, one word of ranks), whole numbers (ties),
      // or not round (as many totals as slots)
      int pointKind = seed % 4 == 0 ? COARSE : shared ? WHOLE : NOT_ROUND;
      int codeCount = shared ? CHARACTERISTICS / 2 + 1 : CHARACTERISTICS + 1; // one code never used
      int[] codes = new int[CHARACTERISTICS];
      for (int c = 0; c < CHARACTERISTICS; c++) {
        // shared: pairs (0,1)->0, (2,3)->1, ..., and characteristic 15 joins code 0 (a triple)
        codes[c] = shared ? (c == CHARACTERISTICS - 1 ? 0 : c / 2) : (c * 7) % CHARACTERISTICS;
      }
      double[][] edges = new double[CHARACTERISTICS][];
      for (int c = 0; c < CHARACTERISTICS; c++) {
        // whole numbers (guided by value) or one per decade (by bits); few edges keep the shared
        // codes' combinations small
        int most = shared ? 4 : pointKind == NOT_ROUND ? 12 : 8;
        edges[c] = c % 3 == 2 ? edges(random, 2)
            : random.ints(random.nextInt(most + 1), -100, 101).sorted().distinct().asDoubleStream().toArray();
        if (edges[c].length > most) {
          edges[c] = Arrays.copyOf(edges[c], most);
        }
      }
      List<FeatureSpec> specs = new ArrayList<>();
      byte[] missing = new byte[WIDTH];
      byte[] range = new byte[WIDTH];
      double[] impute = new double[WIDTH];
      for (int j = 0; j < CHARACTERISTICS; j++) {
        // unlimited, limited below at the first edge, or above beyond the last one (a limit at an
        // edge puts two cuts a double apart: no guide takes that, see the test above)
        double[] e = edges[j];
        int pick = e.length == 0 ? 0 : random.nextInt(3);
        double[] limits = {pick == 1 ? e[0] : Double.NEGATIVE_INFINITY,
            pick == 2 ? e[e.length - 1] + 10 : Double.POSITIVE_INFINITY};
        specs.add(FeatureSpec.numeric("f" + j, "", limits[0], limits[1], ""));
        missing[j] = (byte) random.nextInt(3);
        range[j] = (byte) random.nextInt(2);
      }
      specs.add(FeatureSpec.categorical("sector", List.of("a", "b", "c"), ""));
      specs.add(FeatureSpec.categorical("region", List.of("x", "y"), ""));
      FeatureSchema schema = FeatureSchema.of(specs);
      RowGuard guard = new RowGuard(schema, missing, impute, range);
      ScorecardModel model = model(random, edges, codes, pointKind);
      ScorecardBlocks blocks = ScorecardBlocks.of(model, guard, codeCount);
      unguidedModels += blocks.guideCounts()[2] > 0 && blocks.ranksReasons() ? 1 : 0;
      if (!blocks.ranksReasons()) {
        continue; // too many distinct totals for four words: checked below that most models rank
      }
      rankedModels++;
      sharedModels += shared ? 1 : 0;
      wordsSeen.add(blocks.rankWords());
      int rowCount = 1_000;
      double[] rows = new double[rowCount * WIDTH];
      for (int r = 0; r < rowCount; r++) {
        for (int j = 0; j < CHARACTERISTICS; j++) {
          double x = value(random, edges[j], schema.feature(j).min(), schema.feature(j).max());
          // a valid range holds finite numbers: a side without a bound ends at the largest double
          double lo = Math.max(schema.feature(j).min(), -Double.MAX_VALUE);
          double hi = Math.min(schema.feature(j).max(), Double.MAX_VALUE);
          boolean clean = x >= lo && x <= hi || x != x && missing[j] == RowGuard.MISSING_PASS;
          // nine rows in ten made clean: NaN passed or the value clamped into the range
          rows[r * WIDTH + j] = clean || r % 10 == 0 ? x : x != x ? lo : Math.max(lo, Math.min(hi, x));
        }
      }
      double[] points = new double[rowCount];
      int[] got = new int[rowCount * 4];
      ScorecardBlocks.ReasonScratch scratch = blocks.newReasonScratch();
      int checked = 0;
      for (int first = 0; first < rowCount; first += ScorecardBlocks.BLOCK) {
        int count = Math.min(ScorecardBlocks.BLOCK, rowCount - first);
        blocks.pointsAndPointsBelow(rows, first * WIDTH, count, WIDTH, points, first, scratch);
        // block row 3's totals are set as a rescored row's would be: those of row 0 of the block
        double[] setTotals = new double[codeCount];
        model.pointsAndPointsBelow(rows, first * WIDTH, setTotals);
        scratch.setTotals(3, setTotals);
        for (int r = first; r < first + count; r++) {
          blocks.topCodes(scratch, r - first, got, r * 4);
        }
        for (int r = first; r < first + count; r++) {
          if (points[r] != points[r]) {
            continue; // unclean: the caller scores it through the policies and sets its totals
          }
          double[] totals = new double[codeCount];
          model.pointsAndPointsBelow(rows, (r - first == 3 ? first : r) * WIDTH, totals);
          assertThat(Arrays.copyOfRange(got, r * 4, r * 4 + 4)).as("seed %d row %d", seed, r)
              .containsExactly(sortedTop(totals));
          checked++;
        }
      }
      assertThat(checked).as("seed %d: clean rows", seed).isGreaterThan(rowCount / 2);
    }
    assertThat(wordsSeen).as("words of ranks").contains(1, 2).anyMatch(w -> w > 2);
    assertThat(rankedModels).as("models that rank ahead").isGreaterThanOrEqualTo(20);
    assertThat(unguidedModels).as("of them with characteristics found by hash").isGreaterThanOrEqualTo(5);
    assertThat(sharedModels).as("of them with shared codes").isGreaterThanOrEqualTo(4);
  }

  /**
   * The perfect hash of a characteristic's values: for 1 to 256 values (signed zeros, NaN,
   * infinities, subnormals, near neighbours) every value finds its own index, every entry is an
   * index below the count, and beyond 2^14 entries there is no hash (totals are ranked).
   */
  @org.junit.jupiter.api.Test
  void valueHash_findsEachValuesIndex() {
    SplittableRandom random = new SplittableRandom(99);
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, 1.0, Math.nextUp(1.0), -1.0, 40.5};
    for (int n : new int[] {1, 2, 3, 10, 20, 64, 100, 200, 256}) {
      java.util.LinkedHashSet<Long> bits = new java.util.LinkedHashSet<>();
      for (int i = 0; bits.size() < n; i++) {
        double v = i < special.length ? special[i] : random.nextBoolean() ? random.nextInt(-50, 50) : random.nextGaussian() * 30;
        bits.add(Double.doubleToRawLongBits(v));
      }
      double[] values = bits.stream().mapToDouble(Double::longBitsToDouble).toArray();
      ScorecardBlocks.ValueHash hash = ScorecardBlocks.ValueHash.of(values);
      assertThat(hash).as("%d values", n).isNotNull();
      for (int i = 0; i < n; i++) {
        int at = (int) ((Double.doubleToRawLongBits(values[i]) * hash.multiplier) >>> hash.shift);
        assertThat(hash.index[at]).as("%d values, value %s", n, values[i]).isEqualTo(i);
      }
      assertThat(java.util.Arrays.stream(hash.index).boxed().toList()).allMatch(i -> i >= 0 && i < n);
    }
    double[] many = new double[300];
    for (int i = 0; i < many.length; i++) {
      many[i] = i;
    }
    assertThat(ScorecardBlocks.ValueHash.of(many)).as("300 values need 2^15 entries").isNull();
  }

  /** The four codes with the largest positive totals by a sort (ties to the lower code), -1 padded. */
  private static int[] sortedTop(double[] totals) {
    Integer[] codes = new Integer[totals.length];
    for (int c = 0; c < codes.length; c++) {
      codes[c] = c;
    }
    Arrays.sort(codes, (a, b) -> totals[a] != totals[b] ? Double.compare(totals[b], totals[a]) : Integer.compare(a, b));
    int[] top = {-1, -1, -1, -1};
    for (int k = 0, i = 0; i < codes.length && k < 4; i++) {
      if (totals[codes[i]] > 0) {
        top[k++] = codes[i];
      }
    }
    return top;
  }

  /** Characteristic c on column c, points of non-round values so that order matters in the sums. */
  private static ScorecardModel model(SplittableRandom random, double[][] edges) {
    int[] codes = new int[CHARACTERISTICS];
    for (int c = 0; c < CHARACTERISTICS; c++) {
      codes[c] = c % CODES;
    }
    return model(random, edges, codes, NOT_ROUND);
  }

  private static double points(SplittableRandom random, int kind, double spread) {
    return kind == COARSE ? 2 * random.nextInt(4) : kind == WHOLE ? random.nextInt(-6, 7)
        : random.nextDouble(-spread, spread);
  }

  private static final int NOT_ROUND = 0;
  private static final int WHOLE = 1;
  private static final int COARSE = 2;

  /**
   * As {@link #model(SplittableRandom, double[][])} with the given codes, and points not round,
   * whole numbers from -6 to 6 or even numbers from 0 to 6 (the best bin's points: 6).
   */
  private static ScorecardModel model(SplittableRandom random, double[][] edges, int[] codes, int kind) {
    int total = 0;
    for (double[] e : edges) {
      total += e.length;
    }
    int[] column = new int[CHARACTERISTICS];
    double[] missingValue = new double[CHARACTERISTICS];
    double[] maxValue = new double[CHARACTERISTICS];
    int[] edgeStart = new int[CHARACTERISTICS + 1];
    double[] flatEdges = new double[total];
    double[] intervalValue = new double[total + CHARACTERISTICS];
    for (int c = 0; c < CHARACTERISTICS; c++) {
      column[c] = c;
      int k = edges[c].length;
      edgeStart[c + 1] = edgeStart[c] + k;
      System.arraycopy(edges[c], 0, flatEdges, edgeStart[c], k);
      for (int i = 0; i <= k; i++) {
        intervalValue[edgeStart[c] + c + i] = points(random, kind, 40);
      }
      missingValue[c] = points(random, kind, 20);
      // not round, so that the totals depend on their order
      maxValue[c] = kind == NOT_ROUND ? 40 + random.nextDouble() : 6;
    }
    Binnings bins = new Binnings(column, missingValue, maxValue, new boolean[CHARACTERISTICS],
        new int[CHARACTERISTICS + 1], new double[0], new double[0], new int[CHARACTERISTICS + 1], new double[0],
        edgeStart, flatEdges, intervalValue);
    return new ScorecardModel(WIDTH, 17.25, bins, new PointsScale(20, 600, 50), codes);
  }
}
