package io.chainscore.sim;

import java.util.SplittableRandom;

/**
 * Seeded random numbers with version-stable algorithms: the same seed gives the same stream on
 * every JDK, which keeps generated files byte-identical (the JDK's own nextGaussian may change).
 */
final class Rng {
  private final SplittableRandom random;
  private double spareGaussian;
  private boolean hasSpare;

  Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A stream for one entity, independent of how many other streams were derived before it. */
  static Rng derive(long seed, long stream, long entity) {
    return new Rng(mix(mix(seed ^ 0x9E3779B97F4A7C15L * (stream + 1)) + entity));
  }

  /** SplitMix64 finaliser: spreads neighbouring seeds over the whole 64-bit space. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  double uniform() {
    return random.nextDouble();
  }

  int uniformInt(int bound) {
    return random.nextInt(bound);
  }

  boolean bernoulli(double p) {
    return random.nextDouble() < p;
  }

  /** Standard normal by the Marsaglia polar method. */
  double gaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = Math.sqrt(-2 * Math.log(s) / s);
    spareGaussian = v * factor;
    hasSpare = true;
    return u * factor;
  }

  /** Log-normal with median 1 and the given log-scale deviation. */
  double logNormal(double sigma) {
    return Math.exp(sigma * gaussian());
  }

  /** Poisson count: Knuth's product method for small means, a rounded normal above 30. */
  int poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang, with the boost for shape below one. */
  double gamma(double shape) {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = gaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  /** Beta(a, b) from two gamma variates. */
  double beta(double a, double b) {
    double x = gamma(a);
    return x / (x + gamma(b));
  }

  /** Index drawn with probability proportional to {@code weights}. */
  int weighted(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double target = random.nextDouble() * total;
    double cumulative = 0;
    for (int i = 0; i < weights.length; i++) {
      cumulative += weights[i];
      if (target < cumulative) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
