package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelBundle#read(InputStream)}'s stream contract: the caller's stream is read, not closed
 * (bundles in one zip stream read entry after entry), and a failure to read it is an {@link
 * IOException}, not a {@link ModelFormatException}: a broken connection is no fault of the
 * bundle's, and a service may retry it.
 */
class BundleStreamTest {
  private static byte[] resource(String name) throws IOException {
    try (InputStream in = BundleStreamTest.class.getResourceAsStream("/bundles/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void bundlesInOneZipStream_readEntryAfterEntry() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (String name : new String[] {"scorecard.json", "logistic.json", "segmented.json"}) {
        out.putNextEntry(new ZipEntry(name));
        out.write(resource(name));
        out.closeEntry();
      }
    }
    List<String> read = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        ModelBundle bundle = ModelBundle.read(in);
        read.add(e.getName() + " " + bundle.sha256().equals(ModelBundle.fromJson(new String(resource(e.getName()),
            java.nio.charset.StandardCharsets.UTF_8)).sha256()));
      }
    }
    assertThat(read).containsExactly("scorecard.json true", "logistic.json true", "segmented.json true");
  }

  @Test
  void aStreamThatIsNotClosed_staysOpen() throws Exception {
    boolean[] closed = {false};
    InputStream in = new ByteArrayInputStream(resource("scorecard.json")) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    ModelBundle.read(in);
    assertThat(closed[0]).as("closed by read").isFalse();
  }

  @Test
  void aStreamThatFails_isAnIOException_notAFormatError() throws Exception {
    byte[] bytes = resource("scorecard.json");
    InputStream failing = new InputStream() {
      private int at;

      @Override
      public int read() throws IOException {
        if (at >= 4096) {
          throw new IOException("Connection reset by peer");
        }
        return bytes[at++] & 0xff;
      }
    };
    assertThatThrownBy(() -> ModelBundle.read(failing)).isExactlyInstanceOf(IOException.class)
        .hasMessage("Connection reset by peer");
    // a truncated document is the bundle's fault
    assertThatThrownBy(() -> ModelBundle.read(new ByteArrayInputStream(bytes, 0, 4096)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a valid bundle document");
  }
}
