package io.chainscore.pmml;

import io.chainscore.scoring.ModelFormatException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a PMML document into an {@link Xml} tree with the JDK's streaming parser, refusing what a
 * hostile file could use against the reader before it costs time or memory: any DOCTYPE (so no
 * entity can be declared: no XXE, no billion laughs), more than {@link #MAX_BYTES} bytes, nesting
 * deeper than {@link #MAX_DEPTH}, more than {@link #MAX_ELEMENTS} elements, more than {@link
 * #MAX_ATTRIBUTES} attributes on an element and text longer than {@link #MAX_TEXT} characters in
 * one element. Every limit is checked as the parser streams, so a refusal comes after reading at
 * most the bytes up to the offending construct.
 */
final class SafeXml {
  /** Largest document read, in bytes (64 MiB: a 1,000-tree ensemble of depth 8 is about 40 MB). */
  static final long MAX_BYTES = 64L << 20;
  /** Deepest element nesting (trees are at most 256 deep, plus the few elements around them). */
  static final int MAX_DEPTH = 300;
  /** Most elements in a document. */
  static final int MAX_ELEMENTS = 1_000_000;
  /** Most attributes on one element. */
  static final int MAX_ATTRIBUTES = 64;
  /** Longest text content of one element, in characters. */
  static final int MAX_TEXT = 1 << 20;

  private SafeXml() {}

  /**
   * Parses {@code in} (not closed), naming {@code source} in every message (null: the caller names
   * the file).
   *
   * @throws ModelFormatException naming the line and what was refused
   */
  static Xml parse(InputStream in, String source) throws ModelFormatException, IOException {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    setIfSupported(factory, "jdk.xml.elementAttributeLimit", Integer.toString(MAX_ATTRIBUTES + 1));
    setIfSupported(factory, "jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH + 1));
    setIfSupported(factory, "jdk.xml.entityExpansionLimit", "1");
    CountingStream counted = new CountingStream(in, source);
    Decoded decoded = decode(counted);
    XMLStreamReader reader;
    Deque<Xml> stack = new ArrayDeque<>();
    Xml root = null;
    StringBuilder text = new StringBuilder();
    int elements = 0;
    try {
      reader = decoded.text == null ? factory.createXMLStreamReader(decoded.bytes)
          : factory.createXMLStreamReader(decoded.text);
      while (reader.hasNext()) {
        int event = reader.next();
        int line = line(reader.getLocation());
        switch (event) {
          case XMLStreamConstants.DTD -> throw new ModelFormatException(at(source, line, "DOCTYPE"),
              "a DOCTYPE is not allowed in PMML read by ChainScore (no DTDs, no entities)");
          case XMLStreamConstants.ENTITY_REFERENCE -> throw new ModelFormatException(at(source, line, "&"
              + reader.getLocalName() + ";"), "entity references are not allowed");
          case XMLStreamConstants.START_ELEMENT -> {
            if (++elements > MAX_ELEMENTS) {
              throw new ModelFormatException(at(source, line, reader.getLocalName()),
                  "more than " + MAX_ELEMENTS + " elements");
            }
            if (stack.size() >= MAX_DEPTH) {
              throw new ModelFormatException(at(source, line, reader.getLocalName()),
                  "elements nested deeper than " + MAX_DEPTH);
            }
            int attributes = reader.getAttributeCount();
            if (attributes > MAX_ATTRIBUTES) {
              throw new ModelFormatException(at(source, line, reader.getLocalName()),
                  attributes + " attributes, more than " + MAX_ATTRIBUTES);
            }
            String ns = reader.getNamespaceURI();
            // PMML lets an Extension hold any content (JPMML's converters put InlineTables of their
            // own namespace there); everywhere else a foreign element is refused
            boolean inExtension = stack.stream().anyMatch(x -> x.name.equals("Extension"));
            if (ns != null && !ns.isEmpty() && !ns.startsWith("http://www.dmg.org/PMML-4_") && !inExtension) {
              throw new ModelFormatException(at(source, line, reader.getLocalName()),
                  "element in namespace " + ns + "; expected PMML 4.x (http://www.dmg.org/PMML-4_4)");
            }
            Xml e = new Xml(reader.getLocalName());
            e.line = line;
            for (int a = 0; a < attributes; a++) {
              String prefix = reader.getAttributePrefix(a);
              String name = reader.getAttributeLocalName(a);
              e.attr(prefix == null || prefix.isEmpty() ? name : prefix + ":" + name, reader.getAttributeValue(a));
            }
            if (stack.isEmpty()) {
              root = e;
            } else {
              stack.peek().children.add(e);
            }
            stack.push(e);
            text.setLength(0);
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (text.length() + reader.getTextLength() > MAX_TEXT) {
              throw new ModelFormatException(at(source, line, stack.isEmpty() ? "text" : stack.peek().name),
                  "text longer than " + MAX_TEXT + " characters");
            }
            text.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
          }
          case XMLStreamConstants.END_ELEMENT -> {
            Xml e = stack.pop();
            if (e.children.isEmpty()) {
              e.text = text.toString().strip();
            }
            text.setLength(0);
          }
          default -> {
            // comments, processing instructions, document start and end
          }
        }
      }
      reader.close();
    } catch (XMLStreamException e) {
      if (e.getNestedException() instanceof java.nio.charset.CharacterCodingException) {
        throw notText(source, decoded);
      }
      String message = e.getMessage() == null ? "malformed XML" : e.getMessage();
      int line = e.getLocation() == null ? 0 : line(e.getLocation());
      // the JDK's own limits (attributes, depth, entities) end up here too
      if (message.contains("DOCTYPE") || message.contains("DTD")) {
        throw new ModelFormatException(at(source, line, "DOCTYPE"),
            "a DOCTYPE is not allowed in PMML read by ChainScore (no DTDs, no entities)");
      }
      String detail = message.replaceAll("\\s+", " ").replaceFirst("^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\] Message: ", "");
      if (detail.startsWith("JAXP0")) {
        // one of the JDK parser's own limits (attributes per element, depth, entities)
        throw new ModelFormatException(at(source, line, "XML"), "refused at a parser limit: "
            + detail.replaceFirst("^JAXP\\d+: ", ""));
      }
      throw new ModelFormatException(at(source, line, "XML"), "not well-formed XML: " + detail);
    } catch (LimitException e) {
      throw new ModelFormatException(source, e.getMessage());
    }
    if (root == null) {
      throw new ModelFormatException(source, "no XML element; expected a PMML document");
    }
    return root;
  }

  /**
   * The document as characters, or as bytes when its encoding is not one this side can decode.
   * {@code text} counts the lines it has delivered (for the line of a refusal).
   */
  private record Decoded(InputStream bytes, LineCountingReader text, String charset) {}

  /**
   * Decodes the document strictly in the encoding its byte order mark or XML declaration names
   * (UTF-8 without either). The JDK parser reports a byte sequence invalid in its encoding through
   * its default error handler, which prints "[Fatal Error] ..." on stderr before it throws (a StAX
   * factory takes no error handler); decoding here makes such a document one refusal, one line.
   */
  private static Decoded decode(InputStream in) throws IOException {
    java.io.BufferedInputStream b = new java.io.BufferedInputStream(in, 8192);
    b.mark(1024);
    byte[] head = b.readNBytes(1024);
    b.reset();
    int n = head.length;
    String charset;
    if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
      b.skipNBytes(3);
      charset = "UTF-8";
    } else if (n >= 2 && ((head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF
        || (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE)) {
      charset = "UTF-16";
    } else if (n >= 2 && (head[0] == 0 || head[1] == 0)) {
      return new Decoded(b, null, null); // UTF-16 or UCS-4 without a mark: the parser's detection
    } else {
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']")
          .matcher(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
      charset = m.find() ? m.group(1) : "UTF-8";
    }
    java.nio.charset.Charset cs;
    try {
      cs = java.nio.charset.Charset.forName(charset);
    } catch (IllegalArgumentException unknown) {
      return new Decoded(b, null, null); // the parser names the encoding it cannot read
    }
    java.nio.charset.CharsetDecoder decoder = cs.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    return new Decoded(null, new LineCountingReader(b, decoder), cs.name());
  }

  private static ModelFormatException notText(String source, Decoded decoded) {
    return new ModelFormatException(at(source, decoded.text.line(), "XML"), "not " + decoded.charset + " text: a byte"
        + " sequence that is not " + decoded.charset + " (the encoding the document declares, UTF-8 by default);"
        + " expected a PMML XML document (a compressed or binary file is not one)");
  }

  /**
   * A strict decoding reader that counts the line breaks it delivers. Unlike InputStreamReader, it
   * delivers every character before an invalid byte sequence and throws at the next read, so the
   * line of a refusal is the sequence's own.
   */
  private static final class LineCountingReader extends java.io.Reader {
    private final InputStream in;
    private final java.nio.charset.CharsetDecoder decoder;
    private final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8192).flip();
    private boolean end;
    private java.nio.charset.CoderResult error;
    private int newlines;

    LineCountingReader(InputStream in, java.nio.charset.CharsetDecoder decoder) {
      this.in = in;
      this.decoder = decoder;
    }

    /** The line of the next character. */
    int line() {
      return newlines + 1;
    }

    @Override
    public int read(char[] buffer, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      java.nio.CharBuffer out = java.nio.CharBuffer.wrap(buffer, off, len);
      while (out.position() == off) {
        if (error != null) {
          error.throwException();
        }
        if (!bytes.hasRemaining() && end) {
          if (decoder.flush(out).isOverflow() || out.position() > off) {
            break;
          }
          return -1;
        }
        if (!end) {
          bytes.compact();
          int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
          if (n < 0) {
            end = true;
          } else {
            bytes.position(bytes.position() + n);
          }
          bytes.flip();
        }
        java.nio.charset.CoderResult r = decoder.decode(bytes, out, end);
        if (r.isError()) {
          error = r; // thrown once the characters before it are delivered
        }
      }
      int n = out.position() - off;
      for (int i = off; i < off + n; i++) {
        if (buffer[i] == '\n') {
          newlines++;
        }
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static void setIfSupported(XMLInputFactory factory, String name, String value) {
    try {
      factory.setProperty(name, value);
    } catch (IllegalArgumentException unsupported) {
      // an older JDK: the limits above are checked here anyway
    }
  }

  private static int line(Location location) {
    return location == null ? 0 : location.getLineNumber();
  }

  static String at(String source, int line, String what) {
    String where = line > 0 ? "line " + line + ", " + what : what;
    return source == null ? where : source + ", " + where;
  }

  /** Thrown (unchecked, through the parser) when the stream passes {@link #MAX_BYTES}. */
  private static final class LimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitException(String message) {
      super(message, null, false, false);
    }
  }

  /** Counts bytes and stops at {@link #MAX_BYTES}. */
  private static final class CountingStream extends FilterInputStream {
    private long count;
    private final String source;

    CountingStream(InputStream in, String source) {
      super(in);
      this.source = source;
    }

    private void add(long n) {
      if (n > 0) {
        count += n;
        if (count > MAX_BYTES) {
          throw new LimitException("larger than the PMML size limit of " + MAX_BYTES + " bytes (" + (MAX_BYTES >> 20)
              + " MiB)");
        }
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      add(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      add(n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      add(s);
      return s;
    }
  }
}
