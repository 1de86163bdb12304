package io.chainscore.cli;

import io.chainscore.scoring.spi.BundleSigning;
import io.chainscore.scoring.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore keygen}: a new Ed25519 key pair for signing model bundles. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = "Create an Ed25519 key pair for chainscore sign: NAME.key (private, PEM, mode 600) and NAME.pub.")
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, description = "Path and base name of the two key files.")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    // the option's text as typed: the Path drops a trailing separator, so "keys/" (a folder, no
    // base name) wrote keys.key and keys.pub beside that folder, not in it
    String given = spec.commandLine().getParseResult().matchedOption("--out").originalStringValues().get(0);
    if (out.getFileName() == null || out.getFileName().toString().isEmpty() || given.endsWith("/")
        || given.endsWith(java.io.File.separator)) {
      // until 2026-12-07 "--out /" wrote null.key and null.pub into the working folder
      throw new IllegalArgumentException("--out '" + given + "': expected the path and base name of the two key files,"
          + " e.g. keys/signing for keys/signing.key and keys/signing.pub");
    }
    Path priv = out.resolveSibling(out.getFileName() + ".key");
    Path pub = out.resolveSibling(out.getFileName() + ".pub");
    for (Path p : new Path[] {priv, pub}) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(p.toString(), null, "already exists; keys are never overwritten");
      }
    }
    KeyPair pair = BundleSigning.generateKeyPair();
    OutputFiles.createDirectoryOf(priv);
    try {
      Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(priv);
    }
    Files.writeString(priv, BundleSigning.privateKeyPem(pair.getPrivate()), StandardCharsets.US_ASCII);
    Files.writeString(pub, BundleSigning.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
    if (json) {
      java.util.Map<String, Object> o = JsonOutput.object();
      o.put("key_id", TrustStore.keyId(pair.getPublic()));
      o.put("private_key", priv.toString());
      o.put("public_key", pub.toString());
      JsonOutput.print(spec.commandLine().getOut(), o);
      return ExitCodes.SUCCESS;
    }
    spec.commandLine().getOut().printf("Key %s: private %s, public %s%n", TrustStore.keyId(pair.getPublic()), priv, pub);
    return ExitCodes.SUCCESS;
  }
}
