package io.chainscore.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a line rewritten in place on a terminal, plain lines at most every few
 * seconds otherwise (logs stay readable).
 */
final class Progress {
  private final PrintWriter err;
  private final String what;
  private final long total;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastPrintNanos;

  Progress(PrintWriter err, String what, long total) {
    this.err = err;
    this.what = what;
    this.total = total;
    this.terminal = System.console() != null;
  }

  void update(long done) {
    long now = System.nanoTime();
    long interval = terminal ? 200_000_000L : 5_000_000_000L;
    if (now - lastPrintNanos < interval && done < total) {
      return;
    }
    lastPrintNanos = now;
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    double eta = rate > 0 ? (total - done) / rate : Double.NaN;
    String line = String.format(Locale.ROOT, "%s: %,d / %,d (%.0f%%), %,.0f/s, ETA %.0fs",
        what, done, total, 100.0 * done / total, rate, eta);
    if (terminal) {
      err.print("\r" + line + (done >= total ? "\n" : ""));
    } else {
      err.println(line);
    }
    err.flush();
  }
}
