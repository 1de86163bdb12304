package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and unsupported PMML is refused quickly, with one message naming the file, the line and
 * the construct: DOCTYPEs (XXE, entity expansion), deep nesting, huge arrays and attribute lists,
 * oversized files and streams, unsupported elements and attributes, malformed numbers.
 */
class PmmlHostileTest {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final String HEAD = "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">";

  @TempDir Path dir;

  private static String refusal(String xml) {
    return refusal(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String refusal(InputStream in) {
    return refusal(in, BOUND);
  }

  private static String refusal(InputStream in, Duration bound) {
    return assertTimeoutPreemptively(bound, () -> {
      try {
        PmmlImport.read(in, PmmlRoundTripTest.OPTIONS);
      } catch (ModelFormatException e) {
        assertThat(e.getMessage()).doesNotContain("\n").startsWith("model.pmml");
        return e.getMessage();
      }
      throw new AssertionError("accepted");
    });
  }

  @Test
  void externalEntity_refusedAtTheDoctype_fileNeverRead() throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE PMML [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
        + HEAD + "<Header description=\"&xxe;\"/></PMML>";
    String message = refusal(xml);
    assertThat(message).contains("line 2").contains("DOCTYPE is not allowed").doesNotContain("TOP-SECRET");
  }

  @Test
  void billionLaughs_refusedAtTheDoctype() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE PMML [\n<!ENTITY lol0 \"lol\">\n");
    for (int i = 1; i <= 10; i++) {
      b.append("<!ENTITY lol").append(i).append(" \"");
      b.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    b.append("]>\n").append(HEAD).append("<Header description=\"&lol10;\"/></PMML>");
    assertThat(refusal(b.toString())).contains("DOCTYPE is not allowed");
  }

  @Test
  void anyDoctype_refused() {
    assertThat(refusal("<!DOCTYPE PMML>" + HEAD + "</PMML>")).contains("DOCTYPE is not allowed");
  }

  @Test
  void deepNesting_100000Nodes_refusedAtTheLimit() {
    StringBuilder b = new StringBuilder(HEAD).append("\n<MiningModel functionName=\"regression\">\n");
    b.append("<Node>".repeat(100_000)).append("</Node>".repeat(100_000)).append("</MiningModel></PMML>");
    assertThat(refusal(b.toString())).contains("nested deeper than " + SafeXml.MAX_DEPTH);
  }

  @Test
  void hugeArray_refusedByTextLength() {
    StringBuilder b = new StringBuilder(HEAD).append("<Array n=\"3000000\" type=\"string\">");
    b.append("\"a\" ".repeat(3_000_000)).append("</Array></PMML>");
    assertThat(refusal(b.toString())).contains("Array").contains("text longer than");
  }

  @Test
  void millionsOfElements_refusedAtTheElementLimit() {
    StringBuilder b = new StringBuilder(HEAD).append("<Header>");
    b.append("<True/>".repeat(SafeXml.MAX_ELEMENTS + 10)).append("</Header></PMML>");
    // a million small elements are parsed before the limit: about 1-2 s, so a wider bound on a
    // loaded machine
    String message = refusal(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)),
        Duration.ofSeconds(10));
    assertThat(message).contains("True: more than " + SafeXml.MAX_ELEMENTS + " elements");
  }

  @Test
  void hugeAttributeCount_refused() {
    StringBuilder b = new StringBuilder(HEAD).append("<Header");
    for (int i = 0; i < 100_000; i++) {
      b.append(" a").append(i).append("=\"x\"");
    }
    b.append("/></PMML>");
    assertThat(refusal(b.toString())).contains("Header").contains("attributes").contains("limit");
  }

  @Test
  void oneGigabyteFile_refusedBySizeBeforeReading() throws Exception {
    Path big = dir.resolve("big.pmml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 30); // sparse: claims 1 GiB
    }
    String message = assertTimeoutPreemptively(BOUND, () -> {
      try {
        PmmlImport.read(big, PmmlRoundTripTest.OPTIONS);
      } catch (ModelFormatException e) {
        return e.getMessage();
      }
      throw new AssertionError("accepted");
    });
    assertThat(message).contains("1073741824 bytes").contains("size limit");
  }

