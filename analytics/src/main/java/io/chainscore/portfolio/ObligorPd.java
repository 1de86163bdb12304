package io.chainscore.portfolio;

import java.util.Map;

/**
 * The PD that counts for an exposure, and whose it is: an exposure owed by its anchor (a product
 * whose {@link Product#anchorObligor()} holds: payables finance, where the anchor confirmed the
 * invoice) takes its anchor's PD, any other exposure its supplier's score. This is the one place
 * that rule is written; {@link PortfolioAnalysis} and {@code io.chainscore.ifrs9.PortfolioEcl} both
 * resolve their exposures through {@link #of}, and an exposure without the PD it needs is a {@link
 * MissingPdException} carrying its index, so that a caller which read the exposures from a file can
 * name the row.
 *
 * <p>Thread safety: immutable.
 *
 * @param obligorId the anchor's id when the anchor owes the exposure, else the supplier's
 * @param anchor whether the anchor owes the exposure (its PD came from the anchor PDs)
 * @param pd the obligor's one-year PD
 * @param grade the supplier score's grade, possibly empty; always empty for an anchor, which has no
 *     grade on the suppliers' scale
 */
public record ObligorPd(String obligorId, boolean anchor, double pd, String grade) {
  /**
   * The grade of a supplier without a score measured at a PD the caller stated ({@link
   * #of(int, Exposure, Map, Map, double)}): on no grade scale, so grouped apart from the scored.
   */
  public static final String UNSCORED_GRADE = "unscored";

  /**
   * The grade the exposure is reported under: {@link #grade}, or when it has none (an anchor, or a
   * score without a grade: a score table without the grade column, or with the cell empty) {@code
   * gradeFunction}'s grade of {@link #pd}, so that no exposure is grouped under an empty, unlabelled
   * grade. The one rule of {@link PortfolioAnalysis}'s grades and {@code PortfolioEcl}'s.
   */
  public String gradeOr(java.util.function.DoubleFunction<String> gradeFunction) {
    return grade.isEmpty() ? gradeFunction.apply(pd) : grade;
  }

  /**
   * The obligor PD of {@code exposure}.
   *
   * @param index the exposure's position in the caller's list, carried by the exception
   * @param scores the suppliers' scores by supplier id (scores of suppliers without an exposure are
   *     ignored)
   * @param anchorPds the anchors' PDs by anchor id
   * @throws MissingPdException when the anchor owes the exposure and has no PD in {@code
   *     anchorPds}, or the supplier owes it and has no score in {@code scores}
   */
  public static ObligorPd of(int index, Exposure exposure, Map<String, SupplierScore> scores,
      Map<String, Double> anchorPds) {
    return of(index, exposure, scores, anchorPds, Double.NaN);
  }

  /**
   * As {@link #of(int, Exposure, Map, Map)}, but a supplier that owes the exposure and has no score
   * takes {@code unscoredPd} (grade {@link #UNSCORED_GRADE}) instead of being refused, unless it is
   * NaN. An anchor without a PD is refused all the same.
   */
  public static ObligorPd of(int index, Exposure exposure, Map<String, SupplierScore> scores,
      Map<String, Double> anchorPds, double unscoredPd) {
    if (exposure.product().anchorObligor()) {
      // The anchor confirmed the invoice and owes it: the supplier's own score plays no part.
      Double pd = anchorPds.get(exposure.anchorId());
      if (pd == null) {
        throw new MissingPdException(index, MissingPdException.ANCHOR_ID, "supplier " + exposure.supplierId()
            + "'s " + exposure.product().code() + " is owed by its anchor " + exposure.anchorId()
            + ", which has no PD");
      }
      return new ObligorPd(exposure.anchorId(), true, pd, "");
    }
    SupplierScore score = scores.get(exposure.supplierId());
    if (score == null && !Double.isNaN(unscoredPd)) {
      return new ObligorPd(exposure.supplierId(), false, unscoredPd, UNSCORED_GRADE);
    }
    if (score == null) {
      throw new MissingPdException(index, MissingPdException.SUPPLIER_ID, "supplier " + exposure.supplierId()
          + " has no score");
    }
    return new ObligorPd(exposure.supplierId(), false, score.pd(), score.grade());
  }
}
