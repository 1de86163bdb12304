/** Scorecard construction: scaling of a WoE logistic model into points, and rounding. */
package io.chainscore.develop.scorecard;
