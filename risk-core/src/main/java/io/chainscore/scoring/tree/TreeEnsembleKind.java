package io.chainscore.scoring.tree;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.spi.ModelKind;

/**
 * The {@code "tree_ensemble"} model kind: bundles' tree sections, read by {@link TreeEnsembleCodec}
 * and compiled to {@link CompiledTreeEnsemble}. Registered as a {@link ModelKind} service (in
 * {@code module-info.java} and {@code META-INF/services}).
 *
 * <p>Thread safety: stateless.
 */
public final class TreeEnsembleKind implements ModelKind {
  /** The service constructor. */
  public TreeEnsembleKind() {}

  @Override
  public String kind() {
    return "tree_ensemble";
  }

  @Override
  public CompiledModel compile(JsonNode model, FeatureSchema schema, String path) throws ModelFormatException {
    return TreeEnsembleCodec.read(model, schema, path);
  }
}
