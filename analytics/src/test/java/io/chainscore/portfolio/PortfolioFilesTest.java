package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The scenario file. The table inputs (exposures, scores, anchor PDs) are read by risk-batch's
 * {@code PortfolioInputs} and tested there ({@code PortfolioInputsTest}).
 */
class PortfolioFilesTest {
  @Test
  void readScenario_unknownField_isNamedWithTheFile() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "portfolio-files-test"));
    Path scenario = dir.resolve("scenario.json");
    Files.writeString(scenario, "{\"name\": \"bad\", \"oops\": 1}");
    assertThatThrownBy(() -> PortfolioFiles.readScenario(scenario))
        .hasMessageContaining("scenario.json: stress scenario: unknown field 'oops'");
  }
}
