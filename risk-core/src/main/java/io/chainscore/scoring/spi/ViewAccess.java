package io.chainscore.scoring.spi;

import io.chainscore.scoring.ModelBundle;
import java.util.function.Function;

/**
 * The bridge through which {@link ModelView#of} reaches the view that {@code io.chainscore.scoring}
 * built at load, without a public accessor on {@link ModelBundle} (whose API is the embedders'):
 * {@code ModelBundle} installs the accessor once, when its class is initialised, which happens
 * before any bundle exists.
 *
 * <p>Thread safety: the accessor is published through a volatile field and installed once.
 */
public final class ViewAccess {
  private static volatile Function<ModelBundle, ModelView> accessor;
  private static volatile Function<ModelBundle, int[]> usedColumns;
  private static volatile Function<ModelBundle, java.util.List<double[]>> goldenInputs;

  private ViewAccess() {}

  /**
   * Installs the accessor; called by {@link ModelBundle} only.
   *
   * @throws IllegalStateException when one is installed already
   */
  public static synchronized void install(Function<ModelBundle, ModelView> viewOf,
      Function<ModelBundle, int[]> usedColumnsOf, Function<ModelBundle, java.util.List<double[]>> goldenInputsOf) {
    if (accessor != null) {
      throw new IllegalStateException("the model-view accessor is installed already");
    }
    usedColumns = usedColumnsOf;
    goldenInputs = goldenInputsOf;
    accessor = viewOf;
  }

  static ModelView view(ModelBundle bundle) {
    return accessor.apply(bundle);
  }

  static int[] usedColumns(ModelBundle bundle) {
    return usedColumns.apply(bundle);
  }

  /**
   * The feature rows of {@code bundle}'s golden rows as its reader decoded them (schema order,
   * category indexes, NaN for missing; copies): the one place golden rows' JSON is read, for the
   * tools that rebuild a bundle with the same golden inputs.
   */
  public static java.util.List<double[]> goldenInputs(ModelBundle bundle) {
    return goldenInputs.apply(bundle);
  }
}
