package io.chainscore.batch.scoring;

/**
 * The option rule of every batch entry point that can require a signed model bundle (the command
 * line's {@code --require-signed} and {@code --trust}, the Spark job's): requiring a signature
 * needs trusted keys, and a shipped bundle carries no signature, so it cannot be the model then.
 * The signature itself is checked by the bundle's reader ({@code ModelBundle.read} with a trust
 * store); this is only what the options must say first. Here rather than in the embedder's
 * modules: it is a rule of the tools' options, not of the runtime.
 *
 * <p>Thread safety: stateless.
 */
public final class SignedModels {
  private SignedModels() {}

  /**
   * Refuses options that cannot give a signed bundle.
   *
   * @param shippedModel the shipped bundle's name that the model option (called {@code option}
   *     in the message) resolves to, or null when it names a bundle file
   * @throws IllegalArgumentException (bad options) naming what is missing
   */
  public static void checkRequirement(boolean requireSigned, boolean trustGiven, String shippedModel, String option) {
    if (!requireSigned && !trustGiven) {
      return;
    }
    if (!trustGiven) {
      throw new IllegalArgumentException("--require-signed needs --trust KEYS (the public keys to accept)");
    }
    if (shippedModel != null) {
      throw new IllegalArgumentException("--require-signed: the bundled model " + shippedModel
          + " is not signed; give a signed bundle file with " + option);
    }
  }
}
