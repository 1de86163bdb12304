package io.chainscore.scoring.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of PEM key files (the trust store's public keys, {@code sign}'s private key): the
 * file is read byte for character, so a byte-order mark or a comment line in another encoding is
 * text outside the blocks rather than a decoding failure that names no file, and each {@code
 * -----BEGIN LABEL-----} block's base64 is decoded, a bad one refused naming the file.
 *
 * <p>Thread safety: stateless.
 */
public final class PemBlocks {
  private PemBlocks() {}

  /**
   * The DER bytes of every {@code label} block of {@code file} ({@code "PUBLIC KEY"}, {@code
   * "PRIVATE KEY"}), in file order.
   *
   * @throws IllegalArgumentException naming the file when it holds no such block or a block's
   *     base64 is bad; {@code expected} ends the message ("an Ed25519 public key")
   */
  public static List<byte[]> read(Path file, String label, String expected) throws IOException {
    Pattern block = Pattern.compile("-----BEGIN " + label + "-----([A-Za-z0-9+/=\\s]+)-----END " + label + "-----");
    Matcher m = block.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
    List<byte[]> found = new ArrayList<>();
    while (m.find()) {
      try {
        found.add(Base64.getMimeDecoder().decode(m.group(1).strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": the PEM '" + label + "' block is not valid base64 ("
            + e.getMessage() + "); expected " + expected);
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM '" + label + "' block; expected " + expected);
    }
    return found;
  }
}
