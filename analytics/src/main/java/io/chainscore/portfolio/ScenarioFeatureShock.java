package io.chainscore.portfolio;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.trade.Sector;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The feature-level part of a {@link StressScenario}, compiled against a {@link FeatureSchema}:
 * a pure function from a supplier's feature row (plus its anchor and sector) to the stressed row.
 *
 * <p>Feature names used (a feature absent from the schema is left alone):
 * <ul>
 *   <li>anchor volume shock with fall d = volume_drop_pct / 100, for suppliers of that anchor
 *       (the stress horizon is the most recent quarter):
 *       {@code invoiced_amount_3m} and {@code invoice_count_3m} x (1 - d);
 *       {@code invoiced_amount_6m}, {@code invoiced_amount_12m}, {@code invoiced_amount_24m} minus
 *       d x the original {@code invoiced_amount_3m}; {@code invoice_count_6m}, {@code
 *       invoice_count_12m}, {@code invoice_count_24m} minus d x the original {@code
 *       invoice_count_3m} (every window holds the latest quarter);
 *   <li>sector delay shock, for suppliers in that sector: {@code avg_days_paid_beyond_terms_3m},
 *       {@code avg_days_paid_beyond_terms_12m} + extra days; {@code on_time_delivery_rate_3m},
 *       {@code on_time_delivery_rate_12m} - drop;
 *   <li>the macro move changes no feature (it acts on conditional PDs).
 * </ul>
 * Missing values (NaN) stay missing; results are clamped to the feature's valid range.
 *
 * <p>Thread safety: immutable.
 */
public final class ScenarioFeatureShock {
  private final FeatureSchema schema;
  private final Map<String, Double> volumeDropByAnchor;
  private final Map<Sector, StressScenario.SectorDelayShock> delayBySector;
  private final int amount3m;
  private final int amount6m;
  private final int amount12m;
  private final int amount24m;
  private final int count3m;
  private final int count6m;
  private final int count12m;
  private final int count24m;
  private final int daysBeyondTerms3m;
  private final int daysBeyondTerms12m;
  private final int onTime3m;
  private final int onTime12m;
  private final int growth3mYoy;
  private final int growth6mVsPrior;

  private ScenarioFeatureShock(StressScenario scenario, FeatureSchema schema) {
    this.schema = schema;
    this.volumeDropByAnchor = new HashMap<>();
    for (StressScenario.AnchorVolumeShock s : scenario.anchorVolumeShocks()) {
      // Two shocks to one anchor compound: volume x (1 - d1)(1 - d2).
      double previous = volumeDropByAnchor.getOrDefault(s.anchorId(), 0.0);
      volumeDropByAnchor.put(s.anchorId(), 1 - (1 - previous) * (1 - s.volumeDropPercent() / 100));
    }
    this.delayBySector = new EnumMap<>(Sector.class);
    for (StressScenario.SectorDelayShock s : scenario.sectorDelayShocks()) {
      StressScenario.SectorDelayShock previous = delayBySector.get(s.sector());
      delayBySector.put(s.sector(), previous == null ? s
          : new StressScenario.SectorDelayShock(s.sector(),
              previous.extraDaysBeyondTerms() + s.extraDaysBeyondTerms(),
              Math.min(1, previous.onTimeDeliveryDrop() + s.onTimeDeliveryDrop())));
    }
    amount3m = schema.indexOf("invoiced_amount_3m");
    amount6m = schema.indexOf("invoiced_amount_6m");
    amount12m = schema.indexOf("invoiced_amount_12m");
    amount24m = schema.indexOf("invoiced_amount_24m");
    count3m = schema.indexOf("invoice_count_3m");
    count6m = schema.indexOf("invoice_count_6m");
    count12m = schema.indexOf("invoice_count_12m");
    count24m = schema.indexOf("invoice_count_24m");
    daysBeyondTerms3m = schema.indexOf("avg_days_paid_beyond_terms_3m");
    daysBeyondTerms12m = schema.indexOf("avg_days_paid_beyond_terms_12m");
    onTime3m = schema.indexOf("on_time_delivery_rate_3m");
    onTime12m = schema.indexOf("on_time_delivery_rate_12m");
    growth3mYoy = schema.indexOf("growth_3m_yoy");
    growth6mVsPrior = schema.indexOf("growth_6m_vs_prior_6m");
  }

