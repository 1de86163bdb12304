package io.chainscore.scoring.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.scoring.ModelFormatException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one refusal of a field a bundle section does not define (a typo must not be ignored
 * silently, docs/model-bundle.md), for the bundle's own sections and every model kind's.
 *
 * <p>Thread safety: stateless.
 */
public final class JsonFields {
  private JsonFields() {}

  /**
   * Refuses the first field of object {@code obj} (at {@code path}, "" at the top) not in {@code
   * allowed}, naming it ({@code model.trees.zzz}) and the fields allowed, sorted.
   */
  public static void onlyKnown(JsonNode obj, String path, Set<String> allowed) throws ModelFormatException {
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        // sorted: a Set.of's order changes from run to run, and so would the message
        throw new ModelFormatException(path.isEmpty() ? name : path + "." + name,
            "unknown field; expected one of " + new TreeSet<>(allowed));
      }
    }
  }
}
