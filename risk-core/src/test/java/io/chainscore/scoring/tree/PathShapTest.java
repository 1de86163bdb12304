package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.scoring.Concurrently;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PathShap} in each of its three layouts (a table over a small tree's decisions, a table
 * over each leaf's followed features, and the per-row quadrature) against the published recursive
 * algorithm ({@link TreeShap}), itself checked against brute-force Shapley sums and xgboost4j in
 * {@link TreeShapTest}.
 */
class PathShapTest {
  private static final int FEATURES = 6;

  @Test
  void gaussLegendre_integratesPolynomialsUpToDegree2nMinus1Exactly() {
    for (int n = 1; n <= 12; n++) {
      double[] node = new double[n];
      double[] weight = new double[n];
      SlotMajorShap.gaussLegendre(n, node, weight);
      for (int degree = 0; degree <= 2 * n - 1; degree++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += weight[i] * Math.pow(node[i], degree);
        }
        assertThat(sum).as("n %d, x^%d", n, degree).isCloseTo(1.0 / (degree + 1), within(1e-15));
      }
      for (int i = 0; i < n; i++) {
        assertThat(node[i]).isStrictlyBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void add_everyLayout_equalsAlgorithm2OnRandomEnsembles() throws Exception {
    Random random = new Random(61);
    int tabledTrees = 0;
    int leafTables = 0;
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      for (int model = 0; model < 12; model++) {
        // depths 1 to 9: small trees get decision tables, deeper ones the leaf table or none
        CompiledTreeEnsemble m = compile(random, precision, 1 + model % 9, 1 + random.nextInt(12));
        // zero covers: Algorithm 2 divides by a zero fraction of 0 there, so the brute force is
        // the reference (with half weight for children of a node without cover)
        boolean zeroCovers = model % 4 == 3;
        if (zeroCovers) {
          zeroSomeCovers(random, m);
        }
        PathShap tables = new PathShap(m);
        PathShap direct = new PathShap(m, 0);
        assertThat(direct.tabledTrees()).isZero();
        assertThat(direct.hasLeafTable()).isFalse();
        tabledTrees += tables.tabledTrees();
        leafTables += tables.hasLeafTable() ? 1 : 0;
        for (int k = 0; k < 40; k++) {
          double[] row = randomRow(random);
          double[] expected = zeroCovers ? BruteForceShapley.values(m, row) : algorithm2(m, row);
          double[] fromTables = new double[FEATURES];
          tables.add(row, 0, fromTables);
          double[] computed = new double[FEATURES];
          direct.add(row, 0, computed);
          for (int f = 0; f < FEATURES; f++) {
            double tolerance = (zeroCovers ? 1e-9 : 1e-12) * (1 + Math.abs(expected[f]));
            assertThat(fromTables[f]).as("%s model %d row %d feature %d (tables)", precision, model, k, f)
                .isCloseTo(expected[f], within(tolerance));
            assertThat(computed[f]).as("%s model %d row %d feature %d (computed)", precision, model, k, f)
                .isCloseTo(expected[f], within(tolerance));
          }
        }
      }
    }
    assertThat(tabledTrees).as("trees with decision tables").isPositive();
    assertThat(leafTables).as("ensembles with a leaf table").isPositive();
  }

  @Test
  void add_leafTableWithoutDecisionTables_equalsAlgorithm2() throws Exception {
    // full trees of depth 4 have 15 internal nodes: too many for a decision table
    Random random = new Random(67);
    CompiledTreeEnsemble m = compile(random, TreeEnsemble.Precision.FLOAT64, 4, 5);
    PathShap shap = new PathShap(m);
    assertThat(shap.hasLeafTable()).isTrue();
    for (int k = 0; k < 200; k++) {
      double[] row = randomRow(random);
      double[] expected = algorithm2(m, row);
      double[] phi = new double[FEATURES];
      shap.add(row, 0, phi);
      for (int f = 0; f < FEATURES; f++) {
        assertThat(phi[f]).as("row %d feature %d", k, f).isCloseTo(expected[f], within(1e-12 * (1 + Math.abs(expected[f]))));
      }
    }
  }

  @Test
  void contributions_concurrentCallers_getTheSingleThreadedValues() throws Exception {
    // the work arrays are per thread: four threads at once must each get what one thread gets
    Random random = new Random(71);
    CompiledTreeEnsemble m = compile(random, TreeEnsemble.Precision.FLOAT64, 5, 30);
    int n = 400;
    double[] rows = new double[n * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = RandomTrees.value(random, (i % FEATURES) % 3 == 2);
    }
    double[] expected = new double[n * FEATURES];
    double[] phi = new double[FEATURES];
    for (int r = 0; r < n; r++) {
      m.contributions(rows, r * FEATURES, phi);
      System.arraycopy(phi, 0, expected, r * FEATURES, FEATURES);
    }
    int wrong = Concurrently.mismatches(4, thread -> {
      Random order = new Random(thread);
      double[] mine = new double[FEATURES];
      int mismatches = 0;
      for (int i = 0; i < 2000; i++) {
        int r = order.nextInt(n);
        m.contributions(rows, r * FEATURES, mine);
        for (int f = 0; f < FEATURES; f++) {
          mismatches += Double.doubleToRawLongBits(mine[f]) == Double.doubleToRawLongBits(expected[r * FEATURES + f]) ? 0 : 1;
        }
      }
      return mismatches;
    });
    assertThat(wrong).isZero();
  }

  /**
   * The block path ({@link PathShap#addRows}: per-leaf tables, rows a block at a time) against
   * the per-row path bit for bit, on random ensembles of every split kind, both precisions, zero
   * covers, and budgets that table every tree, some trees (the rest slot-major inside the block)
   * or none; row counts in one block or several, the last one partial (blocks of 4 to 64 rows here; {@code TreeScorerBatchTest} crosses the default size); and against
   * Algorithm 2 within the per-row path's tolerance.
   */
  @Test
  void addRows_blockTables_equalThePerRowPathBitForBit() throws Exception {
    Random random = new Random(73);
    int partlyTabled = 0;
    int withPairs = 0;
    int withLoneLeaves = 0;
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      for (int model = 0; model < 10; model++) {
        CompiledTreeEnsemble m = compile(random, precision, 2 + model % 7, 5 + random.nextInt(30));
        boolean zeroCovers = model % 4 == 3;
        if (zeroCovers) {
          zeroSomeCovers(random, m);
        }
        // no decision or leaf tables on the per-row side, so its trees are computed slot-major
        PathShap perRow = new PathShap(m, 0, 0);
        PathShap all = new PathShap(m, 0, PathShap.MAX_BLOCK_TABLE);
        PathShap some = new PathShap(m, 0, all.blockTableSize() / 2);
        // blocks of 4 to 64 rows, so that the rows below span several blocks and end in a partial one
        PathShap smallBlocks = new PathShap(m, 0, PathShap.MAX_BLOCK_TABLE, 4 + 4 * random.nextInt(16));
        assertThat(all.blockTableSize()).as("model %d", model).isPositive();
        withPairs += all.siblingPairs() > 0 ? 1 : 0;
        withLoneLeaves += all.loneLeaves() > 0 ? 1 : 0;
        partlyTabled += some.blockTableSize() > 0 && some.blockTableSize() < all.blockTableSize() ? 1 : 0;
        int n = 1 + random.nextInt(150);
        int stride = FEATURES + random.nextInt(3);
        double[] rows = new double[n * stride];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = RandomTrees.value(random, (i % stride) % 3 == 2);
        }
        double[] expected = new double[n * FEATURES];
        double[] phi = new double[FEATURES];
        for (int r = 0; r < n; r++) {
          Arrays.fill(phi, 0.0);
          perRow.add(rows, r * stride, phi);
          System.arraycopy(phi, 0, expected, r * FEATURES, FEATURES);
        }
        for (PathShap block : new PathShap[] {all, some, smallBlocks}) {
          double[] got = new double[n * FEATURES];
          block.addRows(rows, n, stride, got);
          for (int i = 0; i < got.length; i++) {
            assertThat(Double.doubleToRawLongBits(got[i]))
                .as("%s model %d row %d feature %d: %s vs %s", precision, model, i / FEATURES, i % FEATURES, got[i],
                    expected[i])
                .isEqualTo(Double.doubleToRawLongBits(expected[i]));
          }
        }
        for (int r = 0; r < Math.min(n, 5); r++) {
          double[] row = Arrays.copyOfRange(rows, r * stride, r * stride + FEATURES);
          double[] reference = zeroCovers ? BruteForceShapley.values(m, row) : algorithm2(m, row);
          for (int f = 0; f < FEATURES; f++) {
            assertThat(expected[r * FEATURES + f]).isCloseTo(reference[f],
                within((zeroCovers ? 1e-9 : 1e-12) * (1 + Math.abs(reference[f]))));
          }
        }
      }
    }
    assertThat(partlyTabled).as("ensembles with only some trees tabled").isPositive();
    // both kinds of unit (two sibling leaves, one leaf) occur in the ensembles compared above
    assertThat(withPairs).as("ensembles with sibling pairs").isPositive();
    assertThat(withLoneLeaves).as("ensembles with leaves alone").isPositive();
  }

  /**
   * The column-wise block path with trees of both kinds of table: small trees with a table over
   * their decisions, the others with block tables (no leaf table). Its rows' values against the
   * same layout's per-row path, bit for bit, on ensembles of trees of random depths and split
   * kinds, in blocks of several sizes.
   */
  @Test
  void addRows_decisionTablesBesideBlockTables_equalThePerRowPathBitForBit() throws Exception {
    Random random = new Random(79);
    int mixed = 0;
    for (int model = 0; model < 40; model++) {
      TreeEnsemble ensemble = RandomTrees.ensemble(random, TreeEnsemble.Precision.values()[model % 2], FEATURES,
          10 + random.nextInt(30));
      CompiledTreeEnsemble m = ensemble.compileTrees(ensemble.defaultSchema());
      PathShap shap = new PathShap(m, 1 << (8 + random.nextInt(5)), PathShap.MAX_BLOCK_TABLE, 4 + 4 * random.nextInt(40));
      if (shap.tabledTrees() == 0 || shap.blockTableSize() == 0 || shap.hasLeafTable()) {
        continue;
      }
      mixed++;
      int n = 1 + random.nextInt(300);
      double[] rows = new double[n * FEATURES];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = RandomTrees.value(random, (i % FEATURES) % 3 == 2);
      }
      double[] got = new double[n * FEATURES];
      shap.addRows(rows, n, FEATURES, got);
      double[] phi = new double[FEATURES];
      for (int r = 0; r < n; r++) {
        Arrays.fill(phi, 0.0);
        shap.add(rows, r * FEATURES, phi);
        for (int f = 0; f < FEATURES; f++) {
          assertThat(Double.doubleToRawLongBits(got[r * FEATURES + f]))
              .as("model %d row %d feature %d: %s vs %s", model, r, f, got[r * FEATURES + f], phi[f])
              .isEqualTo(Double.doubleToRawLongBits(phi[f]));
        }
      }
    }
    assertThat(mixed).as("ensembles with both kinds of table").isGreaterThanOrEqualTo(5);
  }

  /**
   * The batch call of the compiled model (block tables from 16 rows on) against its single-row
   * call, bit for bit, as {@code Scorer.scoreBatch} relies on for its reason codes.
   */
  @Test
  void contributionsOfRows_equalSingleRowCallsBitForBit() throws Exception {
    Random random = new Random(79);
    for (int model = 0; model < 4; model++) {
      CompiledTreeEnsemble m = compile(random, TreeEnsemble.Precision.values()[model % 2], 6, 60);
      for (int n : new int[] {1, 15, 16, 130}) {
        double[] rows = new double[n * FEATURES];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = RandomTrees.value(random, (i % FEATURES) % 3 == 2);
        }
        double[] margins = new double[n];
        m.margins(rows, n, FEATURES, margins);
        double[] got = new double[n * FEATURES];
        m.contributions(rows, n, FEATURES, margins, got);
        double[] phi = new double[FEATURES];
        for (int r = 0; r < n; r++) {
          m.contributions(rows, r * FEATURES, phi, margins[r]);
          for (int f = 0; f < FEATURES; f++) {
            assertThat(Double.doubleToRawLongBits(got[r * FEATURES + f])).as("model %d n %d row %d feature %d", model,
                n, r, f).isEqualTo(Double.doubleToRawLongBits(phi[f]));
          }
        }
      }
    }
  }

  /**
   * The scoring threads of a batch run all ask for the block tables at their first block, and a
   * service's request threads for the per-row layout at their first row: each is built once, not
   * once per thread (a copy of the block tables is 41 MB for 300 trees of depth 6). Four threads
   * start together on fresh models, a few times over, with batches and with single rows.
   */
  @Test
  void contributions_concurrentFirstCalls_buildEachLayoutOnce() throws Exception {
    Random random = new Random(89);
    for (int attempt = 0; attempt < 5; attempt++) {
      CompiledTreeEnsemble m = compile(random, TreeEnsemble.Precision.FLOAT64, 7, 60);
      int n = CompiledTreeEnsemble.MIN_BLOCK_ROWS;
      double[] rows = new double[n * FEATURES];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = RandomTrees.value(random, (i % FEATURES) % 3 == 2);
      }
      double[] margins = new double[n];
      m.margins(rows, n, FEATURES, margins);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
      Concurrently.mismatches(4, thread -> {
        start.await();
        m.contributions(rows, n, FEATURES, margins, new double[n * FEATURES]);
        return 0;
      });
      java.util.concurrent.CyclicBarrier again = new java.util.concurrent.CyclicBarrier(4);
      Concurrently.mismatches(4, thread -> {
        again.await();
        m.contributions(rows, thread * FEATURES, new double[FEATURES], margins[thread]);
        return 0;
      });
      assertThat(m.layoutsBuilt()).as("attempt %d: per-row layout, block layout", attempt).containsExactly(1, 1);
    }
  }

  @Test
  void contributionsOfRows_concurrentCallers_getTheSingleThreadedValues() throws Exception {
    // the block path's work arrays (per-row sums, patterns, offsets) come from the pool per call
    Random random = new Random(83);
    CompiledTreeEnsemble m = compile(random, TreeEnsemble.Precision.FLOAT64, 6, 40);
    int n = 200;
    double[] rows = new double[n * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = RandomTrees.value(random, (i % FEATURES) % 3 == 2);
    }
    double[] margins = new double[n];
    m.margins(rows, n, FEATURES, margins);
    double[] expected = new double[n * FEATURES];
    m.contributions(rows, n, FEATURES, margins, expected);
    int wrong = Concurrently.mismatches(4, thread -> {
      Random order = new Random(thread);
      double[] mine = new double[n * FEATURES];
      int mismatches = 0;
      for (int i = 0; i < 20; i++) {
        int count = 16 + order.nextInt(n - 16 + 1);
        m.contributions(rows, count, FEATURES, margins, mine);
        for (int k = 0; k < count * FEATURES; k++) {
          mismatches += Double.doubleToRawLongBits(mine[k]) == Double.doubleToRawLongBits(expected[k]) ? 0 : 1;
        }
      }
      return mismatches;
    });
    assertThat(wrong).isZero();
  }

  private static CompiledTreeEnsemble compile(Random random, TreeEnsemble.Precision precision, int depth, int trees)
      throws Exception {
    TreeEnsemble ensemble = RandomTrees.ensemble(random, precision, FEATURES, trees, depth);
    return ensemble.compileTrees(ensemble.defaultSchema());
  }

  private static double[] randomRow(Random random) {
    double[] row = new double[FEATURES];
    for (int f = 0; f < FEATURES; f++) {
      row[f] = RandomTrees.value(random, f % 3 == 2);
    }
    return row;
  }

  /** The reference: the published recursive algorithm over every tree. */
  private static double[] algorithm2(CompiledTreeEnsemble m, double[] row) {
    TreeShap reference = new TreeShap(m);
    double[] phi = new double[FEATURES];
    for (int t = 0; t < m.treeCount; t++) {
      reference.tree(t, row, 0, phi);
    }
    return phi;
  }

  /** Zero covers in the compiled layout: a child with no cover (zero fraction 0), a parent with none (0.5). */
  private static void zeroSomeCovers(Random random, CompiledTreeEnsemble m) {
    for (int g = 0; g < m.cover.length; g++) {
      if (random.nextInt(6) == 0) {
        m.cover[g] = 0;
      }
    }
    assertThat(Arrays.stream(m.cover).filter(c -> c == 0).count()).isPositive();
  }
}
