package io.chainscore.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process {@code chainscore} call in a test: its exit code and what it printed. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  /**
   * The set-up of many command tests: {@code generate} a portfolio of {@code suppliers} (seed, format)
   * into {@code portfolio}, then its {@code features} at 2025-06-30 into {@code features}; each
   * command must exit 0.
   */
  static void portfolioWithFeatures(java.nio.file.Path portfolio, java.nio.file.Path features, int suppliers,
      long seed, String format) {
    CliRun gen = of("generate", "--suppliers", Integer.toString(suppliers), "--seed", Long.toString(seed), "--format",
        format, "--threads", "2", "--quiet", "--out", portfolio.toString());
    org.assertj.core.api.Assertions.assertThat(gen.code()).as(gen.err()).isZero();
    CliRun f = of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--quiet", "--out",
        features.toString());
    org.assertj.core.api.Assertions.assertThat(f.code()).as(f.err()).isZero();
  }
}
