package io.chainscore.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.spi.BundleSigning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Verifies a bundle's detached Ed25519 signature against a {@link TrustStore} (the format and the
 * signing side: {@link BundleSigning}).
 *
 * <p>Thread safety: stateless.
 */
final class BundleSignatures {
  private static final String FORMAT = BundleSigning.FORMAT;
  private static final byte[] CONTEXT = BundleSigning.CONTEXT.getBytes(StandardCharsets.UTF_8);
  /**
   * Strict as the bundle's own reader (docs/model-bundle.md): a member named twice or content
   * after the document is refused. A lenient reader took the last of two {@code model_version}s
   * and ignored what followed the object, so a document showing one model to a person could name
   * another to the check.
   */
  private static final ObjectMapper STRICT = io.chainscore.scoring.spi.JsonSyntax.strictMapper();

  private BundleSignatures() {}

  /** The refusal of a signature file larger than {@link BundleSigning#MAX_SIGNATURE_BYTES}. */
  static ModelFormatException tooLarge(String signatureName) {
    return new ModelFormatException("signature", signatureName + " is larger than " + BundleSigning.MAX_SIGNATURE_BYTES
        + " bytes; expected the signature document written by chainscore sign (a few hundred bytes)");
  }

  /** A signature document read and its key found in the trust store, before the bundle is read. */
  record Signed(JsonNode doc, String keyId, PublicKey key) {}

  /**
   * Checks that {@code signatureJson} is a valid signature of {@code bundle} by a key of {@code
   * trust}.
   *
   * @throws ModelFormatException ({@code signature...}) naming what is wrong: a malformed
   *     document, a key the store does not trust, another bundle's hash, a signature that does not
   *     verify; ({@code golden_rows}) a signed bundle without golden rows
   */
  static void verify(ModelBundle bundle, String signatureJson, TrustStore trust) throws ModelFormatException {
    Signed signed = signer(signatureJson, trust);
    verifySignature(bundle.toJson(), bundle.sha256(), signed);
    verifyContent(bundle.content(), signed);
  }

  /**
   * Reads a signature document and finds its key in {@code trust}: what can be checked before the
   * bundle is read, so that a bundle signed by nobody the store trusts is refused before its
   * content reaches the reader and the compiler.
   *
   * @throws ModelFormatException ({@code signature...}) for a malformed document or a key the
   *     store does not trust
   */
  static Signed signer(String signatureJson, TrustStore trust) throws ModelFormatException {
    JsonNode doc;
    try {
      // a byte-order mark before the document is no part of it (Windows tools write one: PowerShell
      // 5's Set-Content -Encoding UTF8, Notepad before 2019), as the bundle's reader and the key
      // files' reader leave it aside; a signature so saved was refused as "not a readable
      // signature document: Unexpected character ('\uFEFF' ...)" while its bundle, saved alike, read
      doc = STRICT.readTree(signatureJson.startsWith("\uFEFF") ? signatureJson.substring(1) : signatureJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFormatException("signature", "not a readable signature document: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ModelFormatException("signature", "not a readable signature document: " + e.getMessage());
    }
    if (doc == null || !doc.isObject() || !FORMAT.equals(doc.path("format").asText())
        || !doc.path("format_version").isInt() || doc.path("format_version").intValue() != 1) {
      throw new ModelFormatException("signature.format", "expected a " + FORMAT + " document of format_version 1");
    }
    if (!"Ed25519".equals(doc.path("algorithm").asText())) {
      throw new ModelFormatException("signature.algorithm", "expected Ed25519, got '" + doc.path("algorithm").asText() + "'");
    }
    String keyId = doc.path("key_id").asText();
    PublicKey key = trust.key(keyId);
    if (key == null) {
      throw new ModelFormatException("signature.key_id", "the bundle is signed by key '" + Json.quoted(keyId)
          + "', which the trust store does not hold (trusted: " + trust.keyIds() + ")");
    }
    return new Signed(doc, keyId, key);
  }

  /**
   * Checks the signature {@code signed} against a bundle's canonical text and hash, before its
   * content is read: the hash it names and the signature itself.
   */
  static void verifySignature(String canonicalJson, String sha256, Signed signed) throws ModelFormatException {
    JsonNode doc = signed.doc();
    String keyId = signed.keyId();
    PublicKey key = signed.key();
    if (!sha256.equals(doc.path("bundle_sha256").asText())) {
      throw new ModelFormatException("signature.bundle_sha256", "the signature is for bundle "
          + Json.quoted(doc.path("bundle_sha256").asText()) + ", not this one (" + sha256 + ")");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(doc.path("signature").asText());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("signature.signature", "not base64");
    }
    boolean valid;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(CONTEXT);
      s.update(canonicalJson.getBytes(StandardCharsets.UTF_8));
      valid = s.verify(signature);
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw new ModelFormatException("signature.signature", "does not verify with key " + keyId
          + ": the bundle was changed after signing, or the signature was forged");
    }
  }

  /**
   * Checks what a verified signature says of the read content (before the bundle is built, so that
   * a signed bundle is compiled once): the model it names, golden rows.
   */
  static void verifyContent(BundleReader.Content content, Signed signed) throws ModelFormatException {
    JsonNode doc = signed.doc();
    // the document names the model it signs: a document naming another is refused though the
    // signature (which covers the bundle's bytes) verifies, as a reader trusts what it names
    for (String[] field : new String[][] {{"model_id", content.modelId()}, {"model_version", content.modelVersion()}}) {
      if (doc.has(field[0]) && !field[1].equals(doc.path(field[0]).asText())) {
        throw new ModelFormatException("signature." + field[0], "the signature document names "
            + Json.quoted(doc.path(field[0]).asText()) + ", the bundle " + Json.quoted(field[1]));
      }
    }
    if (content.goldenRows().isEmpty()) {
      throw new ModelFormatException("golden_rows", "a signed bundle must have golden rows");
    }
  }
}
