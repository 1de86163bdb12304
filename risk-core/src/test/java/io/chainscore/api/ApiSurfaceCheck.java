package io.chainscore.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Compares a module's API surface ({@link ApiSurface}) with the text committed in {@code
 * api/<module>.api}, or rewrites that file when the build runs with {@code -Dapi.update=true}.
 */
public final class ApiSurfaceCheck {
  private ApiSurfaceCheck() {}

  /** The outcome: the surface, and the lines removed from and added to the committed text. */
  public record Result(List<String> surface, List<String> removed, List<String> added, long exportedTypes) {
    /** A message for a failed check, naming every changed line. */
    public String message(Path apiFile) {
      StringBuilder text = new StringBuilder("the public API differs from " + apiFile
          + " (a removed or changed line breaks embedders; if the change is intended, rerun with"
          + " -Dapi.update=true and commit the file)");
      removed.forEach(l -> text.append("\n- ").append(l));
      added.forEach(l -> text.append("\n+ ").append(l));
      return text.toString();
    }
  }

  /** Checks (or with {@code -Dapi.update=true} rewrites) {@code apiFile} against {@code classes}. */
  public static Result check(Path classes, Path apiFile) throws IOException {
    var descriptor = ApiSurface.descriptor(classes);
    var types = ApiSurface.exportedTypes(classes, ApiSurface.publicPackages(descriptor));
    List<String> surface = ApiSurface.lines(types);
    long exportedTypes = types.stream().filter(t -> t.getDeclaringClass() == null).count();
    if (Boolean.getBoolean("api.update") || !Files.exists(apiFile)) {
      Files.createDirectories(apiFile.getParent());
      Files.write(apiFile, surface, StandardCharsets.UTF_8);
      if (!Boolean.getBoolean("api.update")) {
        // a missing file is written once so a new module can start, but that run still fails
        return new Result(surface, List.of(), surface, exportedTypes);
      }
    }
    List<String> committed = Files.readAllLines(apiFile, StandardCharsets.UTF_8);
    return new Result(surface, minus(committed, surface), minus(surface, committed), exportedTypes);
  }

  private static List<String> minus(List<String> a, List<String> b) {
    LinkedHashSet<String> rest = new LinkedHashSet<>(a);
    rest.removeAll(new LinkedHashSet<>(b));
    return new ArrayList<>(rest);
  }
}
