/**
 * Calibration of PDs to a long-run central tendency (EBA GL/2017/16 section 5.3): the long-run
 * average default rate over the cohorts, its margin of conservatism, and the logit shift that
 * brings a model's mean PD on the calibration sample to the target.
 */
package io.chainscore.develop.calibration;
