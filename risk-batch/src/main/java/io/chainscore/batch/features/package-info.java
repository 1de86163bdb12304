/** Features of whole portfolios from table files, streamed through the feature engine. */
package io.chainscore.batch.features;
