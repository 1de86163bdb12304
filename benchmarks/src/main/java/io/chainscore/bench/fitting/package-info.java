/** Benchmarks of fitting whole models (scorecards) on large samples; not part of the test suite. */
package io.chainscore.bench.fitting;
