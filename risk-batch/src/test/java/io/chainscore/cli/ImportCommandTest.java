package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
  @TempDir Path dir;

  private Path resource(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/models/" + name)) {
      return Files.write(dir.resolve(name), in.readAllBytes());
    }
  }

  private static int run(StringWriter err, String... args) {
    return ChainScoreCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  @Test
  void import_bothFormats_bundleScoresWithTheModelsOwnProbability() throws Exception {
    for (String[] c : new String[][] {{"xgboost", "xgboost-small.json"}, {"lightgbm", "lightgbm-small.txt"}}) {
      Path model = resource(c[1]);
      Path bundlePath = dir.resolve(c[0] + ".bundle.json");
      StringWriter err = new StringWriter();
      assertThat(run(err, "import", c[0], "--in", model.toString(), "--out", bundlePath.toString()))
          .as(err.toString()).isZero();
      ModelBundle bundle = ModelBundle.read(bundlePath);
      TreeEnsemble ensemble = c[0].equals("xgboost") ? XGBoostModelReader.read(model) : LightGbmModelReader.read(model);
      var compiled = ensemble.compile(bundle.schema());
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < 500; i++) {
        double[] row = new double[bundle.schema().size()];
        for (int j = 0; j < row.length; j++) {
          var f = bundle.schema().feature(j);
          row[j] = random.nextInt(8) == 0 ? Double.NaN
              : f.type() == io.chainscore.features.FeatureType.CATEGORICAL ? random.nextInt(f.categories().size())
              : random.nextDouble() * 10 - 5;
        }
        double margin = compiled.margin(row, 0);
        // Double-precision logistic of the model's margin; XGBoost's own float32 sigmoid differs
        // by at most its rounding.
        assertThat(bundle.scorer().score(row).pd()).isCloseTo(ensemble.probability(margin),
            org.assertj.core.data.Offset.offset(1e-7));
      }
    }
  }

  @Test
  void import_hostileFile_exitsTwoNamingTheField() throws Exception {
    StringWriter err = new StringWriter();
    int code = run(err, "import", "xgboost", "--in", resource("xgb-cycle.json").toString(),
        "--out", dir.resolve("x.json").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("trees[0]").doesNotContain("\tat ");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }
}
