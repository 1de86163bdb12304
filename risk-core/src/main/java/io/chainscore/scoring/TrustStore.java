package io.chainscore.scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Ed25519 public keys whose signatures an embedder accepts on model bundles ({@link
 * BundleSignatures}); a bundle read with a trust store ({@link ModelBundle#read(Path, TrustStore)})
 * is refused unless one of them signed it.
 *
 * <p>Keys are named by their key id: the first 16 hex digits of the SHA-256 of the key's X.509
 * encoding, which a signature records. Files hold keys as PEM {@code PUBLIC KEY} blocks (what
 * {@code chainscore keygen} and {@code openssl pkey -pubout} write).
 *
 * <p>Thread safety: immutable.
 */
public final class TrustStore {
  private final Map<String, PublicKey> keys;

  private TrustStore(Map<String, PublicKey> keys) {
    // in the order given (a directory's files sorted by name, a file's blocks in file order), so
    // that keyIds() and the refusal naming them read the same on every run: Map.copyOf iterates
    // in an order salted per JVM, and the same trust store listed its keys differently each run
    this.keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /**
   * A store of the given Ed25519 keys.
   *
   * @throws IllegalArgumentException for a key of another algorithm or curve (an Ed448 key, whose
   *     JDK algorithm name is also "EdDSA", included: its signatures would be refused as forged)
   */
  public static TrustStore of(Collection<PublicKey> keys) {
    java.util.Objects.requireNonNull(keys, "keys");
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (PublicKey k : keys) {
      java.util.Objects.requireNonNull(k, "a key of keys");
      if (!(k instanceof java.security.interfaces.EdECPublicKey ed) || !"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
        String curve = k instanceof java.security.interfaces.EdECPublicKey ed ? ed.getParams().getName() : k.getAlgorithm();
        throw new IllegalArgumentException("trust store: only Ed25519 keys are accepted, got " + curve);
      }
      byId.put(keyId(k), k);
    }
    return new TrustStore(byId);
  }

  /** A store of the given Ed25519 keys. */
  public static TrustStore of(PublicKey... keys) {
    return of(java.util.Arrays.asList(java.util.Objects.requireNonNull(keys, "keys")));
  }

  /**
   * Reads the keys of a PEM file (one or more {@code PUBLIC KEY} blocks) or of every {@code .pub}
   * and {@code .pem} file of a directory.
   *
   * @throws IllegalArgumentException naming the file when it holds no readable Ed25519 key, or for
   *     an empty path (which the file system would read as the working directory)
   * @throws NullPointerException when {@code fileOrDirectory} is null (naming it)
   */
  public static TrustStore load(Path fileOrDirectory) throws IOException {
    java.util.Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
    if (fileOrDirectory.toString().isEmpty()) {
      // an empty path is the working directory to the file system: "--trust $KEYS" with KEYS unset
      // trusted whatever keys lay there
      throw new IllegalArgumentException("trust store: an empty path; expected a PEM file of Ed25519 public keys or a"
          + " directory of .pub/.pem key files");
    }
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDirectory)) {
      try (var list = Files.list(fileOrDirectory)) {
        list.filter(p -> p.getFileName().toString().endsWith(".pub") || p.getFileName().toString().endsWith(".pem"))
            .sorted().forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException(fileOrDirectory + ": the trust store directory holds no .pub or .pem key");
      }
    } else {
      files.add(fileOrDirectory);
    }
    List<PublicKey> keys = new ArrayList<>();
    for (Path f : files) {
      if (Files.isDirectory(f)) {
        // the file system's "Is a directory" named no file and read as an I/O failure (exit 1)
        throw new IllegalArgumentException(f + ": a directory; expected a PEM file of Ed25519 public keys");
      }
      for (byte[] x509 : io.chainscore.scoring.spi.PemBlocks.read(f, "PUBLIC KEY", "an Ed25519 public key")) {
        keys.add(publicKey(f.toString(), x509));
      }
    }
    return of(keys);
  }

  static PublicKey publicKey(String source, byte[] x509) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(source + ": not an Ed25519 public key (" + e.getMessage() + ")");
    }
  }

  /** The key's id: the first 16 hex digits of the SHA-256 of its X.509 encoding. */
  public static String keyId(PublicKey key) {
    java.util.Objects.requireNonNull(key, "key");
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(sha, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The trusted key with this id, or null. */
  PublicKey key(String keyId) {
    return keys.get(keyId);
  }

  /**
   * The ids of the trusted keys, in the order the store was given them ({@link #of}'s order;
   * {@link #load}'s files by name, each file's keys in file order), the same on every run; a key
   * given twice is listed once, where it first came.
   */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }
}
