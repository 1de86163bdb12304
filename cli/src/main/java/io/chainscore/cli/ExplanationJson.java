package io.chainscore.cli;

import io.chainscore.features.FeatureType;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --json} form of an {@link Explanation} ({@code explain}, {@code whatif}): numbers are
 * JSON numbers (a numeric feature's value included; a missing value is {@code null}, a category its
 * code), never -0.0, and every reason code comes with its customer-facing statement (the bundle's
 * {@code reason_codes[].text}).
 *
 * @param supplierId the supplier, null for a row given by {@code --set} alone
 * @param modelId the bundle's model id
 * @param modelVersion the bundle's model version
 * @param score points, PD, grade and reason codes
 * @param reasons the score's reason codes with their statements, most adverse first
 * @param margin the log-odds of default
 * @param basePoints points before any characteristic
 * @param items one per characteristic or feature
 */
record ExplanationJson(String supplierId, String modelId, String modelVersion, ScoreResult score,
    List<Reason> reasons, double margin, double basePoints, List<Item> items) {

  /** A reason code and its statement. */
  record Reason(String code, String text) {}

  /**
   * One characteristic: {@code value} is a number for a numeric feature, the category code for a
   * categorical one, null when missing.
   */
  record Item(String name, String feature, Object value, String bin, double points, double pointsBelowBest,
      double contribution, String reasonCode, String reasonText) {}

  static ExplanationJson of(ModelBundle bundle, String supplierId, Explanation e) {
    List<Reason> reasons = new ArrayList<>();
    for (String code : e.score().reasonCodes()) {
      reasons.add(new Reason(code, statement(bundle, code)));
    }
    List<Item> items = new ArrayList<>();
    for (Explanation.Item i : e.items()) {
      items.add(new Item(i.name(), i.feature(), value(bundle, i), i.bin(), plusZero(i.points()), plusZero(i.pointsBelowBest()),
          plusZero(i.contribution()), i.reasonCode(), i.reasonCode().isEmpty() ? "" : statement(bundle, i.reasonCode())));
    }
    ScoreResult s = e.score();
    ScoreResult score = new ScoreResult(plusZero(s.points()), plusZero(s.pd()), s.grade(), s.gradeIndex(), s.reasonCodes(),
        s.segment());
    return new ExplanationJson(supplierId, bundle.modelId(), bundle.modelVersion(), score, reasons,
        plusZero(e.margin()), plusZero(e.basePoints()), items);
  }

  /**
   * An item's value as JSON gives it: the exact number for a numeric feature (never -0.0), the
   * category code for a categorical one, null when missing.
   */
  static Object value(ModelBundle bundle, Explanation.Item i) {
    if (Double.isNaN(i.numericValue())) {
      return null;
    }
    if (bundle.schema().feature(bundle.schema().indexOf(i.feature())).type() == FeatureType.CATEGORICAL) {
      return i.value();
    }
    return plusZero(i.numericValue());
  }

  /** The customer-facing statement of reason code {@code code} in {@code bundle}. */
  static String statement(ModelBundle bundle, String code) {
    for (ModelBundle.ReasonCode r : bundle.reasonCodes()) {
      if (r.code().equals(code)) {
        return r.text();
      }
    }
    throw new IllegalStateException("reason code " + code + " is not in the bundle's table");
  }

  /** {@code x} with a negative zero made positive: JSON readers keep the sign of -0.0. */
  static double plusZero(double x) {
    return x + 0.0;
  }
}
