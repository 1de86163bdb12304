package io.chainscore.scoring;

/**
 * A model file or bundle could not be loaded: it is malformed, inconsistent, uses a construct
 * ChainScore does not support, or fails its integrity checks. The message names the field at
 * fault (as a JSON-pointer-like path such as {@code model.trees[3].left_children[7]}) and what was
 * expected.
 *
 * <p>Thrown only at load time; scoring a loaded model never throws it.
 */
public class ModelFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field path of the field at fault, or {@code ""} for the document as a whole
   * @param problem what is wrong and what was expected
   */
  public ModelFormatException(String field, String problem) {
    super(field == null || field.isEmpty() ? problem : field + ": " + problem);
    this.field = field == null ? "" : field;
  }

  /** Same as {@link #ModelFormatException(String, String)} with the underlying cause. */
  public ModelFormatException(String field, String problem, Throwable cause) {
    super(field == null || field.isEmpty() ? problem : field + ": " + problem, cause);
    this.field = field == null ? "" : field;
  }

  /** Path of the field at fault, {@code ""} for the whole document. */
  public String field() {
    return field;
  }
}
