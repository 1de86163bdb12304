/**
 * A runnable example of embedding ChainScore in a lending service: {@link
 * io.chainscore.examples.ScoreOneSupplier}.
 */
package io.chainscore.examples;
