package io.chainscore.cli;

import io.chainscore.scoring.spi.ResultJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code --json} machine output of the commands: one indented JSON object on stdout, written by
 * {@link ResultJson} (snake_case names, record order, map keys sorted), so the same run prints the
 * same bytes in every JVM.
 */
final class JsonOutput {
  private JsonOutput() {}

  /** An ordered map for building the object. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  static void print(PrintWriter out, Object value) {
    out.print(ResultJson.toJson(value));
    out.flush();
  }
}
