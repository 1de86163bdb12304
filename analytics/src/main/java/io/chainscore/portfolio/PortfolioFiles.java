package io.chainscore.portfolio;

import io.chainscore.scoring.spi.ResultJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File formats of the portfolio command that are not tables: the scenario JSON and the JSON
 * output ({@code portfolio.html} is the reports module's). The table inputs (exposures, scores,
 * anchor PDs, in CSV, Arrow IPC or Parquet) are read by the batch engine's {@code
 * io.chainscore.batch.io.PortfolioInputs}, through the one table reader of the tool, in the
 * layouts of {@code io.chainscore.tables.PortfolioTables}; docs/portfolio-risk.md documents them.
 *
 * <p>Thread safety: stateless; all methods are thread safe.
 */
public final class PortfolioFiles {
  private PortfolioFiles() {}

  /** Reads a stress scenario JSON file. */
  public static StressScenario readScenario(Path file) {
    try {
      return StressScenario.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      // the JDK's message is the path alone: "cannot read scenario X: X" said nothing
      throw new UncheckedIOException("cannot read scenario " + file + ": no such file", e);
    } catch (java.nio.file.FileSystemException e) {
      throw new UncheckedIOException("cannot read scenario " + file + ": "
          + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The report as indented JSON ({@link ResultJson}: snake_case names in record order). */
  public static String toJson(PortfolioReport report) {
    return ResultJson.toJson(report);
  }

  /** Writes the report as JSON to {@code file}. */
  public static void writeJson(PortfolioReport report, Path file) {
    write(file, toJson(report));
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
