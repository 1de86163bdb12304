/**
 * Model-validation statistics for PD models and scorecards: discrimination (AUC, Gini, KS,
 * gains/lift), calibration (Brier, Hosmer-Lemeshow, per-grade binomial and Jeffreys tests) and
 * stability (PSI, CSI).
 *
 * <p>Inputs are primitive arrays: a score or predicted PD per observation and a 0/1 label where
 * 1 is the event (default, "bad"). Scores are oriented so that a higher score means a higher
 * event likelihood; negate scorecard points (where higher means safer) before calling. The
 * definitions, tie handling and precision are documented in {@code docs/validation.md}.
 */
package io.chainscore.validation;
