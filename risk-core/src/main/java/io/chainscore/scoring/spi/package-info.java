/**
 * Internals shared by ChainScore's own modules (risk-core, the model and analytics modules, the
 * batch engine, Spark): primitive growable lists and per-owner scratch pools. Not a public API:
 * types here may change in any release; applications should not use them.
 */
package io.chainscore.scoring.spi;
