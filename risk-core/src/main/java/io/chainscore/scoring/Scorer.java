package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.scoring.spi.ScratchPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores feature rows with one bundle's model: score points, PD, master-scale grade and up to four
 * adverse reason codes per row.
 *
 * <p>Rows follow {@link ModelBundle#schema()}: one {@code double} per feature in schema order,
 * category indexes for categorical features and {@code NaN} for missing values. Before the model
 * sees a row, the bundle's feature policies are applied (impute or refuse missing values, clamp or
 * refuse out-of-range values), and a row missing more than the bundle's {@code max_missing_share} of
 * the features the model uses is refused ({@link RowRefusals.Reason#TOO_MANY_MISSING}). A refused
 * row is reported as data by the batch call that takes a
 * {@link RowRefusals} (NaN outputs, a {@link RowRefusals.Reason} and the column) while the other rows
 * are scored; the single-row calls and the batch call without one throw {@link ScoringException},
 * which carries the same reason and column.
 *
 * <p>Points: for a scorecard, base points plus the points of each characteristic's bin; for
 * other kinds, the margin (log-odds of default) mapped through the bundle's score scale. PD: the
 * calibration applied to the margin. Reason codes: for a scorecard, the points each reason code's
 * characteristics lost against their best bins; otherwise, the sum of the model's per-feature
 * contributions to the margin, per reason code; only positive (adverse) totals, largest first,
 * ties to the code listed first in the bundle.
 *
 * <p>Segmented bundles ({@link ModelBundle#segments()}): each row is routed by the bundle's rules
 * and scored by its segment's own scorer, exactly as that segment's standalone bundle scores it
 * (the batch calls gather each segment's rows of a chunk into pooled scratch and scatter the
 * results back); {@link ScoreResult#segment()} names the segment, {@link #segmentOf} routes a row
 * without scoring it, and a row no segment takes is refused ({@link RowRefusals.Reason#NO_SEGMENT}).
 *
 * <p>Null arguments: a null row, rows or output array is refused with a {@link
 * NullPointerException} naming the parameter, before anything is scored; {@code
 * reasonCodeIndexOut} and {@code refusals} may be null where their Javadoc says so.
 *
 * <p>Thread safety: immutable and safe for concurrent use. The batch calls take their working
 * arrays from a small pool owned by this scorer and return them at the end of the call, so they
 * allocate nothing per row nor, in steady state, per call, and keep no per-thread state: each
 * concurrent call holds its own scratch (a scorecard's includes 128 rows of per-code totals,
 * about 20 KB for 20 codes), and all of it is freed with the scorer. Results are bit-identical
 * regardless of threading.
 */
public final class Scorer {
  /** Number of reason-code slots per row in {@link #scoreBatch}. */
  public static final int REASON_CODES_PER_ROW = ReasonRanker.TOP;

  private final ModelBundle bundle;
  private final RowGuard guard;
  private final CompiledModel model;
  private final ScorecardModel scorecard;
  /** The scorecard's column-wise batch path, or null when the model is not a scorecard. */
  private final ScorecardBlocks blocks;
  private final int[] columnReasonCodes;
  private final PointsScale scale;
  private final Calibration calibration;
  private final MasterScale masterScale;
  private final int width;
  private final int codeCount;
  /**
   * The batch calls' scratch, one object per concurrent call: owned by this scorer (not a
   * ThreadLocal), so it is freed with the scorer and never pins the bundle's class loader to a
   * pooled thread; reused, so a batch call allocates nothing in steady state.
   */
  private final ScratchPool<Scratch> scratchPool;

  /**
   * Per reason code, the reference's contribution subtracted before ranking (the bundle's
   * approved-population reference); null when there is none.
   */
  private final double[] reasonOffsets;

  /** A segmented bundle's routing rules, or null; then {@link #segmentScorers} score the rows. */
  private final SegmentedModel segmented;
  /** The scorers of a segmented bundle's segments, in routing order; null for other bundles. */
  private final Scorer[] segmentScorers;
  /** A segmented bundle's batch scratch (gathered rows and their outputs); null for other bundles. */
  private final ScratchPool<SegmentScratch> segmentPool;

  Scorer(ModelBundle bundle) {
    BundleReader.Content c = bundle.content();
    this.bundle = bundle;
    this.guard = c.guard();
    this.model = c.model();
    this.scorecard = c.scorecard();
    this.blocks = scorecard == null ? null : ScorecardBlocks.of(scorecard, guard, c.reasonCodes().size());
    this.columnReasonCodes = c.columnReasonCodes();
    this.scale = c.scale();
    this.calibration = c.calibration();
    this.masterScale = c.masterScale();
    this.width = c.schema().size();
    this.codeCount = c.reasonCodes().size();
    this.reasonBlock = Math.max(64, Math.min(MAX_REASON_BLOCK, PENDING_ROWS_BYTES / (Double.BYTES * Math.max(1, width))));
    // null when the bundle measures reasons against nothing but the model's own baseline
    this.reasonOffsets = java.util.Arrays.stream(c.reasonOffsets()).allMatch(v -> v == 0) ? null : c.reasonOffsets();
    this.scratchPool = new ScratchPool<>(this::newScratch);
    this.segmented = c.segmented();
    if (segmented == null) {
      this.segmentScorers = null;
      this.segmentPool = null;
    } else {
      this.segmentScorers = new Scorer[segmented.children.length];
      for (int s = 0; s < segmentScorers.length; s++) {
        segmentScorers[s] = segmented.children[s].scorer();
      }
      this.segmentPool = new ScratchPool<>(() -> new SegmentScratch(width));
    }
  }

  /** Rows per chunk of a segmented bundle's batch: routed, gathered per segment, scored, scattered. */
  static final int SEGMENT_CHUNK = 256;
  private static final RowRefusals.Reason[] REASONS = RowRefusals.Reason.values();

  /** One segmented batch call's working arrays; held by one call at a time. */
  private static final class SegmentScratch {
    /** Per row of the chunk: its segment, or -1 - column when no segment takes it. */
    final int[] segmentOf = new int[SEGMENT_CHUNK];
    /** The chunk rows of the segment being scored, in ascending order. */
    final int[] members = new int[SEGMENT_CHUNK];
    final double[] rows;
    final double[] points = new double[SEGMENT_CHUNK];
    final double[] pds = new double[SEGMENT_CHUNK];
    final int[] grades = new int[SEGMENT_CHUNK];
    final int[] reasons = new int[SEGMENT_CHUNK * REASON_CODES_PER_ROW];
    final RowRefusals segmentRefusals = new RowRefusals();
    /** Per row of the chunk: the refusal's reason ordinal, or -1 when it was scored. */
    final byte[] refusedReason = new byte[SEGMENT_CHUNK];
    final int[] refusedColumn = new int[SEGMENT_CHUNK];
    final double[] refusedValue = new double[SEGMENT_CHUNK];
    final RowGuard[] refusedBy = new RowGuard[SEGMENT_CHUNK];

    SegmentScratch(int width) {
      this.rows = new double[SEGMENT_CHUNK * width];
    }
  }

  /** One batch call's working arrays; held by one call at a time (see {@link #scratchPool}). */
  private static final class Scratch {
    /** A row after the feature policies (imputed, clamped). */
    final double[] row;
    /** One row's per-reason-code totals. */
    final double[] totals;
    /** The column-wise path's per-block reason arrays; null unless the model is a scorecard. */
    final ScorecardBlocks.ReasonScratch blockReasons;
    /**
     * Other models' rows awaiting reason codes ({@link #reasonBlock} at a time): the rows after
     * the policies, their margins, their indexes in the batch and their contributions; null for a
     * scorecard.
     */
    double[] pendingRows;
    double[] pendingMargins;
    int[] pendingIndex;
    double[] pendingContributions;

    Scratch(int width, int codeCount, ScorecardBlocks blocks) {
      this.row = new double[width];
      this.totals = new double[codeCount];
      this.blockReasons = blocks == null ? null : blocks.newReasonScratch();
    }

    /**
     * How many rows may await reason codes in a call of {@code rowCount} rows: the pending arrays
     * are grown on demand up to {@code reasonBlock} rows, so a scorer serving single rows keeps
     * one-row arrays per thread.
     */
    int pendingCapacity(int rowCount, int width, int reasonBlock) {
      int wanted = Math.min(reasonBlock, Math.max(1, rowCount));
      if (pendingMargins == null || pendingMargins.length < wanted) {
        pendingRows = new double[wanted * width];
        pendingMargins = new double[wanted];
        pendingIndex = new int[wanted];
        pendingContributions = new double[wanted * width];
      }
      return pendingMargins.length;
    }
  }

  private Scratch newScratch() {
    return new Scratch(width, codeCount, blocks);
  }

  /**
   * The scorer of the bundle in {@code bundleFile}, read only if a key of {@code trust} signed it
   * ({@link ModelBundle#read(java.nio.file.Path, TrustStore)}): for embedders that must score nobody else's model.
   *
   * @throws NullPointerException when {@code trust} is null (naming it; a bundle is loaded without a
   *     trust store by {@code ModelBundle.read(file).scorer()})
   */
  public static Scorer of(java.nio.file.Path bundleFile, TrustStore trust) throws ModelFormatException,
      java.io.IOException {
    java.util.Objects.requireNonNull(trust, "trust");
    return ModelBundle.read(bundleFile, trust).scorer();
  }

  /** The scorer of {@code bundle}, compiled when the bundle was loaded. */
  public static Scorer of(ModelBundle bundle) {
    return java.util.Objects.requireNonNull(bundle, "bundle").scorer();
  }

  /** The bundle this scorer evaluates. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** Width of a row: the number of features in the bundle's schema. */
  public int featureCount() {
    return width;
  }

  /**
   * Scores one row.
   *
   * @param row feature values in schema order, exactly {@link #featureCount()} of them
   * @throws ScoringException when the feature policies refuse a value (row index 0)
   * @throws IllegalArgumentException when the row has another length than the schema (a caller
   *     built for another version of the schema, say, whose values would land in the wrong
   *     features); {@link #scoreBatch} takes rows of any stride at least as wide
   */
  public ScoreResult score(double[] row) {
    requireOneRow(row);
    if (segmented != null) {
      int s = routeOrRefuse(row);
      ScoreResult r = segmentScorers[s].score(row);
      return new ScoreResult(r.points(), r.pd(), r.grade(), r.gradeIndex(), r.reasonCodes(), segmented.names.get(s));
    }
    double[] points = new double[1];
    double[] pd = new double[1];
    int[] grade = new int[1];
    int[] reasons = new int[REASON_CODES_PER_ROW];
    scoreBatch(row, 1, width, points, pd, grade, reasons);
    List<String> codes = new ArrayList<>(REASON_CODES_PER_ROW);
    for (int reason : reasons) {
      if (reason >= 0) {
        codes.add(reasonCode(reason));
      }
    }
    String gradeName = grade[0] >= 0 ? gradeName(grade[0]) : "";
    return new ScoreResult(points[0], pd[0], gradeName, grade[0], codes);
  }

  /**
   * Scores {@code rowCount} rows into caller-owned arrays, allocating nothing per row; throws at
   * the first refused row. Same as {@link #scoreBatch(double[], int, int, double[], double[], int[],
   * int[], RowRefusals)} without a refusals holder.
   *
   * @throws ScoringException at the first row the feature policies refuse; rows before it are
   *     filled in
   * @throws IndexOutOfBoundsException when {@code rowCount} is negative, {@code stride} less than
   *     the row width or an array too short for {@code rowCount} rows (a programming error)
   */
  public void scoreBatch(double[] rows, int rowCount, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut) {
    scoreBatch(rows, rowCount, stride, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut, null);
  }

  /**
   * Scores {@code rowCount} rows into caller-owned arrays, allocating nothing per row (nor, in
   * steady state, per call); the rows the feature policies refuse are reported in {@code refusals}
   * and the others scored.
   *
   * <p>A refused row gets NaN points and PD, grade index -1 and reason codes -1, and an entry in
   * {@code refusals} with its {@link RowRefusals.Reason} and the column at fault; the rows after it are
   * scored in the same pass, none twice.
   *
   * @param rows row-major values; row r starts at {@code r * stride}
   * @param rowCount number of rows
   * @param stride distance between row starts, at least {@link #featureCount()}
   * @param pointsOut receives the points of row r at index r
   * @param pdOut receives the PD of row r at index r
   * @param gradeIndexOut receives the grade index of row r (see {@link #gradeName(int)}), -1 if
   *     the PD is NaN
   * @param reasonCodeIndexOut receives row r's reason-code indexes at {@code [r * 4, r * 4 + 4)},
   *     most adverse first, padded with -1; pass {@code null} to skip reason codes
   * @param refusals cleared, then receives the refused rows in ascending order; {@code null} to
   *     throw at the first refused row instead (as the overload without it does)
   * @throws ScoringException only when {@code refusals} is null, at the first refused row; rows
   *     before it are filled in
   * @throws IndexOutOfBoundsException when {@code rowCount} is negative, {@code stride} less than
   *     the row width or an array too short for {@code rowCount} rows (a programming error)
   */
  public void scoreBatch(double[] rows, int rowCount, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut, RowRefusals refusals) {
    checkArguments(rows, rowCount, stride, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut);
    if (refusals != null) {
      refusals.reset(bundle.schema(), guard);
    }
    if (segmented != null) {
      SegmentScratch scratch = segmentPool.acquire();
      try {
        scoreSegments(rows, rowCount, stride, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut, scratch, refusals);
      } finally {
        segmentPool.release(scratch);
      }
      return;
    }
    Scratch scratch = scratchPool.acquire();
    try {
      if (blocks != null && (reasonCodeIndexOut == null || rowCount >= MIN_BLOCK_ROWS_WITH_REASONS)) {
        scoreScorecardBlocks(rows, rowCount, stride, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut, scratch,
            refusals);
      } else {
        scoreRows(rows, rowCount, stride, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut, scratch, refusals);
      }
    } finally {
      scratchPool.release(scratch);
    }
  }

  /**
   * The segment that scores the row starting at {@code offset} in {@code rows}: its index in
   * {@link ModelBundle#segments()}, or -1 when the bundle is not segmented or no segment takes the
   * row (a routing feature is missing and its rule names no segment for missing values: the
   * scoring calls refuse it with {@link RowRefusals.Reason#NO_SEGMENT}). Allocates nothing.
   *
   * @throws IndexOutOfBoundsException when {@code rows} holds no whole row at {@code offset}
   *     (checked for every bundle; until 2026-12-07 a segmented bundle's router threw an
   *     unexplained ArrayIndexOutOfBoundsException and other bundles checked nothing)
   */
  public int segmentOf(double[] rows, int offset) {
    java.util.Objects.requireNonNull(rows, "rows");
    java.util.Objects.checkFromIndexSize(offset, width, rows.length);
    if (segmented == null) {
      return -1;
    }
    int s = segmented.route(rows, offset);
    return s < 0 ? -1 : s;
  }

  /** The segment of a single row, or the {@link ScoringException} of a row no segment takes (row 0). */
  private int routeOrRefuse(double[] row) {
    int s = segmented.route(row, 0);
    if (s < 0) {
      int column = -1 - s;
      throw new ScoringException(0, column, bundle.schema().feature(column).name(), RowRefusals.Reason.NO_SEGMENT,
          guard.problem(RowRefusals.Reason.NO_SEGMENT, column, Double.NaN));
    }
    return s;
  }

  /**
   * A segmented bundle's batch: chunk by chunk, the rows are routed, each segment's rows gathered
   * into scratch and scored by the segment's own scorer (its fast batch path), and the outputs
   * scattered back; refusals are reported in ascending row order, each with the policies of the
   * segment that refused it. A row thus scores exactly as with its segment's standalone bundle.
   */
  private void scoreSegments(double[] rows, int rowCount, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut, SegmentScratch scratch, RowRefusals refusals) {
    int[] segmentOf = scratch.segmentOf;
    int[] members = scratch.members;
    for (int first = 0; first < rowCount; first += SEGMENT_CHUNK) {
      int count = Math.min(SEGMENT_CHUNK, rowCount - first);
      for (int i = 0; i < count; i++) {
        segmentOf[i] = segmented.route(rows, (first + i) * stride);
        scratch.refusedReason[i] = -1;
      }
      for (int s = 0; s < segmentScorers.length; s++) {
        int m = 0;
        for (int i = 0; i < count; i++) {
          if (segmentOf[i] == s) {
            System.arraycopy(rows, (first + i) * stride, scratch.rows, m * width, width);
            members[m++] = i;
          }
        }
        if (m == 0) {
          continue;
        }
        int[] reasons = reasonCodeIndexOut == null ? null : scratch.reasons;
        RowRefusals refused = scratch.segmentRefusals;
        segmentScorers[s].scoreBatch(scratch.rows, m, width, scratch.points, scratch.pds, scratch.grades, reasons,
            refused);
        for (int k = 0; k < m; k++) {
          int r = first + members[k];
          pointsOut[r] = scratch.points[k];
          pdOut[r] = scratch.pds[k];
          gradeIndexOut[r] = scratch.grades[k];
          if (reasons != null) {
            System.arraycopy(reasons, k * REASON_CODES_PER_ROW, reasonCodeIndexOut, r * REASON_CODES_PER_ROW,
                REASON_CODES_PER_ROW);
          }
        }
        for (int j = 0; j < refused.count(); j++) {
          int i = members[refused.row(j)];
          scratch.refusedReason[i] = (byte) refused.reason(j).ordinal();
          scratch.refusedColumn[i] = refused.column(j);
          scratch.refusedValue[i] = refused.value(j);
          scratch.refusedBy[i] = refused.guard(j);
        }
      }
      for (int i = 0; i < count; i++) {
        if (segmentOf[i] < 0) {
          markRefused(first + i, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut);
          scratch.refusedReason[i] = (byte) RowRefusals.Reason.NO_SEGMENT.ordinal();
          scratch.refusedColumn[i] = -1 - segmentOf[i];
          scratch.refusedValue[i] = Double.NaN;
          scratch.refusedBy[i] = guard;
        }
      }
      for (int i = 0; i < count; i++) {
        if (scratch.refusedReason[i] < 0) {
          continue;
        }
        RowRefusals.Reason reason = REASONS[scratch.refusedReason[i]];
        if (refusals != null) {
          refusals.add(first + i, reason, scratch.refusedColumn[i], scratch.refusedValue[i], scratch.refusedBy[i],
              rows, (first + i) * stride);
          scratch.refusedBy[i] = null;
          continue;
        }
        throw segmentRefusal(first + i, segmentOf[i], reason, rows, (first + i) * stride, scratch);
      }
    }
  }

  /**
   * The exception of a segmented batch's first refused row, worded as the segment's own scorer
   * words it (for too many missing values, with the list of them); allocates (an error path).
   */
  private ScoringException segmentRefusal(int row, int segment, RowRefusals.Reason reason, double[] rows,
      int offset, SegmentScratch scratch) {
    int i = row % SEGMENT_CHUNK;
    int column = scratch.refusedColumn[i];
    if (segment >= 0) {
      try {
        segmentScorers[segment].score(Arrays.copyOfRange(rows, offset, offset + width));
      } catch (ScoringException e) {
        return new ScoringException(row, e.column(), e.feature(), e.reason(), e.problem());
      }
    }
    return new ScoringException(row, column, bundle.schema().feature(column).name(), reason,
        scratch.refusedBy[i].problem(reason, column, scratch.refusedValue[i]));
  }

  /**
   * Fewest rows for which a non-scorecard model's margins are computed by its batch evaluator
   * ({@link CompiledModel#margins}, the 64-row mask path of tree ensembles) rather than row by row:
   * a partial 64-row block costs about as much as a full one (about 64 us for 300 trees of depth
   * 6, benchmarks/results/trees.md) against about 4 us per row on the single-row path, so from 16
   * rows on the batch evaluator is no slower. Both give the same bits ({@code
   * TreeScorerBatchTest}).
   */
  static final int MIN_BATCH_MARGIN_ROWS = 16;

  /**
   * The row path: every row through the policies; the margins of a non-scorecard model from its
   * batch evaluator (from {@link #MIN_BATCH_MARGIN_ROWS} rows on) or its row evaluator.
   *
   * <p>The batch evaluator scores the rows as given, before the policies: its margin is used for
   * the rows the policies leave unchanged ({@link RowGuard#isClean}); the others are repaired and
   * scored again row by row, or refused, exactly as on the row path. The margins are kept in
   * {@code pdOut} until each row's PD replaces its margin, so the call needs no buffer of its own.
   */
  private void scoreRows(double[] rows, int rowCount, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut, Scratch scratch, RowRefusals refusals) {
    boolean reasons = reasonCodeIndexOut != null;
    double[] repaired = scratch.row;
    double[] totals = scratch.totals;
    boolean batchMargins = scorecard == null && rowCount >= MIN_BATCH_MARGIN_ROWS;
    if (batchMargins) {
      model.margins(rows, rowCount, stride, pdOut);
    }
    int pending = 0;
    int pendingCapacity = reasons && scorecard == null ? scratch.pendingCapacity(rowCount, width, reasonBlock) : 0;
    for (int r = 0; r < rowCount; r++) {
      double[] src = rows;
      int offset = r * stride;
      boolean clean = guard.isClean(rows, offset);
      if (!clean) {
        int refusal = guard.repairOrRefuse(rows, offset, repaired);
        if (refusal >= 0) {
          if (refusals == null && pending > 0) {
            modelReasons(pending, scratch, reasonCodeIndexOut); // the rows before it get their codes
            pending = 0;
          }
          refuse(refusal, r, rows, offset, repaired, refusals);
          markRefused(r, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut);
          continue;
        }
        src = repaired;
        offset = 0;
      }
      if (reasons) {
        Arrays.fill(totals, 0.0);
      }
      double points;
      double margin;
      if (scorecard != null) {
        points = reasons ? scorecard.pointsAndPointsBelow(src, offset, totals) : scorecard.points(src, offset);
        margin = scale.marginOf(points);
      } else {
        margin = batchMargins && clean ? pdOut[r] : model.margin(src, offset);
        points = scale.pointsOf(margin);
        if (reasons) {
          // reason codes from the contributions of blocks of rows (see modelReasons)
          System.arraycopy(src, offset, scratch.pendingRows, pending * width, width);
          scratch.pendingMargins[pending] = margin;
          scratch.pendingIndex[pending++] = r;
          if (pending == pendingCapacity) {
            modelReasons(pending, scratch, reasonCodeIndexOut);
            pending = 0;
          }
        }
      }
      double pd = calibration.pd(margin);
      pointsOut[r] = points;
      pdOut[r] = pd;
      gradeIndexOut[r] = masterScale.gradeIndexOf(pd);
      if (reasons && scorecard != null) {
        ReasonRanker.top(totals, 0, codeCount, reasonCodeIndexOut, r * REASON_CODES_PER_ROW);
      }
    }
    if (pending > 0) {
      modelReasons(pending, scratch, reasonCodeIndexOut);
    }
  }

  /**
   * Most rows of other models whose reason codes are computed together ({@link
   * CompiledModel#contributions(double[], int, int, double[], double[])}): tree TreeSHAP reads its
   * per-leaf tables once per block of rows, so fewer rows at a time read them more often per row
   * (on one core, a 300-tree depth-6 model: 416-487 us per row in 64-row calls, 255-280 us in
   * 2,048-row calls).
   */
  static final int MAX_REASON_BLOCK = 2048;
  /** Most bytes of the rows awaiting reason codes (the contributions take as many again). */
  static final int PENDING_ROWS_BYTES = 1 << 21;

  /**
   * Rows of other models whose reason codes are computed together: {@link #MAX_REASON_BLOCK}, fewer
   * for wide rows ({@link #PENDING_ROWS_BYTES} of them at most), at least 64.
   */
  private final int reasonBlock;

  /**
   * The reason codes of the {@code count} pending rows of a non-scorecard model: their per-feature
   * contributions to the margin, computed for the block at once, summed per reason code and
   * ranked. The one place where such a row's per-code totals are accumulated and ranked.
   */
  private void modelReasons(int count, Scratch scratch, int[] reasonCodeIndexOut) {
    double[] contributions = scratch.pendingContributions;
    double[] totals = scratch.totals;
    model.contributions(scratch.pendingRows, count, width, scratch.pendingMargins, contributions);
    for (int i = 0; i < count; i++) {
      Arrays.fill(totals, 0.0);
      for (int j = 0, at = i * width; j < width; j++) {
        int code = columnReasonCodes[j];
        if (code >= 0) {
          totals[code] += contributions[at + j];
        }
      }
      if (reasonOffsets != null) {
        // measured against the bundle's reference (an approved population)
        for (int k = 0; k < codeCount; k++) {
          totals[k] -= reasonOffsets[k];
        }
      }
      ReasonRanker.top(totals, 0, codeCount, reasonCodeIndexOut, scratch.pendingIndex[i] * REASON_CODES_PER_ROW);
    }
  }

  /**
   * Reports a refusal from {@link RowGuard#repairOrRefuse}: into {@code refusals}, or, when there
   * is none, as the exception.
   */
  private void refuse(int refusal, int row, double[] rows, int offset, double[] repaired, RowRefusals refusals) {
    double value = guard.refusedValue(refusal, rows, offset, repaired);
    if (refusals == null) {
      throw guard.refusal(refusal, row, value, rows, offset);
    }
    refusals.add(row, RowGuard.refusedReason(refusal), RowGuard.refusedColumn(refusal), value, rows, offset);
  }

  /** The outputs of a refused row: NaN points and PD, grade -1, no reason codes. */
  private static void markRefused(int r, double[] pointsOut, double[] pdOut, int[] gradeIndexOut,
      int[] reasonCodeIndexOut) {
    pointsOut[r] = Double.NaN;
    pdOut[r] = Double.NaN;
    gradeIndexOut[r] = -1;
    if (reasonCodeIndexOut != null) {
      Arrays.fill(reasonCodeIndexOut, r * REASON_CODES_PER_ROW, (r + 1) * REASON_CODES_PER_ROW, -1);
    }
  }

  /** Whether a scorecard's batch reason codes are ranked ahead ({@link ScorecardBlocks}); for tests. */
  boolean ranksReasonsAhead() {
    return blocks != null && blocks.ranksReasons();
  }

  /** Rows per block of the column-wise scorecard path. */
  private static final int BLOCK = ScorecardBlocks.BLOCK;
  /**
   * Fewest rows for which reason codes are computed column-wise: the per-block set-up (the
   * scratch, clearing a block of per-code totals) pays off from about two rows on (CPU
   * time per row of 20-characteristic rows: one row 800 against 750 ns, two 456 against 465,
   * four 280 against 315); single rows stay on the row path.
   */
  static final int MIN_BLOCK_ROWS_WITH_REASONS = 4;

  /**
   * The scorecard batch path: blocks of rows are scored column-wise with the feature policies
   * folded into the bin lookups ({@link ScorecardBlocks}); the rows the policies would change or
   * refuse come back as NaN and are scored again row by row through the policies (or refused).
   * Both paths give bit-identical points and per-code totals, hence the same reason codes.
   */
  private void scoreScorecardBlocks(double[] rows, int rowCount, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut, Scratch scratch, RowRefusals refusals) {
    ScorecardBlocks.ReasonScratch reasonScratch = reasonCodeIndexOut == null ? null : scratch.blockReasons;
    for (int first = 0; first < rowCount; first += BLOCK) {
      int count = Math.min(BLOCK, rowCount - first);
      if (reasonScratch == null) {
        blocks.points(rows, first * stride, count, stride, pointsOut, first);
      } else {
        blocks.pointsAndPointsBelow(rows, first * stride, count, stride, pointsOut, first, reasonScratch);
      }
      int end = first + count;
      int refusedBefore = refusals == null ? 0 : refusals.count();
      // the column-wise lookups score a row of missing values through their missing bins: the
      // bundle's missing-share limit is checked here (rows through the policies check it again)
      boolean limitsMissing = guard.limitsMissing();
      for (int r = first; r < end; r++) {
        if (pointsOut[r] != pointsOut[r] || limitsMissing && guard.tooManyMissing(rows, r * stride)) {
          rescoreRow(r, first, rows, stride, pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut, scratch,
              reasonScratch, refusals);
        }
      }
      finish(pointsOut, first, end, pdOut, gradeIndexOut, reasonCodeIndexOut, reasonScratch);
      if (refusals != null) {
        for (int i = refusedBefore; i < refusals.count(); i++) {
          markRefused(refusals.row(i), pointsOut, pdOut, gradeIndexOut, reasonCodeIndexOut);
        }
      }
    }
  }

  /**
   * Scores row r of the block at {@code first} through the policies after the column-wise path
   * gave it NaN points, or refuses it (its points stay NaN). Out of the block loop so that the
   * loop over clean rows stays small for the compiler.
   */
  private void rescoreRow(int r, int first, double[] rows, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut, Scratch scratch, ScorecardBlocks.ReasonScratch reasonScratch,
      RowRefusals refusals) {
    double[] src = rows;
    int offset = r * stride;
    if (!guard.isClean(rows, offset)) {
      int refusal = guard.repairOrRefuse(rows, offset, scratch.row);
      if (refusal >= 0) {
        if (refusals == null) {
          finish(pointsOut, first, r, pdOut, gradeIndexOut, reasonCodeIndexOut, reasonScratch);
        }
        pointsOut[r] = Double.NaN; // the column-wise path may have scored it (too many missing values)
        refuse(refusal, r, rows, offset, scratch.row, refusals); // throws when refusals is null
        return; // its points stay NaN: the caller marks it refused after finish()
      }
      src = scratch.row;
      offset = 0;
    }
    if (reasonScratch == null) {
      pointsOut[r] = scorecard.points(src, offset);
    } else {
      double[] rowTotals = scratch.totals;
      Arrays.fill(rowTotals, 0.0);
      pointsOut[r] = scorecard.pointsAndPointsBelow(src, offset, rowTotals);
      reasonScratch.setTotals(r - first, rowTotals);
    }
  }

  /** PD, grade and, when asked, reason codes of rows {@code [from, to)} of the block at {@code from}. */
  private void finish(double[] pointsOut, int from, int to, double[] pdOut, int[] gradeIndexOut,
      int[] reasonCodeIndexOut, ScorecardBlocks.ReasonScratch reasonScratch) {
    pdAndGrade(pointsOut, from, to, pdOut, gradeIndexOut);
    if (reasonScratch != null) {
      for (int r = from; r < to; r++) {
        blocks.topCodes(reasonScratch, r - from, reasonCodeIndexOut, r * REASON_CODES_PER_ROW);
      }
    }
  }

  /**
   * PD and grade of rows {@code [from, to)} from their points, each in a loop of its own: short
   * bodies whose rows the CPU overlaps.
   */
  private void pdAndGrade(double[] pointsOut, int from, int to, double[] pdOut, int[] gradeIndexOut) {
    for (int r = from; r < to; r++) {
      pdOut[r] = calibration.pd(scale.marginOf(pointsOut[r]));
    }
    for (int r = from; r < to; r++) {
      gradeIndexOut[r] = masterScale.gradeIndexOf(pdOut[r]);
    }
  }

  /** The one-row calls' check: a row of exactly the schema's width. */
  private void requireOneRow(double[] row) {
    java.util.Objects.requireNonNull(row, "row");
    if (row.length != width) {
      throw new IllegalArgumentException("the row holds " + row.length + " values; the model's schema has " + width
          + " features (" + bundle.modelId() + " " + bundle.modelVersion() + ")");
    }
  }

  /**
   * Checks a batch's rows: the count not negative, the stride at least the width, the array long
   * enough; false when there are no rows (nothing more to check). Failing this is a programming
   * error of the caller, never bad input, hence IndexOutOfBoundsException rather than the
   * IllegalArgumentException of refused data.
   */
  private boolean checkRows(double[] rows, int rowCount, int stride) {
    java.util.Objects.requireNonNull(rows, "rows");
    if (rowCount < 0) {
      throw new IndexOutOfBoundsException("rowCount must not be negative, got " + rowCount);
    }
    if (rowCount == 0) {
      return false;
    }
    if (stride < width) {
      throw new IndexOutOfBoundsException("stride " + stride + " is less than the row width " + width);
    }
    long needed = (long) (rowCount - 1) * stride + width;
    if (rows.length < needed) {
      throw new IndexOutOfBoundsException(
          "rows holds " + rows.length + " values but " + rowCount + " rows of stride " + stride + " need " + needed);
    }
    return true;
  }

  /** Checks the rows ({@link #checkRows}) and the output arrays' sizes, as programming errors. */
  private void checkArguments(double[] rows, int rowCount, int stride, double[] pointsOut, double[] pdOut,
      int[] gradeIndexOut, int[] reasonCodeIndexOut) {
    java.util.Objects.requireNonNull(rows, "rows");
    java.util.Objects.requireNonNull(pointsOut, "pointsOut");
    java.util.Objects.requireNonNull(pdOut, "pdOut");
    java.util.Objects.requireNonNull(gradeIndexOut, "gradeIndexOut");
    if (!checkRows(rows, rowCount, stride)) {
      return;
    }
    if (pointsOut.length < rowCount || pdOut.length < rowCount || gradeIndexOut.length < rowCount) {
      throw new IndexOutOfBoundsException("an output array is shorter than rowCount " + rowCount);
    }
    if (reasonCodeIndexOut != null && reasonCodeIndexOut.length < (long) rowCount * REASON_CODES_PER_ROW) {
      throw new IndexOutOfBoundsException("reasonCodeIndexOut needs " + REASON_CODES_PER_ROW + " slots per row");
    }
  }

  /**
   * Explains one row: every characteristic's (scorecard) or feature's (other models) value, bin,
   * points and contribution, with the score. Not a hot path: it allocates.
   *
   * @throws ScoringException when the feature policies refuse a value
   * @throws IllegalArgumentException when the row has another length than the schema, as {@link
   *     #score} does
   */
  public Explanation explain(double[] row) {
    requireOneRow(row);
    if (segmented != null) {
      int s = routeOrRefuse(row);
      Explanation e = segmentScorers[s].explain(row);
      ScoreResult r = e.score();
      return new Explanation(new ScoreResult(r.points(), r.pd(), r.grade(), r.gradeIndex(), r.reasonCodes(),
          segmented.names.get(s)), e.margin(), e.basePoints(), e.items());
    }
    ScoreResult result = score(row);
    double[] src = row;
    if (!guard.isClean(row, 0)) {
      src = new double[width];
      guard.repair(row, 0, src, 0);
    }
    io.chainscore.features.FeatureSchema schema = bundle.schema();
    List<Explanation.Item> items = new ArrayList<>();
    double margin;
    double basePoints;
    if (scorecard != null) {
      Binnings b = scorecard.bins();
      double perPoint = scale.marginPerPoint();
      for (int c = 0; c < b.count; c++) {
        int column = b.column[c];
        double x = src[column];
        double points = b.value(c, x);
        io.chainscore.features.FeatureSpec spec = schema.feature(column);
        // + 0.0 turns a negative zero (0 points times a negative margin per point) into +0.0
        items.add(new Explanation.Item(spec.name(), spec.name(), valueText(spec, x), x, b.label(c, x, spec),
            points + 0.0, b.maxValue[c] - points + 0.0, points * perPoint + 0.0,
            reasonCode(scorecard.reasonCodeOf(c))));
      }
      basePoints = scorecard.basePoints();
      margin = scale.marginOf(result.points());
    } else {
      double[] contributions = new double[width];
      double bias = model.contributions(src, 0, contributions);
      margin = model.margin(src, 0);
      basePoints = scale.pointsOf(bias);
      for (int j = 0; j < width; j++) {
        io.chainscore.features.FeatureSpec spec = schema.feature(j);
        int code = columnReasonCodes[j];
        items.add(new Explanation.Item(spec.name(), spec.name(), valueText(spec, src[j]), src[j], "",
            contributions[j] / scale.marginPerPoint() + 0.0, 0, contributions[j] + 0.0,
            code >= 0 ? reasonCode(code) : ""));
      }
    }
    return new Explanation(result, margin + 0.0, basePoints + 0.0, items);
  }

  /**
   * Each row's contribution to the margin per feature, the values {@link #explain} gives one row at
   * a time ({@link Explanation.Item#contribution()}, in schema order), bit for bit, for a model
   * that is neither a scorecard nor segmented: row r's at {@code out[r * featureCount() .. (r + 1)
   * * featureCount())}. The rows are computed in blocks (a tree ensemble reads its per-leaf tables
   * once per block), so many rows cost far less than as many explanations. A row the feature
   * policies change is repaired first, as {@code explain} repairs it; a row they refuse gets NaN
   * contributions and an entry in {@code refusals}. Not measured against the bundle's reason
   * reference: these are the contributions the reference is measured from.
   *
   * <p>Allocates its working arrays per call: for a development sample, not the scoring hot path.
   *
   * @param rows row-major values; row r starts at {@code r * stride}
   * @param refusals cleared, then receives the refused rows in ascending order
   * @throws IllegalStateException for a scorecard or a segmented bundle, whose rows are explained
   *     one at a time
   * @throws IndexOutOfBoundsException when {@code rowCount} is negative, {@code stride} less than
   *     the row width or an array too short for {@code rowCount} rows
   */
  public void contributions(double[] rows, int rowCount, int stride, double[] out, RowRefusals refusals) {
    if (scorecard != null || segmented != null) {
      throw new IllegalStateException("batch contributions are for models that are neither scorecards nor"
          + " segmented; explain this bundle's rows one at a time");
    }
    java.util.Objects.requireNonNull(out, "out");
    java.util.Objects.requireNonNull(refusals, "refusals");
    if (checkRows(rows, rowCount, stride) && out.length < (long) rowCount * width) {
      throw new IndexOutOfBoundsException("out needs " + width + " values per row");
    }
    refusals.reset(bundle.schema(), guard);
    int block = Math.min(reasonBlock, Math.max(1, rowCount));
    double[] blockRows = new double[block * width];
    double[] margins = new double[block];
    double[] blockOut = new double[block * width];
    int[] index = new int[block];
    double[] repaired = new double[width];
    int pending = 0;
    for (int r = 0; r < rowCount; r++) {
      int offset = r * stride;
      if (guard.isClean(rows, offset)) {
        System.arraycopy(rows, offset, blockRows, pending * width, width);
      } else {
        int refusal = guard.repairOrRefuse(rows, offset, repaired);
        if (refusal >= 0) {
          refuse(refusal, r, rows, offset, repaired, refusals);
          Arrays.fill(out, r * width, (r + 1) * width, Double.NaN);
          continue;
        }
        System.arraycopy(repaired, 0, blockRows, pending * width, width);
      }
      index[pending++] = r;
      if (pending == block) {
        flushContributions(pending, blockRows, margins, blockOut, index, out);
        pending = 0;
      }
    }
    if (pending > 0) {
      flushContributions(pending, blockRows, margins, blockOut, index, out);
    }
  }

  /** One block of {@link #contributions(double[], int, int, double[], RowRefusals)}. */
  private void flushContributions(int count, double[] blockRows, double[] margins, double[] blockOut, int[] index,
      double[] out) {
    // the batch margins and contributions are the single-row evaluators' bits (CompiledModel)
    model.margins(blockRows, count, width, margins);
    model.contributions(blockRows, count, width, margins, blockOut);
    for (int i = 0; i < count; i++) {
      for (int j = 0, from = i * width, to = index[i] * width; j < width; j++) {
        // + 0.0 as explain: a negative zero becomes +0.0
        out[to + j] = blockOut[from + j] + 0.0;
      }
    }
  }

  /**
   * The index in the bundle's reason-code table of the reason code the feature at schema column
   * {@code column} counts towards in {@link #contributions(double[], int, int, double[],
   * RowRefusals)} and {@link #explain}, or -1 when it has none, and for a scorecard or a segmented
   * bundle (whose characteristics, or segments, carry theirs in {@link #explain}).
   */
  public int reasonCodeOfColumn(int column) {
    java.util.Objects.checkIndex(column, width);
    return scorecard != null || segmented != null ? -1 : columnReasonCodes[column];
  }

  private static String valueText(io.chainscore.features.FeatureSpec spec, double x) {
    if (Double.isNaN(x)) {
      return "missing";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    if (spec.type() == io.chainscore.features.FeatureType.CATEGORICAL) {
      return spec.categories().get((int) x);
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return new java.math.BigDecimal(x).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /**
   * Name of the grade at {@code gradeIndex} on the bundle's master scale.
   *
   * @throws IndexOutOfBoundsException for an index off the scale, saying so; -1, which {@code
   *     scoreBatch} writes for a refused row, is named as that
   */
  public String gradeName(int gradeIndex) {
    return masterScale.grade(checkIndex(gradeIndex, masterScale.grades().size(), "grade index", "a refused row has no grade")).name();
  }

  /**
   * The reason code at {@code index} in the bundle's reason-code table.
   *
   * @throws IndexOutOfBoundsException for an index outside the table, saying so; -1, which {@code
   *     scoreBatch} writes where a row has fewer reason codes than slots, is named as that
   */
  public String reasonCode(int index) {
    return bundle.reasonCodes().get(checkIndex(index, bundle.reasonCodes().size(), "reason code index",
        "an empty reason slot (a refused row, or fewer reasons than slots)")).code();
  }

  /**
   * The adverse-action text of the reason code at {@code index}.
   *
   * @throws IndexOutOfBoundsException as {@link #reasonCode}
   */
  public String reasonText(int index) {
    return bundle.reasonCodes().get(checkIndex(index, bundle.reasonCodes().size(), "reason code index",
        "an empty reason slot (a refused row, or fewer reasons than slots)")).text();
  }

  /** {@code index}, or the exception naming what it is and what -1 means. */
  private static int checkIndex(int index, int size, String what, String minusOne) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(what + " " + index + (index == -1 ? ": " + minusOne : "")
          + "; expected 0 to " + (size - 1));
    }
    return index;
  }
}
