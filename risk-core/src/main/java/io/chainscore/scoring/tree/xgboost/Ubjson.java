package io.chainscore.scoring.tree.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.scoring.ModelFormatException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses Universal Binary JSON (UBJSON draft 12, the format of XGBoost's {@code .ubj} models) into
 * the same Jackson tree the JSON reader walks, so both formats share one interpretation.
 *
 * <p>Values map as follows: {@code i U I l L} to integer nodes, {@code d} (float32) to a float node
 * and {@code D} (float64) to a double node (both carried exactly), {@code H} to a decimal node,
 * {@code S C} to text, {@code T F Z} to booleans and null; optimised containers ({@code $} type and
 * {@code #} count) are expanded. All multi-byte numbers are big-endian.
 *
 * <p>Hostile input is bounded: nesting at most {@link #MAX_DEPTH}, every declared count or length
 * must fit in the bytes that remain (so nothing is allocated beyond the input's size), typed
 * containers of zero-byte types are refused, duplicate keys and trailing bytes are refused. Every
 * failure is a {@link ModelFormatException} naming the JSON path being read and the byte offset.
 *
 * <p>Thread safety: one instance per parse; not shared.
 */
final class Ubjson {
  /** Deepest nesting of containers accepted (XGBoost models nest about 8 deep). */
  static final int MAX_DEPTH = 64;

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final byte[] in;
  private int pos;
  private int depth;
  /** Path segments of the containers being read: a String key or an Integer index per level. */
  private final Object[] path = new Object[MAX_DEPTH + 1];

  private Ubjson(byte[] in) {
    this.in = in;
  }

  /** Whether {@code bytes} look like a UBJSON object rather than JSON text. */
  static boolean looksLikeUbjson(byte[] bytes) {
    // A JSON object continues with whitespace, '"' or '}'; a UBJSON one with a key-length marker
    // or an optimised-container marker.
    return bytes.length >= 2 && bytes[0] == '{' && "iUIlL$#N".indexOf(bytes[1]) >= 0;
  }

  /** Parses one UBJSON value that spans all of {@code bytes}. */
  static JsonNode parse(byte[] bytes) throws ModelFormatException {
    Ubjson parser = new Ubjson(bytes);
    JsonNode root = parser.value(parser.marker());
    if (parser.pos != bytes.length) {
      throw parser.error((bytes.length - parser.pos) + " bytes after the end of the top-level value");
    }
    return root;
  }

  private JsonNode value(byte marker) throws ModelFormatException {
    switch (marker) {
      case '{':
        return object();
      case '[':
        return array();
      case 'Z':
        return NODES.nullNode();
      case 'T':
        return NODES.booleanNode(true);
      case 'F':
        return NODES.booleanNode(false);
      case 'i':
        return NODES.numberNode(take(1).get());
      case 'U':
        return NODES.numberNode(take(1).get() & 0xFF);
      case 'I':
        return NODES.numberNode(take(2).getShort());
      case 'l':
        return NODES.numberNode(take(4).getInt());
      case 'L':
        return NODES.numberNode(take(8).getLong());
      case 'd':
        return NODES.numberNode(take(4).getFloat());
      case 'D':
        return NODES.numberNode(take(8).getDouble());
      case 'H': {
        String text = string(length());
        try {
          if (text.length() > 400) {
            throw new NumberFormatException();
          }
          return NODES.numberNode(new BigDecimal(text));
        } catch (NumberFormatException e) {
          throw error("high-precision number '" + shorten(text) + "' is not a decimal number");
        }
      }
      case 'C':
        return NODES.textNode(String.valueOf((char) (take(1).get() & 0xFF)));
      case 'S':
        return NODES.textNode(string(length()));
      default:
        pos--;
        throw error("unknown value marker " + describe(marker));
    }
  }

  /** A container's optional type ('$', 0 when absent) and count ('#', -1 when absent). */
  private record Header(byte type, long count) {}

  private Header header(String container) throws ModelFormatException {
    byte type = 0;
    long count = -1;
    byte next = marker();
    if (next == '$') {
      type = typedMarker();
      next = marker();
      if (next != '#') {
        pos--;
        throw error("a typed " + container + " needs a count ('#') after its type");
      }
    }
    if (next == '#') {
      count = count(type);
    } else {
      pos--;
    }
    return new Header(type, count);
  }

  /**
   * In a container without a count: skips no-op markers ('N'), then whether the closing marker
   * {@code close} comes next (and is consumed).
   */
  private boolean closes(char close) throws ModelFormatException {
    while (peek() == 'N') {
      pos++;
    }
    if (peek() == close) {
      pos++;
      return true;
    }
    return false;
  }

  private ObjectNode object() throws ModelFormatException {
    enter();
    ObjectNode node = NODES.objectNode();
    Header header = header("object");
    byte type = header.type();
    long count = header.count();
    for (long i = 0; count >= 0 ? i < count : !closes('}'); i++) {
      int keyAt = pos;
      path[depth] = null;
      String key = string(length());
      path[depth] = key;
      if (node.has(key)) {
        pos = keyAt;
        throw error("key '" + shorten(key) + "' appears twice");
      }
      node.set(key, value(type != 0 ? type : marker()));
    }
    depth--;
    return node;
  }

  private ArrayNode array() throws ModelFormatException {
    enter();
    ArrayNode node = NODES.arrayNode();
    Header header = header("array");
    byte type = header.type();
    long count = header.count();
    for (int i = 0; count >= 0 ? i < count : !closes(']'); i++) {
      path[depth] = i;
      node.add(value(type != 0 ? type : marker()));
    }
    depth--;
    return node;
  }

  private void enter() throws ModelFormatException {
    if (depth == MAX_DEPTH) {
      throw error("containers nested deeper than " + MAX_DEPTH + " levels");
    }
    depth++;
    path[depth] = null;
  }

  private byte typedMarker() throws ModelFormatException {
    byte type = marker();
    if (elementSize(type) == 0) {
      pos--;
      throw error("typed container of " + describe(type)
          + " is not supported (only numbers, strings and containers)");
    }
    return type;
  }

  /**
   * Smallest number of bytes one element of {@code type} occupies, 0 for types without a payload
   * and for markers that cannot be a container type.
   */
  private static int elementSize(byte type) {
    return switch (type) {
      case 'i', 'U', 'C' -> 1;
      case 'I' -> 2;
      case 'l', 'd' -> 4;
      case 'L', 'D' -> 8;
      case 'S', 'H' -> 2; // length marker and one length byte
      case '[', '{' -> 1;
      default -> 0;
    };
  }

  /** Reads a container count and checks that its elements can fit in the remaining bytes. */
  private long count(byte type) throws ModelFormatException {
    int at = pos;
    long n = integer();
    long perElement = type == 0 ? 1 : elementSize(type);
    int remain = in.length - pos;
    if (n < 0 || n > remain / perElement) {
      pos = at;
      throw error("count " + n + " does not fit in the " + remain + " bytes that remain (truncated or corrupt)");
    }
    return n;
  }

  /** Reads a string length (an integer with its own marker) and checks it fits in the input. */
  private int length() throws ModelFormatException {
    int at = pos;
    long n = integer();
    int remain = in.length - pos;
    if (n < 0 || n > remain) {
      pos = at;
      throw error("length " + n + " does not fit in the " + remain + " bytes that remain (truncated or corrupt)");
    }
    return (int) n;
  }

  private long integer() throws ModelFormatException {
    byte m = marker();
    return switch (m) {
      case 'i' -> take(1).get();
      case 'U' -> take(1).get() & 0xFF;
      case 'I' -> take(2).getShort();
      case 'l' -> take(4).getInt();
      case 'L' -> take(8).getLong();
      default -> {
        pos--;
        throw error("expected an integer marker (i, U, I, l, L) for a length or count, got " + describe(m));
      }
    };
  }

  private String string(int length) throws ModelFormatException {
    ByteBuffer bytes = take(length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      pos -= length;
      throw error("string of " + length + " bytes is not valid UTF-8");
    }
  }

  private byte marker() throws ModelFormatException {
    return take(1).get();
  }

  private byte peek() throws ModelFormatException {
    if (pos >= in.length) {
      throw error("truncated: the input ends inside a container");
    }
    return in[pos];
  }

  private ByteBuffer take(int n) throws ModelFormatException {
    if (n > in.length - pos) {
      throw error("truncated: " + n + " bytes needed, " + (in.length - pos) + " remain");
    }
    ByteBuffer b = ByteBuffer.wrap(in, pos, n); // big-endian by default, as UBJSON
    pos += n;
    return b;
  }

  private ModelFormatException error(String problem) {
    StringBuilder field = new StringBuilder();
    for (int i = 1; i <= depth && i < path.length; i++) {
      Object p = path[i];
      if (p instanceof String key) {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(key);
      } else if (p instanceof Integer index) {
        field.append('[').append(index).append(']');
      }
    }
    return new ModelFormatException(field.toString(), "UBJSON at byte offset " + pos + ": " + problem);
  }

  private static String describe(byte marker) {
    return marker >= 0x20 && marker < 0x7F ? "'" + (char) marker + "'" : String.format("0x%02x", marker & 0xFF);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
