package io.chainscore.sim;

import io.chainscore.scoring.spi.BorrowedExecutor;
import io.chainscore.features.StandardFeatures;
import io.chainscore.trade.Anchor;
import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.DefaultLabel;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Erf;

/**
 * A deterministic generator of supplier portfolios with realistic, noisy default signal, as
 * specified in {@code docs/simulator.md}.
 *
 * <p>Each supplier draws from its own random stream derived from the seed and its index, and the
 * systematic factors from a stream of their own, so output is identical whatever the thread count
 * and a portfolio of any size streams to a {@link PortfolioSink} in bounded memory.
 *
 * <p>Thread safety: immutable; {@link #simulate} may run concurrently on different sinks.
 */
public final class PortfolioSimulator {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
  /**
   * The simulated suppliers' regions: the feature schema's region dictionary ({@link
   * StandardFeatures#REGIONS}), which numbers them as {@code region_index}; drawn with the weights
   * below in this order.
   */
  public static final List<String> REGIONS = StandardFeatures.REGIONS;
  private static final double[] REGION_WEIGHTS = {0.28, 0.20, 0.18, 0.10, 0.09, 0.08, 0.07};
  private static final int BLOCK = 256;
  private static final String[] CREDIT_NOTE_REASONS = {"return", "quality", "shortage", "price"};

  /** Persistence of monthly supplier health (AR(1) coefficient). */
  static final double HEALTH_PERSISTENCE = 0.85;

  private final SimulationConfig config;
  private final AnchorProfile[] anchors;
  private final double[] anchorWeights;
  private final int months;
  private final LocalDate historyStart;
  private final double macroFactor;
  private final double[] sectorFactor;
  private final double[] anchorFactor;
  private final double[][] anchorHealthShock;
  private final double[][] anchorDemandLevel;
  private final double thresholdIntercept;

  /** Draws the systematic factors and calibrates the default threshold for {@code config}. */
  public PortfolioSimulator(SimulationConfig config) {
    this.config = config;
    this.anchors = AnchorProfile.DEFAULTS;
    this.anchorWeights = new double[anchors.length];
    for (int a = 0; a < anchors.length; a++) {
      anchorWeights[a] = anchors[a].supplierWeight();
    }
    this.months = config.historyMonths();
    this.historyStart = config.historyStart();

    Rng systematic = Rng.derive(config.seed(), 0, 0);
    this.macroFactor = systematic.gaussian();
    this.sectorFactor = new double[Sector.values().length];
    for (int s = 0; s < sectorFactor.length; s++) {
      sectorFactor[s] = systematic.gaussian();
    }
    this.anchorFactor = new double[anchors.length];
    this.anchorHealthShock = new double[anchors.length][months];
    this.anchorDemandLevel = new double[anchors.length][months];
    for (int a = 0; a < anchors.length; a++) {
      anchorFactor[a] = systematic.gaussian();
      double level = 1;
      for (int t = 0; t < months; t++) {
        anchorHealthShock[a][t] = systematic.gaussian();
        // Regime shocks: a persistent step in the anchor's order level about every three years.
        if (systematic.bernoulli(0.03)) {
          level *= systematic.bernoulli(0.5) ? 0.6 + 0.2 * systematic.uniform() : 1.2 + 0.2 * systematic.uniform();
        }
        anchorDemandLevel[a][t] = level * Math.exp(0.05 * systematic.gaussian());
      }
    }
    this.thresholdIntercept = calibrateIntercept();
  }

  /** The simulated anchors, in id order. */
  public List<Anchor> anchors() {
    List<Anchor> list = new ArrayList<>(anchors.length);
    for (AnchorProfile p : anchors) {
      list.add(p.anchor());
    }
    return list;
  }

  /** The configuration this simulator was built with. */
  public SimulationConfig config() {
    return config;
  }

  /** Generates the whole portfolio into {@code sink} on the calling thread. */
  public void simulate(PortfolioSink sink) throws IOException {
    simulate(sink, 1);
  }

  /**
   * Generates the whole portfolio into {@code sink}, suppliers in index order, using {@code
   * threads} threads for generation; the sink is called from the calling thread only.
   */
  public void simulate(PortfolioSink sink, int threads) throws IOException {
    simulate(sink, threads, null);
  }

