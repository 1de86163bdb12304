package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's commit of its outputs as one set, on Hadoop's local file system, without Spark: a
 * rerun replaces the scores, deletes the old manifest before the first rename and an earlier
 * run's quarantine it does not write, writes the manifest last; a fault during the commit leaves
 * no manifest and, after {@link OutputCommit#abort}, none of its temporary names; an earlier
 * run's temporary names are deleted by the next.
 */
class OutputCommitTest {
  @TempDir
  Path dir;

  @AfterEach
  void noFault() {
    OutputCommit.afterFirstRename = null;
  }

  private FileSystem fs() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }

  private org.apache.hadoop.fs.Path h(String name) {
    return new org.apache.hadoop.fs.Path("file:" + dir.resolve(name));
  }

  /** An earlier run's complete set: scores, both quarantines and its manifest. */
  private void earlierRun() throws IOException {
    for (String d : new String[] {"s.parquet", "s.parquet.quarantine", "s.parquet.quarantine-transactions"}) {
      Files.createDirectories(dir.resolve(d));
      Files.writeString(dir.resolve(d).resolve("part-0"), "old");
    }
    Files.writeString(dir.resolve("s.parquet.manifest.json"), "{\"run\":\"old\"}");
  }

  /** Stages {@code target} with one part file holding {@code content}. */
  private void staged(OutputCommit commit, String target, String content) throws IOException {
    org.apache.hadoop.fs.Path temp = commit.stage(fs(), h(target));
    Files.createDirectories(Path.of(temp.toUri()));
    Files.writeString(Path.of(temp.toUri()).resolve("part-0"), content);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void rerunWithoutRefusedScores_replacesTheSet_andDeletesTheStaleQuarantine() throws IOException {
    earlierRun();
    OutputCommit commit = new OutputCommit();
    staged(commit, "s.parquet", "new");
    staged(commit, "s.parquet.quarantine-transactions", "new");
    commit.commit(fs(), h("s.parquet.manifest.json"), "{\"run\":\"new\"}".getBytes(), fs(),
        List.of(h("s.parquet.quarantine-transactions"), h("s.parquet.quarantine")));
    assertThat(names()).containsExactly("s.parquet", "s.parquet.manifest.json", "s.parquet.quarantine-transactions");
    assertThat(Files.readString(dir.resolve("s.parquet/part-0"))).isEqualTo("new");
    assertThat(Files.readString(dir.resolve("s.parquet.quarantine-transactions/part-0"))).isEqualTo("new");
    assertThat(Files.readString(dir.resolve("s.parquet.manifest.json"))).isEqualTo("{\"run\":\"new\"}");
  }

  @Test
  void faultAfterTheFirstRename_leavesNoManifest_andResumeFinishesTheCommit() throws IOException {
    earlierRun();
    OutputCommit commit = new OutputCommit();
    staged(commit, "s.parquet", "new");
    staged(commit, "s.parquet.quarantine-transactions", "new");
    OutputCommit.afterFirstRename = () -> {
      throw new IllegalStateException("killed");
    };
    assertThatThrownBy(() -> commit.commit(fs(), h("s.parquet.manifest.json"), "{\"run\":\"new\"}".getBytes(), fs(),
        List.of(h("s.parquet.quarantine-transactions"), h("s.parquet.quarantine")))).hasMessage("killed");
    commit.abort();   // the journal is written: the staged files stay for --resume
    OutputCommit.afterFirstRename = null;
    // the old manifest is gone before the first rename: none vouches for new scores beside old
    // quarantines; the earlier run's score quarantine, which this run does not write, is gone too
    List<String> stopped = names();
    assertThat(stopped).contains("s.parquet", ".s.parquet.manifest.json.commit-journal")
        .doesNotContain("s.parquet.manifest.json", "s.parquet.quarantine");
    assertThat(stopped.stream().filter(n -> n.startsWith(".s.parquet.quarantine-transactions.tmp-"))).hasSize(1);
    assertThat(stopped.stream().filter(n -> n.startsWith(".s.parquet.manifest.json.tmp-"))).hasSize(1);
    assertThat(Files.readString(dir.resolve("s.parquet/part-0"))).isEqualTo("new");
    assertThat(OutputCommit.journalledManifest(new Configuration(), h("s.parquet.manifest.json")))
        .isEqualTo("{\"run\":\"new\"}".getBytes());

    byte[] manifest = OutputCommit.resume(new Configuration(), h("s.parquet.manifest.json"));
    assertThat(manifest).isEqualTo("{\"run\":\"new\"}".getBytes());
    assertThat(names()).containsExactly("s.parquet", "s.parquet.manifest.json", "s.parquet.quarantine-transactions");
    assertThat(Files.readString(dir.resolve("s.parquet.quarantine-transactions/part-0"))).isEqualTo("new");
    assertThat(Files.readString(dir.resolve("s.parquet.manifest.json"))).isEqualTo("{\"run\":\"new\"}");
    // nothing left to finish
    assertThat(OutputCommit.resume(new Configuration(), h("s.parquet.manifest.json"))).isNull();
  }

  /** A kill between the journal and the first deletion: the resume deletes the old manifest first. */
  @Test
  void resume_afterAKillBeforeAnyRename_replacesTheWholeSet() throws IOException {
    earlierRun();
    OutputCommit commit = new OutputCommit();
    staged(commit, "s.parquet", "new");
    OutputCommit.afterFirstRename = () -> {
      throw new IllegalStateException("killed");
    };
    assertThatThrownBy(() -> commit.commit(fs(), h("s.parquet.manifest.json"), "{\"run\":\"new\"}".getBytes(), fs(),
        List.of(h("s.parquet.quarantine-transactions"), h("s.parquet.quarantine")))).hasMessage("killed");
    OutputCommit.afterFirstRename = null;
    // put back what a kill before the deletions would have left: the old manifest and side outputs
    Files.writeString(dir.resolve("s.parquet.manifest.json"), "{\"run\":\"old\"}");
    assertThat(OutputCommit.resume(new Configuration(), h("s.parquet.manifest.json")))
        .isEqualTo("{\"run\":\"new\"}".getBytes());
    assertThat(names()).containsExactly("s.parquet", "s.parquet.manifest.json");
    assertThat(Files.readString(dir.resolve("s.parquet/part-0"))).isEqualTo("new");
  }

  /** A journal whose staged file is gone (a run with --overwrite since deleted it) is refused in one line. */
  @Test
  void resume_ofAJournalWhoseFilesAreGone_saysToRunAgain() throws IOException {
    OutputCommit commit = new OutputCommit();
    staged(commit, "s.parquet", "new");
    OutputCommit.afterFirstRename = () -> {
      throw new IllegalStateException("killed");
    };
    assertThatThrownBy(() -> commit.commit(fs(), h("s.parquet.manifest.json"), "{}".getBytes(), fs(), List.of()))
        .hasMessage("killed");
    OutputCommit.afterFirstRename = null;
    for (String n : names()) {
      if (n.startsWith(".s.parquet.manifest.json.tmp-")) {
        Files.delete(dir.resolve(n));
      }
    }
    Files.walk(dir.resolve("s.parquet")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertThatThrownBy(() -> OutputCommit.resume(new Configuration(), h("s.parquet.manifest.json")))
        .isInstanceOf(IOException.class).hasMessageContaining("but neither is there; run again with --overwrite");
  }

  @Test
  void temporaryNamesOfAnEarlierKilledRun_areDeletedByTheNext() throws IOException {
    Files.createDirectories(dir.resolve(".s.parquet.tmp-1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
    Files.createDirectories(dir.resolve(".s.parquet.quarantine-transactions.tmp-0"));
    Files.createDirectories(dir.resolve(".other.parquet.tmp-0"));
    OutputCommit commit = new OutputCommit();
    commit.stage(fs(), h("s.parquet"));
    commit.stage(fs(), h("s.parquet.quarantine-transactions"));
    assertThat(names()).containsExactly(".other.parquet.tmp-0");
    OutputCommit.deleteLeftovers(fs(), h("other.parquet"));
    assertThat(names()).isEmpty();
  }
}
