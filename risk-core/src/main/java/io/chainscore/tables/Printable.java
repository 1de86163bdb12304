package io.chainscore.tables;

/**
 * Text as a one-line message may show it: a value quoted from a file or a bundle may hold line
 * breaks and control characters, which must neither break a log line nor reach a terminal raw.
 * The one rule for every message of the tool (bundle errors, bad rows, corrupt files, the command
 * line's last line of defence).
 *
 * <p>Thread safety: static functions of their arguments.
 */
public final class Printable {
  private Printable() {}

  /**
   * {@code text} with line breaks and tabs shown as {@code \n}, {@code \r} and {@code \t}, and every
   * other control character, and the Unicode line and paragraph separators, as {@code \}{@code
   * uXXXX}; the text itself when it has none.
   */
  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (control && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (!control) {
          out.append(c);
        } else if (c == '\n') {
          out.append("\\n");
        } else if (c == '\r') {
          out.append("\\r");
        } else if (c == '\t') {
          out.append("\\t");
        } else {
          out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
