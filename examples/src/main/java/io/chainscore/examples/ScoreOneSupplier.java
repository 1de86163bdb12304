package io.chainscore.examples;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.ScoringException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scores one supplier with the bundled scorecard and prints its PD, grade and reasons, then scores
 * a batch of applications from several threads sharing one {@link Scorer}: what a lending service
 * does with ChainScore, start to end.
 *
 * <p>It needs only the {@code models} artifact (which brings {@code risk-core} and Jackson); the
 * suite runs it ({@code ScoreOneSupplierTest}) and checks its output against the {@link Scorer}.
 */
public final class ScoreOneSupplier {
  private ScoreOneSupplier() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** The example's supplier, filled by feature name; unset features are missing (NaN). */
  public static double[] application(ModelBundle bundle) {
    return bundle.schema().row()
        .set("on_time_delivery_rate_12m", 0.81)
        .set("growth_3m_yoy", -0.35)
        .set("growth_6m_vs_prior_6m", -0.22)
        .set("open_receivables", 2_450_000)
        .set("avg_days_past_due_12m", 12)
        .set("dilution_rate_12m", 0.031)
        .set("disputed_share_12m", 0.06)
        .set("firm_age_years", 4.5)
        .set("financing_utilisation", 0.92)
        .set("sector", "textiles")          // a categorical feature, by its code
        .values();
  }

  /** Prints the example's output to {@code out}. */
  public static void run(PrintStream out) throws Exception {
    // Load once at start-up: the bundle's integrity and golden rows are checked here.
    ModelBundle bundle = DefaultModels.scorecard();
    Scorer scorer = bundle.scorer();
    Map<String, String> statements = bundle.reasonCodes().stream()
        .collect(Collectors.toMap(ModelBundle.ReasonCode::code, ModelBundle.ReasonCode::text));

    ScoreResult result = scorer.score(application(bundle));
    out.printf(Locale.ROOT, "model %s %s%n", bundle.modelId(), bundle.modelVersion());
    out.printf(Locale.ROOT, "score %.0f, PD %.6f (%.2f%%), grade %s%n", result.points(), result.pd(),
        100 * result.pd(), result.grade());
    for (String code : result.reasonCodes()) {
      out.printf(Locale.ROOT, "  %s %s%n", code, statements.get(code));
    }

    // A feature name the model does not know is an error naming it, never a silent -1 index.
    try {
      bundle.schema().row().set("on_time_delivery_rate", 0.9);
    } catch (IllegalArgumentException e) {
      out.println("unknown feature: " + e.getMessage().substring(0, e.getMessage().indexOf(';')));
    }

    // A row that says too little is refused, never scored through the missing bins: the bundle's
    // max_missing_share (0.5) lets at most half of the features the model uses be missing.
    try {
      scorer.score(bundle.schema().row().values());
    } catch (ScoringException e) {
      String m = e.getMessage();
      out.println("every feature missing: " + m.substring(0, m.indexOf(" allows") + " allows".length()));
    }

    // Thread safety: a Scorer is immutable, so every request thread shares the one instance.
    int threads = 4;
    int perThread = 250;
    Function<Integer, double[]> applicationNumber = i -> bundle.schema().row()
        .set("on_time_delivery_rate_12m", 0.70 + 0.3 * (i % 97) / 96.0)
        .set("avg_days_past_due_12m", i % 45)
        .set("financing_utilisation", (i % 13) / 10.0)
        .set("firm_age_years", 1 + i % 20)
        .set("dilution_rate_12m", (i % 7) / 100.0)
        .set("disputed_share_12m", (i % 5) / 100.0)
        .set("growth_3m_yoy", (i % 11) / 10.0 - 0.5)
        .set("growth_6m_vs_prior_6m", (i % 9) / 10.0 - 0.4)
        .set("open_receivables", 100_000 + 10_000 * (i % 50))
        .set("monthly_amount_cv_12m", (i % 8) / 10.0)
        .set("sector", i % 2 == 0 ? "textiles" : "glass")
        .values();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ScoreResult>>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * perThread;
        parts.add(pool.submit(() -> {
          List<ScoreResult> scored = new ArrayList<>();
          for (int i = first; i < first + perThread; i++) {
            scored.add(scorer.score(applicationNumber.apply(i)));
          }
          return scored;
        }));
      }
      int same = 0;
      for (int t = 0; t < threads; t++) {
        List<ScoreResult> scored = parts.get(t).get();
        for (int k = 0; k < perThread; k++) {
          same += scored.get(k).equals(scorer.score(applicationNumber.apply(t * perThread + k))) ? 1 : 0;
        }
      }
      out.printf(Locale.ROOT, "%d threads shared one Scorer for %d applications: %d of %d equal to one thread's%n",
          threads, threads * perThread, same, threads * perThread);
    } finally {
      pool.shutdown();
    }
  }
}
