package io.chainscore.features.engine;

import io.chainscore.trade.TradeRules;
import io.chainscore.trade.Sector;
import java.util.Arrays;

/**
 * The static columns of a portfolio's suppliers, indexed by dense supplier index {@code 0 ..
 * size()-1}; it fixes the number of suppliers, and so the memory, of a {@link FeatureEngine}.
 *
 * <p>{@code sector} holds {@link Sector#ordinal()}; {@code region} an index into the region
 * dictionary the caller keeps (the same one the model was trained with; -1 when unknown);
 * {@code registrationDay} an epoch day; {@code turnover} the declared annual turnover (0 when
 * unknown); {@code anchor} the buyer index of the anchor programme the supplier is enrolled in.
 * The arrays are copied and validated on construction.
 *
 * <p>Thread safety: immutable.
 */
public final class SupplierTable {
  private final int[] anchor;
  private final int[] sector;
  private final int[] region;
  private final int[] registrationDay;
  private final double[] turnover;
  private final int buyerCount;

  /**
   * Copies and validates the columns, which must have equal lengths.
   *
   * @param buyerCount number of buyers (anchors); buyer indexes run from 0 to {@code buyerCount-1}
   * @throws IllegalArgumentException naming the supplier row and column at fault
   */
  public SupplierTable(
      int[] anchor, int[] sector, int[] region, int[] registrationDay, double[] turnover, int buyerCount) {
    int n = anchor.length;
    if (sector.length != n || region.length != n || registrationDay.length != n || turnover.length != n) {
      throw new IllegalArgumentException("supplier table: columns must have equal lengths");
    }
    if (buyerCount < 1) {
      throw new IllegalArgumentException("supplier table: buyerCount must be at least 1, got " + buyerCount);
    }
    int sectors = Sector.values().length;
    for (int i = 0; i < n; i++) {
      if (anchor[i] < 0 || anchor[i] >= buyerCount) {
        throw bad(i, "anchor", anchor[i] + " is not a buyer index in [0, " + buyerCount + ")");
      }
      if (sector[i] < 0 || sector[i] >= sectors) {
        throw bad(i, "sector", sector[i] + " is not a sector ordinal in [0, " + sectors + ")");
      }
      if (region[i] < -1) {
        throw bad(i, "region", region[i] + " is not a region index (>= 0, or -1 for unknown)");
      }
      if (!Days.isValid(registrationDay[i])) {
        throw bad(i, "registrationDay", Days.describe(registrationDay[i]) + " is outside " + Days.RANGE);
      }
      double t = turnover[i];
      if (!Double.isFinite(t) || t < 0 || t > TradeRules.MAX_AMOUNT) {
        throw bad(i, "turnover", t + " is not a finite amount in [0, " + TradeRules.MAX_AMOUNT + "]");
      }
    }
    this.anchor = anchor.clone();
    this.sector = sector.clone();
    this.region = region.clone();
    this.registrationDay = registrationDay.clone();
    this.turnover = turnover.clone();
    this.buyerCount = buyerCount;
  }

  /** Starts an empty table, to be filled supplier by supplier as a loader accepts them. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects the static columns of suppliers in supplier-index order: the one assembly of a
   * {@link SupplierTable} from rows that the batch loader and Spark's partitions share.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private int[] anchor = new int[1024];
    private int[] sector = new int[1024];
    private int[] region = new int[1024];
    private int[] registrationDay = new int[1024];
    private double[] turnover = new double[1024];
    private int size;

    private Builder() {}

    /**
     * Appends a supplier; its index is the number of suppliers added before it.
     *
     * @param anchorIndex buyer index of the supplier's anchor programme
     * @param supplierSector the supplier's sector
     * @param regionIndex index in the caller's region dictionary, -1 when unknown
     * @param registrationDay epoch day of registration
     * @param declaredTurnover declared annual turnover, 0 when unknown
     */
    public void add(int anchorIndex, Sector supplierSector, int regionIndex, int registrationDay,
        double declaredTurnover) {
      if (size == anchor.length) {
        int capacity = size * 2;
        anchor = Arrays.copyOf(anchor, capacity);
        sector = Arrays.copyOf(sector, capacity);
        region = Arrays.copyOf(region, capacity);
        this.registrationDay = Arrays.copyOf(this.registrationDay, capacity);
        turnover = Arrays.copyOf(turnover, capacity);
      }
      anchor[size] = anchorIndex;
      sector[size] = supplierSector.ordinal();
      region[size] = regionIndex;
      this.registrationDay[size] = registrationDay;
      turnover[size] = declaredTurnover;
      size++;
    }

    /** Number of suppliers added. */
    public int size() {
      return size;
    }

    /**
     * The table of the suppliers added, validated as by the constructor.
     *
     * @param buyerCount number of buyers (anchors)
     */
    public SupplierTable build(int buyerCount) {
      return new SupplierTable(Arrays.copyOf(anchor, size), Arrays.copyOf(sector, size), Arrays.copyOf(region, size),
          Arrays.copyOf(registrationDay, size), Arrays.copyOf(turnover, size), buyerCount);
    }
  }

  private static IllegalArgumentException bad(int row, String column, String problem) {
    return new IllegalArgumentException("supplier table row " + row + ": " + column + " " + problem);
  }

  /** Number of suppliers. */
  public int size() {
    return anchor.length;
  }

  /** Number of buyers (anchors). */
  public int buyerCount() {
    return buyerCount;
  }

  int anchor(int s) {
    return anchor[s];
  }

  int sector(int s) {
    return sector[s];
  }

  int region(int s) {
    return region[s];
  }

  int registrationDay(int s) {
    return registrationDay[s];
  }

  double turnover(int s) {
    return turnover[s];
  }

  @Override
  public String toString() {
    return "SupplierTable[" + size() + " suppliers, " + buyerCount + " buyers, anchors "
        + Arrays.toString(Arrays.copyOf(anchor, Math.min(5, anchor.length))) + "...]";
  }
}
