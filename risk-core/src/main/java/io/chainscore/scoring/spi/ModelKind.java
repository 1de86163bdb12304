package io.chainscore.scoring.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.scoring.ModelFormatException;

/**
 * Compiles one kind of bundle {@code model} section (named by its {@code "kind"} field) into a
 * {@link CompiledModel}; the bundle reader finds kinds other than its built-in scorecard and
 * logistic models through {@link java.util.ServiceLoader}.
 *
 * <p>This seam keeps the runtime's entry points ({@code io.chainscore.scoring}) independent of the
 * evaluators they load: the tree ensembles of {@code io.chainscore.scoring.tree} register
 * themselves as the {@code "tree_ensemble"} kind, so {@code scoring} never names {@code
 * scoring.tree} and the two packages form no cycle.
 *
 * <p>Thread safety: implementations are stateless and safe for concurrent use.
 */
public interface ModelKind {
  /** The value of the model section's {@code "kind"} field this implementation compiles. */
  String kind();

  /**
   * Reads and compiles a model section against the bundle's feature schema.
   *
   * @param model the {@code model} object of the bundle
   * @param schema the bundle's feature schema, which fixes the column order of rows
   * @param path the section's field path, for messages ({@code "model"})
   * @throws ModelFormatException naming the field at fault
   */
  CompiledModel compile(JsonNode model, FeatureSchema schema, String path) throws ModelFormatException;
}
