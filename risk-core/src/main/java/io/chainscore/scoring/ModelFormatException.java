package io.chainscore.scoring;

/**
 * A model file or bundle could not be loaded: it is malformed, inconsistent, uses a construct
 * ChainScore does not support, or fails its integrity checks. The message names the field at
 * fault and what was expected: in a JSON model (a bundle, XGBoost) a JSON-pointer-like path such
 * as {@code model.trees[3].left_children[7]}; in a LightGBM text model its key, tree or line, such
 * as {@code Tree=3} or {@code line 12}; in a PMML document its line and element, such as {@code
 * line 316, Attribute@partialScore}.
 *
 * <p>The message is one line: control characters of the field or the problem (a bundle's own
 * text, echoed, may hold a line break) are written as escapes (a line break as backslash and n,
 * other controls as backslash, u and four hex digits), so a bundle cannot add lines to a log.
 *
 * <p>A model read from a file ({@link ModelBundle#read(java.nio.file.Path)}, the XGBoost and
 * LightGBM readers' {@code read(Path)}) names the file too: the message begins with its path
 * ({@link #inFile}, {@link #file()}).
 *
 * <p>Thrown only at load time; scoring a loaded model never throws it.
 *
 * <p>Thread safety: immutable.
 */
public final class ModelFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String file;

  /**
   * @param field path of the field at fault, or {@code ""} for the document as a whole
   * @param problem what is wrong and what was expected
   */
  public ModelFormatException(String field, String problem) {
    super(message(field, problem));
    this.field = field == null ? "" : field;
    this.file = null;
  }

  /** Same as {@link #ModelFormatException(String, String)} with the underlying cause. */
  public ModelFormatException(String field, String problem, Throwable cause) {
    super(message(field, problem), cause);
    this.field = field == null ? "" : field;
    this.file = null;
  }

  private ModelFormatException(String file, ModelFormatException inside) {
    super(oneLine(file) + ": " + inside.getMessage(), inside);
    this.field = inside.field;
    this.file = file;
  }

  /**
   * This failure as one of the model file {@code file}: the same field, the message prefixed with
   * the file's path (the one place a reader of a file names it). A failure that already names a
   * file is returned as it is.
   */
  public ModelFormatException inFile(java.nio.file.Path file) {
    return this.file != null || file == null ? this : new ModelFormatException(file.toString(), this);
  }

  /** The path of the model file at fault, or null when the model was not read from a file. */
  public String file() {
    return file;
  }

  private static String message(String field, String problem) {
    return oneLine(field == null || field.isEmpty() ? problem : field + ": " + problem);
  }

  /** {@code text} with its control characters (line breaks included) written as escapes. */
  static String oneLine(String text) {
    if (text == null) {
      return null;
    }
    return io.chainscore.tables.Printable.escape(text);
  }

  /**
   * The field at fault, {@code ""} for the whole document: a path in a JSON model, a line and
   * element in a PMML document (see the class description).
   */
  public String field() {
    return field;
  }
}