  @Test
  void endlessStream_refusedAtTheByteLimit() {
    // a PMML element followed by comments without end: no element, text or depth limit is ever
    // reached, only the byte count
    byte[] head = (HEAD + "<Header/>").getBytes(StandardCharsets.US_ASCII);
    byte[] comment = "<!-- padding padding padding padding padding padding padding padding -->\n"
        .getBytes(StandardCharsets.US_ASCII);
    InputStream endless = new InputStream() {
      private long at;

      @Override
      public int read() {
        byte[] one = new byte[1];
        read(one, 0, 1);
        return one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++, at++) {
          b[off + i] = at < head.length ? head[(int) at] : comment[(int) ((at - head.length) % comment.length)];
        }
        return len;
      }
    };
    // the parser reads the whole 64 MB limit before refusing: about a second on a quiet machine,
    // more than the other refusals' 5 s on a loaded one (the CI machine failed once at 5 s); the
    // bound is what tells a refusal from a stream read forever
    assertThat(refusal(endless, Duration.ofSeconds(60))).contains("size limit");
  }

  @Test
  void unsupportedModel_namedByElement() {
    assertThat(refusal(HEAD + "\n<DataDictionary/>\n<NeuralNetwork functionName=\"regression\"/></PMML>"))
        .contains("line 3").contains("NeuralNetwork").contains("not supported");
  }

  @Test
  void unsupportedAttributeAndElement_namedInsideAScorecard() throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    assertThat(refusal(pmml.replace("reasonCodeAlgorithm=\"pointsBelow\"", "reasonCodeAlgorithm=\"pointsAbove\"")))
        .contains("Scorecard@reasonCodeAlgorithm").contains("pointsAbove");
    assertThat(refusal(pmml.replaceFirst("<Attribute partialScore=\"([^\"]*)\">",
        "<Attribute partialScore=\"$1\"><ComplexPartialScore/>"))).contains("ComplexPartialScore");
    assertThat(refusal(pmml.replaceFirst("<Characteristic ", "<Characteristic weight=\"2\" ")))
        .contains("Characteristic@weight");
  }

  @Test
  void malformedNumber_namedWithItsAttribute() throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    String message = refusal(pmml.replaceFirst("partialScore=\"[^\"]*\"", "partialScore=\"0x1p3\""));
    assertThat(message).contains("Attribute@partialScore").contains("'0x1p3'").containsPattern("line \\d+");
  }

  /** The refusal of {@code bytes}, asserting that nothing was printed on stderr on the way. */
  private static String refusalWithQuietStderr(byte[] bytes) {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
    String message;
    try {
      message = refusal(new ByteArrayInputStream(bytes));
    } finally {
      System.setErr(err);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    return message;
  }

  @Test
  void badEncoding_oneRefusal_nothingOnStderr() throws Exception {
    // a gzip file (the parser printed "[Fatal Error] :-1:-1: Invalid byte 1 of 1-byte UTF-8 sequence." before)
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
      z.write(PmmlExport.toPmml(DefaultModels.scorecard()).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(refusalWithQuietStderr(gz.toByteArray())).isEqualTo("model.pmml, line 1, XML: not UTF-8 text: a byte"
        + " sequence that is not UTF-8 (the encoding the document declares, UTF-8 by default); expected a PMML XML"
        + " document (a compressed or binary file is not one)");
    // Latin-1 bytes in a document without a declaration, on line 3
    byte[] latin1 = (HEAD + "\n<Header description=\"caf\u00e9\"/>\n<Header description=\"caf\u00e9\"/></PMML>")
        .replaceFirst("caf\u00e9", "cafe").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(refusalWithQuietStderr(latin1)).startsWith("model.pmml, line 3, XML: not UTF-8 text");
    // the same bytes declared as ISO-8859-1 decode (and go on to be refused for what they are)
    byte[] declared = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + new String(latin1,
        StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    assertThat(refusalWithQuietStderr(declared)).doesNotContain("not UTF-8").doesNotContain("ISO-8859-1 text");
  }

  @Test
  void notXml_andNotPmml() {
    assertThat(refusal("{\"format\": \"chainscore-model-bundle\"}")).contains("not well-formed XML");
    assertThat(refusal("<html/>")).contains("expected PMML");
    assertThat(refusal(HEAD + "<Header>")).contains("not well-formed XML");
  }
}
