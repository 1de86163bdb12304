package io.chainscore.models;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The model bundles shipped with ChainScore, trained by {@code model-dev/train-default-models.sh}
 * and described in {@code models/<name>/MODEL_CARD.md}.
 *
 * <p>Thread safety: safe for concurrent use; each shipped bundle is read once, on first use, and
 * the same immutable bundle (and so the same {@link io.chainscore.scoring.Scorer}) is returned to
 * every caller after that.
 */
public final class DefaultModels {
  /** The default scorecard, used when no model is given. */
  public static final String SCORECARD = "smb-supply-chain-scorecard";

  /** The default gradient-boosted tree model, trained on the same data as the scorecard. */
  public static final String GBDT = "smb-supply-chain-gbdt";

  /** The shipped bundles read so far, by name. */
  private static final java.util.concurrent.ConcurrentHashMap<String, ModelBundle> LOADED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private DefaultModels() {}

  /** The names of the shipped bundles, the default scorecard first. */
  public static java.util.List<String> names() {
    return java.util.List.of(SCORECARD, GBDT);
  }

  /**
   * A shipped bundle by name, read on the first call (its integrity and golden rows checked then:
   * about 17 ms for the scorecard, 85 ms for the trees) and the same bundle on every later call,
   * so a request handler may call this each time.
   *
   * @throws NullPointerException when {@code name} is null (naming it)
   * @throws IllegalArgumentException when {@code name} is not one of {@link #names()}
   */
  public static ModelBundle load(String name) {
    ModelBundle loaded = LOADED.get(java.util.Objects.requireNonNull(name, "name"));
    if (loaded != null) {
      return loaded;
    }
    if (!names().contains(name)) {
      // a name only, not a resource path ("/io/chainscore/models/..." read a second copy)
      throw new IllegalArgumentException("no bundled model named '" + name + "'; bundled: " + String.join(", ", names()));
    }
    // two first calls at once may both read it; one bundle is kept and returned to both
    ModelBundle read = read(name);
    ModelBundle kept = LOADED.putIfAbsent(name, read);
    return kept != null ? kept : read;
  }

  private static ModelBundle read(String name) {
    String resource = name + ".json";
    try (InputStream in = DefaultModels.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no bundled model named '" + name + "'; bundled: " + String.join(", ", names()));
      }
      return ModelBundle.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ModelFormatException e) {
      throw new IllegalStateException("the bundled model " + name + " is corrupt: " + e.getMessage(), e);
    }
  }

  /**
   * The bundle a user names, as the command-line tool's {@code --model} option takes it: the
   * default scorecard when {@code nameOrPath} is null, the bundle file at that path when a regular
   * file is there, else the shipped bundle of that name ({@value #SCORECARD}, {@value #GBDT}); a
   * directory of that name (such as this repository's {@code models/smb-supply-chain-gbdt/}) does
   * not hide the shipped bundle.
   *
   * @throws java.nio.file.NoSuchFileException when there is neither such a file nor such a
   *     shipped bundle
   * @throws ModelFormatException when the file is not a valid bundle, naming the field at fault
   */
  public static ModelBundle resolve(String nameOrPath) throws IOException, ModelFormatException {
    if (nameOrPath == null) {
      return scorecard();
    }
    java.nio.file.Path path = java.nio.file.Path.of(nameOrPath);
    if (!java.nio.file.Files.isRegularFile(path) && names().contains(nameOrPath)) {
      return load(nameOrPath);
    }
    return ModelBundle.read(path);
  }

  /** Whether {@code nameOrPath} names a shipped bundle rather than a file ({@link #resolve}). */
  public static boolean isShipped(String nameOrPath) {
    return nameOrPath == null
        || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(nameOrPath)) && names().contains(nameOrPath);
  }

  /** The default scorecard, read once ({@link #load}). */
  public static ModelBundle scorecard() {
    return load(SCORECARD);
  }

  /** The default gradient-boosted tree model, read once ({@link #load}). */
  public static ModelBundle gbdt() {
    return load(GBDT);
  }
}
