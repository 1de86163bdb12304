package io.chainscore.scoring.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * The one wording of a JSON syntax error in a model file (a bundle, an XGBoost model) for the
 * person who has to fix the file: what is wrong and where (line and column), without the parser's
 * internals (its source description, its option names in backquotes, the position of the object's
 * start marker).
 *
 * <p>Thread safety: stateless.
 */
public final class JsonSyntax {
  private JsonSyntax() {}

  /**
   * A new mapper for a file a person writes or edits (a stress scenario, a migration matrix, a bins
   * file, a master scale, a signature document): a key given twice and anything after the
   * document are refused, where Jackson by default keeps the last of two keys and ignores what
   * follows the first object, so a file that shows one value to a person could mean another. The
   * one such configuration (the bundles' reader adds its limits to the same two settings).
   */
  public static com.fasterxml.jackson.databind.ObjectMapper strictMapper() {
    return new com.fasterxml.jackson.databind.ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * The problem of {@code e} as one phrase with its position, such as {@code "the document ends
   * early, inside an object (cut short?) (line 1, column 23893)"}.
   */
  public static String problem(JsonProcessingException e) {
    String problem;
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof JsonEOFException) {
      // Jackson: "Unexpected end-of-input: expected close marker for Object (start marker at [...])"
      problem = "the document ends early" + (original.contains("for Object") ? ", inside an object"
          : original.contains("for Array") ? ", inside an array" : "") + " (cut short?)";
    } else if (original.startsWith("Trailing token")) {
      problem = "trailing content after the JSON object";
    } else if (original.startsWith("Non-standard token")) {
      // Jackson: "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
      java.util.regex.Matcher token = java.util.regex.Pattern.compile("'([^']*)'").matcher(original);
      problem = (token.find() ? token.group(1) : "this token") + " is not a JSON number (JSON has no NaN or"
          + " infinity; a missing value is null)";
    } else {
      problem = original.replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "")
          .replaceAll("\\s*\\(bound as `[^`]*`\\)", "").replaceAll(": not allowed as per `[^`]*`", "")
          .replace('`', '\'');
    }
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      problem += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
    return problem;
  }
}
