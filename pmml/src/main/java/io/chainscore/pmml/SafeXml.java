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
    XMLStreamReader reader;
    Deque<Xml> stack = new ArrayDeque<>();
    Xml root = null;
    StringBuilder text = new StringBuilder();
    int elements = 0;
    try {
      reader = factory.createXMLStreamReader(counted);
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