  /**
   * Compiles the scenario's feature shocks against a schema.
   *
   * @throws IllegalArgumentException when the scenario has feature shocks but the schema has none
   *     of the features they act on (the stress would silently do nothing)
   */
  public static ScenarioFeatureShock compile(StressScenario scenario, FeatureSchema schema) {
    ScenarioFeatureShock shock = new ScenarioFeatureShock(scenario, schema);
    if (!scenario.anchorVolumeShocks().isEmpty() && shock.amount3m < 0 && shock.count3m < 0) {
      throw new IllegalArgumentException("stress scenario " + scenario.name()
          + ": anchor volume shocks need invoiced_amount_3m or invoice_count_3m in the feature schema");
    }
    if (!scenario.sectorDelayShocks().isEmpty() && shock.daysBeyondTerms12m < 0 && shock.daysBeyondTerms3m < 0
        && shock.onTime12m < 0 && shock.onTime3m < 0) {
      throw new IllegalArgumentException("stress scenario " + scenario.name()
          + ": sector delay shocks need avg_days_paid_beyond_terms_* or on_time_delivery_rate_* features");
    }
    return shock;
  }

  /** Whether the scenario touches a supplier with this anchor and sector at all. */
  public boolean affects(String anchorId, Sector sector) {
    return volumeDropByAnchor.containsKey(anchorId) || delayBySector.containsKey(sector);
  }

  /**
   * Writes the stressed row of a supplier into caller-owned {@code out} ({@code out} may be
   * {@code row} itself).
   *
   * @throws IllegalArgumentException when a row's width differs from the schema's
   */
  public void apply(double[] row, String anchorId, Sector sector, double[] out) {
    if (row.length != schema.size() || out.length != schema.size()) {
      throw new IllegalArgumentException("feature shock: rows must have " + schema.size()
          + " columns, got " + row.length + " and " + out.length);
    }
    if (out != row) {
      System.arraycopy(row, 0, out, 0, row.length);
    }
    Double drop = volumeDropByAnchor.get(anchorId);
    if (drop != null) {
      double d = drop;
      double amountQuarter = amount3m >= 0 ? row[amount3m] : Double.NaN;
      double countQuarter = count3m >= 0 ? row[count3m] : Double.NaN;
      set(out, amount3m, amountQuarter * (1 - d));
      set(out, count3m, countQuarter * (1 - d));
      if (amount3m >= 0) {
        set(out, amount6m, get(row, amount6m) - d * amountQuarter);
        set(out, amount12m, get(row, amount12m) - d * amountQuarter);
        set(out, amount24m, get(row, amount24m) - d * amountQuarter);
      }
      if (count3m >= 0) {
        set(out, count6m, get(row, count6m) - d * countQuarter);
        set(out, count12m, get(row, count12m) - d * countQuarter);
        set(out, count24m, get(row, count24m) - d * countQuarter);
      }
      // Growth ratios follow the latest quarter: the same months a year before are unchanged,
      // so 1 + g3 scales by (1 - d); the last six months lose d of their latest quarter.
      set(out, growth3mYoy, (1 + get(row, growth3mYoy)) * (1 - d) - 1);
      double amountHalf = get(row, amount6m);
      if (amountHalf > 0 && !Double.isNaN(amountQuarter)) {
        set(out, growth6mVsPrior, (1 + get(row, growth6mVsPrior)) * (amountHalf - d * amountQuarter) / amountHalf - 1);
      }
    }
    StressScenario.SectorDelayShock delay = delayBySector.get(sector);
    if (delay != null) {
      set(out, daysBeyondTerms3m, get(row, daysBeyondTerms3m) + delay.extraDaysBeyondTerms());
      set(out, daysBeyondTerms12m, get(row, daysBeyondTerms12m) + delay.extraDaysBeyondTerms());
      set(out, onTime3m, get(row, onTime3m) - delay.onTimeDeliveryDrop());
      set(out, onTime12m, get(row, onTime12m) - delay.onTimeDeliveryDrop());
    }
  }

  private static double get(double[] row, int column) {
    return column >= 0 ? row[column] : Double.NaN;
  }

  private void set(double[] out, int column, double value) {
    if (column < 0 || Double.isNaN(value)) {
      return;
    }
    FeatureSpec spec = schema.feature(column);
    out[column] = Math.max(spec.min(), Math.min(spec.max(), value));
  }
}
