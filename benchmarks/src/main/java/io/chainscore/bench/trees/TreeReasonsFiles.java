package io.chainscore.bench.trees;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Issue #17's target 2 as users run it, files in and files out: the peer side of
 * {@code benchmarks/run-user-paths.sh}'s tree paths. ChainScore's side is {@code chainscore score
 * --features rows.csv --model bundle.json --reasons codes|none} on a bundle made by {@code
 * chainscore import xgboost} from the same model; this class is what a user would write with
 * xgboost4j instead, reading the same CSV and writing the same kind of table.
 *
 * <ul>
 *   <li>{@code prepare DIR ROWS}: {@code DIR/rows.csv} (supplier_id, f0..f19, empty cells missing)
 *       from {@link TreeEnsembleBenchmark#rows} (seed 2017) and {@code DIR/model.json}, the cached
 *       300-tree depth-6 model.
 *   <li>{@code xgboost DIR THREADS codes|none OUT}: reads the CSV into a DMatrix, then with codes
 *       {@code predictContrib} (exact TreeSHAP, as xgboost computes it) and per row the four
 *       features with the largest positive contributions (R01 = f0 ... as the imported bundle names
 *       them, ties to the lower feature); with none {@code predict} only. Writes supplier_id, pd,
 *       reason_1..reason_4. Start-up, reading and writing are in the timing, as on ChainScore's side.
 *   <li>{@code check CHAINSCORE_OUT XGBOOST_OUT}: rows, the largest PD difference and the share of
 *       rows whose four reason codes are the same (xgboost sums contributions in float).
 * </ul>
 */
public final class TreeReasonsFiles {
  private static final int F = TreeEnsembleBenchmark.FEATURES;

  private TreeReasonsFiles() {}

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "prepare" -> prepare(Path.of(a[1]), Integer.parseInt(a[2]));
      case "xgboost" -> xgboost(Path.of(a[1]), Integer.parseInt(a[2]), a[3].equals("codes"), Path.of(a[4]));
      case "check" -> check(Path.of(a[1]), Path.of(a[2]));
      default -> throw new IllegalArgumentException("expected prepare, xgboost or check, got " + a[0]);
    }
  }

  private static void prepare(Path dir, int rows) throws Exception {
    Files.createDirectories(dir);
    Path model = TreeEnsembleBenchmark.model(TreeEnsembleBenchmark.TREES, TreeEnsembleBenchmark.DEPTH);
    Files.copy(model, dir.resolve("model.json"), StandardCopyOption.REPLACE_EXISTING);
    float[] x = TreeEnsembleBenchmark.rows(rows, 2017);
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("rows.csv"), StandardCharsets.UTF_8)) {
      StringBuilder head = new StringBuilder("supplier_id");
      for (int f = 0; f < F; f++) {
        head.append(",f").append(f);
      }
      w.write(head.append('\n').toString());
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append("S").append(i);
        for (int f = 0; f < F; f++) {
          float v = x[i * F + f];
          line.append(',');
          if (!Float.isNaN(v)) {
            line.append(v); // Float.toString: the shortest text that reads back as the same float
          }
        }
        w.write(line.append('\n').toString());
      }
    }
  }

  private static void xgboost(Path dir, int threads, boolean codes, Path out) throws Exception {
    List<String> ids = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(dir.resolve("rows.csv"), StandardCharsets.UTF_8)) {
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] cells = line.split(",", -1);
        ids.add(cells[0]);
        float[] row = new float[F];
        for (int f = 0; f < F; f++) {
          row[f] = cells[f + 1].isEmpty() ? Float.NaN : Float.parseFloat(cells[f + 1]);
        }
        rows.add(row);
      }
    }
    int n = rows.size();
    float[] flat = new float[n * F];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows.get(i), 0, flat, i * F, F);
    }
    Booster booster = XGBoost.loadModel(dir.resolve("model.json").toString());
    booster.setParam("nthread", threads);
    DMatrix m = new DMatrix(flat, n, F, Float.NaN);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("supplier_id,pd,reason_1,reason_2,reason_3,reason_4\n");
      StringBuilder line = new StringBuilder();
      if (codes) {
        float[][] contrib = booster.predictContrib(m, 0);
        int[] top = new int[4];
        for (int i = 0; i < n; i++) {
          float[] c = contrib[i];
          double margin = 0;
          for (float v : c) {
            margin += v;
          }
          int k = topPositive(c, top);
          line.setLength(0);
          line.append(ids.get(i)).append(',').append(pd(margin));
          for (int s = 0; s < 4; s++) {
            line.append(',');
            if (s < k) {
              line.append(String.format(Locale.ROOT, "R%02d", top[s] + 1));
            }
          }
          w.write(line.append('\n').toString());
        }
      } else {
        float[][] margins = booster.predict(m, true);
        for (int i = 0; i < n; i++) {
          line.setLength(0);
          line.append(ids.get(i)).append(',').append(pd(margins[i][0])).append(",,,,\n");
          w.write(line.toString());
        }
      }
    }
    m.dispose();
    booster.dispose();
  }

  private static double pd(double margin) {
    return 1 / (1 + Math.exp(-margin));
  }

  /** The features with the largest positive contributions, largest first, ties to the lower index. */
  private static int topPositive(float[] c, int[] top) {
    int k = 0;
    for (int f = 0; f < F; f++) {
      if (!(c[f] > 0)) {
        continue;
      }
      int pos = Math.min(k, top.length - 1);
      if (k == top.length && !(c[f] > c[top[pos]])) {
        continue;
      }
      while (pos > 0 && c[f] > c[top[pos - 1]]) {
        top[pos] = top[pos - 1];
        pos--;
      }
      top[pos] = f;
      k = Math.min(k + 1, top.length);
    }
    return k;
  }

  private static void check(Path chainscore, Path xgboost) throws Exception {
    List<String> a = Files.readAllLines(chainscore);
    List<String> b = Files.readAllLines(xgboost);
    String[] head = a.get(0).split(",", -1);
    int pdCol = List.of(head).indexOf("pd");
    int r1 = List.of(head).indexOf("reason_1");
    if (a.size() != b.size()) {
      System.out.println("check: DIFFERENT row counts " + (a.size() - 1) + " and " + (b.size() - 1));
      return;
    }
    double worst = 0;
    long same = 0;
    for (int i = 1; i < a.size(); i++) {
      String[] x = a.get(i).split(",", -1);
      String[] y = b.get(i).split(",", -1);
      if (!x[0].equals(y[0])) {
        System.out.println("check: row " + i + " is " + x[0] + " on one side and " + y[0] + " on the other");
        return;
      }
      worst = Math.max(worst, Math.abs(Double.parseDouble(x[pdCol]) - Double.parseDouble(y[1])));
      boolean equal = true;
      for (int s = 0; s < 4; s++) {
        equal &= x[r1 + s].equals(y[2 + s]);
      }
      same += equal ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "check: %d rows, largest PD difference %.2e, the same four reason codes on %d"
        + " (%.2f%%)%n", a.size() - 1, worst, same, 100.0 * same / (a.size() - 1));
  }
}
