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
}
