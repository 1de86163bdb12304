package io.chainscore.batch.scoring;

import io.chainscore.validation.DeLong;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The champion/challenger comparison of one score run ({@code chainscore score --challenger}):
 * on the suppliers both models scored, the mean PDs, how often they give the same grade, the rank
 * correlation of their PDs, and, where outcomes have arrived, both AUCs and the DeLong test of
 * their difference on the same rows. Used by the score summary and by {@code chainscore monitor}.
 *
 * <p>Thread safety: stateless.
 */
public final class ChampionChallenger {
  /** Level of the DeLong test that names a better model. */
  static final double LEVEL = 0.05;

  private ChampionChallenger() {}

  /**
   * The challenger's rows of a score table: supplier id to its score, PD and grade, rows it
   * refused left out; null when the table has no challenger (no challenger columns, or all empty).
   */
  static Challenged read(Path scores) throws IOException {
    return ScoreSummary.Rows.read(scores).challenged();
  }

  /** A run's challenger: its model id and its scored rows. */
  record Challenged(String modelId, LinkedHashMap<String, ScoreSummary.Scored> scores) {}

  /**
   * Compares the champion's and the challenger's scores of one run.
   *
   * @param labels outcomes by supplier and as-of date, or null: then no back-test
   */
  static Map<String, Object> compare(Map<String, ScoreSummary.Scored> champion, Challenged challenger,
      Map<String, Map<LocalDate, Boolean>> labels) {
    List<String> both = champion.keySet().stream().filter(challenger.scores()::containsKey).toList();
    int n = both.size();
    double[] pdChampion = new double[n];
    double[] pdChallenger = new double[n];
    int sameGrade = 0;
    for (int i = 0; i < n; i++) {
      ScoreSummary.Scored a = champion.get(both.get(i));
      ScoreSummary.Scored b = challenger.scores().get(both.get(i));
      pdChampion[i] = a.pd();
      pdChallenger[i] = b.pd();
      sameGrade += a.grade().equals(b.grade()) ? 1 : 0;
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("challenger_model_id", challenger.modelId());
    c.put("suppliers_scored_by_both", n);
    c.put("refused_by_challenger", champion.size() - n);
    c.put("mean_pd_champion", mean(pdChampion));
    c.put("mean_pd_challenger", mean(pdChallenger));
    c.put("same_grade_share", n == 0 ? Double.NaN : sameGrade / (double) n);
    c.put("pd_rank_correlation", n < 2 ? Double.NaN : spearman(pdChampion, pdChallenger));
    c.put("backtest", labels == null ? null : backtest(both, champion, challenger, labels));
    return c;
  }

  /** Both AUCs and the DeLong test of their difference on the labelled rows both scored; null without such rows. */
  private static Map<String, Object> backtest(List<String> both, Map<String, ScoreSummary.Scored> champion,
      Challenged challenger, Map<String, Map<LocalDate, Boolean>> labels) {
    int m = 0;
    double[] a = new double[both.size()];
    double[] b = new double[both.size()];
    int[] y = new int[both.size()];
    for (String id : both) {
      ScoreSummary.Scored s = champion.get(id);
      Map<LocalDate, Boolean> byDate = labels.get(id);
      Boolean defaulted = byDate == null ? null : byDate.get(LocalDate.ofEpochDay(s.asOfDay()));
      if (defaulted != null) {
        a[m] = s.pd();
        b[m] = challenger.scores().get(id).pd();
        y[m] = defaulted ? 1 : 0;
        m++;
      }
    }
    if (m == 0) {
      return null;
    }
    a = Arrays.copyOf(a, m);
    b = Arrays.copyOf(b, m);
    y = Arrays.copyOf(y, m);
    int defaults = Arrays.stream(y).sum();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("labelled", m);
    out.put("defaults", defaults);
    if (defaults < 2 || m - defaults < 2) {
      out.put("verdict", "too few defaults or non-defaults to compare AUCs");
      return out;
    }
    DeLong.Comparison d = DeLong.compare(b, a, y, 0.95);
    out.put("auc_champion", d.second().auc());
    out.put("auc_challenger", d.first().auc());
    out.put("auc_difference", d.difference());
    out.put("difference_standard_error", d.standardError());
    out.put("p_value", d.pValue());
    out.put("verdict", d.pValue() >= LEVEL ? "no significant difference (DeLong, 5% level)"
        : d.difference() > 0 ? "challenger better (DeLong, 5% level)" : "champion better (DeLong, 5% level)");
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  /** Spearman's rank correlation: Pearson's correlation of the average ranks (ties share their mean rank). */
  static double spearman(double[] x, double[] y) {
    double[] rx = ranks(x);
    double[] ry = ranks(y);
    double mx = mean(rx);
    double my = mean(ry);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < rx.length; i++) {
      sxy += (rx[i] - mx) * (ry[i] - my);
      sxx += (rx[i] - mx) * (rx[i] - mx);
      syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  private static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> Double.compare(v[p], v[q]));
    double[] rank = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double average = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[order[k]] = average;
      }
      i = j + 1;
    }
    return rank;
  }
}