  /**
   * As {@link #simulate(PortfolioSink, int)}, with generation running as tasks on {@code
   * executor} instead of threads the simulator creates: {@code threads} blocks of suppliers at a
   * time ({@code 2 * threads} in flight), the sink called from the calling thread only, the output
   * the same. The executor is never shut down; a failed run cancels its own tasks.
   *
   * @param executor runs the generation tasks; {@code null} for threads of the simulator's own
   */
  public void simulate(PortfolioSink sink, int threads, Executor executor) throws IOException {
    sink.anchors(anchors());
    int n = config.suppliers();
    if (threads <= 1) {
      for (int i = 0; i < n; i++) {
        sink.supplier(supplier(i));
      }
      return;
    }
    ExecutorService pool = executor != null ? new BorrowedExecutor(executor)
        : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "chainscore-sim");
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<Future<List<SupplierHistory>>> inFlight = new ArrayDeque<>();
      int next = 0;
      while (next < n || !inFlight.isEmpty()) {
        while (next < n && inFlight.size() < threads * 2) {
          int from = next;
          int to = Math.min(n, from + BLOCK);
          inFlight.add(pool.submit(() -> block(from, to)));
          next = to;
        }
        for (SupplierHistory h : inFlight.removeFirst().get()) {
          sink.supplier(h);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("simulation interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("simulation failed", cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<SupplierHistory> block(int from, int to) {
    List<SupplierHistory> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(supplier(i));
    }
    return out;
  }

  /** The history of supplier {@code index}; the same index always gives the same history. */
  public SupplierHistory supplier(int index) {
    if (index < 0 || index >= config.suppliers()) {
      throw new IndexOutOfBoundsException("supplier index " + index + " of " + config.suppliers());
    }
    return new SupplierGenerator(index).generate();
  }

  /** Static characteristics drawn first from a supplier's stream; also used for calibration. */
  private record Profile(int anchor, Sector sector, double ageYears, double turnover) {}

  private Profile drawProfile(Rng rng) {
    int anchor = rng.weighted(anchorWeights);
    AnchorProfile ap = anchors[anchor];
    Sector sector = ap.supplierSectors()[rng.weighted(ap.supplierSectorWeights())];
    double ageYears = 0.5 + 4 * rng.gamma(2);
    double turnover = Math.max(50_000, Math.round(8e6 * rng.logNormal(0.9) / 1000) * 1000.0);
    return new Profile(anchor, sector, ageYears, turnover);
  }

  /** Shift of the default threshold for static risk: riskier sectors, young and small firms. */
  static double staticRiskShift(Sector sector, double ageYears, double turnover) {
    double shift = switch (sector) {
      case TEXTILES -> 0.15;
      case LOGISTICS -> 0.10;
      case FOOD_PROCESSING, METAL_PARTS, PLASTICS -> 0.05;
      case ELECTRONIC_COMPONENTS -> -0.05;
      default -> 0.0;
    };
    if (ageYears < 3) {
      shift += 0.20;
    }
    shift -= 0.12 * Math.log(turnover / 8e6) / 0.9;
    return shift;
  }

  /**
   * Solves for the intercept c with mean N(c + shift) = base default rate over a fixed reference
   * sample of static profiles, so the portfolio's expected default rate is the configured one.
   */
  private double calibrateIntercept() {
    Rng reference = new Rng(0x5EED_C0FFEEL);
    int size = 8192;
    double[] shifts = new double[size];
    for (int k = 0; k < size; k++) {
      Profile p = drawProfile(reference);
      shifts[k] = staticRiskShift(p.sector(), p.ageYears(), p.turnover());
    }
    double lo = -6;
    double hi = 2;
    for (int iter = 0; iter < 100; iter++) {
      double mid = 0.5 * (lo + hi);
      double mean = 0;
      for (double s : shifts) {
        mean += normalCdf(mid + s);
      }
      mean /= size;
      if (mean < config.baseDefaultRate()) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  static double normalCdf(double x) {
    return 0.5 * Erf.erfc(-x / Math.sqrt(2));
  }

  static double normalQuantile(double p) {
    return STANDARD_NORMAL.inverseCumulativeProbability(p);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double cents(double amount) {
    return Math.round(amount * 100) / 100.0;
  }

  /** Generates one supplier; holds the per-supplier state of the equations. */
  private final class SupplierGenerator {
    private final int index;
    private final Rng rng;
    private final String id;

    SupplierGenerator(int index) {
      this.index = index;
      this.rng = Rng.derive(config.seed(), 1, index);
      this.id = String.format("S%07d", index + 1);
    }

    SupplierHistory generate() {
      LocalDate asOf = config.asOf();
      Profile profile = drawProfile(rng);
      AnchorProfile programme = anchors[profile.anchor()];
      String region = REGIONS.get(rng.weighted(REGION_WEIGHTS));
      LocalDate registered = asOf.minusDays(Math.round(profile.ageYears() * 365.25));

      // Buyers: the programme anchor takes share w; up to three other anchors share the rest.
      int otherCount = Math.min(3, rng.poisson(1.0));
      double programmeShare = otherCount == 0 ? 1.0 : rng.beta(5, 2);
      int[] buyers = new int[1 + otherCount];
      double[] buyerShares = new double[1 + otherCount];
      buyers[0] = profile.anchor();
      buyerShares[0] = programmeShare;
      double[] otherWeights = anchorWeights.clone();
      otherWeights[profile.anchor()] = 0;
      double dirichletTotal = 0;
      for (int k = 1; k <= otherCount; k++) {
        int b = rng.weighted(otherWeights);
        otherWeights[b] = 0;
        buyers[k] = b;
        buyerShares[k] = rng.gamma(1);
        dirichletTotal += buyerShares[k];
      }
      for (int k = 1; k <= otherCount; k++) {
        buyerShares[k] = (1 - programmeShare) * buyerShares[k] / dirichletTotal;
      }

      // Relationship start: tenure with the programme anchor, bounded by the firm's age.
      double ageMonths = profile.ageYears() * 12;
      double tenureMonths = Math.max(3, Math.min(ageMonths - 2, 6 + 30 * rng.gamma(1.5)));
      int firstMonth = Math.max(0, months - (int) Math.ceil(tenureMonths));
      int[] buyerFirstMonth = new int[buyers.length];
      buyerFirstMonth[0] = firstMonth;
      for (int k = 1; k < buyers.length; k++) {
        buyerFirstMonth[k] = firstMonth + rng.uniformInt(Math.max(1, months - firstMonth));
      }

      // Monthly health: a stationary AR(1) driven partly by the programme anchor's shocks.
      double[] health = new double[months];
      double innovationScale = Math.sqrt(1 - HEALTH_PERSISTENCE * HEALTH_PERSISTENCE);
      double anchorShare = config.anchorHealthShare();
      health[0] = rng.gaussian();
      for (int t = 1; t < months; t++) {
        double innovation = Math.sqrt(anchorShare) * anchorHealthShock[profile.anchor()][t]
            + Math.sqrt(1 - anchorShare) * rng.gaussian();
        health[t] = HEALTH_PERSISTENCE * health[t - 1] + innovationScale * innovation;
      }

      double growth = 0.05 + 0.15 * rng.gaussian();
      double invoiceRate = config.invoicesPerYear() / 12 * rng.logNormal(0.4);
      double monthlyVolume = profile.turnover() / 12;
      double typicalInvoice = monthlyVolume / invoiceRate;

      List<Invoice> invoices = new ArrayList<>((int) (invoiceRate * months * 1.3) + 8);
      double[] programmeMonthAmount = new double[months];
      LocalDate[] programmeMonthFirstIssue = new LocalDate[months];
      int sequence = 0;
      for (int t = firstMonth; t < months; t++) {
        LocalDate monthStart = historyStart.plusMonths(t);
        int lastDay = t == months - 1 ? asOf.getDayOfMonth() : monthStart.lengthOfMonth();
        double dayFraction = (double) lastDay / monthStart.lengthOfMonth();
        double yearsBeforeAsOf = (months - 1 - t) / 12.0;
        double level = Math.pow(1 + Math.max(-0.5, growth), -yearsBeforeAsOf)
            * programme.season(monthStart.getMonthValue())
            * Math.exp(0.3 * health[t])
            * anchorDemandLevel[profile.anchor()][t];
        int count = rng.poisson(invoiceRate * level * dayFraction);
        double onTimeProbability = sigmoid(3.0 + 1.0 * health[t]);
        double returnProbability = sigmoid(-3.2 - 0.6 * health[t]);
        double disputeProbability = sigmoid(-3.8 - 0.5 * health[t]);
        for (int k = 0; k < count; k++) {
          int buyerSlot = pickBuyer(buyerShares, buyerFirstMonth, t);
          AnchorProfile buyer = anchors[buyers[buyerSlot]];
          LocalDate issue = monthStart.plusDays(rng.uniformInt(lastDay));
          LocalDate due = issue.plusDays(buyer.paymentTermsDays());
          double amount = Math.max(1.0, cents(typicalInvoice * rng.logNormal(0.35)));
          boolean onTime = rng.bernoulli(onTimeProbability);
          double returned = rng.bernoulli(returnProbability)
              ? cents(amount * (0.02 + 0.28 * rng.uniform())) : 0.0;
          boolean disputed = rng.bernoulli(disputeProbability);
          long delay = Math.round(buyer.meanDaysPaidLate() * (rng.gamma(1) - 0.3));
          if (disputed) {
            delay += 20 + Math.round(15 * rng.gamma(1));
          }
          LocalDate paid = due.plusDays(delay);
          double paidAmount = cents((amount - returned) * (disputed ? 0.85 : 1.0));
          if (paid.isAfter(asOf) || rng.bernoulli(0.002)) {
            paid = null;
            paidAmount = 0;
          }
          sequence++;
          invoices.add(new Invoice(
              id + "-I" + sequence, id, buyer.anchor().id(), issue, due, amount, onTime, returned,
              disputed, paid, paidAmount));
          if (buyerSlot == 0) {
            programmeMonthAmount[t] += amount;
            if (programmeMonthFirstIssue[t] == null || issue.isBefore(programmeMonthFirstIssue[t])) {
              programmeMonthFirstIssue[t] = issue;
            }
          }
        }
      }
      invoices.sort((a, b) -> a.issueDate().compareTo(b.issueDate()));

      List<Loan> loans = rng.bernoulli(config.financedShare())
          ? financing(programme, programmeMonthAmount, programmeMonthFirstIssue, health, profile.turnover(), firstMonth)
          : List.of();

      DefaultLabel label = label(profile, health[months - 1], programmeShare);
      Supplier supplier = new Supplier(
          id, programme.anchor().id(), profile.sector(), region, registered, profile.turnover());
      return new SupplierHistory(supplier, invoices, loans, label, events(invoices, asOf));
    }

    /**
     * The dated events of the supplier's invoices, from a stream of their own (stream 2), so the
     * trade records drawn from stream 1 are what they were before events existed: a delivery
     * promised 3-10 days after issue, arriving 0-2 days early when on time, else
     * {@code 1 + round(6 Gamma(1))} days late; a credit note of the returned amount booked 10-60
     * days after issue; a dispute opened 5-45 days after issue and resolved on payment (or
     * {@code 15 + round(30 Gamma(1))} days after opening when unpaid). Events dated after the
     * as-of date are not known yet: not written (a resolution after it leaves the dispute open).
     */
    private TradeEvents events(List<Invoice> invoices, LocalDate asOf) {
      Rng ev = Rng.derive(config.seed(), 2, index);
      List<CreditNote> notes = new ArrayList<>();
      List<Dispute> disputes = new ArrayList<>();
      List<Delivery> deliveries = new ArrayList<>();
      for (Invoice inv : invoices) {
        LocalDate promised = inv.issueDate().plusDays(3 + ev.uniformInt(8));
        LocalDate actual = inv.deliveredOnTime()
            ? promised.minusDays(ev.uniformInt(3))
            : promised.plusDays(1 + Math.round(6 * ev.gamma(1)));
        if (!actual.isAfter(asOf)) {
          deliveries.add(new Delivery(inv.invoiceId(), inv.supplierId(), promised, actual));
        }
        if (inv.returnedAmount() > 0) {
          LocalDate booked = inv.issueDate().plusDays(10 + ev.uniformInt(51));
          String reason = CREDIT_NOTE_REASONS[ev.uniformInt(CREDIT_NOTE_REASONS.length)];
          if (!booked.isAfter(asOf)) {
            notes.add(new CreditNote(inv.invoiceId() + "-C1", inv.invoiceId(), inv.supplierId(), booked,
                inv.returnedAmount(), reason));
          }
        }
        if (inv.disputed()) {
          LocalDate opened = inv.issueDate().plusDays(5 + ev.uniformInt(41));
          LocalDate resolved = inv.paidDate() != null && !inv.paidDate().isBefore(opened)
              ? inv.paidDate()
              : opened.plusDays(15 + Math.round(30 * ev.gamma(1)));
          if (!opened.isAfter(asOf)) {
            disputes.add(new Dispute(inv.invoiceId(), inv.supplierId(), opened,
                resolved.isAfter(asOf) ? null : resolved));
          }
        }
      }
      notes.sort((a, b) -> a.bookingDate().compareTo(b.bookingDate()));
      disputes.sort((a, b) -> a.openedDate().compareTo(b.openedDate()));
      deliveries.sort((a, b) -> a.actualDate().compareTo(b.actualDate()));
      return new TradeEvents(notes, disputes, deliveries);
    }

    private int pickBuyer(double[] shares, int[] firstMonth, int t) {
      double total = 0;
      for (int k = 0; k < shares.length; k++) {
        if (firstMonth[k] <= t) {
          total += shares[k];
        }
      }
      double target = rng.uniform() * total;
      double cumulative = 0;
      for (int k = 0; k < shares.length; k++) {
        if (firstMonth[k] <= t) {
          cumulative += shares[k];
          if (target < cumulative) {
            return k;
          }
        }
      }
      return 0;
    }

    /** Receivables finance against programme invoices, plus an occasional term loan. */
    private List<Loan> financing(
        AnchorProfile programme,
        double[] monthAmount,
        LocalDate[] monthFirstIssue,
        double[] health,
        double turnover,
        int firstMonth) {
      List<Loan> loans = new ArrayList<>();
      int sequence = 0;
      int termLoanMonth = rng.bernoulli(0.2) ? firstMonth + rng.uniformInt(months - firstMonth) : -1;
      for (int t = firstMonth; t < months; t++) {
        if (t == termLoanMonth) {
          LocalDate drawdown = historyStart.plusMonths(t).plusDays(rng.uniformInt(20));
          if (!drawdown.isAfter(config.asOf())) {
            double principal = Math.max(10_000, Math.round(0.1 * turnover / 1000) * 1000.0);
            List<Instalment> schedule = new ArrayList<>(6);
            for (int k = 1; k <= 6; k++) {
              LocalDate due = drawdown.plusMonths(k);
              schedule.add(repayment(due, cents(principal / 6 * 1.005), health));
            }
            loans.add(new Loan(id + "-L" + (++sequence), id, drawdown, principal, schedule));
          }
        }
        if (monthFirstIssue[t] == null || !rng.bernoulli(0.6)) {
          continue;
        }
        double principal = cents(0.75 * monthAmount[t]);
        LocalDate drawdown = monthFirstIssue[t].plusDays(2);
        if (principal < 1000 || drawdown.isAfter(config.asOf())) {
          continue;
        }
        int termDays = programme.paymentTermsDays();
        LocalDate due = drawdown.plusDays(termDays);
        double amountDue = cents(principal * (1 + 0.05 * termDays / 365.0));
        loans.add(new Loan(id + "-L" + (++sequence), id, drawdown, principal,
            List.of(repayment(due, amountDue, health))));
      }
      return loans;
    }

    /** Repayment of one instalment: lateness grows as health declines; unknown after as-of. */
    private Instalment repayment(LocalDate due, double amountDue, double[] health) {
      int month = (int) ChronoUnit.MONTHS.between(historyStart, due.withDayOfMonth(1));
      double h = health[Math.max(0, Math.min(months - 1, month))];
      long daysLate = 0;
      if (!rng.bernoulli(sigmoid(2.2 + 1.3 * h))) {
        // The portfolio is performing at as-of: arrears stay below the 90-day default trigger.
        daysLate = Math.min(85, 1 + Math.round(8 * Math.exp(-0.7 * h) * rng.gamma(1)));
      }
      LocalDate repaid = due.plusDays(daysLate);
      if (repaid.isAfter(config.asOf())) {
        return new Instalment(due, amountDue, null, 0);
      }
      return new Instalment(due, amountDue, repaid, amountDue);
    }

    /** One-period Gaussian copula default over the twelve months after as-of. */
    private DefaultLabel label(Profile profile, double healthAtAsOf, double programmeShare) {
      double macro = config.macroLoading();
      double sector = config.sectorLoading();
      double anchor = config.anchorLoading() * programmeShare;
      double systematic = Math.sqrt(macro) * macroFactor
          + Math.sqrt(sector) * sectorFactor[profile.sector().ordinal()]
          + Math.sqrt(anchor) * anchorFactor[profile.anchor()]
          + Math.sqrt(1 - macro - sector - anchor) * rng.gaussian();
      double w = config.healthWeight();
      double future = Math.sqrt(1 - w * w);
      double latent = w * healthAtAsOf + future * systematic;
      double threshold = thresholdIntercept
          + staticRiskShift(profile.sector(), profile.ageYears(), profile.turnover());
      double truePd = normalCdf((threshold - w * healthAtAsOf) / future);
      LocalDate asOf = config.asOf();
      boolean defaulted = latent < threshold;
      LocalDate defaultDate = null;
      if (defaulted) {
        long window = ChronoUnit.DAYS.between(asOf, asOf.plusMonths(DefaultLabel.OUTCOME_MONTHS));
        defaultDate = asOf.plusDays(1 + rng.uniformInt((int) window));
      }
      return new DefaultLabel(id, asOf, defaulted, defaultDate, truePd);
    }
  }
}
