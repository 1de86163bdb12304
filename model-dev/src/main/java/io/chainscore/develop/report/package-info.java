/** Validation reports of models on labelled samples: metrics JSON and a self-contained HTML page. */
package io.chainscore.develop.report;
