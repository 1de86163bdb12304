package io.chainscore.sim;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Sector;

/**
 * Behaviour of one simulated anchor: its size, payment habits, order seasonality and the sectors
 * of its suppliers. The names are fictitious.
 */
record AnchorProfile(
    Anchor anchor,
    double supplierWeight,
    int paymentTermsDays,
    double meanDaysPaidLate,
    int seasonalPeakMonth,
    double seasonalAmplitude,
    Sector[] supplierSectors,
    double[] supplierSectorWeights) {

  static final AnchorProfile[] DEFAULTS = {
    new AnchorProfile(
        new Anchor("A01", "Huaxin Mobile", Sector.CONSUMER_ELECTRONICS, 4.5e10), 0.32, 60, 3, 9, 0.25,
        new Sector[] {Sector.ELECTRONIC_COMPONENTS, Sector.GLASS, Sector.PLASTICS, Sector.PACKAGING, Sector.LOGISTICS},
        new double[] {0.35, 0.15, 0.15, 0.15, 0.20}),
    new AnchorProfile(
        new Anchor("A02", "Eastriver Motor Works", Sector.AUTOMOTIVE, 3.0e10), 0.24, 90, 6, 3, 0.10,
        new Sector[] {Sector.METAL_PARTS, Sector.ELECTRONIC_COMPONENTS, Sector.PLASTICS, Sector.TEXTILES, Sector.LOGISTICS},
        new double[] {0.35, 0.20, 0.20, 0.10, 0.15}),
    new AnchorProfile(
        new Anchor("A03", "Silkroad Apparel", Sector.APPAREL, 6.0e9), 0.14, 45, 8, 10, 0.30,
        new Sector[] {Sector.TEXTILES, Sector.PACKAGING, Sector.LOGISTICS},
        new double[] {0.60, 0.20, 0.20}),
    new AnchorProfile(
        new Anchor("A04", "Golden Harvest Foods", Sector.FOOD_AND_BEVERAGE, 9.0e9), 0.12, 30, 2, 1, 0.20,
        new Sector[] {Sector.FOOD_PROCESSING, Sector.PACKAGING, Sector.LOGISTICS},
        new double[] {0.55, 0.25, 0.20}),
    new AnchorProfile(
        new Anchor("A05", "Brightline Appliances", Sector.CONSUMER_ELECTRONICS, 1.2e10), 0.10, 60, 5, 11, 0.15,
        new Sector[] {Sector.ELECTRONIC_COMPONENTS, Sector.METAL_PARTS, Sector.PLASTICS, Sector.PACKAGING, Sector.LOGISTICS},
        new double[] {0.30, 0.25, 0.25, 0.10, 0.10}),
    new AnchorProfile(
        new Anchor("A06", "Evermart Retail", Sector.RETAIL, 2.0e10), 0.08, 45, 10, 12, 0.35,
        new Sector[] {Sector.FOOD_PROCESSING, Sector.TEXTILES, Sector.PACKAGING, Sector.LOGISTICS},
        new double[] {0.30, 0.20, 0.30, 0.20}),
  };

  /** Order-volume multiplier of the anchor's seasonality for a calendar month (1-12). */
  double season(int month) {
    return 1 + seasonalAmplitude * Math.cos(2 * Math.PI * (month - seasonalPeakMonth) / 12.0);
  }
}
