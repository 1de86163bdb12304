package io.chainscore.pmml;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal XML element tree: what {@link PmmlExport} writes (deterministically: attributes in the
 * order they were added, two-space indentation, '\n' line ends) and what {@link SafeXml} reads.
 */
final class Xml {
  final String name;
  final List<String[]> attributes = new ArrayList<>();
  final List<Xml> children = new ArrayList<>();
  /** Character content (only for text-only elements such as {@code Array}); never null. */
  String text = "";
  /** Line of the start tag in the source file, 0 for a written element. */
  int line;

  Xml(String name) {
    this.name = name;
  }

  Xml attr(String key, String value) {
    attributes.add(new String[] {key, value});
    return this;
  }

  Xml attr(String key, double value) {
    return attr(key, Numbers.format(value));
  }

  Xml attr(String key, long value) {
    return attr(key, Long.toString(value));
  }

  Xml add(String childName) {
    Xml child = new Xml(childName);
    children.add(child);
    return child;
  }

  Xml add(Xml child) {
    children.add(child);
    return child;
  }

  Xml text(String value) {
    this.text = value;
    return this;
  }

  /** The attribute's value, or null when absent. */
  String get(String key) {
    for (String[] a : attributes) {
      if (a[0].equals(key)) {
        return a[1];
      }
    }
    return null;
  }

  /** Children named {@code childName}, in document order. */
  List<Xml> all(String childName) {
    List<Xml> out = new ArrayList<>();
    for (Xml c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The first child named {@code childName}, or null. */
  Xml first(String childName) {
    for (Xml c : children) {
      if (c.name.equals(childName)) {
        return c;
      }
    }
    return null;
  }

  void write(StringBuilder out, int indent) {
    out.append("  ".repeat(indent)).append('<').append(name);
    for (String[] a : attributes) {
      out.append(' ').append(a[0]).append("=\"");
      escape(out, a[1], true);
      out.append('"');
    }
    if (children.isEmpty() && text.isEmpty()) {
      out.append("/>\n");
      return;
    }
    out.append('>');
    if (children.isEmpty()) {
      escape(out, text, false);
      out.append("</").append(name).append(">\n");
      return;
    }
    out.append('\n');
    for (Xml c : children) {
      c.write(out, indent + 1);
    }
    out.append("  ".repeat(indent)).append("</").append(name).append(">\n");
  }

  private static void escape(StringBuilder out, String s, boolean attribute) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\r' -> out.append("&#13;");
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        default -> out.append(c);
      }
    }
  }
}
