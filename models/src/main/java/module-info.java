/**
 * The bundled default models ({@link io.chainscore.models.DefaultModels}): bundle files read from
 * this module's resources. Requires only the runtime, so an embedder that scores with a bundled
 * model has no training dependency on its class path.
 */
module io.chainscore.models {
  requires transitive io.chainscore.core;

  exports io.chainscore.models;
}
