package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sign --out} naming a folder is refused before any work with the words every single-file
 * output uses (exit 2); until 2026-12-07 {@code --overwrite} let it through to the move of the
 * hidden signature file, which failed with "Is a directory", exit 1, and left that file beside it.
 */
class SignOutFolderTest {
  @TempDir Path dir;

  @Test
  void signOutAFolder_isRefused_andLeavesNothing() throws Exception {
    Path model = TestRuns.model(dir);
    CliRun keys = CliRun.of("keygen", "--out", dir.resolve("k").toString());
    assertThat(keys.code()).as(keys.err()).isZero();
    Path folder = Files.createDirectories(dir.resolve("sigs"));
    for (String[] more : new String[][] {{}, {"--overwrite"}}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sign", "--model", model.toString(),
          "--key", dir.resolve("k.key").toString(), "--out", folder.toString()));
      args.addAll(java.util.List.of(more));
      CliRun run = CliRun.of(args.toArray(new String[0]));
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore sign: " + folder + " is a directory; --out names the file to"
          + " write, e.g. " + folder.resolve("scorecard.json.sig"));
    }
    assertThat(folder).isEmptyDirectory();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("scorecard.json",
          "k.key", "k.pub", "sigs");
    }
  }
}
