package io.chainscore.cli;

import io.chainscore.scoring.spi.BundleSigning;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore sign}: a detached Ed25519 signature of a model bundle. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a model bundle with an Ed25519 private key.",
      "The key is PEM, as chainscore keygen or openssl genpkey -algorithm ed25519 writes it; the signature goes to BUNDLE.sig, which --require-signed --trust KEYS checks.",
      "The bundle must be sealed and have golden rows."
    })
final class SignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "Sealed model bundle file to sign.")
  Path model;

  @Option(names = "--key", required = true, description = "Ed25519 private key, PEM (PKCS#8 PRIVATE KEY).")
  Path key;

  @Option(names = "--out", description = "Signature file (default: <model>.sig).")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing signature.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    Path target = out != null ? out : BundleSigning.signaturePath(model);
    // a folder is refused with the other outputs' words, before any work (until 2026-12-07 --out
    // DIR --overwrite failed on its hidden file, "Is a directory", exit 1, and left that file)
    OutputFiles.refuseAsOutputFile(target, overwrite, BundleSigning.signaturePath(model).getFileName().toString());
    ModelBundle bundle = ModelBundle.read(model);
    KeyPair pair = BundleSigning.readKeyPair(key);
    String signature = BundleSigning.sign(bundle, pair);
    Path tmp = OutputFiles.partialBeside(target);
    Files.writeString(tmp, signature, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (json) {
      java.util.Map<String, Object> o = JsonOutput.object();
      o.put("model_id", bundle.modelId());
      o.put("model_version", bundle.modelVersion());
      o.put("model", model.toString());
      o.put("key_id", TrustStore.keyId(pair.getPublic()));
      o.put("signature", target.toString());
      JsonOutput.print(spec.commandLine().getOut(), o);
      return ExitCodes.SUCCESS;
    }
    spec.commandLine().getOut().printf("Signed %s %s (%s) with key %s: %s%n", bundle.modelId(), bundle.modelVersion(),
        model, TrustStore.keyId(pair.getPublic()), target);
    return ExitCodes.SUCCESS;
  }
}
