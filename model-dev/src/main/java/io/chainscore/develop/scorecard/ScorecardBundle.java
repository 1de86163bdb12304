package io.chainscore.develop.scorecard;

import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.Bin;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.Characteristic;
import io.chainscore.scoring.spi.ScorecardView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bundle-building seam of {@link ScorecardTrainer}: turns the trained characteristics into a
 * {@link ScorecardView} and builds the sealed bundle with {@link BundleBuilder}. Every schema
 * feature is written with missing values passed to the model and, for numeric features, its unit
 * and an explicit {@code "reject"} range policy; six training rows, evenly spaced, become the
 * golden rows.
 *
 * <p>Thread safety: stateless.
 */
final class ScorecardBundle {
  /** Number of training rows recorded as golden rows. */
  private static final int GOLDEN_ROWS = 6;

  private ScorecardBundle() {}

  static ModelBundle build(ScorecardTrainer.Options options, FeatureSchema schema,
      List<ScorecardTrainer.Characteristic> characteristics, long basePoints, double[] rows, int[] labels,
      double[] weights, io.chainscore.develop.TrainerSettings settings) {
    BundleBuilder builder = BundleBuilder.create(options.modelId(), options.modelVersion())
        .description(options.description());
    for (FeatureSpec f : schema.features()) {
      BundleBuilder.Feature feature = BundleBuilder.Feature.of(f);
      if (f.type() != FeatureType.CATEGORICAL) {
        feature = feature.withUnitAlwaysWritten().withOutOfRange(BundleBuilder.OutOfRange.REJECT);
      }
      builder.feature(feature);
    }
    PointsScale scaling = options.scaling();
    builder.scoreScale(scaling.pdo(), scaling.baseScore(), scaling.baseOdds());
    List<Characteristic> view = new ArrayList<>();
    for (ScorecardTrainer.Characteristic c : characteristics) {
      view.add(characteristic(c, schema.feature(schema.indexOf(c.feature()))));
    }
    builder.model(new ScorecardView(basePoints, view));
    java.util.Set<String> codes = new java.util.HashSet<>();
    for (ScorecardTrainer.Characteristic c : characteristics) {
      // Characteristics of one reason group share its code (and its statement, once).
      if (codes.add(c.reasonCode())) {
        String text = options.reasonGroups().containsKey(c.feature()) ? options.reasonTexts().get(c.reasonCode())
            : options.reasonTexts().get(c.feature());
        builder.reasonCode(c.reasonCode(), text != null ? text
            : schema.feature(schema.indexOf(c.feature())).description());
      }
    }
    builder.provenance(new ModelBundle.Provenance(options.trainedAt(),
        BundleBuilder.trainingDataSha256(weights == null ? rows : withWeights(rows, weights, schema.size()), labels),
        options.trainer() + settings.group()));
    builder.maxMissingShare(options.maxMissingShare());
    int p = schema.size();
    int n = labels.length;
    List<double[]> golden = new ArrayList<>();
    for (int k = 0; k < GOLDEN_ROWS; k++) {
      int i = (int) ((long) k * (n - 1) / (GOLDEN_ROWS - 1));
      golden.add(Arrays.copyOfRange(rows, i * p, (i + 1) * p));
    }
    try {
      return builder.goldenInputs(golden).build();
    } catch (ModelFormatException e) {
      throw new IllegalStateException("the trained scorecard does not form a valid bundle: " + e.getMessage(), e);
    }
  }

  /**
   * The rows with each row's sample weight appended as one more column, so that the training-data
   * fingerprint of a weighted fit records the weights too.
   */
  private static double[] withWeights(double[] rows, double[] weights, int p) {
    int n = weights.length;
    double[] out = new double[n * (p + 1)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * p, out, i * (p + 1), p);
      out[i * (p + 1) + p] = weights[i];
    }
    return out;
  }

  /**
   * The bundle bins of a characteristic, in binning-table order. The table's OTHER bin (rare and
   * unseen categories) becomes an explicit bin of the schema categories no other bin names, placed
   * before the missing bin, so that every category the schema allows has points.
   */
  private static Characteristic characteristic(ScorecardTrainer.Characteristic c, FeatureSpec f) {
    List<Bin> bins = new ArrayList<>();
    List<BinningTable.Bin> tableBins = c.binning().bins();
    Set<String> covered = new HashSet<>();
    long otherPoints = 0;
    for (int b = 0; b < tableBins.size(); b++) {
      BinningTable.Bin bin = tableBins.get(b);
      long points = c.points()[b];
      switch (bin.kind()) {
        case RANGE -> bins.add(new Bin.Range(bin.lower(), bin.upper(), points));
        case CATEGORIES -> {
          covered.addAll(bin.categories());
          bins.add(new Bin.Categories(bin.categories(), points));
        }
        case OTHER -> otherPoints = points;
        case MISSING -> bins.add(new Bin.Missing(points));
        case SPECIAL -> {
          // A numeric table always has a special bin; it is a bundle bin only when the developer
          // named codes for it (train --binning), and then it takes precedence over the ranges.
          double[] codes = c.binning().specialValues();
          if (codes.length > 0) {
            bins.add(new Bin.Special(java.util.Arrays.stream(codes).boxed().toList(), points));
          }
        }
        default -> throw new IllegalStateException(bin.kind().toString());
      }
    }
    if (f.type() == FeatureType.CATEGORICAL) {
      List<String> rest = new ArrayList<>();
      for (String code : f.categories()) {
        if (!covered.contains(code)) {
          rest.add(code);
        }
      }
      if (!rest.isEmpty()) {
        bins.add(bins.size() - 1, new Bin.Categories(rest, otherPoints));
      }
    }
    return new Characteristic(c.feature(), c.feature(), c.reasonCode(), bins);
  }
}
