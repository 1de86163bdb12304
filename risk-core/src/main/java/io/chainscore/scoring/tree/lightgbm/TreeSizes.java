package io.chainscore.scoring.tree.lightgbm;

import io.chainscore.scoring.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The check of a LightGBM model file's {@code tree_sizes} header. Thread safety: stateless. */
final class TreeSizes {
  private TreeSizes() {}

  /**
   * Checks that every entry of {@code tree_sizes} is the size in bytes of its tree's block in
   * {@code text} (from its {@code Tree=} line to the next {@code Tree=} or {@code end of trees}
   * line): LightGBM itself cuts the trees out of the file at these offsets, so a file whose sizes
   * are wrong would be scored differently there than here.
   */
  static void check(String declared, String text) throws ModelFormatException {
    String[] sizes = LightGbmModelReader.splitList(declared);
    List<Integer> starts = new ArrayList<>();
    int end = -1;
    int at = 0;
    while (at < text.length()) {
      if (text.startsWith("Tree=", at)) {
        starts.add(at);
      } else if (text.startsWith("end of trees", at)) {
        end = at;
        break;
      }
      int lineEnd = text.indexOf('\n', at);
      if (lineEnd < 0) {
        break;
      }
      at = lineEnd + 1;
    }
    if (end < 0 || starts.size() != sizes.length) {
      throw new ModelFormatException("tree_sizes", "the file's Tree= blocks do not start at line starts as"
          + " LightGBM writes them, so their sizes cannot be checked");
    }
    starts.add(end);
    for (int t = 0; t < sizes.length; t++) {
      String size = sizes[t];
      boolean digits = !size.isEmpty() && size.length() <= 10;
      for (int i = 0; i < size.length() && digits; i++) {
        digits = size.charAt(i) >= '0' && size.charAt(i) <= '9';
      }
      if (!digits) {
        throw new ModelFormatException("tree_sizes", "entry " + (t + 1) + " is '" + LightGbmModelReader.abbreviate(size)
            + "'; expected a whole number of bytes");
      }
      String block = text.substring(starts.get(t), starts.get(t + 1));
      long bytes = block.getBytes(StandardCharsets.UTF_8).length;
      long carriageReturns = block.chars().filter(c -> c == '\r').count();
      if (Long.parseLong(size) != bytes && carriageReturns > 0 && Long.parseLong(size) == bytes - carriageReturns) {
        // the sizes LightGBM wrote, counted before the line endings were changed (a checkout with
        // git's autocrlf, a Windows editor): LightGBM cuts the trees at these offsets, so the file
        // is refused, but said why (until 2026-12-08 only that the sizes disagreed)
        throw new ModelFormatException("tree_sizes", "entry " + (t + 1) + " is " + size + " but Tree=" + t + " takes "
            + bytes + " bytes in the file, which has CRLF (Windows) line endings: LightGBM wrote it with LF and cuts"
            + " its trees at these sizes; convert the line endings back to LF (e.g. dos2unix)");
      }
      if (Long.parseLong(size) != bytes) {
        throw new ModelFormatException("tree_sizes", "entry " + (t + 1) + " is " + size + " but Tree=" + t
            + " takes " + bytes + " bytes in the file; expected the two to agree, as LightGBM writes them");
      }
    }
  }
}
