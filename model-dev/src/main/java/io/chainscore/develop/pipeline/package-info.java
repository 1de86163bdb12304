/**
 * The reproducible training pipeline of the bundled default models: simulated cohorts with fixed
 * seeds, features, training, out-of-time validation, bundle and model card.
 */
package io.chainscore.develop.pipeline;
