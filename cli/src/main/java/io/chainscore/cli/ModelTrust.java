package io.chainscore.cli;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --require-signed} and {@code --trust}: the options of every command that scores, for
 * refusing model bundles that no trusted key signed ({@code chainscore sign}).
 */
final class ModelTrust {
  @Option(names = "--require-signed", description = "Refuse a model bundle that no --trust key signed"
      + " (its signature is BUNDLE.sig, written by chainscore sign; golden rows required).")
  boolean requireSigned;

  @Option(names = "--trust", description = "Trusted Ed25519 public keys: a PEM file, or a directory of .pub/.pem"
      + " files; implies --require-signed.")
  Path trust;

  /**
   * The bundle {@code --model} names ({@link io.chainscore.models.DefaultModels#resolve}), its signature checked
   * against {@code --trust} when a signature is required.
   */
  ModelBundle load(Path model) throws IOException, ModelFormatException {
    return load(model, "--model");
  }

  /**
   * {@link #load(Path)} for a bundle another option names ({@code score --challenger}, {@code
   * validate --compare}), which a refusal names (until 2026-12-07 it said --model).
   */
  ModelBundle load(Path model, String option) throws IOException, ModelFormatException {
    if (!requireSigned && trust == null) {
      return io.chainscore.models.DefaultModels.resolve(model == null ? null : model.toString());
    }
    boolean shipped = model == null || (!Files.exists(model)
        && (model.toString().equals(DefaultModels.SCORECARD) || model.toString().equals(DefaultModels.GBDT)));
    io.chainscore.batch.scoring.SignedModels.checkRequirement(requireSigned, trust != null,
        shipped ? (model == null ? DefaultModels.SCORECARD : model.toString()) : null, option);
    return ModelBundle.read(model, TrustStore.load(trust));
  }
}
