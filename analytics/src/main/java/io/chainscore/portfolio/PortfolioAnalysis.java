package io.chainscore.portfolio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Computes a {@link PortfolioReport} from exposures and scores: EL and IRB capital with
 * concentrations by anchor, sector and grade, the Monte Carlo loss distribution, and stress
 * comparisons.
 *
 * <p>The macro part of a scenario is applied here in full: every PD becomes the conditional PD
 * N((G(PD) - sqrt(rho) z) / sqrt(1 - rho)) with rho the model's macro correlation (anchors use
 * their own macro correlation), and the simulation is re-run with the same seed. Anchor and
 * sector shocks act on features, so their effect arrives as rescored PDs through {@link
 * #report(StressScenario, double[])}.
 *
 * <p>An exposure whose supplier's score carries the default grade ({@link Builder#defaultGrade},
 * {@code D} by default) is in default: it takes PD = 1 whatever PD the score gives, so its K is
 * {@code max(0, LGD - ELBE)} with the best estimate ELBE = LGD, i.e. 0 (basel-irb.md, defaulted
 * exposure), its regulatory and horizon EL are {@code LGD x EAD}, and the simulation counts it as a
 * certain loss, lost in every scenario, so that its mean loss is still the EL; a stress scenario
 * leaves it at PD 1 (a rescored or macro-shifted PD of a defaulted obligor means nothing). A score
 * of PD 1 is a default in any grade.
 *
 * <p>Thread safety: immutable; report methods may run concurrently.
 */
public final class PortfolioAnalysis {
  /** EU Pillar 3 CR6 PD bands, used as grades when none are supplied. */
  private static final double[] CR6_UPPER = {0.0015, 0.0025, 0.005, 0.0075, 0.025, 0.10, 1.0};
  private static final String[] CR6_LABEL = {"0.00-<0.15%", "0.15-<0.25%", "0.25-<0.50%",
    "0.50-<0.75%", "0.75-<2.50%", "2.50-<10.00%", "10.00-<100%", "100% (default)"};

  private final List<Exposure> exposures;
  private final double[] pds;
  /** Whether each exposure's obligor is in default (its PD is then 1), in exposure order. */
  private final boolean[] defaulted;
  private final String[] grades;
  private final IrbRegime regime;
  private final CreditPortfolioConfig simulation;
  private final DoubleFunction<String> gradeFunction;
  private final int topSuppliers;
  /** Each exposure's default-risk EAD ({@link CapitalCalculator#defaultRiskEad}), in exposure order. */
  private final double[] defaultRiskEads;

