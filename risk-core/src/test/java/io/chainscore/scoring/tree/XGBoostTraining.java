package io.chainscore.scoring.tree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/** Trains small XGBoost models with xgboost4j on random data with NaN and categorical features. */
final class XGBoostTraining {
  /** Feature layout of the training data: columns 1 and 4 are categorical with 6 and 12 levels. */
  static final int FEATURES = 6;
  static final int[] CATEGORY_COUNT = {0, 6, 0, 0, 12, 0};
  static final String[] TYPES = {"q", "c", "q", "q", "c", "q"};

  final Booster booster;
  final Path json;

  private XGBoostTraining(Booster booster, Path json) {
    this.booster = booster;
    this.json = json;
  }

  static XGBoostTraining train(String name, Map<String, Object> extra, int rounds, long seed) throws Exception {
    int n = 3000;
    Random random = new Random(seed);
    float[] x = new float[n * FEATURES];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < FEATURES; f++) {
        float v = CATEGORY_COUNT[f] > 0 ? random.nextInt(CATEGORY_COUNT[f]) : (float) random.nextGaussian();
        if (random.nextInt(8) == 0) {
          v = Float.NaN;
        }
        x[i * FEATURES + f] = v;
      }
      double signal = nanToZero(x[i * FEATURES]) + 0.7 * nanToZero(x[i * FEATURES + 2]) * nanToZero(x[i * FEATURES + 3])
          + (x[i * FEATURES + 1] % 2 == 0 ? 0.8 : -0.4) + (x[i * FEATURES + 4] > 6 ? 0.5 : 0)
          + 0.3 * random.nextGaussian();
      y[i] = extra.getOrDefault("objective", "binary:logistic").toString().startsWith("reg:")
          ? (float) signal : (signal > 0.3 ? 1 : 0);
    }
    DMatrix train = matrix(x, n);
    train.setLabel(y);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 5);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    params.put("tree_method", "hist");
    params.put("max_cat_to_onehot", 1);
    params.put("seed", 7);
    params.putAll(extra);
    Booster booster = XGBoost.train(train, params, rounds, new HashMap<>(), null, null);
    train.dispose();
    Path dir = Path.of("target", "trees-test");
    Files.createDirectories(dir);
    Path json = dir.resolve(name + ".json");
    booster.saveModel(json.toString());
    return new XGBoostTraining(booster, json);
  }

  /** A model file loaded into xgboost4j, as a user would load it ({@code XGBoost.loadModel}). */
  static XGBoostTraining load(Path json) throws Exception {
    return new XGBoostTraining(XGBoost.loadModel(json.toString()), json);
  }

  static DMatrix matrix(float[] x, int rows) throws Exception {
    DMatrix m = new DMatrix(x, rows, FEATURES, Float.NaN);
    m.setFeatureTypes(TYPES);
    return m;
  }

  private static double nanToZero(float v) {
    return Float.isNaN(v) ? 0 : v;
  }

  void dispose() {
    booster.dispose();
  }
}
