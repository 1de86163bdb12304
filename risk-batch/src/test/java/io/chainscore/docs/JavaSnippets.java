package io.chainscore.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Java snippets of the documentation, compiled and run by the suite (README "Every documented
 * command is tested"). Every {@code ```java} block of a Markdown file must follow a hidden marker,
 * an HTML comment that declares what the fragment needs and what to do with it:
 *
 * <pre>
 * &lt;!-- java-snippet: run; result r; module risk-spark; prints io.example.Main
 * import io.chainscore.scoring.*;
 * given double[] row = new double[39];
 * member static void log(Object... values) {}
 * --&gt;
 * </pre>
 *
 * <p>Options on the first line, separated by {@code ;}: {@code run} (run it, not only compile
 * it), {@code result NAME} (the local variable the run returns, for the test to check), {@code
 * module NAME} (compiled by that module's doc test, whose class path has what it uses; the others
 * skip it), {@code prints CLASS} (the "It prints" block after the snippet is what {@code CLASS}'s
 * {@code run(PrintStream)} prints). Following lines: imports, {@code given} statements run before
 * the fragment (the free variables it assumes), {@code member} declarations of the wrapping class.
 * Imports may also lead the block itself, where a reader sees them.
 * The fragment becomes the body of {@code public static Object run()} of its own class, compiled
 * with the JDK's compiler against the test class path; a compile error is reported with the
 * Markdown file and line of the fragment.
 */
public final class JavaSnippets {
  private JavaSnippets() {}

  /** The clone's root: the first folder above the working directory holding README.md and the launcher. */
  public static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("chainscore")))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("README.md and the chainscore launcher not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** The Markdown files whose Java blocks the suite compiles: README.md, docs/*.md and every module's README.md. */
  public static List<Snippet> documented() throws IOException {
    Path root = repositoryRoot();
    List<String> names = new ArrayList<>();
    names.add("README.md");
    try (var docs = Files.list(root.resolve("docs"))) {
      docs.map(p -> "docs/" + p.getFileName()).filter(n -> n.endsWith(".md")).sorted().forEach(names::add);
    }
    try (var modules = Files.list(root)) {
      modules.filter(p -> Files.exists(p.resolve("pom.xml")) && Files.exists(p.resolve("README.md")))
          .map(p -> p.getFileName() + "/README.md").sorted().forEach(names::add);
    }
    List<Snippet> all = new ArrayList<>();
    for (String name : names) {
      all.addAll(extract(root.resolve(name), name));
    }
    return all;
  }

  /** One fenced Java block and its marker. */
  public record Snippet(String file, int fenceLine, List<String> code, boolean run, String result, String module,
      String prints, List<String> imports, List<String> given, List<String> members) {
    /** {@code README.md line 146}: where the fence opens. */
    public String where() {
      return file + " line " + fenceLine;
    }

    String className() {
      return "Snippet_" + file.replaceAll("[^A-Za-z0-9]", "_") + "_" + fenceLine;
    }
  }

  /** A snippet without a marker, or with a marker that cannot be read. */
  public static final class MarkerException extends RuntimeException {
    MarkerException(String message) {
      super(message);
    }
  }

  /**
   * The Java blocks of {@code markdown}, named in messages by {@code name} (its path from the
   * repository root).
   *
   * @throws MarkerException naming the line of a block that has no marker right above it
   */
  public static List<Snippet> extract(Path markdown, String name) throws IOException {
    List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
    List<Snippet> out = new ArrayList<>();
    List<String> marker = null;
    int markerEnd = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("<!-- java-snippet")) {
        marker = new ArrayList<>();
        marker.add(line.substring("<!-- java-snippet".length()));
        while (!lines.get(i).contains("-->")) {
          i++;
          if (i == lines.size()) {
            throw new MarkerException(name + ": a java-snippet marker is not closed with -->");
          }
          marker.add(lines.get(i).strip());
        }
        String last = marker.remove(marker.size() - 1);
        marker.add(last.substring(0, last.indexOf("-->")).strip());
        markerEnd = i;
        continue;
      }
      if (line.equals("```java")) {
        int fence = i + 1;
        int indent = lines.get(i).indexOf('`');
        int previous = i - 1;
        while (previous >= 0 && lines.get(previous).isBlank()) {
          previous--;
        }
        if (marker == null || previous != markerEnd) {
          throw new MarkerException(name + " line " + fence + ": a java block without a <!-- java-snippet ... -->"
              + " marker right above it (README \"Every documented command is tested\")");
        }
        List<String> code = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
          String l = lines.get(i);
          code.add(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.strip());
        }
        out.add(parse(name, fence, code, marker));
        marker = null;
      }
    }
    return out;
  }

  private static Snippet parse(String file, int fence, List<String> code, List<String> marker) {
    boolean run = false;
    String result = null;
    String module = null;
    String prints = null;
    String options = marker.get(0).strip();
    if (options.startsWith(":")) {
      options = options.substring(1);
    }
    for (String option : options.split(";")) {
      String o = option.strip();
      if (o.isEmpty()) {
        continue;
      }
      String[] words = o.split("\\s+", 2);
      switch (words[0]) {
        case "run" -> run = true;
        case "compile" -> run = false;
        case "result" -> result = words[1].strip();
        case "module" -> module = words[1].strip();
        case "prints" -> prints = words[1].strip();
        default -> throw new MarkerException(file + " line " + fence + ": unknown java-snippet option '" + o + "'");
      }
    }
    List<String> imports = new ArrayList<>();
    List<String> given = new ArrayList<>();
    List<String> members = new ArrayList<>();
    for (String line : marker.subList(1, marker.size())) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("import ")) {
        imports.add(line);
      } else if (line.startsWith("given ")) {
        given.add(line.substring("given ".length()));
      } else if (line.startsWith("member ")) {
        members.add(line.substring("member ".length()));
      } else {
        throw new MarkerException(file + " line " + fence + ": java-snippet marker line '" + line
            + "' is not an import, a 'given' statement or a 'member' declaration");
      }
    }
    // imports shown in the block itself (so that a reader copying it gets them) lead the block;
    // each becomes an import of the unit and a blank line of the body, keeping the lines' numbers
    List<String> body = new ArrayList<>(code);
    for (int k = 0; k < body.size() && (body.get(k).isBlank() || body.get(k).startsWith("import ")); k++) {
      if (body.get(k).startsWith("import ")) {
        imports.add(body.get(k).strip());
        body.set(k, "");
      }
    }
    return new Snippet(file, fence, List.copyOf(body), run, result, module, prints, imports, given, members);
  }

  /** The compilation unit of a snippet, and the source line of its first fragment line. */
  private record Unit(Snippet snippet, String source, int codeStart) {}

  private static Unit unit(Snippet s) {
    StringBuilder b = new StringBuilder();
    int line = 1;
    for (String i : s.imports()) {
      b.append(i).append('\n');
      line++;
    }
    b.append("public class ").append(s.className()).append(" {\n");
    line++;
    for (String m : s.members()) {
      b.append("  ").append(m).append('\n');
      line++;
    }
    b.append("  public static Object run() throws Throwable {\n");
    line++;
    for (String g : s.given()) {
      b.append("    ").append(g).append('\n');
      line++;
    }
    int codeStart = line;
    for (String c : s.code()) {
      b.append("    ").append(c).append('\n');
    }
    b.append("    return ").append(s.result() == null ? "null" : s.result()).append(";\n  }\n}\n");
    return new Unit(s, b.toString(), codeStart);
  }

  /** Compiled snippets, loadable and runnable. */
  public static final class Compiled {
    private final ClassLoader loader;

    private Compiled(ClassLoader loader) {
      this.loader = loader;
    }

    /**
     * Runs a snippet's fragment and returns its {@code result} variable (null without one);
     * what it prints to {@code System.out} goes to {@code printed}.
     */
    public Object run(Snippet s, OutputStream printed) throws Throwable {
      PrintStream saved = System.out;
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        return loader.loadClass(s.className()).getMethod("run").invoke(null);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        System.setOut(saved);
      }
    }
  }

  /**
   * Compiles every snippet against the class path of this JVM.
   *
   * @return the compiled classes, or throws an {@link AssertionError} listing every error with the
   *     Markdown file and line of the fragment line at fault
   */
  public static Compiled compile(List<Snippet> snippets) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this runtime (a JRE, not a JDK?)");
    }
    Map<String, Unit> units = new HashMap<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (Snippet s : snippets) {
      Unit u = unit(s);
      units.put(s.className(), u);
      sources.add(new SimpleJavaFileObject(URI.create("string:///" + s.className() + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return u.source();
        }
      });
    }
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
          @Override
          public OutputStream openOutputStream() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classes.put(className, bytes);
            return bytes;
          }
        };
      }
    };
    List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none", "-nowarn",
        "-encoding", "UTF-8");
    boolean ok = javac.getTask(null, memory, diagnostics, options, null, sources).call();
    if (!ok) {
      StringBuilder errors = new StringBuilder("documentation Java snippets do not compile:");
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) {
          continue;
        }
        String name = d.getSource() == null ? "?" : d.getSource().getName().replaceAll(".*/|\\.java$", "");
        Unit u = units.get(name);
        String where;
        if (u == null) {
          where = name;
        } else if (d.getLineNumber() >= u.codeStart()) {
          where = u.snippet().file() + " line " + (u.snippet().fenceLine() + 1 + d.getLineNumber() - u.codeStart());
        } else {
          where = u.snippet().where() + " (its java-snippet marker)";
        }
        errors.append("\n  ").append(where).append(": ").append(d.getMessage(Locale.ROOT).replace('\n', ' '));
      }
      throw new AssertionError(errors.toString());
    }
    ClassLoader loader = new ClassLoader(JavaSnippets.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        ByteArrayOutputStream bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] b = bytes.toByteArray();
        return defineClass(name, b, 0, b.length);
      }
    };
    return new Compiled(loader);
  }

  /**
   * The lines of the indented block that follows "It prints" after {@code s} in its file, without
   * their indentation; empty when the file shows no output for it.
   */
  public static List<String> printedAfter(Path markdown, Snippet s) throws IOException {
    List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
    int i = s.fenceLine() + s.code().size() + 1;   // the closing fence, 0-based index of the line after it
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    List<String> printed = new ArrayList<>();
    if (i >= lines.size() || !lines.get(i).startsWith("It prints")) {
      return printed;
    }
    for (i++; i < lines.size() && lines.get(i).isBlank(); i++) {
      // the blank line before the block
    }
    for (; i < lines.size() && lines.get(i).startsWith("    "); i++) {
      printed.add(lines.get(i).substring(4));
    }
    return printed;
  }
}
