package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threads} of the batch commands: 0 (one per core) or 1 to 1,024; a negative count was
 * taken silently and 100,000 ran out of memory blaming the number of suppliers.
 */
class ThreadOptionTest {
  @TempDir Path dir;

  @Test
  void threadCountsOutOfRange_areRefusedBeforeAnyWork() {
    String[][] commands = {
      {"generate", "--suppliers", "10", "--out", dir.resolve("p").toString()},
      {"features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-06-30", "--out",
          dir.resolve("f.csv").toString()},
      {"score", "--features", dir.resolve("f.csv").toString(), "--as-of", "2025-06-30", "--out",
          dir.resolve("s.csv").toString()},
      {"portfolio", "--scores", dir.resolve("s.csv").toString(), "--exposures", dir.resolve("e.csv").toString(),
          "--out", dir.resolve("r").toString()},
    };
    for (String[] command : commands) {
      for (String threads : new String[] {"-1", "100000"}) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 2);
        args[command.length] = "--threads";
        args[command.length + 1] = threads;
        CliRun run = CliRun.of(args);
        assertThat(run.code()).as(command[0] + " " + threads).isEqualTo(2);
        assertThat(run.err()).as(command[0]).startsWith("chainscore: --threads: expected 0 (one per core) or 1 to 1024,"
            + " got " + threads + "\nRun 'chainscore " + command[0] + " --help' for usage.");
      }
    }
    assertThat(dir.resolve("p")).doesNotExist();
  }
}
