package io.chainscore.spark;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Rows per second of the whole scoring run (transactions in Parquet to scores in Parquet) on the
 * single-machine batch engine and on Spark local[2] with 2, 8 and 32 supplier partitions, on the
 * same simulated portfolio; and the peak heap of a local[1] run with 1 and 32 partitions, from
 * which the memory a partition needs per supplier is derived (docs/scale-out.md).
 *
 * <p>Not part of the test suite (it needs minutes). Run, from the repository root:
 *
 * <pre>
 * mvn -o -q -pl risk-spark -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * FLAGS=$(sed -n 's:.*&lt;spark.jvm.flags&gt;\(.*\)&lt;/spark.jvm.flags&gt;.*:\1:p' risk-spark/pom.xml)
 * flock /work/wt/_bench.lock java -Xmx6g $FLAGS \
 *     -cp risk-spark/target/test-classes:risk-spark/target/classes:$(cat risk-spark/target/test.classpath) \
 *     io.chainscore.spark.SparkScaleBenchmark [suppliers [invoicesPerYear [memory-only]]]
 * </pre>
 *
 * <p>Thread safety: a program, not for concurrent use.
 */
public final class SparkScaleBenchmark {
  private SparkScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int suppliers = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    double invoicesPerYear = args.length > 1 ? Double.parseDouble(args[1]) : 100;
    Path root = Path.of("risk-spark", "target", "bench").toAbsolutePath();
    Path portfolio = SparkTestPortfolio.generate(root.resolve("portfolio-" + suppliers), suppliers, invoicesPerYear, 24);
    ModelBundle bundle = DefaultModels.scorecard();
    System.out.printf("portfolio: %,d suppliers, %.0f invoices a year over 24 months%n", suppliers, invoicesPerYear);

    if (args.length > 2 && args[2].equals("memory-only")) {
      memory(portfolio, root);
      return;
    }
    if (args.length > 2 && args[2].equals("alternate")) {
      alternate(portfolio, root, bundle, suppliers, args.length > 3 ? Integer.parseInt(args[3]) : 3,
          args.length > 4 ? Integer.parseInt(args[4]) : 8);
      return;
    }
    // Single machine, two threads: features, feature table, score job into Parquet (chainscore score --transactions).
    double best = Double.MAX_VALUE;
    long invoices = 0;
    for (int rep = 0; rep < 3; rep++) {
      long t = System.nanoTime();
      invoices = singleMachine(portfolio, root, bundle);
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    System.out.printf("single machine (2 threads): %.2f s, %,.0f suppliers/s, %,.0f invoice rows/s%n",
        best, suppliers / best, invoices / best);
    double single = best;

    SparkSession spark = SparkTestPortfolio.localSpark(2);
    try {
      for (int partitions : new int[] {2, 8, 32}) {
        double sparkBest = Double.MAX_VALUE;
        for (int rep = 0; rep < 2; rep++) {
          sparkBest = Math.min(sparkBest, runJob(spark, portfolio, root, partitions));
        }
        System.out.printf("spark local[2], %2d partitions: %.2f s, %,.0f suppliers/s, %,.0f invoice rows/s, %.2fx the single machine's time%n",
            partitions, sparkBest, suppliers / sparkBest, invoices / sparkBest, sparkBest / single);
      }
    } finally {
      spark.stop();
    }

    memory(portfolio, root);
  }

  /** The single-machine run (features with 2 threads, feature table, score job into Parquet); returns the invoices read. */
  private static long singleMachine(Path portfolio, Path root, ModelBundle bundle) throws Exception {
    PortfolioFeatures.Result r = PortfolioFeatures.compute(portfolio, new PortfolioFeatures.Options(
        SparkTestPortfolio.AS_OF, 2, true, PortfolioFeatures.DEFAULT_REGIONS), b -> { });
    Path features = root.resolve("single.features.arrow");
    Files.deleteIfExists(features);
    PortfolioFeatures.write(r, SparkTestPortfolio.AS_OF, features);
    FeatureTableScoring processor = new FeatureTableScoring(bundle, SparkTestPortfolio.AS_OF);
    BatchJob.builder().input(features, processor.inputSchema()).processor(processor)
        .output(root.resolve("single.scores.parquet")).threads(2).overwrite(true).build().run();
    return r.invoices();
  }

