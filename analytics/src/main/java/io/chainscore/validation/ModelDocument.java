package io.chainscore.validation;

import java.util.List;

/**
 * The content of a model's development and validation document ({@code chainscore document}):
 * what the model is, the data it is documented on, how it was built, how it performs on that data
 * (the full {@link ValidationReport}), whether its weights hold there, its stability across
 * cohorts, its limitations and its provenance. Built by model development, rendered by the
 * reports module.
 *
 * <p>Thread safety: immutable (the lists are copies; the validation report is immutable).
 *
 * @param model what the model is
 * @param data the documented sample
 * @param cohorts the sample's cohorts in order (empty without a cohort column)
 * @param weights the re-estimated weights of the model's characteristics on the sample; null for a
 *     segmented model, whose segments score different characteristics (see each {@link Segment}), and
 *     when the rows of the fit hold a single class
 * @param stability PSI and CSI between the first and the last cohort, or null without two cohorts
 * @param limitations what a reader must know before relying on the model, stated from the figures
 * @param validation the model validated on the sample
 * @param segments a segmented model's segments in routing order; empty for other models
 */
public record ModelDocument(Model model, Data data, List<Cohort> cohorts, Weights weights, Stability stability,
    List<String> limitations, ValidationReport validation, List<Segment> segments) {

  /** Copies the lists. */
  public ModelDocument {
    cohorts = List.copyOf(cohorts);
    limitations = List.copyOf(limitations);
    segments = List.copyOf(segments);
  }

  /** The document of a model that is not segmented. */
  public ModelDocument(Model model, Data data, List<Cohort> cohorts, Weights weights, Stability stability,
      List<String> limitations, ValidationReport validation) {
    this(model, data, cohorts, weights, stability, limitations, validation, List.of());
  }

  /**
   * One segment of a segmented model, documented on the sample's rows its rule routes to it.
   *
   * @param name the segment's name
   * @param rule its routing rule as text ({@code months_active < 12}, {@code otherwise})
   * @param kind its model's kind
   * @param characteristics what its model scores
   * @param calibration its PD calibration as the bundle states it (JSON text; {@code {"kind":"none"}} without one)
   * @param training its training record ({@code provenance.segments[]}, JSON text, without its
   *     trainer text), or null
   * @param trainer its own trainer text ({@code provenance.segments[].trainer}: the trainer and the
   *     settings its training used), or null
   * @param rows the sample's rows routed to it
   * @param defaults the defaults among them
   * @param weights the re-estimated weights on its rows, or null when they cannot be fitted there
   * @param validation its standalone model validated on its rows (bin tables with points for a
   *     scorecard), or null when no row of the sample is routed to it
   * @param stability its rows' stability from the sample's first cohort to the last (the PSI of its
   *     PDs and the CSI of its own characteristics), or null without two cohorts among its rows
   */
  public record Segment(String name, String rule, String kind, List<String> characteristics, String calibration,
      String training, String trainer, long rows, long defaults, Weights weights, ValidationReport validation,
      Stability stability) {
    /** Copies the list. */
    public Segment {
      characteristics = List.copyOf(characteristics);
    }
  }

  /**
   * The model.
   *
   * @param kind {@code scorecard}, {@code logistic}, {@code tree_ensemble} or {@code segmented}
   * @param features the schema's feature count
   * @param characteristics what the model scores: characteristics, terms or the features its trees split on
   *     (for a segmented model, those of every segment, each once)
   * @param grades the master scale: grade name and upper PD bound (NaN for the default grade)
   * @param reasonCodes code and statement of every reason code
   * @param calibration the bundle's PD calibration record as text, or null
   * @param sourceModelFile the model file an imported model was read from (its name), or null
   * @param sourceModelSha256 that file's SHA-256, or null
   */
  public record Model(String id, String version, String kind, String description, String sha256, int features,
      List<String> characteristics, List<Grade> grades, List<ReasonCode> reasonCodes, String trainedAt,
      String trainer, String trainingDataSha256, String calibration, String sourceModelFile,
      String sourceModelSha256) {
    /** Copies the lists. */
    public Model {
      characteristics = List.copyOf(characteristics);
      grades = List.copyOf(grades);
      reasonCodes = List.copyOf(reasonCodes);
    }
  }

  /** A grade of the master scale. */
  public record Grade(String name, double pdUpper) {}

  /** A reason code and its customer-facing statement. */
  public record ReasonCode(String code, String statement) {}

  /**
   * The documented sample.
   *
   * @param file where it was read from
   * @param sha256 its content hash
   * @param labelsFile the labels table joined to it, or null
   */
  public record Data(String file, String sha256, String labelsFile, long rows, long defaults, double defaultRate) {}

  /** One cohort of the sample: its rows, defaults and the model's AUC on it (NaN without both classes). */
  public record Cohort(String name, long rows, long defaults, double defaultRate, double meanPd, double auc) {}

  /**
   * A logistic regression of the outcome on each characteristic's log-odds contribution (points
   * converted to log-odds for a scorecard, TreeSHAP for trees): a coefficient near 1 means the
   * characteristic's weight holds on the sample, near 0 that it carries no signal there.
   *
   * @param terms the intercept first, then one per characteristic
   * @param converged whether the fit converged
   */
  public record Weights(List<Term> terms, boolean converged, double mcFaddenR2) {
    /** Copies the list. */
    public Weights {
      terms = List.copyOf(terms);
    }
  }

  /** One re-estimated weight with its standard error and Wald test. */
  public record Term(String name, double coefficient, double standardError, double z, double pValue) {}

  /**
   * Stability from the first cohort to the last.
   *
   * @param psiScores PSI of the PD deciles of the first cohort
   * @param csi CSI of each characteristic's bins (in the order of {@code csiNames})
   */
  public record Stability(String from, String to, double psiScores, List<String> csiNames, List<Double> csi) {
    /** Copies the lists. */
    public Stability {
      csiNames = List.copyOf(csiNames);
      csi = List.copyOf(csi);
    }
  }
}
