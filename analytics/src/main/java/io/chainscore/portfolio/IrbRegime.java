package io.chainscore.portfolio;

/**
 * A regulatory regime for the IRB formulas: the RWA scaling factor, the PD floors, the
 * foundation-IRB supervisory LGDs and the LGD of dilution risk (values in {@code
 * docs/portfolio-risk.md}).
 *
 * <p>Thread safety: immutable enum.
 */
public enum IrbRegime {
  /**
   * Basel II (June 2006): scaling 1.06, PD floor 0.03%, F-IRB LGD 45% unsecured, 35% receivables,
   * dilution LGD 100% (para 369).
   */
  BASEL_II(1.06, 0.0003, 0.0003, 0.45, 0.35, 1.0),
  /**
   * EU CRR (Regulation 575/2013 before CRR3): the Basel II parameters but the dilution LGD, 75%
   * (Art. 161(1), pre-2025 text; CRR3 made it 100%).
   */
  CRR(1.06, 0.0003, 0.0003, 0.45, 0.35, 0.75),
  /**
   * Basel III final (CRE31/CRE32, 2023): no scaling, PD floor 0.05% (0.10% for QRRE, all of which
   * are treated as revolvers), F-IRB LGD 40% unsecured, 20% receivables, dilution LGD 100% (CRE34.8).
   */
  BASEL_III(1.0, 0.0005, 0.0010, 0.40, 0.20, 1.0);

  private final double scalingFactor;
  private final double pdFloor;
  private final double qrrePdFloor;
  private final double unsecuredLgd;
  private final double receivablesLgd;
  private final double dilutionLgd;

  IrbRegime(double scalingFactor, double pdFloor, double qrrePdFloor, double unsecuredLgd,
      double receivablesLgd, double dilutionLgd) {
    this.scalingFactor = scalingFactor;
    this.pdFloor = pdFloor;
    this.qrrePdFloor = qrrePdFloor;
    this.unsecuredLgd = unsecuredLgd;
    this.receivablesLgd = receivablesLgd;
    this.dilutionLgd = dilutionLgd;
  }

  /** The LGD of dilution risk on purchased receivables (1.0, or 0.75 under the pre-2025 CRR). */
  public double dilutionLgd() {
    return dilutionLgd;
  }

  /** The factor applied to IRB risk-weighted assets (1.06 or 1). */
  public double scalingFactor() {
    return scalingFactor;
  }

  /** The smallest PD the formulas may use for the asset class. */
  public double pdFloor(AssetClass assetClass) {
    return assetClass == AssetClass.QRRE ? qrrePdFloor : pdFloor;
  }

  /** The foundation-IRB supervisory LGD of a senior claim with the given collateral. */
  public double foundationLgd(Collateral collateral) {
    return collateral == Collateral.RECEIVABLES ? receivablesLgd : unsecuredLgd;
  }

  /**
   * Parses {@code basel2}, {@code basel_ii}, {@code crr}, {@code basel3}, {@code basel_iii}
   * ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted names otherwise
   */
  public static IrbRegime parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT).replace("-", "_");
    switch (t) {
      case "basel2": case "basel_2": case "basel_ii": case "baselii": return BASEL_II;
      case "crr": return CRR;
      case "basel3": case "basel_3": case "basel_iii": case "baseliii": return BASEL_III;
      default:
        throw new IllegalArgumentException(
            "unknown IRB regime '" + text + "'; expected basel2, crr or basel3");
    }
  }
}
