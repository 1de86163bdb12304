package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecl --out} and {@code monitor --out} are folders: a file there is refused saying so, as
 * {@code validate} and {@code portfolio} refuse it. Until 2026-12-07 the line was "FILE already
 * exists", with and without {@code --overwrite}, which could not help.
 */
class FolderOutputsTest {
  @TempDir Path dir;

  @Test
  void eclAndMonitorOut_aFile_isRefusedAsNotAFolder() throws Exception {
    Path file = Files.writeString(dir.resolve("out.txt"), "x\n");
    Path scores = Files.writeString(dir.resolve("s.csv"), "supplier_id,as_of_date,pd,grade\nS1,2025-06-30,0.01,3\n");
    Path exposures = Files.writeString(dir.resolve("x.csv"), "supplier_id,anchor_id,sector,drawn,anchor_sales_share\n"
        + "S1,A1,textiles,1000,0.5\n");
    for (String overwrite : new String[] {null, "--overwrite"}) {
      java.util.List<String> ecl = new java.util.ArrayList<>(java.util.List.of("ecl", "--scores", scores.toString(),
          "--exposures", exposures.toString(), "--origination", scores.toString(), "--out", file.toString()));
      java.util.List<String> monitor = new java.util.ArrayList<>(java.util.List.of("monitor", "--runs",
          dir.toString(), "--out", file.toString()));
      if (overwrite != null) {
        ecl.add(overwrite);
        monitor.add(overwrite);
      }
      for (java.util.List<String> args : java.util.List.of(ecl, monitor)) {
        CliRun run = CliRun.of(args.toArray(new String[0]));
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("chainscore " + args.get(0) + ": --out " + file
            + ": is a file; expected a directory");
      }
    }
    assertThat(Files.readString(file)).isEqualTo("x\n");
  }

  /**
   * A folder whose parent exists but whose file system makes no folders (Linux's {@code /proc}
   * answers mkdir with "no such file"): one line saying the folder cannot be written and why,
   * exit 2. Until 2026-12-07 {@code generate} printed "no such file: /proc/x", as if /proc were
   * missing.
   */
  @Test
  void generateOut_whereTheFileSystemMakesNoFolders_saysSo() {
    CliRun run = CliRun.of("generate", "--suppliers", "5", "--out", "/proc/chainscore-test-out", "--quiet");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore generate: /proc/chainscore-test-out: cannot be written: "
        + "the file system of /proc refuses new folders (\"no such file\")");
  }
}
