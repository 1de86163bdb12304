/**
 * Model fitting for scorecard development: logistic regression by IRLS with standard errors and
 * p-values, and collinearity diagnostics (correlation, VIF) for characteristic selection.
 */
package io.chainscore.develop.fit;
