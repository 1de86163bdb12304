package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder given as {@code document --out} or {@code bins --out} is refused suggesting a file of
 * the kind the command writes; until 2026-12-07 both suggested {@code FOLDER/model.json}, the
 * example of {@code train}.
 */
class OutputFolderExampleTest {
  @TempDir Path dir;

  @Test
  void documentAndBins_suggestTheirOwnFile() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("out"));
    Path data = Files.writeString(dir.resolve("d.csv"), "x,t\n1,0\n2,1\n");
    CliRun document = CliRun.of("document", "--data", data.toString(), "--target", "t", "--out", folder.toString());
    assertThat(document.code()).as(document.err()).isEqualTo(2);
    assertThat(document.err().strip()).isEqualTo("chainscore document: " + folder + " is a directory; --out names the"
        + " file to write, e.g. " + folder.resolve("document.html"));
    CliRun bins = CliRun.of("bins", "--data", data.toString(), "--target", "t", "--out", folder.toString());
    assertThat(bins.code()).as(bins.err()).isEqualTo(2);
    assertThat(bins.err().strip()).isEqualTo("chainscore bins: " + folder + " is a directory; --out names the"
        + " file to write, e.g. " + folder.resolve("bins.json"));
  }
}
