package io.chainscore.cli;

import io.chainscore.develop.gbdt.GbdtTrainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The gradient-boosted-tree options of {@code chainscore train --model-type gbdt}: engine, the
 * per-engine defaults, monotone constraints, early stopping, categorical splits and threads (and
 * whether the engine takes weights and a node size), checked
 * with one-line messages (exit 2).
 */
final class GbdtOptions {
  private GbdtOptions() {}

  /** The checked choice: a trainer builder with every option the user gave, and its engine. */
  record Chosen(GbdtTrainer.Builder builder, GbdtTrainer.Engine engine) {
    /** The engine as the provenance names it. */
    String engineText() {
      return engine == GbdtTrainer.Engine.XGBOOST ? "XGBoost hist" : "Smile 2.6.0";
    }
  }

  static Chosen of(CommandSpec spec, String engine, Integer trees, String depth, Integer maxLeaves, Double shrinkage,
      Double subsample, Double calibrationShare, List<String> monotone, Integer earlyStopping, double validationShare,
      Integer threads, String weightColumn, String categoricalSplits) {
    GbdtTrainer.Engine e;
    if (engine == null || engine.equals("xgboost")) {
      e = GbdtTrainer.Engine.XGBOOST;
    } else if (engine.equals("smile")) {
      e = GbdtTrainer.Engine.SMILE;
    } else {
      throw new ParameterException(spec.commandLine(), "--engine: expected xgboost or smile, got '" + engine + "'");
    }
    if (e == GbdtTrainer.Engine.XGBOOST && given(spec, "--node-size")) {
      // min_child_weight, the nearest xgboost setting, bounds a node's sum of hessians p(1 - p), not
      // its rows: no value of it means "at least N rows", so the option is not mapped onto it
      throw new ParameterException(spec.commandLine(), "--node-size applies to --engine smile only; XGBoost has"
          + " no smallest node size in rows (its min_child_weight bounds a sum of hessians, not a row count)");
    }
    if (e == GbdtTrainer.Engine.SMILE) {
      String unsupported = monotone != null ? "--monotone" : earlyStopping != null ? "--early-stopping"
          : weightColumn != null ? "--weight" : threads != null ? "--threads" : null;
      if (unsupported != null) {
        throw new ParameterException(spec.commandLine(), unsupported + " needs --engine xgboost; Smile's"
            + " GradientTreeBoost has no monotone constraints, sample weights or early stopping");
      }
      if (categoricalSplits != null) {
        throw new ParameterException(spec.commandLine(), "--categorical-splits needs --engine xgboost; the Smile"
            + " engine splits a category's code as an ordinal number");
      }
    }
    GbdtTrainer.Builder b = GbdtTrainer.builder().engine(e);
    // The command line keeps its former Smile defaults (depth 4, 8 leaves); xgboost takes the trainer's.
    b.trees(trees != null ? trees : e == GbdtTrainer.Engine.SMILE ? 200 : 100);
    if ("auto".equals(depth)) {
      if (e == GbdtTrainer.Engine.SMILE) {
        throw new ParameterException(spec.commandLine(), "--depth auto needs --engine xgboost");
      }
      if (maxLeaves != null) {
        b.depthChoices(GbdtTrainer.DEPTH_CHOICES);  // a leaf limit given replaces the 31-leaf shape's own
      } else {
        b.shapeChoices(GbdtTrainer.SHAPE_CHOICES);
      }
    } else if (depth != null || e == GbdtTrainer.Engine.SMILE) {
      b.maxDepth(depth != null ? wholeDepth(spec, depth) : 4);
    }
    if (maxLeaves != null || e == GbdtTrainer.Engine.SMILE) {
      b.maxNodes(maxLeaves != null ? maxLeaves : 8);
    }
    if (shrinkage != null) {
      b.shrinkage(shrinkage);
    }
    if (subsample != null) {
      b.subsample(subsample);
    }
    if (calibrationShare != null) {
      b.calibrationShare(calibrationShare);
    }
    if (monotone != null && !monotone.equals(List.of("scorecard"))) {
      b.monotone(monotone(spec, monotone));
    }
    if (earlyStopping != null) {
      if (earlyStopping < 1) {
        throw new ParameterException(spec.commandLine(), "--early-stopping " + earlyStopping
            + ": must be at least 1 (rounds without improvement before stopping)");
      }
      b.earlyStoppingRounds(earlyStopping);
    }
    if (!(validationShare > 0 && validationShare < 0.9)) {
      throw new ParameterException(spec.commandLine(), "--validation-share " + validationShare
          + ": must be above 0 and below 0.9");
    }
    boolean heldOutRows = earlyStopping != null || depth == null && e == GbdtTrainer.Engine.XGBOOST
        || "auto".equals(depth);
    if (!heldOutRows && given(spec, "--validation-share")) {
      // a value typed that would change nothing: the held-out rows serve early stopping and the depth choice
      throw new ParameterException(spec.commandLine(), "--validation-share applies to --early-stopping and to the"
          + " depth chosen on held-out rows (--depth auto, the xgboost default); with --depth " + depth
          + (e == GbdtTrainer.Engine.SMILE ? " on Smile" : "") + " and no --early-stopping no rows are held out");
    }
    if (monotone == null || !monotone.equals(List.of("scorecard"))) {
      for (String option : SCORECARD_BINNING) {
        if (given(spec, option)) {
          throw new ParameterException(spec.commandLine(), option + " applies to a scorecard's binning; trees use"
              + " it only to take the scorecard's trends as constraints (--monotone scorecard)");
        }
      }
    }
    b.validationShare(validationShare);
    if (categoricalSplits != null) {
      GbdtTrainer.CategoricalSplits kind = GbdtTrainer.CategoricalSplits.ofId(categoricalSplits);
      if (kind == null) {
        throw new ParameterException(spec.commandLine(), "--categorical-splits: expected "
            + java.util.Arrays.stream(GbdtTrainer.CategoricalSplits.values()).map(GbdtTrainer.CategoricalSplits::id)
                .collect(java.util.stream.Collectors.joining(" or ")) + ", got '" + categoricalSplits + "'");
      }
      b.categoricalSplits(kind);
    }
    if (threads != null) {
      if (threads < 1) {
        throw new ParameterException(spec.commandLine(), "--threads " + threads + ": must be at least 1");
      }
      b.threads(threads);
    }
    try {
      b.build();
    } catch (IllegalArgumentException ex) {
      throw new ParameterException(spec.commandLine(), "gbdt options: " + ex.getMessage());
    }
    return new Chosen(b, e);
  }

