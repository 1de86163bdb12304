package io.chainscore.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 2: the resume fingerprint hashed only the first MiB and the size of an input
 * between 1 and 2 MiB, so an id changed at byte 1,124,744 of a 1.6 MB input after a checkpoint was
 * resumed over, keeping the old id in the output. It now covers every byte.
 */
class ResumeFingerprintTest {
  @TempDir Path dir;

  private static BatchJob.Builder job(Path in, Path out, int failAtRow) {
    return BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, failAtRow))
        .output(out).threads(2).chunkRows(1000).checkpointEvery(2);
  }

  @Test
  void resume_afterOneIdChangedPastTheFirstMebibyte_isRefused() throws IOException {
    Path in = BatchJobTest.input(dir, 80_000);
    long size = Files.size(in);
    assertThat(size).as("between 1 and 2 MiB, where only the first MiB was hashed").isBetween(1L << 20, 2L << 20);
    Path out = dir.resolve("out.csv");
    assertThatThrownBy(() -> job(in, out, 75_000).build().run()).hasMessage("simulated crash at row 75000");
    assertThat(BatchJob.checkpointPath(out)).exists();

    // Change one id, same length, at byte 1,124,744 (a row the checkpoint says is already written).
    byte[] bytes = Files.readAllBytes(in);
    int at = 1_124_744;
    int lineStart = at;
    while (bytes[lineStart - 1] != '\n') {
      lineStart--;
    }
    assertThat((char) bytes[lineStart]).isEqualTo('S');
    bytes[lineStart] = 'T';
    Files.write(in, bytes);
    assertThat(Files.size(in)).isEqualTo(size);
    String changedId = new String(bytes, lineStart, 12, StandardCharsets.US_ASCII).split(",")[0];

    assertThatThrownBy(() -> job(in, out, -1).resume(true).build().run())
        .isInstanceOf(ResumeException.class)
        .hasMessage("the interrupted run of " + out + " used another input, model or options; pass --overwrite to start again");
    assertThat(out).doesNotExist();

    // --resume --overwrite, "resume what can be, else start again": started again (it was refused
    // with the advice to pass --overwrite, which had been passed), and the output has the new id.
    BatchResult again = job(in, out, -1).resume(true).overwrite(true).build().run();
    assertThat(again.resumedFromRow()).isZero();
    assertThat(Files.readString(out)).contains("\n" + changedId + ",");
  }

  @Test
  void resume_onTheSameBytes_isAccepted_andByteIdentical() throws IOException {
    Path in = BatchJobTest.input(dir, 30_000);
    Path reference = dir.resolve("reference.csv");
    job(in, reference, -1).build().run();
    Path out = dir.resolve("out.csv");
    assertThatThrownBy(() -> job(in, out, 25_000).build().run()).hasMessage("simulated crash at row 25000");
    // Rewritten with identical content (new mtime): still the same input.
    Files.write(in, Files.readAllBytes(in));
    // with --overwrite too, a checkpoint that can be resumed is resumed
    BatchResult resumed = job(in, out, -1).resume(true).overwrite(true).build().run();
    assertThat(resumed.resumedFromRow()).isPositive();
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(reference));
  }

  @Test
  void inputDigest_isTheSha256OfEveryByte() throws Exception {
    byte[] data = new byte[(3 << 20) + 12345];
    new SplittableRandom(9).nextBytes(data);
    Path file = Files.write(dir.resolve("blob.bin"), data);
    assertThat(HexFormat.of().formatHex(InputDigest.sha256(file)))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
  }
}
