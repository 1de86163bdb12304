package io.chainscore.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public API of a compiled module as sorted text lines: one line per exported type and one per
 * public or protected member of it, read from the module's {@code module-info.class} (packages
 * exported to everyone; qualified exports are internal) and its class files by reflection.
 *
 * <p>The text is committed beside each module ({@code api/<module>.api}) and compared by the build,
 * the way Kotlin's binary-compatibility validator and Android's metalava guard a library's surface:
 * a removed or changed line is a break for embedders, an added line is new API; either must be
 * accepted deliberately by rewriting the file ({@code -Dapi.update=true}).
 */
public final class ApiSurface {
  private ApiSurface() {}

  /** The module descriptor of the classes compiled into {@code classes}. */
  public static ModuleDescriptor descriptor(Path classes) throws IOException {
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  /** The packages the module exports to every module, sorted. */
  public static List<String> publicPackages(ModuleDescriptor descriptor) {
    TreeSet<String> packages = new TreeSet<>();
    for (ModuleDescriptor.Exports export : descriptor.exports()) {
      if (!export.isQualified()) {
        packages.add(export.source());
      }
    }
    return new ArrayList<>(packages);
  }

  /** The public top-level and nested types of the exported packages, by binary name, sorted. */
  public static List<Class<?>> exportedTypes(Path classes, List<String> packages) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String pkg : packages) {
      Path dir = classes.resolve(pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
            .forEach(n -> names.add(pkg + "." + n.substring(0, n.length() - ".class".length())));
      }
    }
    List<Class<?>> types = new ArrayList<>();
    for (String name : names) {
      Class<?> type = load(name);
      if (isVisible(type)) {
        types.add(type);
      }
    }
    return types;
  }

  /** The surface as text lines: each type, then its visible constructors, methods and fields. */
  public static List<String> lines(List<Class<?>> types) {
    List<String> lines = new ArrayList<>();
    for (Class<?> type : types) {
      lines.add(typeLine(type));
      TreeSet<String> members = new TreeSet<>();
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c) && !c.isSynthetic()) {
          members.add("  " + c.toGenericString());
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
          members.add("  " + m.toGenericString());
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          members.add("  " + f.toGenericString());
        }
      }
      lines.addAll(members);
    }
    return lines;
  }

  private static String typeLine(Class<?> type) {
    StringBuilder line = new StringBuilder(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.STATIC));
    line.append(type.isRecord() ? " record " : type.isEnum() ? " enum " : type.isAnnotation() ? " @interface "
        : type.isInterface() ? " interface " : " class ");
    line.append(type.getName());
    if (type.getSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum() && !type.isRecord()) {
      line.append(" extends ").append(type.getGenericSuperclass().getTypeName());
    }
    TreeSet<String> interfaces = new TreeSet<>();
    for (var i : type.getGenericInterfaces()) {
      interfaces.add(i.getTypeName());
    }
    if (!interfaces.isEmpty()) {
      line.append(type.isInterface() ? " extends " : " implements ").append(String.join(", ", interfaces));
    }
    return line.toString().trim();
  }

  private static boolean isVisible(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      int m = t.getModifiers();
      if (!Modifier.isPublic(m) && !Modifier.isProtected(m)) {
        return false;
      }
    }
    return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
  }

  private static boolean visible(Member member) {
    int m = member.getModifiers();
    if (Modifier.isPublic(m)) {
      return true;
    }
    // protected members are API only where a subclass can exist
    return Modifier.isProtected(m) && !Modifier.isFinal(member.getDeclaringClass().getModifiers());
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSurface.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("compiled class " + name + " is not on the test class path", e);
    }
  }
}
