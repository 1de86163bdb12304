package io.chainscore.ifrs9;

import io.chainscore.portfolio.Exposure;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.MissingPdException;
import io.chainscore.portfolio.ObligorPd;
import io.chainscore.portfolio.SupplierScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * IFRS 9 expected credit loss of a supplier book from one score run: each facility is staged
 * against its PD at origination ({@link Staging}), given a PD term structure (a constant annual
 * hazard equal to its 12-month PD, or its grade's row of a one-year migration matrix), and its
 * 12-month or lifetime ECL ({@link ExpectedCreditLoss}) is computed per forward-looking scenario
 * and probability-weighted ({@link Scenarios}); the book's ECL is then summed by stage, anchor,
 * sector, asset class, product and grade, and with the stages of a previous run, the stage
 * transfers. A payables-finance facility is owed by its anchor: the anchor's PD counts.
 *
 * <p>The facility's EAD ({@code drawn + ccf undrawn}) is held to maturity (a bullet facility; the
 * exposure table has no amortisation profile); its LGD is the exposure's own estimate, else the
 * regime's foundation LGD for its collateral (conservative for IFRS 9, which asks for a best
 * estimate). A facility in default (its grade is the master scale's default grade, or its PD is 1)
 * is stage 3 with {@code ECL = LGD x EAD}.
 *
 * <p>Thread safety: stateless; {@link #compute} builds a new result each call.
 */
public final class PortfolioEcl {
  private PortfolioEcl() {}

  /**
   * Options of a run.
   *
   * @param staging the SICR thresholds and days-past-due backstop
   * @param effectiveInterestRate the annual EIR for discounting, above -1
   * @param regime supplies the foundation LGD of an exposure without its own
   * @param assetCorrelation the one-factor model's asset correlation for the scenarios, in [0, 1)
   * @param scenarios forward-looking scenarios whose weights sum to 1; empty for the unconditional
   *     PDs alone
   * @param migration a grade migration matrix over {@code migrationPeriodYears} for the term
   *     structures, or null for a constant hazard equal to the 12-month PD
   * @param migrationPeriodYears the period of one step of {@code migration} (1 for a one-year matrix)
   * @param timing when in a period a loss is assumed to occur
   * @param defaultGrade the grade of a facility in default
   * @param anchorPds the anchors' PDs now: the obligor PD of payables-finance facilities, which
   *     the anchor owes (their term structure is then a constant hazard, the anchor having no grade
   *     on the supplier scale)
   * @param originationAnchorPds the anchors' PDs at origination, for staging those facilities
   *     (an anchor missing here is compared with its own PD now: stage 1 but for days past due)
   * @param unscoredPd the 12-month PD of a facility whose supplier owes it and has no score this
   *     run (grade {@link ObligorPd#UNSCORED_GRADE}: a constant hazard, as an anchor's, since it
   *     has no grade on the migration matrix's scale; staged against its origination PD like any
   *     other), in (0, 1); NaN (the default) refuses such a facility ({@link MissingPdException})
   */
  public record Options(Staging staging, double effectiveInterestRate, IrbRegime regime, double assetCorrelation,
      List<Scenarios.Scenario> scenarios, MigrationMatrix migration, double migrationPeriodYears,
      ExpectedCreditLoss.LossTiming timing, String defaultGrade, Map<String, Double> anchorPds,
      Map<String, Double> originationAnchorPds, double unscoredPd) {
    /** The options without a PD for unscored suppliers: a facility without its score is refused. */
    public Options(Staging staging, double effectiveInterestRate, IrbRegime regime, double assetCorrelation,
        List<Scenarios.Scenario> scenarios, MigrationMatrix migration, double migrationPeriodYears,
        ExpectedCreditLoss.LossTiming timing, String defaultGrade, Map<String, Double> anchorPds,
        Map<String, Double> originationAnchorPds) {
      this(staging, effectiveInterestRate, regime, assetCorrelation, scenarios, migration, migrationPeriodYears,
          timing, defaultGrade, anchorPds, originationAnchorPds, Double.NaN);
    }

    /** These options with {@code pd} for the suppliers without a score (see the record's parameters). */
    public Options withUnscoredPd(double pd) {
      return new Options(staging, effectiveInterestRate, regime, assetCorrelation, scenarios, migration,
          migrationPeriodYears, timing, defaultGrade, anchorPds, originationAnchorPds, pd);
    }

    /** Checks the options; messages name the option. */
    public Options {
      if (!Double.isNaN(unscoredPd) && !(unscoredPd > 0 && unscoredPd < 1)) {
        throw new IllegalArgumentException("unscored PD: expected a PD above 0 and below 1, got " + unscoredPd);
      }
      if (staging == null || regime == null || timing == null || defaultGrade == null) {
        throw new IllegalArgumentException("ECL options: staging, regime, loss timing and default grade are required");
      }
      if (!(effectiveInterestRate > -1) || Double.isInfinite(effectiveInterestRate)) {
        throw new IllegalArgumentException("effective interest rate: expected a rate above -1, got " + effectiveInterestRate);
      }
      if (!(assetCorrelation >= 0 && assetCorrelation < 1)) {
        throw new IllegalArgumentException("asset correlation: expected a value in [0, 1), got " + assetCorrelation);
      }
      if (migration != null && !(migrationPeriodYears > 0 && migrationPeriodYears <= 5)) {
        throw new IllegalArgumentException("migration period: expected (0, 5] years, got " + migrationPeriodYears);
      }
      anchorPds = Map.copyOf(anchorPds);
      originationAnchorPds = Map.copyOf(originationAnchorPds);
      scenarios = List.copyOf(scenarios);
      if (!scenarios.isEmpty()) {
        Scenarios.check(scenarios.toArray(new Scenarios.Scenario[0]));
      }
    }
  }

  /**
   * One facility's staging and ECL.
   *
   * @param previousStage the stage in the previous run, or null when the facility is new to it
   * @param ecl the ECL its stage calls for: 12-month in stage 1, lifetime in stages 2 and 3
   */
  public record Facility(String supplierId, String anchorId, String sector, String assetClass, String product,
      String obligor, String grade, double pd,
      double originationPd, int daysPastDue, Staging.Stage stage, String stageReason, double ead, double lgd,
      double maturityYears, double ecl12Month, double eclLifetime, double ecl, Staging.Stage previousStage) {}

  /** Totals of a group of facilities, overall and by stage (index 0..2 for stages 1..3). */
  public record Group(String key, long facilities, double ead, double ecl, long[] facilitiesByStage,
      double[] eadByStage, double[] eclByStage) {
    /** The coverage ratio ECL / EAD (0 for an empty group). */
    public double coverage() {
      return ead == 0 ? 0 : ecl / ead;
    }
  }

  /** Facilities that moved from one stage (null: new to this run) to another since the previous run. */
  public record Transfer(Staging.Stage from, Staging.Stage to, long facilities, double ead, double ecl) {}

  /**
   * A run's result.
   *
   * @param derecognised facilities of the previous run that are no longer in the book
   */
  public record Result(List<Facility> facilities, Group total, List<Group> byAnchor, List<Group> bySector,
      List<Group> byAssetClass, List<Group> byProduct, List<Group> byGrade, List<Transfer> transfers,
      long derecognised) {}

  /**
   * A facility that cannot be measured: its position among the exposures given (the exposures
   * file's row for a caller that read them in order) and the supplier, with what was wrong.
   */
  public static final class FacilityRefused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int index;

    FacilityRefused(int index, String supplierId, IllegalArgumentException cause) {
      super("supplier " + supplierId + ": " + (cause instanceof io.chainscore.trade.TradeRecordException t
          ? t.field() + " " + t.problem() : cause.getMessage()), cause);
      this.index = index;
    }

    /** The facility's position among the exposures given, from 0. */
    public int index() {
      return index;
    }
  }

  /**
   * Stages every exposure and computes its ECL.
   *
   * @param exposures the book, one facility per supplier
   * @param scores this run's scores, by supplier id
   * @param originationPds each facility's PD at initial recognition, by supplier id
   * @param daysPastDue days past due by supplier id (absent: 0)
   * @param previousStages the stages of the previous run by supplier id, or null for no transfers
   * @throws MissingPdException at the first facility without the PD it needs ({@link ObligorPd}:
   *     the anchor's from the options' anchor PDs when the anchor owes it, else the supplier's
   *     score), checked for every facility before any is measured
   * @throws FacilityRefused naming the facility's index and the supplier when a performing facility has no
   *     origination PD, a grade is not in the migration matrix, or a facility has no maturity
   */
  public static Result compute(List<Exposure> exposures, Map<String, SupplierScore> scores,
      Map<String, Double> originationPds, Map<String, Integer> daysPastDue, Map<String, Staging.Stage> previousStages,
      Options options) {
    // Every facility's obligor PD is resolved before any facility is measured, so that a book with
    // a missing PD is refused at the first such facility, whatever faults others hold, and before
    // the term structures of the rest are computed.
    List<ObligorPd> obligors = new ArrayList<>(exposures.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < exposures.size(); i++) {
      Exposure e = exposures.get(i);
      if (!seen.add(e.supplierId())) {
        throw new IllegalArgumentException("exposures: supplier " + e.supplierId()
            + " has more than one facility; ECL expects one per supplier");
      }
      obligors.add(ObligorPd.of(i, e, scores, options.anchorPds(), options.unscoredPd()));
    }
    List<Facility> facilities = new ArrayList<>(exposures.size());
    for (int i = 0; i < exposures.size(); i++) {
      Exposure e = exposures.get(i);
      try {
        facilities.add(facility(e, obligors.get(i), originationPds, daysPastDue, previousStages, options));
      } catch (IllegalArgumentException ex) {
        throw new FacilityRefused(i, e.supplierId(), ex);
      }
    }
    long derecognised = 0;
    if (previousStages != null) {
      for (String id : previousStages.keySet()) {
        if (!seen.contains(id)) {
          derecognised++;
        }
      }
    }
    return new Result(List.copyOf(facilities), group("total", facilities),
        groups(facilities, Facility::anchorId), groups(facilities, Facility::sector),
        groups(facilities, Facility::assetClass), groups(facilities, Facility::product),
        byPd(groups(facilities, Facility::grade), facilities),
        previousStages == null ? List.of() : transfers(facilities), derecognised);
  }

  private static Facility facility(Exposure e, ObligorPd obligor, Map<String, Double> originationPds,
      Map<String, Integer> daysPastDue, Map<String, Staging.Stage> previousStages, Options options) {
    double maturity = e.maturityYears();
    if (Double.isNaN(maturity)) {
      // the exposures table's column, named as such by the reader of the table (TradeRecordException)
      throw new io.chainscore.trade.TradeRecordException("facility", e.supplierId(), "maturity_years",
          "is missing; lifetime ECL needs the contractual maturity");
    }
    boolean anchorOwes = obligor.anchor();
    double pdNow = obligor.pd();
    String grade = obligor.grade();   // empty for an anchor, which has none
    double originationPd;
    boolean defaulted;
    if (anchorOwes) {
      originationPd = options.originationAnchorPds().getOrDefault(e.anchorId(), pdNow);
      defaulted = pdNow >= 1;
    } else {
      defaulted = grade.equals(options.defaultGrade()) || pdNow >= 1;
      Double origination = originationPds.get(e.supplierId());
      originationPd = origination == null ? Double.NaN : origination;
    }
    int dpd = daysPastDue.getOrDefault(e.supplierId(), 0);
    Staging.Assessment assessment = options.staging().assess(pdNow, originationPd, dpd, defaulted);
    double ead = e.ead();
    double lgd = e.lgd(options.regime());
    double ecl12;
    double eclLife;
    if (assessment.stage() == Staging.Stage.STAGE_3) {
      ecl12 = lgd * ead;
      eclLife = lgd * ead;
    } else {
      // an anchor and an unscored supplier have no grade on the matrix's scale: a constant hazard
      boolean constantHazard = anchorOwes || grade.equals(ObligorPd.UNSCORED_GRADE);
      double period = options.migration() == null || constantHazard ? 1.0 : options.migrationPeriodYears();
      double[] hazards = hazards(grade, pdNow, maturity, period, constantHazard ? null : options.migration());
      ecl12 = 0;
      eclLife = 0;
      List<Scenarios.Scenario> scenarios = options.scenarios();
      if (scenarios.isEmpty()) {
        ExpectedCreditLoss ecl = ecl(hazards, period, lgd, ead, maturity, options);
        ecl12 = ecl.twelveMonth();
        eclLife = ecl.lifetime();
      } else {
        for (Scenarios.Scenario s : scenarios) {
          double[] conditional = new double[hazards.length];
          for (int t = 0; t < hazards.length; t++) {
            conditional[t] = Scenarios.conditionalPd(hazards[t], options.assetCorrelation(), s.factor());
          }
          ExpectedCreditLoss ecl = ecl(conditional, period, lgd, ead, maturity, options);
          ecl12 += s.weight() * ecl.twelveMonth();
          eclLife += s.weight() * ecl.lifetime();
        }
      }
    }
    double chosen = assessment.stage() == Staging.Stage.STAGE_1 ? ecl12 : eclLife;
    Staging.Stage previous = previousStages == null ? null : previousStages.get(e.supplierId());
    return new Facility(e.supplierId(), e.anchorId(), e.sector().code(), e.assetClass().name().toLowerCase(java.util.Locale.ROOT),
        e.product().code(), anchorOwes ? e.anchorId() : e.supplierId(),
        // a facility without a grade (one the anchor owes, a score without a grade) is reported
        // under its PD's CR6 band, as portfolio reports it (until 2026-12-08 the anchor's as
        // "anchor", the score's under an empty, unlabelled grade); its term structure is a constant
        // hazard, or, for a score, refused with a migration matrix (no row of its grade)
        obligor.gradeOr(io.chainscore.portfolio.PortfolioAnalysis::cr6Band), pdNow, originationPd, dpd,
        assessment.stage(), assessment.reason(), ead, lgd, maturity, ecl12, eclLife, chosen, previous);
  }

  /**
   * Per-period hazards over the periods that cover the maturity: a constant hazard per year equal
   * to the 12-month PD, or the grade's row of the migration matrix chained period by period.
   */
  private static double[] hazards(String grade, double pd, double maturity, double period, MigrationMatrix migration) {
    int periods = Math.max(1, (int) Math.ceil(maturity / period - 1e-9));
    if (migration == null) {
      double[] h = new double[periods];
      Arrays.fill(h, pd);
      return h;
    }
    int index = migration.grades().indexOf(grade);
    if (index < 0) {
      throw new IllegalArgumentException("grade '" + grade + "' is not in the migration matrix's grades "
          + migration.grades());
    }
    PdTermStructure ts = migration.termStructure(index, periods, period);
    double[] h = new double[periods];
    for (int t = 1; t <= periods; t++) {
      h[t - 1] = ts.hazard(t);
    }
    return h;
  }

  private static ExpectedCreditLoss ecl(double[] hazards, double period, double lgd, double ead, double maturity,
      Options options) {
    double[] lgds = new double[hazards.length];
    double[] eads = new double[hazards.length];
    Arrays.fill(lgds, lgd);
    Arrays.fill(eads, ead);
    return new ExpectedCreditLoss(PdTermStructure.ofHazards(period, hazards), lgds, eads,
        options.effectiveInterestRate(), maturity, options.timing());
  }

  /**
   * Estimates a migration matrix from two consecutive score runs (cohort method): every obligor
   * scored in both runs moves from its grade in the earlier run to its grade in the later one, or
   * to default when it defaulted in between (the lender's default register, or the simulator's
   * labels). The grades are those of the earlier run that are not {@code defaultGrade}, best first
   * (by their mean PD); an obligor already in default in the earlier run is left out.
   *
   * @param defaultedBetween obligors that defaulted after the earlier run, up to the later one
   */
  public static MigrationMatrix migrationFrom(List<SupplierScore> earlier, List<SupplierScore> later,
      java.util.Set<String> defaultedBetween, String defaultGrade) {
    Map<String, double[]> pdByGrade = new TreeMap<>();
    for (SupplierScore s : earlier) {
      if (!s.grade().equals(defaultGrade) && !s.grade().isEmpty()) {
        double[] a = pdByGrade.computeIfAbsent(s.grade(), k -> new double[2]);
        a[0] += s.pd();
        a[1]++;
      }
    }
    List<String> grades = new ArrayList<>(pdByGrade.keySet());
    grades.sort(java.util.Comparator.comparingDouble((String g) -> pdByGrade.get(g)[0] / pdByGrade.get(g)[1])
        .thenComparing(g -> g));
    Map<String, String> laterGrade = new java.util.HashMap<>();
    for (SupplierScore s : later) {
      laterGrade.put(s.supplierId(), s.grade());
    }
    List<Integer> from = new ArrayList<>();
    List<Integer> to = new ArrayList<>();
    for (SupplierScore s : earlier) {
      int i = grades.indexOf(s.grade());
      if (i < 0) {
        continue;
      }
      String end = laterGrade.get(s.supplierId());
      int j;
      if (defaultedBetween.contains(s.supplierId()) || defaultGrade.equals(end)) {
        j = grades.size();
      } else if (end == null || grades.indexOf(end) < 0) {
        continue;  // left the book, or moved to a grade the earlier run did not use
      } else {
        j = grades.indexOf(end);
      }
      from.add(i);
      to.add(j);
    }
    if (from.isEmpty()) {
      throw new IllegalArgumentException("migration: no obligor is graded in both runs");
    }
    return MigrationMatrix.estimate(grades, from.stream().mapToInt(Integer::intValue).toArray(),
        to.stream().mapToInt(Integer::intValue).toArray());
  }

  private static List<Group> groups(List<Facility> facilities, Function<Facility, String> key) {
    Map<String, List<Facility>> byKey = new TreeMap<>();
    for (Facility f : facilities) {
      byKey.computeIfAbsent(key.apply(f), k -> new ArrayList<>()).add(f);
    }
    List<Group> groups = new ArrayList<>();
    byKey.forEach((k, list) -> groups.add(group(k, list)));
    return List.copyOf(groups);
  }

  /**
   * The grade groups best first, by their EAD-weighted PD (their plain mean PD where the group's
   * EAD is 0), then by name: as {@code portfolio} orders its grades. Grades are labels (a master
   * scale's {@code 1}..{@code 12}, CR6 bands, {@code unscored}), so text order put {@code 10}
   * before {@code 2} (until 2026-12-08).
   */
  private static List<Group> byPd(List<Group> groups, List<Facility> facilities) {
    Map<String, double[]> pd = new java.util.HashMap<>();   // per grade: sum EAD x PD, sum EAD, sum PD, count
    for (Facility f : facilities) {
      double[] a = pd.computeIfAbsent(f.grade(), k -> new double[4]);
      a[0] += f.ead() * f.pd();
      a[1] += f.ead();
      a[2] += f.pd();
      a[3]++;
    }
    java.util.function.ToDoubleFunction<Group> meanPd = g -> {
      double[] a = pd.get(g.key());
      return a[1] > 0 ? a[0] / a[1] : a[2] / a[3];
    };
    List<Group> sorted = new ArrayList<>(groups);
    sorted.sort(java.util.Comparator.comparingDouble(meanPd).thenComparing(Group::key));
    return List.copyOf(sorted);
  }

  private static Group group(String key, List<Facility> facilities) {
    long[] n = new long[3];
    double[] ead = new double[3];
    double[] ecl = new double[3];
    double totalEad = 0;
    double totalEcl = 0;
    for (Facility f : facilities) {
      int s = f.stage().ordinal();
      n[s]++;
      ead[s] += f.ead();
      ecl[s] += f.ecl();
      totalEad += f.ead();
      totalEcl += f.ecl();
    }
    return new Group(key, facilities.size(), totalEad, totalEcl, n, ead, ecl);
  }

  private static List<Transfer> transfers(List<Facility> facilities) {
    // cells[from][to] = {facilities, EAD, ECL}; from 0..2 are stages 1..3, 3 is "new to the book".
    Staging.Stage[] stages = Staging.Stage.values();
    double[][][] cells = new double[stages.length + 1][stages.length][3];
    for (Facility f : facilities) {
      double[] c = cells[f.previousStage() == null ? stages.length : f.previousStage().ordinal()][f.stage().ordinal()];
      c[0]++;
      c[1] += f.ead();
      c[2] += f.ecl();
    }
    List<Transfer> transfers = new ArrayList<>();
    for (int from = 0; from <= stages.length; from++) {
      for (int to = 0; to < stages.length; to++) {
        double[] c = cells[from][to];
        if (c[0] > 0) {
          transfers.add(new Transfer(from == stages.length ? null : stages[from], stages[to], (long) c[0], c[1], c[2]));
        }
      }
    }
    return List.copyOf(transfers);
  }
}
