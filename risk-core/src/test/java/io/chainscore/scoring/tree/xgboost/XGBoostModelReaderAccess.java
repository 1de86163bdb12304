package io.chainscore.scoring.tree.xgboost;

/** Test access to package-private helpers of the reader. */
public final class XGBoostModelReaderAccess {
  private XGBoostModelReaderAccess() {}

  public static double probToMargin(float p) throws Exception {
    return XGBoostModelReader.probToMargin(p);
  }
}
