package io.chainscore.batch.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Thrift compact-protocol structs, the encoding of Parquet's footer ({@code FileMetaData})
 * and page headers, into {@link Struct}s of field values by id. Integers of every width come out
 * as {@code Long}, binaries as {@code byte[]}, lists and sets as {@code List<Object>}, nested
 * structs as {@link Struct}; maps are skipped (Parquet's metadata has none this reader needs).
 *
 * <p>Reading past the end of the given range throws {@link Truncated}, which a caller that read
 * only part of a file (a page header of unknown length) catches to read more and decode again.
 *
 * <p>Thread safety: not thread-safe; one decoder per range.
 */
final class ThriftCompact {
  // the compact protocol's type ids (also written by ParquetWriter.Thrift)
  static final int BOOLEAN_TRUE = 1;
  static final int BOOLEAN_FALSE = 2;
  static final int BYTE = 3;
  static final int I16 = 4;
  static final int I32 = 5;
  static final int I64 = 6;
  static final int DOUBLE = 7;
  static final int BINARY = 8;
  static final int LIST = 9;
  static final int SET = 10;
  static final int MAP = 11;
  static final int STRUCT = 12;
  private static final int MAX_DEPTH = 32;
  /** Field ids kept; Parquet's structs use ids below this. Larger ids are skipped. */
  private static final int MAX_FIELD_ID = 32;

  /** The range ended in the middle of a value. */
  static final class Truncated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Truncated() {
      super("Thrift struct runs past the bytes read", null, false, false);
    }
  }

  /** A decoded struct: the values of the fields present, by field id. */
  static final class Struct {
    private final Object[] fields = new Object[MAX_FIELD_ID];

    boolean has(int id) {
      return fields[id] != null;
    }

    long getLong(int id, long absent) {
      Object v = fields[id];
      return v instanceof Long l ? l : absent;
    }

    int getInt(int id, int absent) {
      Object v = fields[id];
      return v instanceof Long l ? (int) (long) l : absent;
    }

    boolean getBoolean(int id, boolean absent) {
      Object v = fields[id];
      return v instanceof Boolean b ? b : absent;
    }

    String getString(int id) {
      Object v = fields[id];
      return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    Struct getStruct(int id) {
      Object v = fields[id];
      return v instanceof Struct s ? s : null;
    }

    @SuppressWarnings("unchecked")
    List<Object> getList(int id) {
      Object v = fields[id];
      return v instanceof List<?> l ? (List<Object>) l : List.of();
    }
  }

  private final byte[] in;
  private int pos;
  private final int limit;

  ThriftCompact(byte[] in, int offset, int limit) {
    this.in = in;
    this.pos = offset;
    this.limit = limit;
  }

  /** Where the next value starts: after {@link #readStruct()}, the end of the struct. */
  int position() {
    return pos;
  }

  /** Decodes the struct that starts at the current position. */
  Struct readStruct() {
    return readStruct(0);
  }

  private Struct readStruct(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("Thrift structs nested deeper than " + MAX_DEPTH);
    }
    Struct s = new Struct();
    int field = 0;
    while (true) {
      int header = nextByte();
      if (header == 0) {
        return s;
      }
      int type = header & 0x0f;
      int delta = header >>> 4;
      field = delta != 0 ? field + delta : zigzag32(varint());
      Object value = switch (type) {
        case BOOLEAN_TRUE -> Boolean.TRUE;
        case BOOLEAN_FALSE -> Boolean.FALSE;
        default -> read(type, depth);
      };
      if (field >= 0 && field < MAX_FIELD_ID) {
        s.fields[field] = value;
      }
    }
  }

  private Object read(int type, int depth) {
    return switch (type) {
      case BYTE -> (long) (byte) nextByte();
      case I16, I32, I64 -> zigzag64(varint());
      case DOUBLE -> {
        require(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
          bits |= (long) (in[pos + i] & 0xff) << (8 * i);
        }
        pos += 8;
        yield Double.longBitsToDouble(bits);
      }
      case BINARY -> {
        long length = varint();
        if (length < 0 || length > Integer.MAX_VALUE) {
          throw new IllegalStateException("Thrift binary of length " + length);
        }
        require((int) length);
        byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        yield b;
      }
      case LIST, SET -> {
        int head = nextByte();
        long count = head >>> 4 == 15 ? varint() : head >>> 4;
        int element = head & 0x0f;
        if (count < 0) {
          throw new IllegalStateException("Thrift list of " + count + " elements");
        }
        if (count > limit - pos) {
          throw new Truncated();   // every element takes at least one byte
        }
        List<Object> list = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
          list.add(element == BOOLEAN_TRUE || element == BOOLEAN_FALSE ? (Object) (nextByte() == 1)
              : read(element, depth + 1));
        }
        yield list;
      }
      case MAP -> {
        long count = varint();
        if (count > 0) {
          int kinds = nextByte();
          for (long i = 0; i < count; i++) {
            skipElement(kinds >>> 4, depth + 1);
            skipElement(kinds & 0x0f, depth + 1);
          }
        }
        yield null;
      }
      case STRUCT -> readStruct(depth + 1);
      default -> throw new IllegalStateException("unknown Thrift compact type " + type);
    };
  }

  private void skipElement(int type, int depth) {
    if (type == BOOLEAN_TRUE || type == BOOLEAN_FALSE) {
      nextByte();
    } else {
      read(type, depth);
    }
  }

  private void require(int bytes) {
    if (bytes > limit - pos) {
      throw new Truncated();
    }
  }

  private int nextByte() {
    if (pos >= limit) {
      throw new Truncated();
    }
    return in[pos++] & 0xff;
  }

  private long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = nextByte();
      result |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return result;
      }
    }
    throw new IllegalStateException("Thrift varint longer than 64 bits");
  }

  private static int zigzag32(long n) {
    return (int) (n >>> 1) ^ -(int) (n & 1);
  }

  private static long zigzag64(long n) {
    return (n >>> 1) ^ -(n & 1);
  }
}
