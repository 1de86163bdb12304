/**
 * ChainScore's HTML reports: the validation report ({@code report.html} of {@code chainscore
 * validate}) and the portfolio report ({@code portfolio.html}), drawn from the analytics results
 * with one HTML escaper and one small SVG chart toolkit. Pages are self-contained (inline CSS and
 * SVG; no scripts, fonts, images or links) so they open offline and can be mailed as they are.
 */
module io.chainscore.reports {
  requires transitive io.chainscore.analytics;
  // the model document reads the bundle's calibration and training records (JSON objects)
  requires com.fasterxml.jackson.databind;

  exports io.chainscore.reports;
}
