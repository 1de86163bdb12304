package io.chainscore.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit of a run that is not a batch job ({@code features}, {@code monitor}, {@code ecl}). */
class FileSetCommitTest {
  @TempDir Path dir;

  /**
   * A rename that fails (a folder where a file goes) said "pass --resume to finish it", an option
   * the commands committing this way do not have: the way out is --overwrite, which discards the
   * journalled commit and runs again; the next run without it is refused saying so.
   */
  @Test
  void aRenameThatFails_namesTheWayOutTheCommandHas() throws IOException {
    Path out = dir.resolve("f.csv");
    Path blocked = Files.createDirectories(out);
    Files.writeString(blocked.resolve("inside.txt"), "kept");
    FileSetCommit commit = FileSetCommit.begin(out, false);
    Files.writeString(commit.stage(out), "table");
    Files.writeString(commit.stage(dir.resolve("f.csv.manifest.json")), "manifest");
    assertThatThrownBy(commit::commit).isInstanceOf(IOException.class)
        .hasMessageStartingWith(blocked + ": could not be written (")
        .hasMessageEndingWith("; the run's files are ready and its commit is journalled in f.csv.commit.json:"
            + " remove the cause and pass --overwrite to run it again")
        .message().doesNotContain("--resume");
    assertThat(Files.readString(blocked.resolve("inside.txt"))).isEqualTo("kept");

    assertThatThrownBy(() -> FileSetCommit.begin(out, false)).isInstanceOf(ResumeException.class)
        .hasMessage("an interrupted run of " + out + " stopped while committing its files (f.csv.commit.json);"
            + " pass --overwrite to start again");
    Files.delete(blocked.resolve("inside.txt"));
    Files.delete(blocked);
    FileSetCommit again = FileSetCommit.begin(out, true);
    assertThat(RunCommit.journalPath(out)).doesNotExist();
    assertThat(RunCommit.stagedPath(blocked)).doesNotExist();
    Files.writeString(again.stage(out), "table 2");
    again.commit();
    assertThat(Files.readString(out)).isEqualTo("table 2");
  }
  /**
   * demo commits its feature table alone, so the commit's last move (its seal) is a table, not a
   * manifest, and another run's manifest that lists that table is retired. The commit deleted the
   * seal's target before the retired manifests, so a run killed between the two (kill -9 of {@code
   * demo --out d} over a {@code features --out d/features.arrow} run: seen twice in a loop) left
   * {@code features.arrow.manifest.json} vouching for a {@code features.arrow} no longer there.
   * Here the process stops between the two as a retired entry the commit cannot delete (a folder
   * with a file in it, listed first) stops it: the table must still be there with its manifest.
   */
  @Test
  void aCommitStoppedBeforeItsRenames_leavesNoManifestVouchingForAFileItDeleted() throws IOException {
    Path table = Files.writeString(dir.resolve("features.arrow"), "the features run's table");
    Path manifest = Files.writeString(dir.resolve("features.arrow.manifest.json"), "lists features.arrow");
    Path stuck = Files.createDirectories(dir.resolve("stuck.json"));
    Files.writeString(stuck.resolve("inside.txt"), "kept");
    Path staged = Files.writeString(RunCommit.stagedPath(table), "demo's table");
    Path journal = RunCommit.journalPath(table);
    new com.fasterxml.jackson.databind.ObjectMapper().writeValue(journal.toFile(), new RunCommit.Journal(1,
        java.util.List.of(new RunCommit.Move(staged.toString(), table.toString())), java.util.List.of(), new long[0],
        null, java.util.List.of(stuck.toString(), manifest.toString())));

    assertThatThrownBy(() -> RunCommit.finish(journal, null, table)).isInstanceOf(IOException.class);
    assertThat(manifest).exists();
    assertThat(table).as("listed by a manifest still there").exists();
    assertThat(Files.readString(table)).isEqualTo("the features run's table");
  }
  /**
   * A folder where the run's manifest (the seal, renamed last) goes failed before the renames, when
   * the commit deletes an old seal, as "PATH: DirectoryNotEmptyException" (exit 1 from {@code score}
   * and {@code features}, after the work), not as the failed rename it is; an EMPTY folder there
   * was deleted without a word ({@code deleteIfExists} removes one) and the manifest took its place.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "with a file in it: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void aFolderWhereTheSealGoes_isNamedAsAFileThatCouldNotBeWritten(boolean withAFile) throws IOException {
    Path out = dir.resolve("f.csv");
    Path blocked = Files.createDirectories(dir.resolve("f.csv.manifest.json"));
    if (withAFile) {
      Files.writeString(blocked.resolve("inside.txt"), "kept");
    }
    FileSetCommit commit = FileSetCommit.begin(out, false);
    Files.writeString(commit.stage(out), "table");
    Files.writeString(commit.stage(blocked), "manifest");
    assertThatThrownBy(commit::commit).isInstanceOf(IOException.class)
        .hasMessage(blocked + ": could not be written (a folder is in its place); the run's files are ready and its"
            + " commit is journalled in f.csv.commit.json: remove the cause and pass --overwrite to run it again");
    assertThat(blocked).isDirectory();
    assertThat(out).as("nothing renamed").doesNotExist();
  }

  /** An empty folder where a table goes: a {@code REPLACE_EXISTING} rename replaced it without a word. */
  @Test
  void anEmptyFolderWhereATableGoes_isRefusedAtItsRename() throws IOException {
    Path out = dir.resolve("f.csv");
    Path blocked = Files.createDirectories(dir.resolve("f.quarantine.csv"));
    FileSetCommit commit = FileSetCommit.begin(out, false);
    Files.writeString(commit.stage(out), "table");
    Files.writeString(commit.stage(blocked), "quarantine");
    Files.writeString(commit.stage(dir.resolve("f.csv.manifest.json")), "manifest");
    assertThatThrownBy(commit::commit).isInstanceOf(IOException.class)
        .hasMessageStartingWith(blocked + ": could not be written (a folder is in its place);");
    assertThat(blocked).isDirectory();
    assertThat(Files.readString(out)).as("renamed before it").isEqualTo("table");
    assertThat(dir.resolve("f.csv.manifest.json")).as("the seal, last, not renamed").doesNotExist();
  }
}
