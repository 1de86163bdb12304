package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one NAME=VALUE rule of --set, --scale, --monotone, --categories and --central-tendency. */
class NameValuesTest {
  @Test
  void itemsInOrder_splitAtTheFirstEquals_nothingTrimmed() {
    Map<String, String> m = NameValues.parse("--set", List.of("b= 2", "a=x=y", "c="), "FEATURE=VALUE");
    assertThat(m).containsExactly(Map.entry("b", " 2"), Map.entry("a", "x=y"), Map.entry("c", ""));
    assertThat(NameValues.parse("--set", null, "FEATURE=VALUE")).isNull();
    assertThat(NameValues.name("tenure=3")).isEqualTo("tenure");
    assertThat(NameValues.name("tenure")).isEmpty();
  }

  @Test
  void noName_orANameTwice_isRefusedNamingTheItem() {
    assertThatThrownBy(() -> NameValues.parse("--monotone", List.of("x=1", "y"), "FEATURE=+1|-1|0"))
        .hasMessage("--monotone y: expected FEATURE=+1|-1|0");
    assertThatThrownBy(() -> NameValues.parse("--monotone", List.of("=1"), "FEATURE=+1|-1|0"))
        .hasMessage("--monotone =1: expected FEATURE=+1|-1|0");
    assertThatThrownBy(() -> NameValues.parse("--scale", List.of("x=2", "y=1", "x=3"), "FEATURE=FACTOR"))
        .hasMessage("--scale x=3: x is given twice (also as x=2)");
  }
}
