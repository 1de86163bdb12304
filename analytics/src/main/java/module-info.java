/**
 * Portfolio risk (expected loss, Basel IRB capital, Monte Carlo loss distribution with anchor
 * contagion, stress scenarios) and validation statistics (discrimination, calibration,
 * stability) on top of the runtime's scores. Kept out of {@code io.chainscore.core} because a
 * lending service that scores suppliers needs neither, and both grow with the portfolio and
 * monitoring work of later releases.
 */
module io.chainscore.analytics {
  requires transitive io.chainscore.core;
  requires com.fasterxml.jackson.databind;
  requires commons.math3;

  exports io.chainscore.ifrs9;
  exports io.chainscore.portfolio;
  exports io.chainscore.validation;
}
