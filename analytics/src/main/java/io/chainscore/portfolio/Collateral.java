package io.chainscore.portfolio;

/**
 * What secures an exposure, which selects the supervisory (F-IRB) LGD when the exposure does not
 * carry its own LGD estimate.
 *
 * <p>Thread safety: immutable enum.
 */
public enum Collateral {
  /** Senior unsecured claim. */
  UNSECURED,
  /** Secured by eligible receivables, the usual case in supply-chain (reverse) factoring. */
  RECEIVABLES
}
