package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.Concurrently;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The work arrays of every evaluation path (single row raw and quantised, the 16-row raw batch,
 * the eight-row quantised batch, the 64-row mask batch, TreeSHAP) are owned by the compiled model:
 * never shared by two callers at once, reused so that steady-state calls allocate nothing, and
 * gone with the model even while the threads that used it live on.
 */
class ScratchOwnershipTest {
  private static final int FEATURES = 5;
  private static final List<Boolean> NUMERIC = List.of(false, false, false, false, false);

  @Test
  void margins_fourThreadsAtOnceOnEveryPath_getTheSingleThreadedBits() throws Exception {
    for (CompiledTreeEnsemble compiled : List.of(maskPath(), eightRowPath(), rawPath())) {
      int n = 1_500;
      double[] rows = rows(new Random(61), n);
      double[] expected = new double[n];
      for (int r = 0; r < n; r++) {
        expected[r] = compiled.margin(rows, r * FEATURES);
      }
      double[] batch = new double[n];
      compiled.margins(rows, n, FEATURES, batch);
      assertThat(bits(batch)).as("batch equals single rows").containsExactly(bits(expected));
      int wrong = Concurrently.mismatches(4, thread -> {
        Random slices = new Random(thread);
        int mismatches = 0;
        for (int round = 0; round < 60; round++) {
          int from = slices.nextInt(n - 200);
          int count = 1 + slices.nextInt(200);
          double[] out = new double[count];
          double[] slice = Arrays.copyOfRange(rows, from * FEATURES, (from + count) * FEATURES);
          compiled.margins(slice, count, FEATURES, out);
          for (int r = 0; r < count; r++) {
            mismatches += sameBits(out[r], expected[from + r]) ? 0 : 1;
            mismatches += sameBits(compiled.margin(rows, (from + r) * FEATURES), expected[from + r]) ? 0 : 1;
          }
        }
        return mismatches;
      });
      assertThat(wrong).as("%s", describe(compiled)).isZero();
    }
  }

  @Test
  void everyPath_inSteadyState_allocatesNothingPerCall() throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (CompiledTreeEnsemble compiled : List.of(maskPath(), eightRowPath(), rawPath())) {
      int n = 200;
      double[] rows = rows(new Random(67), n);
      double[] out = new double[n];
      double[] phi = new double[FEATURES];
      double sink = 0;
      for (int warm = 0; warm < 3; warm++) { // first calls make the pooled scratch and TreeSHAP layout
        compiled.margins(rows, n, FEATURES, out);
        sink += compiled.margin(rows, 0) + compiled.contributions(rows, 0, phi);
      }
      long before = threads.getThreadAllocatedBytes(thread);
      for (int call = 0; call < 200; call++) {
        compiled.margins(rows, n, FEATURES, out);
        sink += compiled.margin(rows, (call % n) * FEATURES);
        sink += compiled.contributions(rows, (call % n) * FEATURES, phi);
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      // one array per call would be at least 200 * 3 * 16 bytes
      assertThat(allocated).as("%s (sink %s)", describe(compiled), sink).isLessThan(1_024);
    }
  }

  @Test
  void droppedModel_isCollectedWhileTheThreadThatScoredWithItLives() throws Exception {
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      WeakReference<CompiledTreeEnsemble> model = worker.submit(() -> {
        CompiledTreeEnsemble compiled = maskPath();
        double[] rows = rows(new Random(71), 100);
        compiled.margins(rows, 100, FEATURES, new double[100]);
        compiled.margin(rows, 0);
        compiled.contributions(rows, 0, new double[FEATURES]);
        return new WeakReference<>(compiled);
      }).get();
      for (int attempt = 0; attempt < 50 && model.get() != null; attempt++) {
        System.gc();
        Thread.sleep(20);
      }
      // per-thread scratch in a ThreadLocal would keep it reachable from the live worker thread
      assertThat(model.get()).as("the model, after the scoring thread is done with it").isNull();
    } finally {
      worker.shutdownNow();
    }
  }

  /** Perfect trees at most six deep: the 64-row mask batch. */
  private static CompiledTreeEnsemble maskPath() throws Exception {
    Random random = new Random(53);
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      trees.add(RandomTrees.tree(random, TreeEnsemble.Precision.FLOAT32, NUMERIC, 1 + random.nextInt(6)));
    }
    CompiledTreeEnsemble compiled = compile(trees, TreeEnsemble.Precision.FLOAT32);
    assertThat(compiled.rowMasks).isNotNull();
    return compiled;
  }

  /** A perfect tree nine deep: quantised, walked eight rows at a time. */
  private static CompiledTreeEnsemble eightRowPath() throws Exception {
    Random random = new Random(47);
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      trees.add(QuantizedEvaluationTest.fullTree(random, t == 0 ? 9 : 3));
    }
    CompiledTreeEnsemble compiled = compile(trees, TreeEnsemble.Precision.FLOAT64);
    assertThat(compiled.quantized).isTrue();
    assertThat(compiled.rowMasks).isNull();
    return compiled;
  }

  /** More distinct thresholds than bins: not quantised, the raw single-row and 16-row paths. */
  private static CompiledTreeEnsemble rawPath() throws Exception {
    Random random = new Random(43);
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 70; t++) {
      trees.add(QuantizedEvaluationTest.fullTree(random, 10));
    }
    CompiledTreeEnsemble compiled = compile(trees, TreeEnsemble.Precision.FLOAT64);
    assertThat(compiled.quantized).isFalse();
    return compiled;
  }

  private static CompiledTreeEnsemble compile(List<DecisionTree> trees, TreeEnsemble.Precision precision)
      throws Exception {
    TreeEnsemble ensemble = TreeEnsemble.of(List.of("a", "b", "c", "d", "e"), NUMERIC, trees, 0.25,
        TreeEnsemble.Link.LOGISTIC, 1, precision, "scratch");
    return (CompiledTreeEnsemble) ensemble.compile();
  }

  private static double[] rows(Random random, int n) {
    double[] rows = new double[n * FEATURES];
    for (int r = 0; r < n; r++) {
      double[] row = QuantizedEvaluationTest.randomRow(random);
      row[0] = r % 7 == 0 ? Double.NaN : random.nextGaussian(); // the full trees split on column 0
      System.arraycopy(row, 0, rows, r * FEATURES, FEATURES);
    }
    return rows;
  }

  private static String describe(CompiledTreeEnsemble compiled) {
    return compiled.rowMasks != null ? "mask batch" : compiled.quantized ? "quantised" : "raw";
  }

  private static boolean sameBits(double a, double b) {
    return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
  }

  private static long[] bits(double[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }
}