  /**
   * Alternating rounds, single machine then Spark local[2] at {@code partitions}, after one warm-up
   * of each: wall seconds and this JVM's CPU seconds per run (the process CPU time, which on local[2]
   * includes Spark's driver), then min and median of each side and their ratios.
   */
  private static void alternate(Path portfolio, Path root, ModelBundle bundle, int suppliers, int rounds,
      int partitions) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SparkSession spark = SparkTestPortfolio.localSpark(2);
    try {
      singleMachine(portfolio, root, bundle);
      runJob(spark, portfolio, root, partitions);
      double[][] wall = new double[2][rounds];
      double[][] cpu = new double[2][rounds];
      for (int round = 0; round < rounds; round++) {
        for (int side = 0; side < 2; side++) {
          long c = os.getProcessCpuTime();
          long t = System.nanoTime();
          Map<String, Long> threadsBefore = threadCpu();
          if (side == 0) {
            singleMachine(portfolio, root, bundle);
          } else {
            runJob(spark, portfolio, root, partitions);
          }
          wall[side][round] = (System.nanoTime() - t) / 1e9;
          cpu[side][round] = (os.getProcessCpuTime() - c) / 1e9;
          printThreads(threadsBefore, cpu[side][round]);
          System.out.printf("round %d %-22s wall %6.2f s  cpu %6.2f s  (load %.1f)%n", round + 1,
              side == 0 ? "single machine" : "spark local[2] p=" + partitions, wall[side][round], cpu[side][round],
              os.getSystemLoadAverage());
        }
      }
      for (int side = 0; side < 2; side++) {
        java.util.Arrays.sort(wall[side]);
        java.util.Arrays.sort(cpu[side]);
      }
      System.out.printf("%,d suppliers; single machine wall min %.2f median %.2f, cpu min %.2f median %.2f%n",
          suppliers, wall[0][0], wall[0][rounds / 2], cpu[0][0], cpu[0][rounds / 2]);
      System.out.printf("spark local[2] p=%d wall min %.2f median %.2f, cpu min %.2f median %.2f%n", partitions,
          wall[1][0], wall[1][rounds / 2], cpu[1][0], cpu[1][rounds / 2]);
      System.out.printf("ratio spark/single: wall min %.2fx median %.2fx; cpu min %.2fx median %.2fx%n",
          wall[1][0] / wall[0][0], wall[1][rounds / 2] / wall[0][rounds / 2], cpu[1][0] / cpu[0][0],
          cpu[1][rounds / 2] / cpu[0][rounds / 2]);
    } finally {
      spark.stop();
    }
  }

  private static void memory(Path portfolio, Path root) throws Exception {
    // Memory: heap held by a partition once its rows are consumed (its engine, id maps and
    // feature matrix; Spark's sort buffers are released by then), one core, 1 and 32 partitions.
    SparkSession one = SparkSession.builder().master("local[1]").appName("chainscore-memory")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false").config("spark.sql.adaptive.enabled", "false").getOrCreate();
    try {
      runJob(one, portfolio, root, 1);
      long[] held = new long[2];
      int[] counts = new int[2];
      for (int k = 0; k < 2; k++) {
        int partitions = k == 0 ? 32 : 1;
        long[] max = {0};
        int[] most = {0};
        PartitionFeatures.retainedProbe = (n, loans) -> {
          System.gc();
          long used = heapUsed();
          if (used > max[0]) {
            max[0] = used;
            most[0] = n;
          }
        };
        System.gc();
        long base = heapUsed();
        resetPeaks();
        double seconds = runJob(one, portfolio, root, partitions);
        long peak = peakHeap();
        PartitionFeatures.retainedProbe = null;
        held[k] = max[0];
        counts[k] = most[0];
        System.out.printf("local[1], %2d partitions (%.1f s): heap after GC with a partition's state held %,d MiB"
            + " (largest partition %,d suppliers); idle %,d MiB; peak (sum of pool peaks) %,d MiB%n",
            partitions, seconds, max[0] >> 20, most[0], base >> 20, peak >> 20);
      }
      double perSupplier = (double) (held[1] - held[0]) / (counts[1] - counts[0]);
      System.out.printf("held per supplier in a partition: %.0f bytes (%.0f MiB per million suppliers)%n",
          perSupplier, perSupplier * 1e6 / (1 << 20));
    } finally {
      one.stop();
    }
  }

  /**
   * With {@code -Dchainscore.bench.stages=true}: each Spark run's stages, their names and the CPU
   * time of their tasks (Spark's executorCpuTime), printed after the run; the driver and the JIT
   * compilers are not in it.
   */
  private static final boolean STAGES = Boolean.getBoolean("chainscore.bench.stages");
  private static final java.util.Map<Integer, long[]> stageCpu = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<Integer, String> stageName = new java.util.concurrent.ConcurrentHashMap<>();
  private static boolean listening;

  private static void listen(SparkSession spark) {
    if (!STAGES || listening) {
      return;
    }
    listening = true;
    spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
          stageCpu.computeIfAbsent(end.stageId(), k -> new long[2])[0] += end.taskMetrics().executorCpuTime();
          stageCpu.get(end.stageId())[1]++;
        }
      }

      @Override
      public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted submitted) {
        stageName.put(submitted.stageInfo().stageId(), submitted.stageInfo().name());
      }
    });
  }

  private static void printStages(SparkSession spark) {
    if (!STAGES) {
      return;
    }
    try {
      Thread.sleep(500);   // the listener bus delivers the last task ends
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long total = 0;
    for (Integer id : new java.util.TreeSet<>(stageCpu.keySet())) {
      long[] c = stageCpu.get(id);
      total += c[0];
      System.out.printf("    stage %d (%d tasks) %s: task CPU %.2f s%n", id, c[1],
          String.valueOf(stageName.get(id)).replaceAll("\\s+", " "), c[0] / 1e9);
    }
    System.out.printf("    tasks' CPU %.2f s%n", total / 1e9);
    stageCpu.clear();
  }

  /**
   * With {@code -Dchainscore.bench.threads=true}: this process's CPU per kind of thread over a run,
   * from {@code /proc/self/task/<tid>/stat} (user + system ticks, 10 ms) and each thread's name:
   * Spark's task threads, the C2 and C1 compilers, GC (G1's workers, concurrent, refinement and
   * service threads, the VM thread), main (the driver's calls and the single machine's own
   * thread), the rest (Spark's event loops, the single machine's workers); "exited": the process's
   * CPU less the threads alive at both ends (threads that ended during the run).
   */
  private static final boolean THREADS = Boolean.getBoolean("chainscore.bench.threads");

  private static Map<String, Long> threadCpu() {
    Map<String, Long> ticks = new java.util.HashMap<>();
    if (!THREADS) {
      return ticks;
    }
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return ticks;
    }
    for (java.io.File task : tasks) {
      try {
        String stat = Files.readString(task.toPath().resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 of stat (utime, stime): 12 and 13 after the name
        ticks.put(task.getName() + "\t" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended
      }
    }
    return ticks;
  }

  private static String threadKind(String name) {
    if (name.startsWith("Executor task")) {
      return "tasks";
    } else if (name.startsWith("C2 Compiler")) {
      return "C2";
    } else if (name.startsWith("C1 Compiler")) {
      return "C1";
    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
      return "GC+VM";
    } else if (name.equals("main")) {
      return "main";
    }
    return "other";
  }

  private static void printThreads(Map<String, Long> before, double processCpu) {
    if (!THREADS) {
      return;
    }
    Map<String, Long> after = threadCpu();
    Map<String, Long> byKind = new java.util.TreeMap<>();
    Map<String, Long> other = new java.util.HashMap<>();
    long sum = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      String name = e.getKey().substring(e.getKey().indexOf('\t') + 1);
      String kind = threadKind(name);
      byKind.merge(kind, d, Long::sum);
      if (kind.equals("other")) {
        other.merge(name.replaceAll("[0-9]+", "#"), d, Long::sum);
      }
      sum += d;
    }
    StringBuilder b = new StringBuilder("    threads' CPU (s):");
    byKind.forEach((k, v) -> b.append(String.format(" %s %.2f", k, v / 100.0)));
    b.append(String.format(" exited %.2f", processCpu - sum / 100.0));
    System.out.println(b);
    StringBuilder o = new StringBuilder("    other threads:");
    other.entrySet().stream().filter(e -> e.getValue() >= 5).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .limit(8).forEach(e -> o.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 100.0)));
    System.out.println(o);
  }

  private static double runJob(SparkSession spark, Path portfolio, Path root, int partitions) throws Exception {
    Path out = root.resolve("spark-" + partitions + ".scores.parquet");
    listen(spark);
    stageCpu.clear();
    long t = System.nanoTime();
    String limit = System.getProperty("chainscore.bench.readLimit");
    SparkFeatures.RangeOptions ranges = limit == null ? SparkFeatures.RangeOptions.DEFAULT
        : SparkFeatures.RangeOptions.DEFAULT.withReadLimit(Double.parseDouble(limit));
    Map<String, Object> m = ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse("--transactions",
        portfolio.toString(), "--as-of", SparkTestPortfolio.AS_OF.toString(), "--out", out.toString(),
        "--partitions", Integer.toString(partitions), "--overwrite",
        // the shuffle path even on clustered files, for comparison
        "--supplier-partitioning", Boolean.getBoolean("chainscore.bench.shuffle") ? "shuffle" : "auto"), ranges);
    double seconds = (System.nanoTime() - t) / 1e9;
    if (m.get("rows_out") == null) {
      throw new IllegalStateException("no rows out");
    }
    System.out.printf("  (%s)%n", m.get("supplier_partitioning_note"));
    printStages(spark);
    return seconds;
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        used += p.getUsage().getUsed();
      }
    }
    return used;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
