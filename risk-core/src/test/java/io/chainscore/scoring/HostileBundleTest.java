package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile bundles: each fixture in {@code bundles/hostile/} (listed with the field and
 * message it must produce in {@code cases.tsv}) is refused with a {@link ModelFormatException}
 * naming the field. Fixtures in mode {@code seal} have their hash recomputed first, as an attacker
 * or a buggy trainer could, so that the checks behind the hash are exercised.
 */
class HostileBundleTest {
  static Stream<Arguments> fixtures() {
    List<Arguments> cases = new ArrayList<>();
    for (String line : TestBundles.text("hostile/cases.tsv").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t", -1);
      cases.add(Arguments.of(parts[0], parts[1], parts[2], parts[3]));
    }
    assertThat(cases).hasSizeGreaterThan(30);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void load_hostileFixtureIsRefusedNamingTheField(String file, String mode, String field, String fragment) {
    String text = TestBundles.text("hostile/" + file);
    assertThatThrownBy(() -> {
      if (mode.equals("seal")) {
        ModelBundle.seal(text);
      } else {
        ModelBundle.fromJson(text);
      }
    })
        .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(fragment);
  }

  /**
   * Names the runtime hands to its callers (model id and version, a grade, a reason code) carry no
   * control characters: a sealed bundle whose id held a line break loaded, and its id could add a
   * line to a service's log.
   */
  @Test
  void seal_controlCharactersInNamesAreRefusedNamingTheField() {
    java.util.Map<String, java.util.function.Consumer<ObjectNode>> edits = new java.util.LinkedHashMap<>();
    edits.put("model_id", t -> t.put("model_id", "evil\nINFO forged line"));
    edits.put("model_version", t -> t.put("model_version", "1.0\u0007"));
    edits.put("master_scale.grades[0].grade", t -> ((ObjectNode) t.get("master_scale").get("grades").get(0))
        .put("grade", "A\r"));
    edits.put("reason_codes[0].code", t -> ((ObjectNode) t.get("reason_codes").get(0)).put("code", "R\t1"));
    edits.forEach((field, edit) -> {
      ObjectNode root = TestBundles.tree("scorecard.json");
      edit.accept(root);
      assertThatThrownBy(() -> TestBundles.seal(root, false)).as(field).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(field + ": must not contain control characters")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
    });
  }

  @Test
  void seal_nestingTenThousandDeepIsRefused() {
    String deep = "{\"format\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThatThrownBy(() -> ModelBundle.seal(deep))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void seal_tooManyCharacteristicsIsRefused() {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ArrayNode characteristics = (ArrayNode) root.get("model").get("characteristics");
    ObjectNode template = (ObjectNode) characteristics.get(0);
    for (int i = 0; i < 2_000; i++) {
      characteristics.add(template.deepCopy().put("name", "c" + i));
    }
    assertThatThrownBy(() -> TestBundles.seal(root, false))
        .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo("model.characteristics"))
        .hasMessageContaining("between 1 and 1000");
  }

  @Test
  void seal_hundredThousandBinsIsRefused() {
    StringBuilder bins = new StringBuilder("[");
    for (int i = 0; i < 100_000; i++) {
      bins.append(i == 0 ? "" : ",").append("{\"range\":[null,null],\"points\":1}");
    }
    bins.append(']');
    ObjectNode root = TestBundles.tree("scorecard.json");
    ((ObjectNode) root.get("model").get("characteristics").get(0)).putRawValue("bins",
        new com.fasterxml.jackson.databind.util.RawValue(bins.toString()));
    assertThatThrownBy(() -> ModelBundle.seal(root.toString()))
        .isInstanceOfSatisfying(ModelFormatException.class,
            e -> assertThat(e.field()).isEqualTo("model.characteristics[0].bins"))
        .hasMessageContaining("between 1 and 1000");
  }

  @Test
  void read_endlessStreamStopsAtTheDocumentLimit() {
    InputStream endless = new InputStream() {
      private long position;

      @Override
      public int read() {
        return position++ == 0 ? '{' : ' ';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
          b[off + i] = (byte) read();
        }
        return len;
      }
    };
    assertThatThrownBy(() -> ModelBundle.read(endless))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("Document length");
  }

  @Test
  void seal_hugeStringIsRefused() {
    String huge = "{\"format\": \"" + "x".repeat(2 << 20) + "\"}";
    assertThatThrownBy(() -> ModelBundle.seal(huge))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("String value length");
  }
}
