package io.chainscore.scoring;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Strict, bounded JSON access with field paths: every accessor names the field it reads in the
 * {@link ModelFormatException} it throws, so a bad bundle is reported where it is wrong.
 */
final class Json {
  /** Largest accepted document, in bytes or characters. */
  static final long MAX_DOCUMENT_LENGTH = 64L * 1024 * 1024;
  /** Deepest accepted nesting of arrays and objects. */
  static final int MAX_NESTING_DEPTH = 64;
  /** Longest accepted string value or key. */
  static final int MAX_STRING_LENGTH = 1 << 20;
  /** Longest accepted number literal, in characters. */
  static final int MAX_NUMBER_LENGTH = 64;

  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  private static ObjectMapper newMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_STRING_LENGTH)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // FastDoubleParser (correctly rounded, like Double.parseDouble, several times faster):
            // a tree ensemble's bundle holds tens of thousands of decimals
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // a caller's stream is the caller's to close (a bundle may be one entry of a zip stream)
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    return mapper;
  }

  /**
   * Parses a whole document from a stream it leaves open; syntax errors, truncation and limit
   * violations name the position.
   *
   * @throws IOException when reading the stream fails (a broken connection or disk is no fault of
   *     the document's, and a caller may try again)
   */
  static JsonNode parse(InputStream in) throws ModelFormatException, IOException {
    try (JsonParser parser = MAPPER.createParser(in)) {
      return readRoot(parser);
    } catch (JsonProcessingException e) {
      throw asFormatError(e);
    }
  }

  static JsonNode parse(String text) throws ModelFormatException {
    if (text.length() > MAX_DOCUMENT_LENGTH) {
      throw new ModelFormatException("", "document longer than " + MAX_DOCUMENT_LENGTH + " characters");
    }
    // a byte-order mark before the document is no part of it, as Jackson's byte reader (read(Path),
    // read(InputStream)) leaves it aside: Files.readString of a file a Windows tool saved keeps it
    try (JsonParser parser = MAPPER.createParser(text.startsWith("\uFEFF") ? text.substring(1) : text)) {
      return readRoot(parser);
    } catch (IOException e) {
      throw asFormatError(e);
    }
  }

  private static JsonNode readRoot(JsonParser parser) throws IOException, ModelFormatException {
    JsonNode root = MAPPER.readTree(parser);
    if (root == null || root.isMissingNode()) {
      throw new ModelFormatException("", "empty document, expected a JSON object");
    }
    if (parser.nextToken() != null) {
      throw new ModelFormatException("", "trailing content after the JSON object");
    }
    return root;
  }

  private static ModelFormatException asFormatError(IOException e) {
    String field = "";
    String problem = e.getMessage();
    if (e instanceof JsonProcessingException jpe) {
      problem = io.chainscore.scoring.spi.JsonSyntax.problem(jpe);
      // where the parser was: for a document cut short, the member it ends in
      if (jpe.getProcessor() instanceof JsonParser p) {
        field = pointerToPath(p.getParsingContext().pathAsPointer().toString());
      }
    }
    return new ModelFormatException(field, "not a valid bundle document: " + problem, e);
  }

  /** Turns a JSON pointer such as {@code /model/bins/3} into {@code model.bins[3]}. */
  static String pointerToPath(String pointer) {
    if (pointer.isEmpty() || pointer.equals("/")) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.substring(1).split("/", -1)) {
      if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return sb.toString();
  }

  static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String at(String path, int index) {
    return path + "[" + index + "]";
  }

  static JsonNode object(JsonNode node, String path) throws ModelFormatException {
    if (node == null || !node.isObject()) {
      throw new ModelFormatException(path, "expected an object, got " + describe(node));
    }
    return node;
  }

  /** Refuses keys outside {@code allowed}, which catches typos that would otherwise be ignored. */
  static void onlyKeys(JsonNode obj, String path, Set<String> allowed) throws ModelFormatException {
    io.chainscore.scoring.spi.JsonFields.onlyKnown(obj, path, allowed);
  }

  static JsonNode required(JsonNode obj, String path, String key) throws ModelFormatException {
    JsonNode v = obj.get(key);
    if (v == null) {
      throw new ModelFormatException(at(path, key), "required field is missing");
    }
    return v;
  }

  static JsonNode array(JsonNode node, String path, int minSize, int maxSize)
      throws ModelFormatException {
    if (node == null || !node.isArray()) {
      throw new ModelFormatException(path, "expected an array, got " + describe(node));
    }
    if (node.size() < minSize || node.size() > maxSize) {
      throw new ModelFormatException(
          path, "expected between " + minSize + " and " + maxSize + " elements, got " + node.size());
    }
    return node;
  }

  static String text(JsonNode obj, String path, String key) throws ModelFormatException {
    return textValue(required(obj, path, key), at(path, key));
  }

  static String textValue(JsonNode v, String path) throws ModelFormatException {
    if (!v.isTextual()) {
      throw new ModelFormatException(path, "expected a string, got " + describe(v));
    }
    return v.textValue();
  }

  static String optText(JsonNode obj, String path, String key, String fallback)
      throws ModelFormatException {
    JsonNode v = obj.get(key);
    return v == null ? fallback : textValue(v, at(path, key));
  }

  static double number(JsonNode obj, String path, String key) throws ModelFormatException {
    return numberValue(required(obj, path, key), at(path, key));
  }

  static double optNumber(JsonNode obj, String path, String key, double fallback)
      throws ModelFormatException {
    JsonNode v = obj.get(key);
    return v == null ? fallback : numberValue(v, at(path, key));
  }

  /** A finite number; NaN and values that overflow to infinity are refused. */
  static double numberValue(JsonNode v, String path) throws ModelFormatException {
    if (v == null || !v.isNumber()) {
      throw new ModelFormatException(path, "expected a number, got " + describe(v));
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw new ModelFormatException(path, "expected a finite number, got " + v.asText());
    }
    return d;
  }

  /** A finite number, or {@code nullValue} when the field is JSON null (an open interval end). */
  static double numberOrNull(JsonNode v, String path, double nullValue) throws ModelFormatException {
    return v != null && v.isNull() ? nullValue : numberValue(v, path);
  }

  static int integer(JsonNode obj, String path, String key, int min, int max)
      throws ModelFormatException {
    JsonNode v = required(obj, path, key);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw new ModelFormatException(
          at(path, key), "expected an integer in [" + min + ", " + max + "], got " + describe(v));
    }
    return v.intValue();
  }

  static boolean bool(JsonNode obj, String path, String key, boolean fallback)
      throws ModelFormatException {
    JsonNode v = obj.get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ModelFormatException(at(path, key), "expected true or false, got " + describe(v));
    }
    return v.booleanValue();
  }

  /**
   * A bundle's text as a message quotes it: cut at 200 characters (its control characters are
   * escaped by {@link ModelFormatException} itself, with the rest of the message).
   */
  static String quoted(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    String kind = v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    String text = v.isContainerNode() ? "" : " " + v.toString();
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    return kind + text;
  }
}