  private PortfolioAnalysis(Builder b) {
    this.exposures = b.exposures;
    this.regime = b.regime;
    this.simulation = b.simulation;
    this.gradeFunction = b.gradeFunction;
    this.topSuppliers = b.topSuppliers;
    Map<String, SupplierScore> byId = new HashMap<>();
    for (SupplierScore s : b.scores) {
      if (byId.put(s.supplierId(), s) != null) {
        throw new IllegalArgumentException("scores: supplier " + s.supplierId() + " is scored twice");
      }
    }
    pds = new double[exposures.size()];
    defaulted = new boolean[exposures.size()];
    grades = new String[exposures.size()];
    defaultRiskEads = new double[exposures.size()];
    CapitalCalculator calculator = CapitalCalculator.of(regime);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < exposures.size(); i++) {
      String id = exposures.get(i).supplierId();
      if (!seen.add(id)) {
        throw new IllegalArgumentException("exposures: supplier " + id
            + " appears twice; aggregate its facilities into one exposure");
      }
      ObligorPd obligor = ObligorPd.of(i, exposures.get(i), byId, b.anchorPds);
      if (obligor.anchor() && b.simulation != null) {
        // The simulated losses and the EL and capital must rest on the same PD of the same anchor.
        Double simulated = b.simulation.anchorPds().get(obligor.obligorId());
        if (simulated == null || simulated.doubleValue() != obligor.pd()) {
          throw new IllegalArgumentException("anchor " + obligor.obligorId() + ": the simulation's anchor PD "
              + simulated + " differs from the obligor PD " + obligor.pd() + "; give both the same anchor PDs");
        }
      }
      // a defaulted supplier's score PD is the model's view of a performing one: PD 1 instead
      defaulted[i] = obligor.pd() >= 1 || !obligor.anchor() && obligor.grade().equals(b.defaultGrade);
      pds[i] = defaulted[i] ? 1.0 : obligor.pd();
      defaultRiskEads[i] = calculator.defaultRiskEad(exposures.get(i));
      grades[i] = obligor.gradeOr(gradeFunction);
    }
  }

  /** A builder; exposures and scores are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The PD of each exposure, in exposure order (a copy): 1 for an exposure in default. */
  public double[] pds() {
    return pds.clone();
  }

  /** The exposures analysed. */
  public List<Exposure> exposures() {
    return exposures;
  }

  /** The grade of a PD under the EU Pillar 3 CR6 PD bands. */
  public static String cr6Band(double pd) {
    for (int k = 0; k < CR6_UPPER.length; k++) {
      if (pd < CR6_UPPER[k]) {
        return CR6_LABEL[k];
      }
    }
    return CR6_LABEL[CR6_LABEL.length - 1];
  }

  /** The baseline report, without a scenario. */
  public PortfolioReport report() {
    return assemble(run(pds, simulation), null);
  }

  /**
   * The baseline report with the macro part of the scenario applied to the scored PDs. When the
   * scenario also has feature shocks, the comparison says {@code featureShocksApplied = false}.
   */
  public PortfolioReport report(StressScenario scenario) {
    return report(scenario, pds, false);
  }

  /**
   * Refuses a scenario whose anchor shock names an anchor none of the exposures has, or whose
   * sector shock names a sector none of them is in: it would change nothing, and a stress test
   * weakened by a slip must not pass silently (as a code that is no sector is refused when the
   * scenario is read; {@code food_and_beverage} is a sector, but a book of {@code food_processing}
   * suppliers has none, and until 2026-12-07 such a shock ran as no shock). The reports with a
   * scenario call it first.
   *
   * @throws IllegalArgumentException naming the shock, the anchor or sector and the book's ones
   */
  public void requireBookAnchors(StressScenario scenario) {
    java.util.Set<String> anchors = new java.util.TreeSet<>();
    java.util.Set<String> sectors = new java.util.TreeSet<>();
    for (Exposure e : exposures) {
      anchors.add(e.anchorId());
      sectors.add(e.sector().code());
    }
    List<StressScenario.AnchorVolumeShock> shocks = scenario.anchorVolumeShocks();
    for (int i = 0; i < shocks.size(); i++) {
      String anchor = shocks.get(i).anchorId();
      if (!anchors.contains(anchor)) {
        throw new IllegalArgumentException("anchor_volume_shocks[" + i + "]: anchor '" + anchor
            + "' has no exposure in the book (its anchors: " + firstTen(anchors) + ")");
      }
    }
    List<StressScenario.SectorDelayShock> delays = scenario.sectorDelayShocks();
    for (int i = 0; i < delays.size(); i++) {
      String sector = delays.get(i).sector().code();
      if (!sectors.contains(sector)) {
        throw new IllegalArgumentException("sector_delay_shocks[" + i + "]: sector '" + sector
            + "' has no exposure in the book (its sectors: " + firstTen(sectors) + ")");
      }
    }
  }

  private static String firstTen(java.util.Set<String> names) {
    return names.size() <= 10 ? String.join(", ", names)
        : String.join(", ", new ArrayList<>(names).subList(0, 10)) + ", ... (" + names.size() + ")";
  }

  /**
   * The baseline report with a scenario whose feature shocks were applied upstream: {@code
   * rescoredPds} are the scorer's PDs on the stressed feature rows (see {@link
   * ScenarioFeatureShock}), in exposure order; the macro move is applied on top of them.
   */
  public PortfolioReport report(StressScenario scenario, double[] rescoredPds) {
    if (rescoredPds.length != exposures.size()) {
      throw new IllegalArgumentException("rescored PDs: expected " + exposures.size() + ", got "
          + rescoredPds.length);
    }
    for (int i = 0; i < rescoredPds.length; i++) {
      if (!(rescoredPds[i] >= 0 && rescoredPds[i] <= 1)) {
        throw new IllegalArgumentException("rescored PD of supplier " + exposures.get(i).supplierId()
            + " must be in [0, 1], got " + rescoredPds[i]);
      }
    }
    return report(scenario, rescoredPds, true);
  }

  private PortfolioReport report(StressScenario scenario, double[] shockedPds, boolean rescored) {
    requireBookAnchors(scenario);
    Run baseline = run(pds, simulation);
    double z = scenario.macroFactorShift();
    CreditPortfolioConfig model = simulation == null ? CreditPortfolioConfig.defaults() : simulation;
    double[] stressedPds = new double[pds.length];
    for (int i = 0; i < pds.length; i++) {
      // An exposure the anchor owes keeps the anchor's PD (feature shocks rescore suppliers, not
      // anchors) and moves with the macro factor at the anchors' correlation, as the simulation's
      // anchor defaults do.
      boolean anchorOwes = exposures.get(i).product().anchorObligor();
      double shocked = anchorOwes || defaulted[i] ? pds[i] : shockedPds[i];
      double rho = anchorOwes ? model.anchorMacroCorrelation() : model.macroCorrelation();
      stressedPds[i] = z == 0 ? shocked : Vasicek.conditionalPd(shocked, rho, z);
    }
    Run stressed = run(stressedPds, simulation == null ? null : simulation.withAnchorMacroStress(z));
    double maxIncrease = 0;
    int down = 0;
    int up = 0;
    Map<String, Integer> migrations = new LinkedHashMap<>();
    for (int i = 0; i < pds.length; i++) {
      maxIncrease = Math.max(maxIncrease, stressedPds[i] - pds[i]);
      String from = gradeFunction.apply(pds[i]);
      String to = gradeFunction.apply(stressedPds[i]);
      if (!from.equals(to)) {
        if (stressedPds[i] > pds[i]) {
          down++;
        } else {
          up++;
        }
        migrations.merge(from + "\u0000" + to, 1, Integer::sum);
      }
    }
    List<PortfolioReport.GradeMigration> migrationList = new ArrayList<>();
    for (Map.Entry<String, Integer> e : migrations.entrySet()) {
      String[] parts = e.getKey().split("\u0000", 2);
      migrationList.add(new PortfolioReport.GradeMigration(parts[0], parts[1], e.getValue()));
    }
    migrationList.sort(Comparator.comparingInt(PortfolioReport.GradeMigration::suppliers).reversed()
        .thenComparing(PortfolioReport.GradeMigration::from).thenComparing(PortfolioReport.GradeMigration::to));
    List<PortfolioReport.TailChange> tail = new ArrayList<>();
    if (baseline.result != null) {
      for (int l = 0; l < baseline.result.tail().size(); l++) {
        LossDistributionResult.TailMeasure b = baseline.result.tail().get(l);
        LossDistributionResult.TailMeasure s = stressed.result.tail().get(l);
        tail.add(new PortfolioReport.TailChange(b.level(), b.valueAtRisk(), s.valueAtRisk(),
            b.expectedShortfall(), s.expectedShortfall()));
      }
    }
    PortfolioReport.ScenarioComparison comparison = new PortfolioReport.ScenarioComparison(
        scenario, rescored || !scenario.hasFeatureShocks(), baseline.totals, stressed.totals,
        stressed.totals.averagePd() - baseline.totals.averagePd(), maxIncrease, down, up,
        List.copyOf(migrationList), List.copyOf(tail));
    return assemble(baseline, comparison);
  }

  /** Capital totals and (optionally) the simulation for one PD vector. */
  private static final class Run {
    PortfolioReport.Totals totals;
    List<PortfolioReport.Breakdown> byAnchor;
    List<PortfolioReport.Breakdown> bySector;
    List<PortfolioReport.Breakdown> byGrade;
    List<PortfolioReport.Breakdown> byProduct;
    LossDistributionResult result;
  }

  private Run run(double[] pd, CreditPortfolioConfig sim) {
    CapitalCalculator calculator = CapitalCalculator.of(regime);
    int n = exposures.size();
    Map<String, Accumulator> anchors = new LinkedHashMap<>();
    Map<String, Accumulator> sectors = new LinkedHashMap<>();
    Map<String, Accumulator> gradeGroups = new LinkedHashMap<>();
    Map<String, Accumulator> products = new LinkedHashMap<>();
    Accumulator all = new Accumulator();
    double[] horizon = new double[n];
    for (int i = 0; i < n; i++) {
      Exposure e = exposures.get(i);
      CapitalCalculator.ExposureCapital c = calculator.evaluate(e, pd[i]);
      horizon[i] = CapitalCalculator.horizonPd(pd[i], e.maturityYears());
      double el = CapitalCalculator.expectedLoss(c, pd[i], e.maturityYears());
      all.add(c, el, pd[i]);
      anchors.computeIfAbsent(e.anchorId(), k -> new Accumulator()).add(c, el, pd[i]);
      sectors.computeIfAbsent(e.sector().code(), k -> new Accumulator()).add(c, el, pd[i]);
      String grade = pd == pds ? grades[i] : gradeFunction.apply(pd[i]);
      gradeGroups.computeIfAbsent(grade, k -> new Accumulator()).add(c, el, pd[i]);
      products.computeIfAbsent(e.product().code(), k -> new Accumulator()).add(c, el, pd[i]);
    }
    Run run = new Run();
    run.totals = all.totals();
    run.byAnchor = breakdown(anchors, all.ead, Comparator.comparingDouble(
        (PortfolioReport.Breakdown b) -> b.totals().ead()).reversed());
    run.bySector = breakdown(sectors, all.ead, Comparator.comparingDouble(
        (PortfolioReport.Breakdown b) -> b.totals().ead()).reversed());
    run.byGrade = breakdown(gradeGroups, all.ead, Comparator.comparingDouble(
        (PortfolioReport.Breakdown b) -> b.totals().averagePd()));
    run.byProduct = breakdown(products, all.ead, Comparator.comparingDouble(
        (PortfolioReport.Breakdown b) -> b.totals().ead()).reversed());
    if (sim != null) {
      // One-year losses: an exposure that runs off sooner defaults within its own horizon only.
      run.result = CreditPortfolioSimulation.of(exposures, horizon, regime, sim).run();
    }
    return run;
  }

  private static List<PortfolioReport.Breakdown> breakdown(Map<String, Accumulator> groups,
      double totalEad, Comparator<PortfolioReport.Breakdown> order) {
    List<PortfolioReport.Breakdown> out = new ArrayList<>(groups.size());
    for (Map.Entry<String, Accumulator> e : groups.entrySet()) {
      Accumulator a = e.getValue();
      out.add(new PortfolioReport.Breakdown(e.getKey(), a.count, a.totals(),
          totalEad > 0 ? a.ead / totalEad : 0.0));
    }
    out.sort(order.thenComparing(PortfolioReport.Breakdown::key));
    return List.copyOf(out);
  }

  private static final class Accumulator {
    int count;
    double ead;
    double el;
    double regulatoryEl;
    double rwa;
    double capital;
    double pdTimesEad;
    double dilutionEl;
    double dilutionRwa;
    double dilutionCapital;

    void add(CapitalCalculator.ExposureCapital c, double expectedLoss, double pd) {
      count++;
      dilutionEl += c.dilutionExpectedLoss();
      dilutionRwa += c.dilutionRwa();
      dilutionCapital += c.dilutionCapital();
      ead += c.ead();
      el += expectedLoss;
      regulatoryEl += c.expectedLoss();
      rwa += c.rwa();
      capital += c.capital();
      pdTimesEad += pd * c.ead();
    }

    PortfolioReport.Totals totals() {
      return new PortfolioReport.Totals(ead, el, regulatoryEl, rwa, capital, ead > 0 ? pdTimesEad / ead : 0.0,
          dilutionEl, dilutionRwa, dilutionCapital);
    }
  }

  private PortfolioReport assemble(Run baseline, PortfolioReport.ScenarioComparison scenario) {
    PortfolioReport.Simulation sim = null;
    if (baseline.result != null) {
      LossDistributionResult r = baseline.result;
      List<PortfolioReport.Tail> tails = new ArrayList<>();
      for (LossDistributionResult.TailMeasure t : r.tail()) {
        tails.add(new PortfolioReport.Tail(t.level(), t.valueAtRisk(), t.valueAtRiskStandardError(),
            t.expectedShortfall(), t.expectedShortfallStandardError(), t.byAnchor(), t.bySector(),
            byProduct(t), topSuppliers(t)));
      }
      sim = new PortfolioReport.Simulation(r.simulations(), r.seed(), r.importanceShift(),
          simulation.contagion(), r.meanLoss(), r.meanLossStandardError(), List.copyOf(tails),
          r.histogram().edges(), r.histogram().probabilities());
    }
    return new PortfolioReport(regime.name(), exposures.size(), baseline.totals, baseline.byAnchor,
        baseline.bySector, baseline.byGrade, baseline.byProduct, sim, scenario);
  }

  /** Euler contributions summed by product, largest ES first (the per-supplier ones add up). */
  private List<LossDistributionResult.Contribution> byProduct(LossDistributionResult.TailMeasure t) {
    Map<String, double[]> sums = new LinkedHashMap<>();
    double[] var = t.supplierValueAtRisk();
    double[] es = t.supplierExpectedShortfall();
    if (es.length == 0) {
      return List.of();
    }
    for (int i = 0; i < exposures.size(); i++) {
      double[] a = sums.computeIfAbsent(exposures.get(i).product().code(), k -> new double[3]);
      a[0]++;
      a[1] += var[i];
      a[2] += es[i];
    }
    List<LossDistributionResult.Contribution> out = new ArrayList<>();
    // The suppliers' errors share the tail scenarios, so their sum's standard error is not the root
    // of their squares: none is given (NaN) rather than a wrong one.
    sums.forEach((k, a) -> out.add(new LossDistributionResult.Contribution(k, (int) a[0], a[1], a[2], Double.NaN)));
    out.sort(Comparator.comparingDouble((LossDistributionResult.Contribution c) -> -c.expectedShortfall())
        .thenComparing(LossDistributionResult.Contribution::key));
    return List.copyOf(out);
  }

  private List<PortfolioReport.SupplierContribution> topSuppliers(LossDistributionResult.TailMeasure t) {
    Integer[] index = new Integer[exposures.size()];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    double[] es = t.supplierExpectedShortfall();
    if (es.length == 0) {
      return List.of();
    }
    java.util.Arrays.sort(index, Comparator.<Integer>comparingDouble(i -> -es[i]).thenComparingInt(i -> i));
    List<PortfolioReport.SupplierContribution> out = new ArrayList<>();
    for (int k = 0; k < Math.min(topSuppliers, index.length); k++) {
      int i = index[k];
      Exposure e = exposures.get(i);
      // the EAD of the totals and breakdowns (amount - K_Dilution for receivables with dilution)
      out.add(new PortfolioReport.SupplierContribution(e.supplierId(), e.anchorId(), e.sector().code(),
          defaultRiskEads[i], pds[i], t.supplierValueAtRisk()[i], es[i], t.supplierExpectedShortfallStandardError()[i]));
    }
    return List.copyOf(out);
  }

  /**
   * Options of a {@link PortfolioAnalysis}.
   *
   * <p>Thread safety: not thread safe.
   */
  public static final class Builder {
    private List<Exposure> exposures;
    private List<SupplierScore> scores;
    private IrbRegime regime = IrbRegime.BASEL_III;
    private CreditPortfolioConfig simulation;
    private DoubleFunction<String> gradeFunction = PortfolioAnalysis::cr6Band;
    private int topSuppliers = 20;
    private Map<String, Double> anchorPds = Map.of();
    private String defaultGrade = "D";

    private Builder() {}

    /**
     * The grade of a supplier in default (default {@code D}, as {@code chainscore ecl
     * --default-grade}), matched exactly: its exposures take PD = 1 (see the class comment).
     */
    public Builder defaultGrade(String grade) {
      if (grade == null || grade.isBlank()) {
        throw new IllegalArgumentException("default grade: expected the name of the grade in default, got '"
            + grade + "'");
      }
      this.defaultGrade = grade;
      return this;
    }

    /**
     * The anchors' own PDs: the obligor PD of payables-finance exposures, which the anchor owes
     * (give the simulation the same ones for its anchor defaults).
     */
    public Builder anchorPds(Map<String, Double> anchorPds) {
      this.anchorPds = Map.copyOf(anchorPds);
      return this;
    }

    /** The exposures, one per supplier. */
    public Builder exposures(List<Exposure> exposures) {
      this.exposures = List.copyOf(exposures);
      return this;
    }

    /**
     * The scores; the supplier of every exposure it owes needs one (extra scores are ignored; see
     * {@link ObligorPd}).
     */
    public Builder scores(List<SupplierScore> scores) {
      this.scores = List.copyOf(scores);
      return this;
    }

    /** The IRB regime (default Basel III). */
    public Builder regime(IrbRegime regime) {
      if (regime == null) {
        throw new IllegalArgumentException("regime is required");
      }
      this.regime = regime;
      return this;
    }

    /**
     * Model options for the Monte Carlo run (its portfolio is set from the exposures and scores);
     * null (the default) skips the simulation.
     */
    public Builder simulation(CreditPortfolioConfig options) {
      this.simulation = options;
      return this;
    }

    /**
     * As {@link #simulation(CreditPortfolioConfig)}, with the options set so far on {@code options}
     * (any portfolio on it is ignored).
     *
     * @throws IllegalArgumentException when the options' loadings together reach 1
     */
    public Builder simulation(CreditPortfolioSimulation.Builder options) {
      return simulation(options == null ? null : options.config());
    }

    /**
     * Maps a PD to a grade, for exposures scored without a grade and for stress migrations
     * (default: the EU Pillar 3 CR6 bands, {@link #cr6Band}); must be monotone in PD.
     */
    public Builder gradeFunction(DoubleFunction<String> gradeFunction) {
      if (gradeFunction == null) {
        throw new IllegalArgumentException("gradeFunction is required");
      }
      this.gradeFunction = gradeFunction;
      return this;
    }

    /** Number of suppliers listed with their contributions per level (default 20). */
    public Builder topSuppliers(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("topSuppliers must be >= 0, got " + count);
      }
      this.topSuppliers = count;
      return this;
    }

    /**
     * Matches exposures to scores and builds the analysis.
     *
     * @throws MissingPdException at the first exposure without the PD it needs ({@link ObligorPd})
     * @throws IllegalArgumentException naming a supplier scored twice or with two exposures, or an
     *     anchor whose PD differs between the anchor PDs and the simulation
     */
    public PortfolioAnalysis build() {
      if (exposures == null || scores == null) {
        throw new IllegalArgumentException("portfolio analysis: exposures and scores are required");
      }
      if (exposures.isEmpty()) {
        throw new IllegalArgumentException("portfolio analysis: no exposures");
      }
      return new PortfolioAnalysis(this);
    }
  }
}
