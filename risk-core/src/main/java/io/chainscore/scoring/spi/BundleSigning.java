package io.chainscore.scoring.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Detached Ed25519 signatures of model bundles: who vouches for a bundle, where its SHA-256 only
 * says it is intact. Anyone can edit a bundle and reseal it; only the holder of a trusted private
 * key can sign it.
 *
 * <p>A signature is a small JSON document kept beside the bundle as {@code BUNDLE.sig}:
 * {@code {"format": "chainscore-bundle-signature", "format_version": 1, "algorithm": "Ed25519",
 * "key_id": ..., "model_id": ..., "model_version": ..., "bundle_sha256": ..., "signature": base64}}.
 * The signed message is {@code "chainscore-model-bundle-signature-v1\n"} followed by the bundle's
 * canonical JSON ({@link ModelBundle#toJson()}), so a signature covers every field, the golden rows
 * included, and survives reformatting of the bundle file but not a change of any value. A bundle
 * must have golden rows to be signed, and a signed bundle without them is refused: a signer vouches
 * for outputs, not only for parameters.
 *
 * <p>Only the JDK's Ed25519 ({@code java.security}) is used. Signing and keys are the tools' side ({@code chainscore keygen}, {@code chainscore sign}), so
 * they live here; an embedder verifies through {@link ModelBundle#read(Path, TrustStore)} and
 * {@link io.chainscore.scoring.Scorer#of(Path, TrustStore)}. Thread safety: stateless.
 */
public final class BundleSigning {
  /** The signature document's {@code format}. */
  public static final String FORMAT = "chainscore-bundle-signature";
  /** The text signed before the bundle's canonical JSON (domain separation). */
  public static final String CONTEXT = "chainscore-model-bundle-signature-v1\n";
  /**
   * The most bytes of a signature file read: the document {@link #sign} writes is about 400 bytes.
   * A larger file is refused unread ({@link ModelBundle#read(Path, TrustStore)}); a reader of another
   * file system reads at most one byte more and hands that over to be refused.
   */
  public static final int MAX_SIGNATURE_BYTES = 64 * 1024;

  private BundleSigning() {}

  /** Where the detached signature of {@code bundleFile} is kept: {@code bundleFile.sig}. */
  public static Path signaturePath(Path bundleFile) {
    return bundleFile.resolveSibling(bundleFile.getFileName() + ".sig");
  }

  /**
   * Signs {@code bundle} with an Ed25519 key pair and returns the signature document.
   *
   * @throws ModelFormatException ({@code golden_rows}) when the bundle has no golden rows
   */
  public static String sign(ModelBundle bundle, KeyPair keys) throws ModelFormatException {
    PrivateKey key = keys.getPrivate();
    PublicKey publicKey = keys.getPublic();
    if (!hasGoldenRows(bundle)) {
      throw new ModelFormatException("golden_rows", "a bundle must have golden rows to be signed");
    }
    byte[] signature;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(CONTEXT.getBytes(StandardCharsets.UTF_8));
      s.update(bundle.toJson().getBytes(StandardCharsets.UTF_8));
      signature = s.sign();
      // A signature the public key does not verify means the two keys are not a pair.
      Signature check = Signature.getInstance("Ed25519");
      check.initVerify(publicKey);
      check.update(CONTEXT.getBytes(StandardCharsets.UTF_8));
      check.update(bundle.toJson().getBytes(StandardCharsets.UTF_8));
      if (!check.verify(signature)) {
        throw new IllegalArgumentException("the private key does not belong to public key " + TrustStore.keyId(publicKey));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Ed25519 signing failed: " + e.getMessage(), e);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("format_version", 1);
    doc.put("algorithm", "Ed25519");
    doc.put("key_id", TrustStore.keyId(publicKey));
    doc.put("model_id", bundle.modelId());
    doc.put("model_version", bundle.modelVersion());
    doc.put("bundle_sha256", bundle.sha256());
    doc.put("signature", Base64.getEncoder().encodeToString(signature));
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the bundle's canonical JSON has a non-empty {@code golden_rows} array. */
  private static boolean hasGoldenRows(ModelBundle bundle) {
    try {
      return new ObjectMapper().readTree(bundle.toJson()).path("golden_rows").size() > 0;
    } catch (IOException e) {
      throw new IllegalStateException("a sealed bundle's JSON did not parse", e);
    }
  }

  /** A new Ed25519 key pair from the JDK's strong random source. */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of a private key (PKCS#8 {@code PRIVATE KEY}, as {@code openssl genpkey} writes). */
  public static String privateKeyPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** PEM text of a public key (X.509 {@code PUBLIC KEY}). */
  public static String publicKeyPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /**
   * Reads an Ed25519 private key from a PEM file and derives its public key.
   *
   * @throws IllegalArgumentException naming the file when it holds no readable Ed25519 private key
   */
  public static KeyPair readKeyPair(Path file) throws IOException {
    // the file's first PRIVATE KEY block, read as the trust store reads its public keys
    byte[] der = PemBlocks.read(file, "PRIVATE KEY", "an Ed25519 private key").get(0);
    try {
      PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      return new KeyPair(publicKeyOf(der), priv);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": not an Ed25519 private key (" + e.getMessage() + ")");
    }
  }

  /**
   * The public key of a PKCS#8 Ed25519 private key (RFC 8410: the 32-byte seed at offset 16). The
   * JDK has no call that derives it, so its own key generator is fed the seed as its "random"
   * bytes; {@link #sign} then checks the pair by verifying what it signed.
   */
  private static PublicKey publicKeyOf(byte[] pkcs8) throws GeneralSecurityException {
    byte[] seed = java.util.Arrays.copyOfRange(pkcs8, 16, 48);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(new java.security.spec.NamedParameterSpec("Ed25519"), new FixedRandom(seed));
    return generator.generateKeyPair().getPublic();
  }

  /** A "random" source that yields one fixed seed: derives the key pair of a known private key. */
  private static final class FixedRandom extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}
