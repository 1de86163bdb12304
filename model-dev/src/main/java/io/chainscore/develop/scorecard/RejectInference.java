package io.chainscore.develop.scorecard;

import io.chainscore.develop.TrainerSettings;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Reject inference for a through-the-door scorecard: the applicants that were declined (the
 * rejects) have no outcome, so a model fitted on the accepts alone (the known-good-bad, KGB,
 * model) learns the risk of the accepted population only. Each method here gives the rejects
 * inferred outcomes from the KGB model, and the scorecard is then fitted again on the accepts and
 * the inferred rejects together ({@code docs/binning.md}, "Reject inference", states what each
 * method assumes).
 *
 * <ul>
 *   <li>{@link Method#FUZZY}: every reject enters twice, as a bad with weight {@code p} and as a
 *       good with weight {@code 1 - p}, where {@code p} is its KGB PD.
 *   <li>{@link Method#HARD_CUTOFF}: the {@code k = round(sum p)} rejects with the highest KGB PD
 *       are bads, the others goods (each weight 1): the inferred bad count equals the expected one.
 *   <li>{@link Method#PARCELLING}: the accepts are cut into ten bands of equal (weighted) count by
 *       KGB score; a reject takes the observed (weighted) bad rate of the accepts in its band and is
 *       drawn bad with that probability (a seeded generator), weight 1.
 * </ul>
 *
 * <p>Thread safety: stateless.
 */
public final class RejectInference {
  /** Number of KGB score bands of parcelling. */
  static final int PARCELS = 10;

  private RejectInference() {}

  /** How the rejects' outcomes are inferred. */
  public enum Method {
    /** Each reject split into a weighted bad and a weighted good by its KGB PD. */
    FUZZY,
    /** The rejects with the highest KGB PD labelled bad, as many as the KGB model expects. */
    HARD_CUTOFF,
    /** A random outcome at the accepts' observed bad rate in the reject's KGB score band. */
    PARCELLING;

    /** The method by its command-line name: fuzzy, hard-cutoff or parcelling. */
    public static Method of(String name) {
      for (Method m : values()) {
        if (m.cliName().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("expected fuzzy, parcelling or hard-cutoff, got '" + name + "'");
    }

    /** The command-line name. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The accepts and the inferred rejects as one weighted sample.
   *
   * @param rows row-major accepts then rejects (a fuzzy reject twice)
   * @param labels the accepts' outcomes, then the inferred ones
   * @param weights the accepts' weights (1 when none were given), then the rejects'
   * @param rejects number of rejects
   * @param inferredBadRate the weighted share of bads among the inferred rejects
   * @param kgbMeanPd the mean KGB PD of the rejects
   */
  public record Augmented(double[] rows, int[] labels, double[] weights, int rejects, double inferredBadRate,
      double kgbMeanPd) {}

  /**
   * The KGB model's PD of each row: {@code 1 / (1 + exp(-(b0 + sum b_t WoE_t)))} with the fitted,
   * unrounded coefficients and bins of {@code kgb}.
   */
  public static double[] pd(ScorecardTrainer.Result kgb, FeatureSchema schema, double[] rows) {
    int p = schema.size();
    int n = rows.length / p;
    double[] out = new double[n];
    double b0 = kgb.fit().coefficients()[0];
    for (int i = 0; i < n; i++) {
      double m = b0;
      for (ScorecardTrainer.Characteristic c : kgb.characteristics()) {
        int j = schema.indexOf(c.feature());
        FeatureSpec f = schema.feature(j);
        double x = rows[i * p + j];
        BinningTable t = c.binning();
        int bin = f.type() == FeatureType.CATEGORICAL
            ? t.binIndex(Double.isNaN(x) ? null : f.categories().get((int) x)) : t.binIndex(x);
        double woe = t.bins().get(bin).count() == 0 ? 0 : t.bins().get(bin).woe();
        m += c.coefficient() * woe;
      }
      out[i] = m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
    }
    return out;
  }

  /**
   * Infers the rejects' outcomes with {@code kgb} (trained on the accepts) and returns the
   * augmented sample.
   *
   * @param acceptWeights the accepts' weights, or null for 1 each
   * @param seed the generator of parcelling's draws
   * @throws IllegalArgumentException when there are no rejects
   */
  public static Augmented augment(Method method, ScorecardTrainer.Result kgb, FeatureSchema schema,
      double[] acceptRows, int[] acceptLabels, double[] acceptWeights, double[] rejectRows, long seed) {
    int p = schema.size();
    int accepts = acceptLabels.length;
    int rejects = rejectRows.length / p;
    if (rejects == 0) {
      throw new IllegalArgumentException("the rejects file has no rows");
    }
    double[] pd = pd(kgb, schema, rejectRows);
    double meanPd = Arrays.stream(pd).sum() / rejects;
    int extra = method == Method.FUZZY ? 2 * rejects : rejects;
    double[] rows = Arrays.copyOf(acceptRows, (accepts + extra) * p);
    int[] labels = Arrays.copyOf(acceptLabels, accepts + extra);
    double[] weights = new double[accepts + extra];
    for (int i = 0; i < accepts; i++) {
      weights[i] = acceptWeights == null ? 1 : acceptWeights[i];
    }
    int[] inferred = new int[rejects];
    switch (method) {
      case FUZZY -> {
        for (int r = 0; r < rejects; r++) {
          System.arraycopy(rejectRows, r * p, rows, (accepts + 2 * r) * p, p);
          System.arraycopy(rejectRows, r * p, rows, (accepts + 2 * r + 1) * p, p);
          labels[accepts + 2 * r] = 1;
          weights[accepts + 2 * r] = pd[r];
          labels[accepts + 2 * r + 1] = 0;
          weights[accepts + 2 * r + 1] = 1 - pd[r];
        }
        return new Augmented(rows, labels, weights, rejects, meanPd, meanPd);
      }
      case HARD_CUTOFF -> {
        Integer[] order = new Integer[rejects];
        for (int r = 0; r < rejects; r++) {
          order[r] = r;
        }
        Arrays.sort(order, (a, b) -> Double.compare(pd[b], pd[a])); // stable: ties keep row order
        long bads = Math.round(meanPd * rejects);
        for (int k = 0; k < bads; k++) {
          inferred[order[k]] = 1;
        }
      }
      case PARCELLING -> {
        double[] acceptPd = pd(kgb, schema, acceptRows);
        double[] upper = bandBounds(acceptPd, Arrays.copyOf(weights, accepts));
        double[] bad = new double[PARCELS];
        double[] all = new double[PARCELS];
        for (int i = 0; i < accepts; i++) {
          int band = band(upper, acceptPd[i]);
          all[band] += weights[i];
          bad[band] += weights[i] * acceptLabels[i];
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < rejects; r++) {
          int band = band(upper, pd[r]);
          double rate = all[band] == 0 ? pd[r] : bad[band] / all[band];
          inferred[r] = random.nextDouble() < rate ? 1 : 0;
        }
      }
      default -> throw new IllegalStateException(method.toString());
    }
    long bads = 0;
    for (int r = 0; r < rejects; r++) {
      System.arraycopy(rejectRows, r * p, rows, (accepts + r) * p, p);
      labels[accepts + r] = inferred[r];
      weights[accepts + r] = 1;
      bads += inferred[r];
    }
    return new Augmented(rows, labels, weights, rejects, (double) bads / rejects, meanPd);
  }

  /**
   * The settings of a reject inference, a group of the {@code provenance.trainer} of the fit on the
   * accepts and the inferred rejects ({@link TrainerSettings}; {@code chainscore train} puts it after
   * the development rows' group, before the fit's own): {@code
   * reject_inference=} the method's command-line name, its parameters ({@code parcels=10 seed=S}
   * for parcelling, whose draws are seeded; fuzzy and hard-cutoff have none), {@code rejects=} how
   * many rejects were inferred and {@code rejects_sha256=} the SHA-256 of their rows, hashed as
   * {@code training_data_sha256} hashes the training rows (values in schema order, IEEE bits; so it
   * names the rejects used, whatever the file's format, and not those left out).
   *
   * @param rejectRows the rejects' rows as passed to {@link #augment}
   * @param seed the seed passed to {@link #augment}
   */
  public static TrainerSettings settings(Method method, Augmented augmented, double[] rejectRows, long seed) {
    TrainerSettings settings = new TrainerSettings().put("reject_inference", method.cliName());
    if (method == Method.PARCELLING) {
      settings.put("parcels", PARCELS).put("seed", seed);
    }
    return settings.put("rejects", augmented.rejects())
        .put("rejects_sha256", io.chainscore.scoring.spi.BundleBuilder.trainingDataSha256(rejectRows, new int[0]));
  }

  /**
   * The cohort of each row of the sample {@link #augment} returns for {@code method}: the accepts'
   * cohorts, then each reject's (twice for {@link Method#FUZZY}, whose rejects appear as a bad and
   * a good row), so that cohort-out selection keeps every reject in its own cohort's fold.
   */
  public static int[] cohorts(Method method, int[] acceptCohorts, int[] rejectCohorts) {
    int copies = method == Method.FUZZY ? 2 : 1;
    int[] out = Arrays.copyOf(acceptCohorts, acceptCohorts.length + copies * rejectCohorts.length);
    for (int r = 0; r < rejectCohorts.length; r++) {
      for (int c = 0; c < copies; c++) {
        out[acceptCohorts.length + copies * r + c] = rejectCohorts[r];
      }
    }
    return out;
  }

  /**
   * The {@link #PARCELS} - 1 upper bounds of the accepts' KGB score bands, bands of equal weight
   * (frequency weights, so an accept of weight 2 counts as two accepts): bound k is the first PD,
   * in increasing order, at which the accepts' cumulative weight exceeds {@code k / PARCELS} of
   * their total. With equal weights it is the sorted PD at position {@code floor(k n / PARCELS)}, and
   * with integer weights it is the bound of the accepts repeated that many times.
   */
  static double[] bandBounds(double[] acceptPd, double[] weights) {
    int n = acceptPd.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(acceptPd[a], acceptPd[b]));
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double[] upper = new double[PARCELS - 1];
    double cumulative = 0;
    int k = 1;
    for (int q = 0; q < n && k < PARCELS; q++) {
      cumulative += weights[order[q]];
      // cumulative / total > k / PARCELS, compared without dividing (exact for integer weights)
      while (k < PARCELS && cumulative * PARCELS > k * total) {
        upper[k - 1] = acceptPd[order[q]];
        k++;
      }
    }
    for (; k < PARCELS; k++) {
      upper[k - 1] = n == 0 ? Double.POSITIVE_INFINITY : acceptPd[order[n - 1]];
    }
    return upper;
  }

  /** The band of a PD: the number of band upper bounds at or below it. */
  private static int band(double[] upper, double pd) {
    int b = 0;
    while (b < upper.length && upper[b] <= pd) {
      b++;
    }
    return b;
  }
}
