package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a trust store takes: Ed25519 keys only (an Ed448 key, which the JDK also calls "EdDSA",
 * was taken, and a bundle it signed refused as forged), and key files whose problems are named
 * with the file (a byte-order mark or bad base64 threw without it).
 */
class TrustStoreTest {
  @TempDir Path dir;

  private static PublicKey key(String curve) throws Exception {
    return KeyPairGenerator.getInstance(curve).generateKeyPair().getPublic();
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * The keys are listed in the order the store was given them: a directory's files by name, a
   * file's blocks in file order. They were listed in Map.copyOf's order, salted per JVM, so the
   * same trust store named its keys in another order on each run (in keyIds() and in the refusal of
   * a bundle signed by another key, "trusted: [...]").
   */
  @Test
  void keyIds_followTheOrderGiven_filesByName_blocksInFileOrder() throws Exception {
    java.util.List<PublicKey> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      keys.add(key("Ed25519"));
    }
    java.util.List<String> ids = keys.stream().map(TrustStore::keyId).toList();
    assertThat(TrustStore.of(keys).keyIds()).containsExactlyElementsOf(ids);
    assertThat(TrustStore.of(keys.get(1), keys.get(0), keys.get(1)).keyIds()).containsExactly(ids.get(1), ids.get(0));
    Path keysDir = Files.createDirectory(dir.resolve("keys"));
    for (int i = 0; i < 6; i++) {
      Files.writeString(keysDir.resolve("k" + i + ".pub"), pem(keys.get(i)));
    }
    Files.writeString(keysDir.resolve("k6.pem"), pem(keys.get(7)) + pem(keys.get(6)));
    assertThat(TrustStore.load(keysDir).keyIds()).containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(3),
        ids.get(4), ids.get(5), ids.get(7), ids.get(6));
  }

  @Test
  void ed448AndOtherKeys_areRefused_ed25519Taken() throws Exception {
    PublicKey ed25519 = key("Ed25519");
    assertThat(TrustStore.of(ed25519).keyIds()).containsExactly(TrustStore.keyId(ed25519));
    assertThatThrownBy(() -> TrustStore.of(key("Ed448"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trust store: only Ed25519 keys are accepted, got Ed448");
    assertThatThrownBy(() -> TrustStore.of(key("RSA"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trust store: only Ed25519 keys are accepted, got RSA");
    Path ed448 = Files.writeString(dir.resolve("ed448.pub"), pem(key("Ed448")));
    assertThatThrownBy(() -> TrustStore.load(ed448)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(ed448 + ": not an Ed25519 public key");
  }

  @Test
  void keyFiles_withAByteOrderMarkOrComments_read_badBase64_namesTheFile() throws Exception {
    PublicKey ed25519 = key("Ed25519");
    Path bom = dir.resolve("bom.pem");
    Files.write(bom, ("\uFEFF# clé de l'équipe risque\n" + pem(ed25519)).getBytes(StandardCharsets.UTF_8));
    assertThat(TrustStore.load(bom).keyIds()).containsExactly(TrustStore.keyId(ed25519));
    Path bad = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA=x\n"
        + "-----END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> TrustStore.load(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(bad + ": the PEM 'PUBLIC KEY' block is not valid base64");
  }

  /**
   * A folder named like a key inside the trust store's directory ({@code old.pub/}) is named as a
   * directory where a key file is expected (the file system's "Is a directory" named no file and
   * was an I/O failure, exit 1 on the command line).
   */
  @Test
  void aFolderNamedLikeAKeyInTheStoresDirectory_isNamed() throws Exception {
    Files.writeString(dir.resolve("a.pub"), pem(key("Ed25519")));
    Path folder = Files.createDirectory(dir.resolve("old.pub"));
    assertThatThrownBy(() -> TrustStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(folder + ": a directory; expected a PEM file of Ed25519 public keys");
  }

  /**
   * An empty path is refused as such: the file system reads it as the working directory, so
   * {@code --trust "$KEYS"} with KEYS unset trusted every .pub/.pem key lying there (a bundle
   * signed by a key dropped beside it was accepted), and without one said ": the trust store
   * directory holds no .pub or .pem key", naming nothing.
   */
  @Test
  void anEmptyPath_isRefused_notReadAsTheWorkingDirectory() {
    assertThatThrownBy(() -> TrustStore.load(Path.of(""))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trust store: an empty path; expected a PEM file of Ed25519 public keys or a directory of"
            + " .pub/.pem key files");
  }
}