  /** FEATURE=+1|-1|0 items ({@link NameValues}' form). */
  static Map<String, Integer> monotone(CommandSpec spec, List<String> items) {
    String expected = "FEATURE=+1 (PD never falls as the feature rises), FEATURE=-1 or FEATURE=0";
    Map<String, String> given;
    try {
      given = NameValues.parse("--monotone", items, expected);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Integer> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      int d = switch (e.getValue()) {
        case "+1", "1" -> 1;
        case "-1" -> -1;
        case "0" -> 0;
        default -> throw new ParameterException(spec.commandLine(), "--monotone " + e.getKey() + "=" + e.getValue()
            + ": expected " + expected);
      };
      m.put(e.getKey(), d);
    }
    return m;
  }

  /** The scorecard binning's options, which trees take only with {@code --monotone scorecard}. */
  static final List<String> SCORECARD_BINNING = List.of("--min-iv", "--max-bins", "--min-bin-share");

  /** The options that shape gradient-boosted trees only; a scorecard has no use for them. */
  static final List<String> GBDT_ONLY = List.of("--engine", "--trees", "--depth", "--max-leaves", "--shrinkage",
      "--subsample", "--node-size", "--calibration-share", "--validation-share", "--early-stopping", "--monotone",
      "--threads", "--categorical-splits", "--reason-reference");

  /**
   * Refuses, for a scorecard, the first gbdt-only option given on the command line (options with
   * defaults included: a value typed is a value the user expects to count).
   */
  static void refuseForScorecard(CommandSpec spec) {
    for (String option : GBDT_ONLY) {
      if (given(spec, option)) {
        throw new ParameterException(spec.commandLine(), option + " applies to --model-type gbdt");
      }
    }
  }

  /** Whether {@code option} was typed on the command line (a default value does not count). */
  private static boolean given(CommandSpec spec, String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** {@code --depth N}: a whole number (its range is the trainer's to check), else one line naming it. */
  private static int wholeDepth(CommandSpec spec, String depth) {
    try {
      return Integer.parseInt(depth);
    } catch (NumberFormatException ex) {
      throw new ParameterException(spec.commandLine(), "--depth: expected a whole number or auto, got '" + depth + "'");
    }
  }
}
