package io.chainscore.scoring;

import io.chainscore.scoring.spi.BundleSigning;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chainscore.features.FeatureSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A loaded, verified model bundle: the versioned JSON document of {@code docs/model-bundle.md}
 * with its model compiled, its SHA-256 checked and its golden rows re-scored.
 *
 * <p>Every loader refuses a bad document with a {@link ModelFormatException} naming the field at
 * fault, in time and memory bounded by the document-size limits of the format. Use {@link
 * #read(Path)} (or the {@link InputStream} / {@link String} variants) for a sealed bundle, whose
 * {@code sha256} must match its canonical content; {@link #seal(String)} computes the hash for a
 * bundle being built, and {@link #toJson()} returns the canonical text, hash included.
 *
 * <p>Thread safety: immutable; share one instance between threads.
 */
public final class ModelBundle {
  /**
   * One row of the reason-code table.
   *
   * <p>Thread safety: immutable.
   *
   * @param code short code reported with a score, for example {@code "R03"}
   * @param text the adverse-action wording shown to the supplier
   */
  public record ReasonCode(String code, String text) {}

  /**
   * Where the model came from.
   *
   * <p>Thread safety: immutable.
   *
   * @param trainedAt when training finished, ISO-8601 instant
   * @param trainingDataSha256 SHA-256 (lowercase hex) of the training data set
   * @param trainer name and version of the software that trained the model
   */
  public record Provenance(String trainedAt, String trainingDataSha256, String trainer) {}

  /**
   * How the PDs were calibrated, as model development recorded it in the bundle's {@code
   * provenance.pd_calibration} (docs/model-bundle.md): for validators and reports, never used to
   * score. A field the record leaves out reads as NaN, null, 0, an empty list or false, as given.
   *
   * <p>Thread safety: immutable.
   *
   * @param ratingPhilosophy {@code "pit"} (point in time) or {@code "ttc"} (through the cycle);
   *     {@code "pit"} when the record declares none
   * @param centralTendency the mean PD the calibration rows were brought to, in (0, 1); NaN without one
   * @param centralTendencySource {@code "given"} or {@code "cohort_average"}; null without a central tendency
   * @param defaultColumn the 0/1 column of a cohort average; null otherwise
   * @param cohortColumn the cohort column of a cohort average; null otherwise
   * @param cohortDefaultRates each cohort's default rate, ordered by cohort; empty otherwise
   * @param longRunAverage their mean; NaN otherwise
   * @param conservatismLevel the one-sided level of the margin of conservatism (the upper confidence
   *     bound of the central tendency); NaN without a margin
   * @param conservatismStandardError the standard error of the average that bound is drawn from;
   *     NaN without a margin
   * @param interceptShift the logit shift added to the calibration; NaN when not recorded
   * @param calibrationRows the rows the shift was solved on; 0 when not recorded
   * @param weighted whether the calibration weighed the rows ({@code train --weight})
   * @param masterScale where the master scale came from: {@code "unchanged"}, {@code "default"},
   *     {@code "given"} or {@code "fit:N"}; null when not recorded
   */
  public record PdCalibrationRecord(String ratingPhilosophy, double centralTendency, String centralTendencySource,
      String defaultColumn, String cohortColumn, List<Double> cohortDefaultRates, double longRunAverage,
      double conservatismLevel, double conservatismStandardError, double interceptShift, long calibrationRows,
      boolean weighted, String masterScale) {
    /** Copies the rates: the record stays immutable. */
    public PdCalibrationRecord {
      cohortDefaultRates = List.copyOf(cohortDefaultRates);
    }
  }

  /**
   * One segment's training in a segmented bundle ({@code provenance.segments[]}).
   *
   * <p>Thread safety: immutable.
   *
   * @param name the segment, as the model names it
   * @param rows the training rows it was fitted on
   * @param events the events (defaults) among them
   * @param trainer its own trainer text (settings that differ from the bundle's); null when it has none
   * @param pdCalibration its own calibration record; null when it has none
   */
  public record SegmentTraining(String name, long rows, long events, String trainer,
      PdCalibrationRecord pdCalibration) {}

  /**
   * What a row's reason codes are measured against (the bundle's {@code reason_reference};
   * docs/adverse-action.md). A reason's weight is the row's contribution under that code minus the
   * reference's; the positive ones, largest first, are the row's reasons.
   *
   * <p>Thread safety: immutable.
   *
   * @param method {@link #POINTS_BELOW_BEST} (scorecards), {@link #REFERENCE_VALUES} (logistic
   *     models), {@link #TRAINING_AVERAGE} or {@link #APPROVED_POPULATION} (tree ensembles)
   * @param population which rows the reference averages (approved population only, else empty)
   * @param rows how many rows it averages (approved population only, else 0)
   * @param contributions the reference's mean contribution to the log-odds per reason code
   *     (approved population only; a code not listed has 0)
   */
  public record ReasonReference(String method, String population, long rows, Map<String, Double> contributions) {
    /** Points below each characteristic's best attainable points (PMML pointsBelow). */
    public static final String POINTS_BELOW_BEST = "points_below_best";
    /** Coefficient times the distance of each term from its reference value. */
    public static final String REFERENCE_VALUES = "reference_values";
    /** Path-dependent TreeSHAP contributions against the model's expected margin on its training data. */
    public static final String TRAINING_AVERAGE = "training_average";
    /** TreeSHAP contributions minus their mean over a stated approved population. */
    public static final String APPROVED_POPULATION = "approved_population";
    /**
     * A segmented bundle whose segments measure reasons differently: see each {@link
     * Segment#bundle()}'s reference.
     */
    public static final String PER_SEGMENT = "per_segment";

    public ReasonReference {
      contributions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(contributions));
    }
  }

  /**
   * One segment of a segmented bundle ({@code "kind": "segmented"}, docs/model-bundle.md).
   *
   * <p>Thread safety: immutable.
   *
   * @param name the segment's name, reported with each row it scores ({@link ScoreResult#segment()})
   * @param rule the routing rule that sends rows to it, as text: {@code months_active < 12}, {@code
   *     sector in [RETAIL, FOOD]}, with {@code (missing: NAME)} when the rule routes missing values,
   *     or {@code otherwise}
   * @param bundle the segment as a standalone bundle: the document with the segment's model and
   *     calibration, without golden rows; it scores a row exactly as the segmented bundle does
   */
  public record Segment(String name, String rule, ModelBundle bundle) {}

  static {
    // Gives ChainScore's own tools (io.chainscore.scoring.spi) the model view built at load,
    // without widening this class's public API.
    io.chainscore.scoring.spi.ViewAccess.install(bundle -> bundle.content().view(),
        bundle -> bundle.content().model().usedColumns(),
        bundle -> bundle.content().goldenRows().stream().map(g -> g.features().clone()).toList());
  }

  private final BundleReader.Content content;
  private final String canonicalJson;
  private final String sha256;
  private final Scorer scorer;
  /** The trusted key whose signature was verified when this bundle was read, or null. */
  private final String signatureKeyId;

  private ModelBundle(BundleReader.Content content, String canonicalJson, String sha256, String signatureKeyId)
      throws ModelFormatException {
    this.content = content;
    this.canonicalJson = canonicalJson;
    this.sha256 = sha256;
    this.signatureKeyId = signatureKeyId;
    this.scorer = new Scorer(this);
    content.verifyGoldenRows(scorer);
  }

  /**
   * The id ({@link TrustStore#keyId}) of the trusted key whose signature was verified when this
   * bundle was read with a trust store ({@link #read(Path, TrustStore)} and the stream variants);
   * empty for a bundle read without one, whether or not a signature lies beside it. Run manifests
   * record it, so a run says which key vouched for its model.
   */
  public java.util.Optional<String> signatureKeyId() {
    return java.util.Optional.ofNullable(signatureKeyId);
  }

  /**
   * A directory given as the model file: the file system's own words ("Is a directory") name no
   * path and read as an I/O failure worth a retry, which it is not.
   */
  private static void refuseDirectory(Path file) throws ModelFormatException {
    java.util.Objects.requireNonNull(file, "file");
    if (Files.isDirectory(file)) {
      throw new ModelFormatException("", "a directory; expected a model bundle file").inFile(file);
    }
  }

  /** Loads a sealed bundle from a file; a {@link ModelFormatException} names the file ({@link ModelFormatException#file()}). */
  public static ModelBundle read(Path file) throws ModelFormatException, IOException {
    refuseDirectory(file);
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (ModelFormatException e) {
      throw e.inFile(file);
    }
  }

  /**
   * Loads a sealed bundle from a file and, when {@code trust} is not null, requires its detached
   * signature {@code file.sig} ({@link io.chainscore.scoring.spi.BundleSigning}) by a key of {@code trust}: an unsigned or
   * wrongly signed bundle is refused with a {@link ModelFormatException} naming the {@code
   * signature} field, a signed one without golden rows naming the {@code golden_rows} field. A
   * null {@code trust} reads as {@link #read(Path)}.
   */
  public static ModelBundle read(Path file, TrustStore trust) throws ModelFormatException, IOException {
    if (trust == null) {
      return read(file);
    }
    refuseDirectory(file);
    if (!Files.exists(file)) {
      // the missing bundle, not its missing signature, is what to report (as read(Path) does)
      throw new java.nio.file.NoSuchFileException(file.toString());
    }
    try {
      return readSigned(file, trust);
    } catch (ModelFormatException e) {
      throw e.inFile(file);
    }
  }

  private static ModelBundle readSigned(Path file, TrustStore trust) throws ModelFormatException, IOException {
    // the signature's document and key first: a bundle nobody trusted signed is refused before
    // its content reaches the reader and the compiler
    Path signature = BundleSigning.signaturePath(file);
    if (Files.isDirectory(signature)) {
      // named as what it is: it was called missing ("no X.sig beside it")
      throw new ModelFormatException("signature", signature.getFileName()
          + " is a directory; expected the signature document written by chainscore sign");
    }
    if (!Files.isRegularFile(signature)) {
      throw new ModelFormatException("signature", "the bundle is not signed (no " + signature.getFileName()
          + " beside it) and a signed bundle is required");
    }
    // a signature is a few hundred bytes: a larger file (another file copied where BUNDLE.sig should
    // be) is refused by its size, unread (read whole, it filled the heap: exit 1, "out of memory")
    String name = signature.getFileName().toString();
    if (Files.size(signature) > BundleSigning.MAX_SIGNATURE_BYTES) {
      throw BundleSignatures.tooLarge(name);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, Files.readAllBytes(signature), name, trust);
    }
  }

  /**
   * Loads a sealed bundle from a stream and requires {@code signature} (the bytes of its {@code
   * .sig} file, named {@code signatureName} in messages; null when there is none) to be its
   * signature by a key of {@code trust}, as {@link #read(Path, TrustStore)} does for files: for a
   * reader of other file systems (the Spark job reads through Hadoop's). The signature is checked
   * first: a bundle nobody trusted signed is refused before its content is read.
   *
   * @throws ModelFormatException naming the {@code signature} field (missing, larger than {@link
   *     BundleSigning#MAX_SIGNATURE_BYTES}, not UTF-8 text, malformed, by a key not trusted, not
   *     verifying) or the bundle's field at fault
   * @throws IOException when reading the stream fails
   */
  public static ModelBundle read(InputStream in, byte[] signature, String signatureName, TrustStore trust)
      throws ModelFormatException, IOException {
    java.util.Objects.requireNonNull(trust, "trust");
    if (signature == null) {
      throw new ModelFormatException("signature", "the bundle is not signed (no " + signatureName
          + " beside it) and a signed bundle is required");
    }
    if (signature.length > BundleSigning.MAX_SIGNATURE_BYTES) {
      throw BundleSignatures.tooLarge(signatureName);
    }
    String signatureJson;
    try {
      signatureJson = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(signature)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      // a file of other bytes is a malformed signature, not an I/O failure (it was exit 1, "Input
      // length = 1", naming no file)
      throw new ModelFormatException("signature", signatureName
          + " is not UTF-8 text; expected a signature document written by chainscore sign");
    }
    return readVerified(in, signatureJson, trust);
  }

  /** The bundle of {@code in}, its signature document's key found in {@code trust} before the bundle is read. */
  private static ModelBundle readVerified(InputStream in, String signatureJson, TrustStore trust)
      throws ModelFormatException, IOException {
    BundleSignatures.Signed signer = BundleSignatures.signer(signatureJson, trust);
    return load(Json.parse(java.util.Objects.requireNonNull(in, "in")), false, signer);
  }

  /**
   * Loads a sealed bundle from a stream and requires {@code signatureJson} (the content of a
   * {@code .sig} file, null when there is none) to be its signature by a key of {@code trust}, as
   * {@link #read(Path, TrustStore)} does for files.
   *
   * @throws IOException when reading the stream fails
   */
  public static ModelBundle read(InputStream in, String signatureJson, TrustStore trust)
      throws ModelFormatException, IOException {
    if (trust == null) {
      return read(in);
    }
    if (signatureJson == null) {
      throw new ModelFormatException("signature", "the bundle is not signed and a signed bundle is required");
    }
    return readVerified(in, signatureJson, trust);
  }

  /**
   * Loads a sealed bundle from a stream (read to its end, not closed: it may be one entry of a zip
   * stream).
   *
   * @throws ModelFormatException when the bytes are not a valid bundle, naming the field at fault
   * @throws IOException when reading the stream fails (not the bundle's fault: worth a retry)
   */
  public static ModelBundle read(InputStream in) throws ModelFormatException, IOException {
    return load(Json.parse(java.util.Objects.requireNonNull(in, "in")), false);
  }

  /**
   * Loads a sealed bundle from its JSON text.
   *
   * @throws NullPointerException when {@code json} is null (naming it)
   */
  public static ModelBundle fromJson(String json) throws ModelFormatException {
    return load(Json.parse(java.util.Objects.requireNonNull(json, "json")), false);
  }

  /**
   * Loads an unsealed bundle and seals it: any {@code sha256} field is replaced by the hash of the
   * canonical content. Everything else is checked as for {@link #fromJson(String)}, golden rows
   * included.
   *
   * <p>This is for tools that write bundles. It does not check the integrity of a bundle received
   * from elsewhere: a bundle edited after sealing, or with a tampered hash, loads here as if it were
   * new. A service loads what it is given with {@link #read(Path)}, {@link #read(Path, TrustStore)}
   * or {@link #fromJson(String)}, which refuse a hash that does not match.
   *
   * @throws NullPointerException when {@code json} is null (naming it)
   */
  public static ModelBundle seal(String json) throws ModelFormatException {
    return load(Json.parse(java.util.Objects.requireNonNull(json, "json")), true);
  }

  static ModelBundle load(JsonNode root, boolean seal) throws ModelFormatException {
    return load(root, seal, null);
  }

  /**
   * {@link #load(JsonNode, boolean)}, and with {@code signer} its signature checked on the
   * canonical text before the content is read (then the model it names and its golden rows on the
   * read content, before the bundle is built: compiled and its golden rows scored once), the
   * signer's key recorded ({@link #signatureKeyId()}).
   */
  private static ModelBundle load(JsonNode root, boolean seal, BundleSignatures.Signed signer)
      throws ModelFormatException {
    Json.object(root, "");
    // One canonical pass gives both the hashed content (without sha256) and the full text with the
    // hash in its place: writing a large tree ensemble's numbers is most of the time a load takes.
    // It runs on a thread of its own while the content is read and compiled (both only read the
    // tree; a 300-tree ensemble takes about as long for each in a fresh JVM); the problems are
    // reported in the same order as one after the other: the canonical text's, the hash's, then
    // the content's. A signed bundle's pass runs first, on this thread, and its signature is
    // checked on that text before the content is read: content no trusted key signed never reaches
    // the reader and the compiler, and a bundle changed after signing is refused as that, naming
    // the signature (until 2026-12-07 the content was read first, and a change that broke it, a
    // gap between two bins say, was reported as the bundle's own fault under a valid-looking
    // signature copied from before the change).
    FutureTask<CanonicalJson.Split> canonical = new FutureTask<>(() -> CanonicalJson.without(root, "sha256"));
    BundleReader.Content parsed = null;
    ModelFormatException contentProblem = null;
    if (signer != null) {
      canonical.run();
    } else {
      try {
        Thread hashing = new Thread(canonical, "chainscore-bundle-hash");
        hashing.setDaemon(true);
        hashing.start();
      } catch (OutOfMemoryError | SecurityException e) {
        canonical.run(); // no thread to be had: the same pass on this one, before the content
      }
      try {
        parsed = BundleReader.read(root);
      } catch (ModelFormatException e) {
        contentProblem = e;
      }
    }
    CanonicalJson.Split split = joinCanonical(canonical);
    String actual = CanonicalJson.sha256(split.without());
    if (seal) {
      ((ObjectNode) root).set("sha256", TextNode.valueOf(actual));
    } else {
      String declared = Json.text(root, "", "sha256");
      if (!declared.equals(actual)) {
        throw new ModelFormatException("sha256", "content hash mismatch: the bundle declares " + declared
            + " but its canonical content hashes to " + actual + "; the file was edited or damaged after sealing");
      }
    }
    String full = split.with(actual);
    if (signer != null) {
      BundleSignatures.verifySignature(full, actual, signer);
      parsed = BundleReader.read(root);
      BundleSignatures.verifyContent(parsed, signer);
    } else if (contentProblem != null) {
      throw contentProblem;
    }
    return new ModelBundle(parsed, full, actual, signer == null ? null : signer.keyId());
  }

  /** The canonical pass's result, or its problem as thrown by {@link CanonicalJson#without}. */
  private static CanonicalJson.Split joinCanonical(FutureTask<CanonicalJson.Split> canonical)
      throws ModelFormatException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return canonical.get();
        } catch (InterruptedException e) {
          interrupted = true; // the pass is short and its result needed: finish waiting, then re-assert
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ModelFormatException m) {
        throw m;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The canonical JSON text of the bundle, {@code sha256} included; loading it yields a bundle of
   * the same content: the same {@link #toJson()} and {@link #sha256()}, scoring every row alike. Not
   * an {@code equals} one: a bundle is equal only to itself (compare {@link #sha256()} to compare
   * contents).
   */
  public String toJson() {
    return canonicalJson;
  }

  /** Writes {@link #toJson()} as UTF-8. */
  public void write(OutputStream out) throws IOException {
    java.util.Objects.requireNonNull(out, "out");
    out.write(canonicalJson.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@link #toJson()} as UTF-8 to {@code file}, replacing it. */
  public void write(Path file) throws IOException {
    java.util.Objects.requireNonNull(file, "file");
    Files.writeString(file, canonicalJson, StandardCharsets.UTF_8);
  }

  /** The bundle format version. */
  public int formatVersion() {
    return content.formatVersion();
  }

  /** The model's identifier, stable across versions. */
  public String modelId() {
    return content.modelId();
  }

  /** The model's version. */
  public String modelVersion() {
    return content.modelVersion();
  }

  /** The model kind: {@code scorecard}, {@code logistic}, {@code tree_ensemble} or {@code segmented}. */
  public String modelKind() {
    return content.modelKind();
  }

  /** The feature schema: the column layout of the rows {@link Scorer} accepts. */
  public FeatureSchema schema() {
    return content.schema();
  }

  /** The rating master scale. */
  public MasterScale masterScale() {
    return content.masterScale();
  }

  /** The reason-code table, in the order that breaks ties between equal reasons. */
  public List<ReasonCode> reasonCodes() {
    return content.reasonCodes();
  }

  /** Where the model came from. */
  public Provenance provenance() {
    return content.provenance();
  }

  /**
   * How the PDs were calibrated ({@code provenance.pd_calibration}), empty when the bundle records
   * nothing: trained before the record existed, imported, or built without a calibration step.
   */
  public java.util.Optional<PdCalibrationRecord> pdCalibration() {
    return java.util.Optional.ofNullable(content.pdCalibration());
  }

  /**
   * Each segment's training ({@code provenance.segments}), in the order recorded; empty for a bundle
   * that is not segmented or records none.
   */
  public List<SegmentTraining> segmentTraining() {
    return content.segmentTraining();
  }

  /**
   * The bundle's {@code max_missing_share}: the scorer refuses a row ({@link ScoringException},
   * {@link RowRefusals.Reason#TOO_MANY_MISSING}) when a larger share of the features the model uses
   * is missing. Empty when the bundle declares none: then no row is refused for missing values
   * beyond the per-feature policies.
   */
  public java.util.OptionalDouble maxMissingShare() {
    return content.maxMissingShare();
  }

  /** What the bundle's reason codes are measured against. */
  public ReasonReference reasonReference() {
    return content.reasonReference();
  }

  /**
   * The segments of a segmented bundle in routing order (the last one {@code otherwise}); empty
   * for any other kind.
   */
  public List<Segment> segments() {
    return content.segmented() == null ? List.of() : content.segmented().segments();
  }

  /** The verified SHA-256 (lowercase hex) of the canonical content. */
  public String sha256() {
    return sha256;
  }

  /** The thread-safe scorer of this bundle (compiled once, at load). */
  public Scorer scorer() {
    return scorer;
  }

  BundleReader.Content content() {
    return content;
  }

  @Override
  public String toString() {
    return "ModelBundle[" + modelId() + " " + modelVersion() + ", " + modelKind() + "]";
  }
}
