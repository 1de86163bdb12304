package io.chainscore.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * A shell's word splitting of one documented command line, for the tests that run the docs'
 * commands as written (the README's {@code ./chainscore} lines, the Spark job's recipes): words
 * are separated by whitespace, single or double quotes group (and are removed; no escapes inside
 * them), and an unquoted {@code #} at the start of a word begins a comment.
 */
public final class ShellWords {
  private ShellWords() {}

  /** The words of {@code line}. */
  public static List<String> of(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '#' && !inWord) {
        break;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
