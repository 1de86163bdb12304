package io.chainscore.ifrs9;

import io.chainscore.portfolio.Exposure;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.SupplierScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * sector, asset class and grade, and with the stages of a previous run, the stage transfers.
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
   * @param migration a one-year grade migration matrix for the term structures, or null for a
   *     constant hazard equal to the 12-month PD
   * @param timing when in a period a loss is assumed to occur
   * @param defaultGrade the grade of a facility in default
   */
  public record Options(Staging staging, double effectiveInterestRate, IrbRegime regime, double assetCorrelation,
      List<Scenarios.Scenario> scenarios, MigrationMatrix migration, ExpectedCreditLoss.LossTiming timing,
      String defaultGrade) {
    /** Checks the options; messages name the option. */
    public Options {
      if (staging == null || regime == null || timing == null || defaultGrade == null) {
        throw new IllegalArgumentException("ECL options: staging, regime, loss timing and default grade are required");
      }
      if (!(effectiveInterestRate > -1) || Double.isInfinite(effectiveInterestRate)) {
        throw new IllegalArgumentException("effective interest rate: expected a rate above -1, got " + effectiveInterestRate);
      }
      if (!(assetCorrelation >= 0 && assetCorrelation < 1)) {
        throw new IllegalArgumentException("asset correlation: expected a value in [0, 1), got " + assetCorrelation);
      }
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
  public record Facility(String supplierId, String anchorId, String sector, String assetClass, String grade, double pd,
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
      List<Group> byAssetClass, List<Group> byGrade, List<Transfer> transfers, long derecognised) {}

  /**
   * Stages every exposure and computes its ECL.
   *
   * @param exposures the book, one facility per supplier
   * @param scores this run's scores, by supplier id
   * @param originationPds each facility's PD at initial recognition, by supplier id
   * @param daysPastDue days past due by supplier id (absent: 0)
   * @param previousStages the stages of the previous run by supplier id, or null for no transfers
   * @throws IllegalArgumentException naming the supplier when a facility has no score, a
   *     performing one has no origination PD, a grade is not in the migration matrix, or a
   *     facility has no maturity
   */
  public static Result compute(List<Exposure> exposures, Map<String, SupplierScore> scores,
      Map<String, Double> originationPds, Map<String, Integer> daysPastDue, Map<String, Staging.Stage> previousStages,
      Options options) {
    List<Facility> facilities = new ArrayList<>(exposures.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Exposure e : exposures) {
      if (!seen.add(e.supplierId())) {
        throw new IllegalArgumentException("exposures: supplier " + e.supplierId()
            + " has more than one facility; ECL expects one per supplier");
      }
      try {
        facilities.add(facility(e, scores, originationPds, daysPastDue, previousStages, options));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("supplier " + e.supplierId() + ": " + ex.getMessage(), ex);
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
        groups(facilities, Facility::assetClass), groups(facilities, Facility::grade),
        previousStages == null ? List.of() : transfers(facilities), derecognised);
  }

  private static Facility facility(Exposure e, Map<String, SupplierScore> scores, Map<String, Double> originationPds,
      Map<String, Integer> daysPastDue, Map<String, Staging.Stage> previousStages, Options options) {
    SupplierScore score = scores.get(e.supplierId());
    if (score == null) {
      throw new IllegalArgumentException("no score for this facility in the score run");
    }
    double maturity = e.maturityYears();
    if (Double.isNaN(maturity)) {
      throw new IllegalArgumentException("maturity_years is missing; lifetime ECL needs the contractual maturity");
    }
    boolean defaulted = score.grade().equals(options.defaultGrade()) || score.pd() >= 1;
    Double origination = originationPds.get(e.supplierId());
    double originationPd = origination == null ? Double.NaN : origination;
    int dpd = daysPastDue.getOrDefault(e.supplierId(), 0);
    Staging.Assessment assessment = options.staging().assess(score.pd(), originationPd, dpd, defaulted);
    double ead = e.ead();
    double lgd = e.lgd(options.regime());
    double ecl12;
    double eclLife;
    if (assessment.stage() == Staging.Stage.STAGE_3) {
      ecl12 = lgd * ead;
      eclLife = lgd * ead;
    } else {
      double[] hazards = hazards(score, maturity, options);
      ecl12 = 0;
      eclLife = 0;
      List<Scenarios.Scenario> scenarios = options.scenarios();
      if (scenarios.isEmpty()) {
        ExpectedCreditLoss ecl = ecl(hazards, lgd, ead, maturity, options);
        ecl12 = ecl.twelveMonth();
        eclLife = ecl.lifetime();
      } else {
        for (Scenarios.Scenario s : scenarios) {
          double[] conditional = new double[hazards.length];
          for (int t = 0; t < hazards.length; t++) {
            conditional[t] = Scenarios.conditionalPd(hazards[t], options.assetCorrelation(), s.factor());
          }
          ExpectedCreditLoss ecl = ecl(conditional, lgd, ead, maturity, options);
          ecl12 += s.weight() * ecl.twelveMonth();
          eclLife += s.weight() * ecl.lifetime();
        }
      }
    }
    double chosen = assessment.stage() == Staging.Stage.STAGE_1 ? ecl12 : eclLife;
    Staging.Stage previous = previousStages == null ? null : previousStages.get(e.supplierId());
    return new Facility(e.supplierId(), e.anchorId(), e.sector().code(), e.assetClass().name().toLowerCase(java.util.Locale.ROOT),
        score.grade(), score.pd(), originationPd, dpd, assessment.stage(), assessment.reason(), ead, lgd, maturity,
        ecl12, eclLife, chosen, previous);
  }

  /** Annual hazards over the whole years that cover the maturity. */
  private static double[] hazards(SupplierScore score, double maturity, Options options) {
    int years = Math.max(1, (int) Math.ceil(maturity - 1e-9));
    if (options.migration() == null) {
      double[] h = new double[years];
      Arrays.fill(h, score.pd());
      return h;
    }
    int grade = options.migration().grades().indexOf(score.grade());
    if (grade < 0) {
      throw new IllegalArgumentException("grade '" + score.grade() + "' is not in the migration matrix's grades "
          + options.migration().grades());
    }
    PdTermStructure ts = options.migration().termStructure(grade, years, 1.0);
    double[] h = new double[years];
    for (int t = 1; t <= years; t++) {
      h[t - 1] = ts.hazard(t);
    }
    return h;
  }

  private static ExpectedCreditLoss ecl(double[] hazards, double lgd, double ead, double maturity, Options options) {
    double[] lgds = new double[hazards.length];
    double[] eads = new double[hazards.length];
    Arrays.fill(lgds, lgd);
    Arrays.fill(eads, ead);
    return new ExpectedCreditLoss(PdTermStructure.ofHazards(1.0, hazards), lgds, eads,
        options.effectiveInterestRate(), maturity, options.timing());
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
    // Keyed by (previous stage or new, stage now), in stage order with new facilities last.
    Map<String, double[]> cells = new LinkedHashMap<>();
    Map<String, Staging.Stage[]> keys = new LinkedHashMap<>();
    List<Staging.Stage> from = new ArrayList<>(Arrays.asList(Staging.Stage.values()));
    from.add(null);
    for (Staging.Stage a : from) {
      for (Staging.Stage b : Staging.Stage.values()) {
        String k = a + ">" + b;
        cells.put(k, new double[3]);
        keys.put(k, new Staging.Stage[] {a, b});
      }
    }
    for (Facility f : facilities) {
      double[] c = cells.get(f.previousStage() + ">" + f.stage());
      c[0]++;
      c[1] += f.ead();
      c[2] += f.ecl();
    }
    List<Transfer> transfers = new ArrayList<>();
    cells.forEach((k, c) -> {
      if (c[0] > 0) {
        Staging.Stage[] ab = keys.get(k);
        transfers.add(new Transfer(ab[0], ab[1], (long) c[0], c[1], c[2]));
      }
    });
    return List.copyOf(transfers);
  }
}
