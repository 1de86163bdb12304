package io.chainscore.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: on a terminal a bar redrawn in place ({@code [=====>    ] 45% 1.2M/s ETA
 * 12s}), otherwise a plain line at most every five seconds so logs stay readable.
 */
final class Progress {
  private static final int BAR_WIDTH = 30;

  private final PrintWriter err;
  private final String what;
  private final long total;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastPrintNanos;
  private boolean finished;

  Progress(PrintWriter err, String what, long total) {
    this(err, what, total, System.console() != null);
  }

  Progress(PrintWriter err, String what, long total, boolean terminal) {
    this.err = err;
    this.what = what;
    this.total = total;
    this.terminal = terminal;
  }

  void update(long done) {
    if (finished) {
      return;
    }
    long now = System.nanoTime();
    long interval = terminal ? 200_000_000L : 5_000_000_000L;
    boolean last = total > 0 && done >= total;
    if (now - lastPrintNanos < interval && !last) {
      return;
    }
    lastPrintNanos = now;
    err.print(line(done, (now - startNanos) / 1e9));
    err.flush();
    finished = last;
  }

  /** Prints the final state of a run whose total was not known in advance. */
  void finish(long done) {
    if (!finished && total <= 0) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      String rate = human(done / Math.max(1e-9, seconds));
      err.print((terminal ? "\r" : "") + String.format(Locale.ROOT, "%s: %,d rows, %s/s, done%n", what, done, rate));
      err.flush();
      finished = true;
    }
  }

  /** The text printed for {@code done} units after {@code seconds}. */
  String line(long done, double seconds) {
    if (total <= 0) {
      double rate = done / Math.max(1e-9, seconds);
      return (terminal ? "\r" : "") + String.format(Locale.ROOT, "%s: %,d rows, %s/s%s", what, done, human(rate),
          terminal ? "" : System.lineSeparator());
    }
    double fraction = Math.min(1, (double) done / total);
    double rate = done / Math.max(1e-9, seconds);
    String eta = rate > 0 && done < total ? String.format(Locale.ROOT, "ETA %.0fs", (total - done) / rate) : "done";
    String counts = String.format(Locale.ROOT, "%,d/%,d %s/s %s", done, total, human(rate), eta);
    if (!terminal) {
      return String.format(Locale.ROOT, "%s: %.0f%% %s%n", what, 100 * fraction, counts);
    }
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    StringBuilder bar = new StringBuilder("\r").append(what).append(" [");
    for (int i = 0; i < BAR_WIDTH; i++) {
      bar.append(i < filled - 1 || (i == filled - 1 && filled == BAR_WIDTH) ? '=' : i == filled - 1 ? '>' : ' ');
    }
    bar.append(String.format(Locale.ROOT, "] %3.0f%% %s", 100 * fraction, counts));
    if (done >= total) {
      bar.append(System.lineSeparator());
    }
    return bar.toString();
  }

  private static String human(double rate) {
    if (rate >= 1e6) {
      return String.format(Locale.ROOT, "%.1fM", rate / 1e6);
    }
    if (rate >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", rate / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", rate);
  }
}
