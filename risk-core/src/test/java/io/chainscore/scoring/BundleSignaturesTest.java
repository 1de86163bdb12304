package io.chainscore.scoring;

import io.chainscore.scoring.spi.BundleSigning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 11: a bundle's SHA-256 proves integrity, not origin; anyone could change {@code
 * base_points}, drop the golden rows and reseal. Signed bundles read with a trust store refuse
 * that, and unsigned or wrongly signed bundles.
 */
class BundleSignaturesTest {
  @TempDir Path dir;

  private Path signedBundle(KeyPair keys) throws Exception {
    ModelBundle bundle = TestBundles.load("scorecard.json");
    Path file = dir.resolve("scorecard.json");
    bundle.write(file);
    Files.writeString(BundleSigning.signaturePath(file), BundleSigning.sign(bundle, keys));
    return file;
  }

  @Test
  void signedBundle_readsWithTheSignersKey_andIsRefusedByAnyOtherStore() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    Path file = signedBundle(keys);
    ModelBundle read = ModelBundle.read(file, TrustStore.of(keys.getPublic()));
    assertThat(read.sha256()).isEqualTo(TestBundles.load("scorecard.json").sha256());

    KeyPair other = BundleSigning.generateKeyPair();
    assertThatThrownBy(() -> ModelBundle.read(file, TrustStore.of(other.getPublic())))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(file + ": signature.key_id: the bundle is signed by key '" + TrustStore.keyId(keys.getPublic())
            + "', which the trust store does not hold (trusted: [" + TrustStore.keyId(other.getPublic()) + "])");
    // The same through Scorer and through streams, for embedders.
    assertThat(Scorer.of(file, TrustStore.of(keys.getPublic())).bundle().sha256()).isEqualTo(read.sha256());
    String sig = Files.readString(BundleSigning.signaturePath(file));
    try (var in = Files.newInputStream(file)) {
      assertThat(ModelBundle.read(in, sig, TrustStore.of(keys.getPublic())).sha256()).isEqualTo(read.sha256());
    }
    try (var in = Files.newInputStream(file)) {
      assertThatThrownBy(() -> ModelBundle.read(in, null, TrustStore.of(keys.getPublic())))
          .hasMessage("signature: the bundle is not signed and a signed bundle is required");
    }
    assertThatThrownBy(() -> Scorer.of(file, TrustStore.of(other.getPublic())))
        .isInstanceOf(ModelFormatException.class).hasMessageStartingWith(file + ": signature.key_id: ");
    // Without a trust store nothing is required (the embedder did not ask).
    assertThat(ModelBundle.read(file).sha256()).isEqualTo(read.sha256());
  }

  @Test
  void resealedAfterEditingBasePointsAndDroppingGoldenRows_isRefused() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    Path file = signedBundle(keys);
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(file.toFile());
    ((ObjectNode) tree.get("model")).put("base_points", tree.get("model").get("base_points").asDouble() + 40);
    tree.remove("golden_rows");
    ModelBundle forged = ModelBundle.seal(tree.toString());
    forged.write(file);
    TrustStore trust = TrustStore.of(keys.getPublic());
    assertThatThrownBy(() -> ModelBundle.read(file, trust))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith(file + ": signature.bundle_sha256: the signature is for bundle ");
    // The forger also rewrites the signature's hash: the signature itself no longer verifies.
    Path sig = BundleSigning.signaturePath(file);
    ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(sig.toFile());
    doc.put("bundle_sha256", forged.sha256());
    Files.writeString(sig, doc.toString());
    assertThatThrownBy(() -> ModelBundle.read(file, trust))
        .hasMessage(file + ": signature.signature: does not verify with key " + TrustStore.keyId(keys.getPublic())
            + ": the bundle was changed after signing, or the signature was forged");
    // And a bundle without golden rows cannot be signed at all.
    assertThatThrownBy(() -> BundleSigning.sign(forged, keys))
        .isInstanceOf(ModelFormatException.class).hasMessage("golden_rows: a bundle must have golden rows to be signed");
  }

  /**
   * Another file where BUNDLE.sig should be, larger than any signature (a 3 GB sparse file here):
   * it was read whole, and the reader ran out of memory (the command line: exit 1, "out of memory
   * ... give more heap"). Refused now by its size, unread, naming the signature.
   */
  @Test
  void aSignatureFileLargerThanAnySignature_isRefusedUnread() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    TrustStore trust = TrustStore.of(keys.getPublic());
    Path file = signedBundle(keys);
    Path sig = BundleSigning.signaturePath(file);
    String expected = "signature: scorecard.json.sig is larger than 65536 bytes; expected the signature document"
        + " written by chainscore sign (a few hundred bytes)";
    try (var raf = new java.io.RandomAccessFile(sig.toFile(), "rw")) {
      raf.setLength(3L << 30);
    }
    assertThatThrownBy(() -> ModelBundle.read(file, trust)).isInstanceOf(ModelFormatException.class)
        .hasMessage(file + ": " + expected);
    byte[] oneTooMany = new byte[BundleSigning.MAX_SIGNATURE_BYTES + 1];
    try (var in = Files.newInputStream(file)) {
      assertThatThrownBy(() -> ModelBundle.read(in, oneTooMany, "scorecard.json.sig", trust)).hasMessage(expected);
    }
    // at the limit the document is read (and refused for what it holds)
    try (var in = Files.newInputStream(file)) {
      assertThatThrownBy(() -> ModelBundle.read(in, new byte[BundleSigning.MAX_SIGNATURE_BYTES], "scorecard.json.sig",
          trust)).hasMessageStartingWith("signature: not a readable signature document");
    }
  }

  /**
   * A bundle and its signature saved by a Windows tool that writes a UTF-8 byte-order mark and CRLF
   * line ends (PowerShell 5's Set-Content -Encoding UTF8): the bundle read, its signature was
   * refused as "not a readable signature document" for the mark. Both read now, by file and by
   * stream.
   */
  @Test
  void signatureWithAByteOrderMark_isRead_asItsBundleIs() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    TrustStore trust = TrustStore.of(keys.getPublic());
    Path file = signedBundle(keys);
    Path sig = BundleSigning.signaturePath(file);
    String expected = ModelBundle.read(file, trust).sha256();
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    for (Path p : new Path[] {file, sig}) {
      byte[] crlf = Files.readString(p).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
      byte[] saved = new byte[bom.length + crlf.length];
      System.arraycopy(bom, 0, saved, 0, bom.length);
      System.arraycopy(crlf, 0, saved, bom.length, crlf.length);
      Files.write(p, saved);
    }
    ModelBundle read = ModelBundle.read(file, trust);
    assertThat(read.sha256()).isEqualTo(expected);
    assertThat(read.signatureKeyId()).contains(TrustStore.keyId(keys.getPublic()));
    try (var in = Files.newInputStream(file)) {
      assertThat(ModelBundle.read(in, Files.readAllBytes(sig), "scorecard.json.sig", trust).sha256()).isEqualTo(expected);
    }
    // a mark anywhere else is still no JSON
    Files.writeString(sig, " \uFEFF" + Files.readString(sig).substring(1));
    assertThatThrownBy(() -> ModelBundle.read(file, trust)).hasMessageContaining("signature: not a readable signature document");
  }

  /**
   * A bundle changed after signing in a way that also breaks its content (here a field the format
   * does not have), resealed and kept beside the signature of the bundle before the change, is
   * refused for its signature, checked before the content is read: it was read first, and the
   * change was reported as the bundle's own fault ("model_card: unknown field"), so an operator
   * went looking for a defect in the model rather than at a bundle nobody signed.
   */
  @Test
  void changedAfterSigningWithBrokenContent_isRefusedForTheSignatureBeforeTheContentIsRead() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    TrustStore trust = TrustStore.of(keys.getPublic());
    Path file = signedBundle(keys);
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(file.toFile());
    tree.putObject("model_card").put("owner", "someone else");
    tree.put("sha256", CanonicalJson.sha256(CanonicalJson.without(tree, "sha256").without()));
    Files.writeString(file, tree.toString());
    String newSha = tree.get("sha256").asText();
    // without a trust store the content is what is wrong
    assertThatThrownBy(() -> ModelBundle.read(file)).hasMessage(file + ": model_card: unknown field; expected one of"
        + " [calibration, description, features, format, format_version, golden_rows, master_scale, max_missing_share,"
        + " model, model_id, model_version, provenance, reason_codes, reason_reference, score_scale, sha256]");
    assertThatThrownBy(() -> ModelBundle.read(file, trust)).isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith(file + ": signature.bundle_sha256: the signature is for bundle ")
        .hasMessageEndingWith(", not this one (" + newSha + ")");
    Path sig = BundleSigning.signaturePath(file);
    try (var in = Files.newInputStream(file)) {
      byte[] sigBytes = Files.readAllBytes(sig);
      assertThatThrownBy(() -> ModelBundle.read(in, sigBytes, "scorecard.json.sig", trust))
          .hasMessageStartingWith("signature.bundle_sha256: ");
    }
    // the signature document's hash rewritten too: the signature itself does not verify
    ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(sig.toFile());
    doc.put("bundle_sha256", newSha);
    Files.writeString(sig, doc.toString());
    assertThatThrownBy(() -> Scorer.of(file, trust))
        .hasMessage(file + ": signature.signature: does not verify with key " + TrustStore.keyId(keys.getPublic())
            + ": the bundle was changed after signing, or the signature was forged");
  }

  /**
   * A missing bundle is reported as missing (it was reported as unsigned), and a signature document
   * that names another model or version than the bundle it signs is refused, though its signature
   * covers the bundle's bytes and verifies.
   */
  @Test
  void missingBundleAndADocumentNamingAnotherModel_areRefusedForWhatTheyAre() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    TrustStore trust = TrustStore.of(keys.getPublic());
    assertThatThrownBy(() -> ModelBundle.read(dir.resolve("nowhere.json"), trust))
        .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessage(dir.resolve("nowhere.json").toString());
    Path file = signedBundle(keys);
    Path sig = BundleSigning.signaturePath(file);
    ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(sig.toFile());
    String version = doc.get("model_version").asText();
    doc.put("model_version", "9.9.9");
    Files.writeString(sig, doc.toString());
    assertThatThrownBy(() -> ModelBundle.read(file, trust))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(file + ": signature.model_version: the signature document names 9.9.9, the bundle " + version);
  }

  /**
   * A signature file of bytes that are not UTF-8 (a binary file, a document saved in Latin-1) is a
   * malformed signature, named with the bundle: it was an I/O failure ("Input length = 1", exit 1 on
   * the command line) naming no file.
   */
  @Test
  void signatureFileThatIsNotUtf8_isRefusedAsAMalformedSignature() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    Path file = signedBundle(keys);
    Files.write(BundleSigning.signaturePath(file), new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 'x'});
    assertThatThrownBy(() -> ModelBundle.read(file, TrustStore.of(keys.getPublic())))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(file + ": signature: scorecard.json.sig is not UTF-8 text; expected a signature document written"
            + " by chainscore sign");
  }

  /** A folder where the signature should be is named as a folder: it was called missing. */
  @Test
  void signaturePathThatIsAFolder_isNamedAsAFolder_notAsMissing() throws Exception {
    Path file = dir.resolve("scorecard.json");
    TestBundles.load("scorecard.json").write(file);
    Files.createDirectory(BundleSigning.signaturePath(file));
    assertThatThrownBy(() -> ModelBundle.read(file, TrustStore.of(BundleSigning.generateKeyPair().getPublic())))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(file + ": signature: scorecard.json.sig is a directory; expected the signature document written by"
            + " chainscore sign");
  }

  /**
   * The signature document is read as strictly as the bundle: a member named twice (the check took
   * the last of "2.0.0" and "1.0.0", a person reading the file the first) or content after the
   * document is refused, naming the signature.
   */
  @Test
  void signatureDocumentWithADuplicateMemberOrTrailingContent_isRefused() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    Path file = signedBundle(keys);
    Path sig = BundleSigning.signaturePath(file);
    String good = Files.readString(sig);
    TrustStore trust = TrustStore.of(keys.getPublic());
    assertThat(ModelBundle.read(file, trust).sha256()).isEqualTo(TestBundles.load("scorecard.json").sha256());
    String version = new ObjectMapper().readTree(good).get("model_version").asText();
    Files.writeString(sig, good.replace("\"model_version\" : \"" + version + "\"",
        "\"model_version\" : \"9.9.9\", \"model_version\" : \"" + version + "\""));
    assertThatThrownBy(() -> ModelBundle.read(file, trust)).isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith(file + ": signature: not a readable signature document: Duplicate field 'model_version'");
    Files.writeString(sig, good + "{\"model_version\": \"9.9.9\"}\n");
    assertThatThrownBy(() -> ModelBundle.read(file, trust)).isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith(file + ": signature: not a readable signature document: Trailing token");
    // a format_version that is not the integer 1 (read as 1 by asInt until 2026-12-07)
    for (String given : new String[] {"1.5", "\"1\""}) {
      Files.writeString(sig, good.replaceFirst("\"format_version\" : 1", "\"format_version\" : " + java.util.regex.Matcher.quoteReplacement(given)));
      assertThat(Files.readString(sig)).as(given).contains("\"format_version\" : " + given);
      assertThatThrownBy(() -> ModelBundle.read(file, trust)).as(given).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("signature.format: expected a");
    }
  }

  @Test
  void unsignedBundle_isRefusedWhenASignatureIsRequired() throws Exception {
    Path file = dir.resolve("scorecard.json");
    TestBundles.load("scorecard.json").write(file);
    assertThatThrownBy(() -> ModelBundle.read(file, TrustStore.of(BundleSigning.generateKeyPair().getPublic())))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(file + ": signature: the bundle is not signed (no scorecard.json.sig beside it) and a signed bundle is required");
  }

  @Test
  void pemKeys_roundTrip_andTheDerivedPublicKeyIsTheGeneratedOne() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    Path priv = Files.writeString(dir.resolve("k.key"), BundleSigning.privateKeyPem(keys.getPrivate()));
    Path pub = Files.writeString(dir.resolve("k.pub"), BundleSigning.publicKeyPem(keys.getPublic()));
    KeyPair read = BundleSigning.readKeyPair(priv);
    assertThat(read.getPublic().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    assertThat(TrustStore.load(pub).keyIds()).containsExactly(TrustStore.keyId(keys.getPublic()));
    assertThat(TrustStore.load(dir).keyIds()).containsExactly(TrustStore.keyId(keys.getPublic()));
  }

  /**
   * A private key file is read as public key files are ({@code TrustStoreTest}): a byte-order
   * mark or a comment in another encoding is text outside the PEM block (it failed as an I/O
   * error, "Input length = 1", exit 1 on the command line), and bad base64 is named with the file
   * (it was the decoder's words alone).
   */
  @Test
  void privateKeyFiles_withAByteOrderMarkOrComments_read_badBase64_namesTheFile() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    String pem = BundleSigning.privateKeyPem(keys.getPrivate());
    Path bom = dir.resolve("bom.key");
    Files.write(bom, ("\uFEFF# clé de l'équipe risque\n" + pem).getBytes(StandardCharsets.UTF_8));
    assertThat(BundleSigning.readKeyPair(bom).getPublic().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    Path latin1 = dir.resolve("latin1.key");
    Files.write(latin1, ("# clé\n" + pem).getBytes(StandardCharsets.ISO_8859_1));
    assertThat(BundleSigning.readKeyPair(latin1).getPublic().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    Path bad = Files.writeString(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI=x\n"
        + "-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> BundleSigning.readKeyPair(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(bad + ": the PEM 'PRIVATE KEY' block is not valid base64");
  }

  /** OpenSSL as the independent reference: its key signs, and it verifies our signature. */
  @Test
  void signatures_interoperateWithOpenssl() throws Exception {
    Path priv = dir.resolve("o.key");
    Path pub = dir.resolve("o.pub");
    if (!run("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString())) {
      return; // no openssl on this machine: the other tests still hold
    }
    assertThat(run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString())).isTrue();
    ModelBundle bundle = TestBundles.load("scorecard.json");
    String sigDoc = BundleSigning.sign(bundle, BundleSigning.readKeyPair(priv));
    BundleSignatures.verify(bundle, sigDoc, TrustStore.load(pub));

    byte[] message = ("chainscore-model-bundle-signature-v1\n" + bundle.toJson()).getBytes(StandardCharsets.UTF_8);
    Path msg = Files.write(dir.resolve("msg"), message);
    Path sig = Files.write(dir.resolve("sig"),
        Base64.getDecoder().decode(new ObjectMapper().readTree(sigDoc).get("signature").asText()));
    assertThat(run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", msg.toString(),
        "-sigfile", sig.toString())).as("openssl verifies the signature").isTrue();
    message[message.length - 2] ^= 1;
    Files.write(msg, message);
    assertThat(run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", msg.toString(),
        "-sigfile", sig.toString())).as("and refuses it for a changed bundle").isFalse();
  }

  private boolean run(String... command) throws Exception {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * With a trust store, the signature's document and key are checked before the bundle is read:
   * an unsigned bundle, or one signed by a key the store does not hold, is refused as such even
   * when its content is not a bundle at all (it was read, compiled and golden-row-checked first,
   * about 150 ms for the trees, and a damaged one was reported by its content's fault).
   */
  @Test
  void unsignedOrForeignSignedBundles_areRefusedBeforeTheirContentIsRead() throws Exception {
    KeyPair keys = BundleSigning.generateKeyPair();
    KeyPair other = BundleSigning.generateKeyPair();
    Path file = signedBundle(other);
    Files.writeString(file, "not a bundle at all");
    assertThatThrownBy(() -> ModelBundle.read(file, TrustStore.of(keys.getPublic())))
        .isInstanceOf(ModelFormatException.class).hasMessageStartingWith(file + ": signature.key_id: the bundle is signed by key '"
            + TrustStore.keyId(other.getPublic()) + "'");
    Files.delete(BundleSigning.signaturePath(file));
    assertThatThrownBy(() -> ModelBundle.read(file, TrustStore.of(keys.getPublic())))
        .isInstanceOf(ModelFormatException.class).hasMessageStartingWith(file + ": signature: the bundle is not signed");
    try (var in = Files.newInputStream(file)) {
      assertThatThrownBy(() -> ModelBundle.read(in, "{\"format\": \"x\"\n  oops", TrustStore.of(keys.getPublic())))
          .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("signature: not a readable signature document")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    // without a trust store the content's fault is reported, as before
    assertThatThrownBy(() -> ModelBundle.read(file)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not a valid bundle document");
  }
}
