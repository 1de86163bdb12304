package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.develop.LabelJoin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model developer's commands read Parquet as the other commands write it: the same portfolio
 * generated as Parquet and as Arrow, its features written as Parquet, Arrow and CSV, and {@code
 * train}, {@code validate} and {@code bins} given the Parquet files produce what they produce from
 * the Arrow ones (until 2026-12-05 they read a Parquet file as CSV and failed with "header is not
 * valid UTF-8"). The columns read from Parquet (Arrow's C++ reader) are checked value by value
 * against those read from the CSV (the tool's own text parser) and from Arrow IPC.
 */
class ParquetModellingTablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path parquetPortfolio;
  static Path arrowPortfolio;

  @BeforeAll
  static void generateBothFormatsAndTheirFeatures() {
    parquetPortfolio = dir.resolve("pq");
    arrowPortfolio = dir.resolve("arrow");
    for (String[] p : new String[][] {{"parquet", parquetPortfolio.toString()}, {"arrow", arrowPortfolio.toString()}}) {
      CliRun gen = CliRun.of("generate", "--suppliers", "500", "--seed", "21", "--format", p[0], "--threads", "2",
          "--quiet", "--out", p[1]);
      assertThat(gen.code()).as(gen.err()).isZero();
    }
    for (String ext : new String[] {"parquet", "arrow", "csv"}) {
      CliRun f = CliRun.of("features", "--transactions", parquetPortfolio.toString(), "--as-of", "2025-06-30",
          "--quiet", "--out", dir.resolve(ext).resolve("features." + ext).toString());
      assertThat(f.code()).as(f.err()).isZero();
    }
  }

  private static Path features(String ext) {
    return dir.resolve(ext).resolve("features." + ext);
  }

  @Test
  void columns_fromParquet_equalThoseFromCsvAndArrow() {
    LabelJoin.Columns parquet = TabularFiles.columns(features("parquet"), null);
    LabelJoin.Columns arrow = TabularFiles.columns(features("arrow"), null);
    LabelJoin.Columns csv = TabularFiles.columns(features("csv"), null);
    assertThat(parquet.names()).isEqualTo(csv.names()).isEqualTo(arrow.names()).contains("supplier_id", "as_of_date");
    for (int k = 0; k < parquet.names().size(); k++) {
      Object p = parquet.values().get(k);
      Object c = csv.values().get(k);
      String name = parquet.names().get(k);
      if (p instanceof double[] numbers) {
        assertThat(numbers).as(name).hasSize(500).containsExactly((double[]) arrow.values().get(k));
        // the CSV holds each double's shortest decimal form, which parses back to the same bits
        assertThat(numbers).as(name).containsExactly((double[]) c);
      } else {
        assertThat((String[]) p).as(name).hasSize(500).containsExactly((String[]) arrow.values().get(k))
            .containsExactly((String[]) c);
      }
    }
    // the dates as ISO text, as in the CSV
    assertThat((String[]) parquet.values().get(parquet.names().indexOf("as_of_date"))).containsOnly("2025-06-30");
  }

  @Test
  void train_andValidate_onParquet_giveTheModelAndMetricsOfArrow() throws Exception {
    JsonNode[] models = new JsonNode[2];
    JsonNode[] metrics = new JsonNode[2];
    String[][] inputs = {{features("parquet").toString(), parquetPortfolio.resolve("labels.parquet").toString()},
        {features("arrow").toString(), arrowPortfolio.resolve("labels.arrow").toString()}};
    for (int side = 0; side < 2; side++) {
      Path out = dir.resolve("model-" + side);
      CliRun train = CliRun.of("train", "--data", inputs[side][0], "--labels", inputs[side][1], "--target", "defaulted",
          "--seed", "5", "--out", out.resolve("model.json").toString());
      assertThat(train.code()).as(train.err()).isZero();
      CliRun validate = CliRun.of("validate", "--model", out.resolve("model.json").toString(), "--data", inputs[side][0],
          "--labels", inputs[side][1], "--target", "defaulted", "--out", out.resolve("validation").toString());
      assertThat(validate.code()).as(validate.err()).isZero();
      ObjectNode model = (ObjectNode) JSON.readTree(out.resolve("model.json").toFile());
      // what names the file or the moment, not the model
      assertThat(model.get("description").asText()).endsWith("features." + (side == 0 ? "parquet." : "arrow."));
      model.remove(java.util.List.of("description", "sha256"));
      ((ObjectNode) model.get("provenance")).remove("trained_at");
      models[side] = model;
      metrics[side] = JSON.readTree(out.resolve("validation").resolve("metrics.json").toFile());
    }
    assertThat(models[0]).isEqualTo(models[1]);
    assertThat(models[0].get("features").size()).isPositive();
    assertThat(metrics[0].get("auc")).isNotNull();
    assertThat(stripPaths(metrics[0])).isEqualTo(stripPaths(metrics[1]));
  }

  /** metrics.json without the bundle's hash (its description names the training file). */
  private static JsonNode stripPaths(JsonNode metrics) {
    ObjectNode copy = metrics.deepCopy();
    assertThat(copy.remove("model_sha256")).isNotNull();
    return copy;
  }

  @Test
  void bins_onParquet_writeTheBinsOfArrow() throws Exception {
    String[] outs = new String[2];
    String[][] inputs = {{features("parquet").toString(), parquetPortfolio.resolve("labels.parquet").toString()},
        {features("arrow").toString(), arrowPortfolio.resolve("labels.arrow").toString()}};
    for (int side = 0; side < 2; side++) {
      Path out = dir.resolve("bins-" + side + ".json");
      CliRun bins = CliRun.of("bins", "--data", inputs[side][0], "--labels", inputs[side][1], "--target", "defaulted",
          "--out", out.toString());
      assertThat(bins.code()).as(bins.err()).isZero();
      outs[side] = Files.readString(out);
    }
    assertThat(outs[0]).isEqualTo(outs[1]).contains("\"characteristics\"");
  }

  @Test
  void aParquetFileWhateverItsName_isReadAsParquet() throws Exception {
    Path misnamed = dir.resolve("misnamed").resolve("features.csv");
    Files.createDirectories(misnamed.getParent());
    Files.copy(features("parquet"), misnamed, StandardCopyOption.REPLACE_EXISTING);
    LabelJoin.Columns read = TabularFiles.columns(misnamed, null);
    assertThat(read.names()).isEqualTo(TabularFiles.columns(features("arrow"), null).names());
  }

  @Test
  void aCorruptParquetFile_isOneLineNamingIt_exit2_noModel() throws Exception {
    Path bad = dir.resolve("bad").resolve("features.parquet");
    Files.createDirectories(bad.getParent());
    byte[] good = Files.readAllBytes(features("parquet"));
    // the magic bytes at both ends kept, the footer's length and everything before it garbled
    byte[] garbled = good.clone();
    for (int i = 4; i < garbled.length - 4; i++) {
      garbled[i] = (byte) (i * 31);
    }
    Files.write(bad, garbled);
    Path model = bad.resolveSibling("model.json");
    CliRun train = CliRun.of("train", "--data", bad.toString(), "--target", "defaulted", "--out", model.toString());
    assertThat(train.code()).isEqualTo(2);
    String last = train.err().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last).startsWith("chainscore train: " + bad + ": is not a readable Parquet file");
    assertThat(train.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(model).doesNotExist();

    Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    CliRun validate = CliRun.of("validate", "--data", bad.toString(), "--target", "defaulted", "--out",
        bad.resolveSibling("validation").toString());
    assertThat(validate.code()).isEqualTo(2);
    assertThat(validate.err().strip()).endsWith(bad + ": is not a Parquet file (no PAR1 magic bytes)");
    assertThat(bad.resolveSibling("validation")).doesNotExist();
  }

  /**
   * Every command that writes one file creates its directory when missing, as {@code features} and
   * {@code score} do (until 2026-12-05 train, import, export, bins, whatif and sign failed on
   * {@code --out new-folder/file} naming their hidden temporary file, bins with exit 1).
   */
  @Test
  void singleFileOutputs_inAMissingDirectory_areWrittenThere() throws Exception {
    Path root = dir.resolve("fresh");
    String data = features("parquet").toString();
    String labels = parquetPortfolio.resolve("labels.parquet").toString();
    Path model = root.resolve("models").resolve("model.json");
    String[][] runs = {
        {"train", "--data", data, "--labels", labels, "--target", "defaulted", "--out", model.toString(),
            "--holdout-out", root.resolve("holdout").resolve("rows.csv").toString()},
        {"bins", "--data", data, "--labels", labels, "--target", "defaulted", "--out",
            root.resolve("bins").resolve("bins.json").toString()},
        {"export", "pmml", "--model", model.toString(), "--out", root.resolve("pmml").resolve("model.pmml").toString()},
        {"import", "pmml", "--in", root.resolve("pmml").resolve("model.pmml").toString(), "--out",
            root.resolve("imported").resolve("bundle.json").toString()},
        {"whatif", "--model", model.toString(), "--features", data, "--scale", "days_sales_outstanding=1.2", "--out",
            root.resolve("whatif").resolve("rows.csv").toString()},
        {"keygen", "--out", root.resolve("keys").resolve("ops").toString()},
        {"sign", "--model", model.toString(), "--key", root.resolve("keys").resolve("ops.key").toString(), "--out",
            root.resolve("signatures").resolve("model.json.sig").toString()},
        {"document", "--model", model.toString(), "--data", data, "--labels", labels, "--target", "defaulted", "--out",
            root.resolve("docs").resolve("model.html").toString()}};
    for (String[] run : runs) {
      CliRun r = CliRun.of(run);
      assertThat(r.code()).as(String.join(" ", run) + "\n" + r.err()).isZero();
      Path out = Path.of(run[java.util.Arrays.asList(run).indexOf("--out") + 1]);
      if (!run[0].equals("keygen")) {
        assertThat(out).as(run[0]).isRegularFile();
        assertThat(Files.size(out)).as(run[0]).isPositive();
      }
      try (var leftovers = Files.list(out.getParent())) {
        assertThat(leftovers.map(p -> p.getFileName().toString())).as(run[0]).noneMatch(n -> n.endsWith(".tmp"));
      }
    }
    assertThat(root.resolve("holdout").resolve("rows.csv")).isRegularFile();
    assertThat(root.resolve("keys").resolve("ops.key")).isRegularFile();
  }

  /**
   * A run of {@code features} or {@code score} refused for a bad input (one line, exit 2) leaves no
   * directory it created for its output behind (until 2026-12-05 it left them, empty); a directory
   * that existed before stays.
   */
  @Test
  void failedRuns_leaveNoDirectoryTheyCreated() throws Exception {
    Path broken = dir.resolve("broken-portfolio");
    Files.createDirectories(broken);
    for (String table : new String[] {"anchors", "suppliers", "invoices", "loans", "instalments"}) {
      Files.copy(parquetPortfolio.resolve(table + ".parquet"), broken.resolve(table + ".parquet"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(broken.resolve("invoices.parquet"), "not parquet");
    Path existing = dir.resolve("existing");
    Files.createDirectories(existing);
    String[][] runs = {
        {"features", "--transactions", broken.toString(), "--as-of", "2025-06-30", "--quiet", "--out",
            existing.resolve("new").resolve("deeper").resolve("features.parquet").toString()},
        {"score", "--transactions", broken.toString(), "--as-of", "2025-06-30", "--quiet", "--out",
            existing.resolve("scores").resolve("scores.parquet").toString()},
        {"score", "--features", broken.resolve("invoices.parquet").toString(), "--as-of", "2025-06-30", "--quiet",
            "--out", existing.resolve("scored").resolve("scores.csv").toString()}};
    for (String[] run : runs) {
      CliRun r = CliRun.of(run);
      assertThat(r.code()).as(String.join(" ", run) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().strip()).as(run[0]).contains(broken.resolve("invoices.parquet").toString())
          .contains("is not a Parquet file").doesNotContain("\tat ");
    }
    try (var left = Files.list(existing)) {
      assertThat(left).isEmpty();
    }
  }

  /**
   * Labels written by pandas carry as_of_date as a timestamp without a time zone: joined on its date,
   * as the table readers read it, they train the model the DATE labels train; a timestamp with a
   * time zone is refused (one line naming the option, exit 2), its date depending on a zone, and
   * read in the zone given with --time-zone (13:00 UTC: the same date in UTC) trains that model too.
   */
  @Test
  void labelsWithTimestampDates_trainTheModelOfDateLabels() throws Exception {
    LabelJoin.Columns labels = TabularFiles.columns(arrowPortfolio.resolve("labels.arrow"), null);
    String[] ids = (String[]) labels.values().get(labels.names().indexOf("supplier_id"));
    String[] dates = (String[]) labels.values().get(labels.names().indexOf("as_of_date"));
    double[] defaulted = (double[]) labels.values().get(labels.names().indexOf("defaulted"));
    Path local = dir.resolve("pandas").resolve("labels.arrow");
    Path zoned = dir.resolve("pandas").resolve("labels-utc.arrow");
    Files.createDirectories(local.getParent());
    writeLabels(local, null, ids, dates, defaulted);
    writeLabels(zoned, "UTC", ids, dates, defaulted);
    String[] models = new String[3];
    Path[] labelFiles = {arrowPortfolio.resolve("labels.arrow"), local, zoned};
    for (int side = 0; side < 3; side++) {
      Path out = dir.resolve("pandas").resolve("model-" + side + ".json");
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data",
          features("arrow").toString(), "--labels", labelFiles[side].toString(), "--target", "defaulted", "--seed", "5",
          "--out", out.toString()));
      if (labelFiles[side] == zoned) {
        args.addAll(java.util.List.of("--time-zone", "UTC"));
      }
      CliRun train = CliRun.of(args.toArray(String[]::new));
      assertThat(train.code()).as(train.err()).isZero();
      assertThat(train.err()).contains("500 feature rows: 500 labelled");
      ObjectNode model = (ObjectNode) JSON.readTree(out.toFile());
      model.remove(java.util.List.of("sha256", "model_id"));
      ((ObjectNode) model.get("provenance")).remove(java.util.List.of("trained_at", "training_data_sha256"));
      models[side] = model.toString().replace("model-" + side, "model");
    }
    assertThat(models[1]).isEqualTo(models[0]);
    assertThat(models[2]).isEqualTo(models[0]);
    CliRun refused = CliRun.of("train", "--data", features("arrow").toString(), "--labels", zoned.toString(),
        "--target", "defaulted", "--out", dir.resolve("pandas").resolve("refused.json").toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("chainscore train: " + zoned + ", column as_of_date: has Arrow type"
            + " Timestamp(MICROSECOND, UTC) (a timestamp with a time zone, an instant, has no calendar date")
        .contains("--time-zone").endsWith("whose date is read)");
    assertThat(dir.resolve("pandas").resolve("refused.json")).doesNotExist();
  }

  /** A labels table as pandas writes it: as_of_date a timestamp in microseconds (13:00 on the day), in {@code zone} or none. */
  private static void writeLabels(Path file, String zone, String[] ids, String[] dates, double[] defaulted)
      throws Exception {
    var timestamp = new org.apache.arrow.vector.types.pojo.ArrowType.Timestamp(
        org.apache.arrow.vector.types.TimeUnit.MICROSECOND, zone);
    var schema = new org.apache.arrow.vector.types.pojo.Schema(java.util.List.of(
        org.apache.arrow.vector.types.pojo.Field.nullable("supplier_id",
            org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE),
        org.apache.arrow.vector.types.pojo.Field.nullable("as_of_date", timestamp),
        org.apache.arrow.vector.types.pojo.Field.nullable("defaulted",
            org.apache.arrow.vector.types.pojo.ArrowType.Bool.INSTANCE)));
    try (var allocator = new org.apache.arrow.memory.RootAllocator();
        var root = org.apache.arrow.vector.VectorSchemaRoot.create(schema, allocator);
        var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        var writer = new org.apache.arrow.vector.ipc.ArrowFileWriter(root, null, channel)) {
      var id = (org.apache.arrow.vector.VarCharVector) root.getVector(0);
      var at = (org.apache.arrow.vector.TimeStampVector) root.getVector(1);
      var flag = (org.apache.arrow.vector.BitVector) root.getVector(2);
      writer.start();
      for (int i = 0; i < ids.length; i++) {
        id.setSafe(i, ids[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        at.setSafe(i, java.time.LocalDate.parse(dates[i]).toEpochDay() * 86_400_000_000L + 13L * 3_600_000_000L);
        flag.setSafe(i, defaulted[i] != 0 ? 1 : 0);
      }
      root.setRowCount(ids.length);
      writer.writeBatch();
      writer.end();
    }
  }
}
