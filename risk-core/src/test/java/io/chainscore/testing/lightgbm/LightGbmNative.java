package io.chainscore.testing.lightgbm;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Trains and predicts with the real LightGBM 3.3.5 through the lightgbmlib SWIG wrapper (test
 * scope only): the reference for LightGBM parity, shared through risk-core's test jar with the CLI's
 * tests (a package of its own: the core module's packages cannot be split across modules' tests).
 */
public final class LightGbmNative implements AutoCloseable {
  private static boolean loaded;

  private final SWIGTYPE_p_void booster;
  public final int features;

  private LightGbmNative(SWIGTYPE_p_void booster, int features) {
    this.booster = booster;
    this.features = features;
  }

  public static synchronized void load() throws Exception {
    if (loaded) {
      return;
    }
    // a directory of this JVM's own: the suite runs two test JVMs at once (surefire forkCount), and
    // replacing a library another JVM has loaded from the same path would break that JVM
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "lightgbm-native-");
    for (String lib : new String[] {"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
      Path target = dir.resolve(lib);
      try (InputStream in = lightgbmlib.class.getResourceAsStream("/com/microsoft/ml/lightgbm/linux/x86_64/" + lib)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      System.load(target.toAbsolutePath().toString());
    }
    loaded = true;
  }

  private static void check(int rc) {
    if (rc != 0) {
      throw new IllegalStateException("LightGBM: " + lightgbmlib.LGBM_GetLastError());
    }
  }

  /** Trains on row-major {@code x} ({@code n} rows) with labels {@code y}. */
  public static LightGbmNative train(double[] x, float[] y, int n, int p, String params, int rounds) throws Exception {
    load();
    SWIGTYPE_p_double data = lightgbmlib.new_doubleArray(x.length);
    for (int i = 0; i < x.length; i++) {
      lightgbmlib.doubleArray_setitem(data, i, x[i]);
    }
    SWIGTYPE_p_p_void datasetOut = lightgbmlib.new_voidpp();
    check(lightgbmlib.LGBM_DatasetCreateFromMat(lightgbmlib.double_to_voidp_ptr(data),
        lightgbmlibConstants.C_API_DTYPE_FLOAT64, n, p, 1, params, null, datasetOut));
    SWIGTYPE_p_void dataset = lightgbmlib.voidpp_value(datasetOut);
    SWIGTYPE_p_float labels = lightgbmlib.new_floatArray(n);
    for (int i = 0; i < n; i++) {
      lightgbmlib.floatArray_setitem(labels, i, y[i]);
    }
    check(lightgbmlib.LGBM_DatasetSetField(dataset, "label", lightgbmlib.float_to_voidp_ptr(labels), n,
        lightgbmlibConstants.C_API_DTYPE_FLOAT32));
    SWIGTYPE_p_p_void boosterOut = lightgbmlib.new_voidpp();
    check(lightgbmlib.LGBM_BoosterCreate(dataset, params, boosterOut));
    SWIGTYPE_p_void booster = lightgbmlib.voidpp_value(boosterOut);
    SWIGTYPE_p_int finished = lightgbmlib.new_intp();
    for (int r = 0; r < rounds; r++) {
      check(lightgbmlib.LGBM_BoosterUpdateOneIter(booster, finished));
    }
    lightgbmlib.delete_doubleArray(data);
    lightgbmlib.delete_floatArray(labels);
    check(lightgbmlib.LGBM_DatasetFree(dataset));
    return new LightGbmNative(booster, p);
  }

  public String modelText() {
    SWIGTYPE_p_long_long length = lightgbmlib.new_int64_tp();
    String text = lightgbmlib.LGBM_BoosterSaveModelToStringSWIG(booster, 0, -1, 0, 1L << 30, length);
    lightgbmlib.delete_int64_tp(length);
    return text;
  }

  /** The rows, each {@code width} values, one after another: the row-major matrix LightGBM's predict takes. */
  public static double[] flatten(java.util.List<double[]> rows, int width) {
    double[] flat = new double[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, flat, r * width, width);
    }
    return flat;
  }

  /** A booster LightGBM loads from a model file ({@code LGBM_BoosterCreateFromModelfile}). */
  public static LightGbmNative fromFile(Path file, int p) throws Exception {
    load();
    SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
    SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
    check(lightgbmlib.LGBM_BoosterCreateFromModelfile(file.toString(), iterations, out));
    lightgbmlib.delete_intp(iterations);
    return new LightGbmNative(lightgbmlib.voidpp_value(out), p);
  }

  /** A booster LightGBM loads from a model's text ({@code LGBM_BoosterLoadModelFromString}). */
  public static LightGbmNative fromText(String text, int p) throws Exception {
    load();
    SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
    SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
    check(lightgbmlib.LGBM_BoosterLoadModelFromString(text, iterations, out));
    lightgbmlib.delete_intp(iterations);
    return new LightGbmNative(lightgbmlib.voidpp_value(out), p);
  }

  /** Predictions of {@code n} rows: raw scores, probabilities or contributions (p + 1 per row). */
  public double[] predict(double[] x, int n, int predictType) {
    return predict(x, n, predictType, predictType == lightgbmlibConstants.C_API_PREDICT_CONTRIB ? features + 1 : 1);
  }

  /** Predictions of {@code n} rows, {@code width} values each (a leaf index per tree for C_API_PREDICT_LEAF_INDEX). */
  public double[] predict(double[] x, int n, int predictType, int width) {
    SWIGTYPE_p_double data = lightgbmlib.new_doubleArray(x.length);
    for (int i = 0; i < x.length; i++) {
      lightgbmlib.doubleArray_setitem(data, i, x[i]);
    }
    SWIGTYPE_p_double out = lightgbmlib.new_doubleArray((long) n * width);
    SWIGTYPE_p_long_long length = lightgbmlib.new_int64_tp();
    check(lightgbmlib.LGBM_BoosterPredictForMat(booster, lightgbmlib.double_to_voidp_ptr(data),
        lightgbmlibConstants.C_API_DTYPE_FLOAT64, n, features, 1, predictType, 0, -1, "num_threads=1", length, out));
    double[] result = new double[n * width];
    for (int i = 0; i < result.length; i++) {
      result[i] = lightgbmlib.doubleArray_getitem(out, i);
    }
    lightgbmlib.delete_doubleArray(data);
    lightgbmlib.delete_doubleArray(out);
    lightgbmlib.delete_int64_tp(length);
    return result;
  }

  @Override
  public void close() {
    lightgbmlib.LGBM_BoosterFree(booster);
  }
}
