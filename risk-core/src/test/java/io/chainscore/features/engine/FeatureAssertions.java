package io.chainscore.features.engine;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.StandardFeatures;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** Compares feature rows value by value: NaN only where NaN, else within a relative tolerance. */
final class FeatureAssertions {
  /** Absolute slack for values that are mathematically zero (for example growth of equal sums). */
  static final double ABSOLUTE = 1e-12;

  private FeatureAssertions() {}

  static boolean close(double expected, double actual, double relative) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    double scale = Math.max(Math.abs(expected), Math.abs(actual));
    return Math.abs(expected - actual) <= relative * scale + ABSOLUTE;
  }

  /** Fails listing up to 20 mismatches of {@code actual} (row-major) against {@code expected}. */
  static void assertMatrixClose(String what, double[] expected, double[] actual, double relative) {
    FeatureSchema schema = StandardFeatures.SCHEMA;
    int width = schema.size();
    if (expected.length != actual.length) {
      fail(what + ": lengths differ " + expected.length + " vs " + actual.length);
    }
    List<String> bad = new ArrayList<>();
    int mismatches = 0;
    for (int i = 0; i < expected.length; i++) {
      if (!close(expected[i], actual[i], relative)) {
        mismatches++;
        if (bad.size() < 20) {
          bad.add("supplier " + (i / width) + " " + schema.feature(i % width).name()
              + ": expected " + expected[i] + " got " + actual[i]);
        }
      }
    }
    if (mismatches > 0) {
      fail(what + ": " + mismatches + " mismatches, first ones:\n" + String.join("\n", bad));
    }
  }
}
