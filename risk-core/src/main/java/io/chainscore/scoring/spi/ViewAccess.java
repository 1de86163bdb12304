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

  private ViewAccess() {}

  /**
   * Installs the accessor; called by {@link ModelBundle} only.
   *
   * @throws IllegalStateException when one is installed already
   */
  public static synchronized void install(Function<ModelBundle, ModelView> viewOf,
      Function<ModelBundle, int[]> usedColumnsOf) {
    if (accessor != null) {
      throw new IllegalStateException("the model-view accessor is installed already");
    }
    usedColumns = usedColumnsOf;
    accessor = viewOf;
  }

  static ModelView view(ModelBundle bundle) {
    return accessor.apply(bundle);
  }

  static int[] usedColumns(ModelBundle bundle) {
    return usedColumns.apply(bundle);
  }
}
