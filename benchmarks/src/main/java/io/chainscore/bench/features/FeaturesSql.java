package io.chainscore.bench.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The standard features in DuckDB SQL over tables {@code suppliers}, {@code invoices} and {@code
 * instalments}: the very query that {@code DuckDbFeaturesTest} (risk-core tests) checks against the
 * engine on every supplier and feature, read from risk-core's test jar, so the benchmark measures
 * the same work.
 */
final class FeaturesSql {
  private static final String RESOURCE = "/io/chainscore/features/standard-features.duckdb.sql";

  private FeaturesSql() {}

  /** The features of docs/features.md in SQL; {@code d} is the as-of epoch day. */
  static String featuresSql(long d) {
    try (InputStream in = FeaturesSql.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path (risk-core's test jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(":asof", "(" + d + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
