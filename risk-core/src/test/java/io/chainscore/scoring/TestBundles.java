package io.chainscore.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the example bundles of test resources and derives edited variants. */
final class TestBundles {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private TestBundles() {}

  static String text(String resource) {
    try (InputStream in = TestBundles.class.getResourceAsStream("/bundles/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource bundles/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(String resource) {
    try {
      return (ObjectNode) MAPPER.readTree(text(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModelBundle load(String resource) {
    try {
      return ModelBundle.fromJson(text(resource));
    } catch (ModelFormatException e) {
      throw new AssertionError("example bundle " + resource + " does not load: " + e.getMessage(), e);
    }
  }

  /** Seals an edited tree; golden rows are dropped unless {@code keepGolden}. */
  static ModelBundle seal(JsonNode root, boolean keepGolden) throws ModelFormatException {
    ObjectNode copy = ((ObjectNode) root).deepCopy();
    if (!keepGolden) {
      copy.putArray("golden_rows");
    }
    return ModelBundle.seal(copy.toString());
  }
}
