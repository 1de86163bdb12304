/**
 * The {@code chainscore} command-line tool: thin picocli commands that parse options, call the
 * library and print. Exit codes are in {@link io.chainscore.cli.ExitCodes} and the README.
 */
package io.chainscore.cli;
