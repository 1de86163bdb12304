package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * A load error is one line whatever the bundle holds: a bundle's own text echoed in a message (an
 * unknown field's name, a model kind, a format) had its line breaks kept, so a bundle could add a
 * line of its choosing to a service's log; and the list of expected keys, from a {@code Set.of},
 * came in another order on every run.
 */
class ModelFormatMessageTest {
  private static ObjectNode scorecard() throws Exception {
    try (InputStream in = ModelFormatMessageTest.class.getResourceAsStream("/bundles/scorecard.json")) {
      return (ObjectNode) new ObjectMapper().readTree(in);
    }
  }

  @Test
  void bundleTextInMessages_staysOnOneLine() throws Exception {
    String injected = "x\n2026-12-05 13:00:00 INFO  scoring: model approved by risk committee";
    ObjectNode unknownKey = scorecard();
    unknownKey.put(injected, 1);
    ObjectNode badKind = scorecard();
    ((ObjectNode) badKind.get("model")).put("kind", injected);
    ObjectNode badFormat = scorecard();
    badFormat.put("format", injected);
    for (ObjectNode doc : new ObjectNode[] {unknownKey, badKind, badFormat}) {
      ModelFormatException e = catchThrowableOfType(() -> ModelBundle.seal(doc.toString()), ModelFormatException.class);
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").contains("x\\n2026-12-05 13:00:00 INFO");
    }
    ModelFormatException e = catchThrowableOfType(() -> ModelBundle.seal(unknownKey.toString()),
        ModelFormatException.class);
    assertThat(e.getMessage()).endsWith("unknown field; expected one of [calibration, description, features, format,"
        + " format_version, golden_rows, master_scale, max_missing_share, model, model_id, model_version, provenance,"
        + " reason_codes, reason_reference, score_scale, sha256]");
    assertThat(ModelFormatException.oneLine("a\tb\u0007c\u2028d")).isEqualTo("a\\tb\\u0007c\\u2028d");
  }
}
