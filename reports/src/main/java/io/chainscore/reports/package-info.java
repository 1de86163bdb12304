/**
 * HTML reports over typed results: {@link io.chainscore.reports.ValidationHtml} renders an
 * {@code io.chainscore.validation.ValidationReport}, {@link io.chainscore.reports.PortfolioHtml} an
 * {@code io.chainscore.portfolio.PortfolioReport}. Every text that reaches a page goes through the
 * one escaper ({@code Html}); every chart is drawn by the one SVG toolkit ({@code SvgChart}), which
 * draws curves from at most {@value io.chainscore.reports.SvgChart#MAX_CURVE_POINTS} points so a
 * report stays small whatever the sample size (exact statistics are printed, never read off the
 * drawing).
 */
package io.chainscore.reports;
