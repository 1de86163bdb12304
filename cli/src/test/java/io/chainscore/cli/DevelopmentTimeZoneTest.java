package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model developer's commands ({@code train}, {@code bins}, {@code validate}, {@code document})
 * read labels whose {@code as_of_date} is an instant with {@code --time-zone}: the generator's
 * labels rewritten by DuckDB in a Shanghai session as TIMESTAMPTZ at a time of day that varies from
 * row to row, as Parquet (a timestamp adjusted to UTC), as DuckDB writes it to CSV ({@code
 * 2025-06-30 13:45:12+08}) and as Spark writes it ({@code 2025-06-30T13:45:12.000+08:00}). Read in
 * Shanghai they join as the plain dates do, to the same bundle, bins, metrics and document, byte for byte; read in
 * UTC the rows before 08:00 fall on the day before and join nothing; without a zone they are refused
 * in one line naming the file and the option (exit 2), never joined to nothing in silence.
 */
class DevelopmentTimeZoneTest {
  @TempDir static Path dir;
  static Path features;
  static Path plain;
  static List<Path> instants = new ArrayList<>();

  @BeforeAll
  static void labelsWithInstantDates() throws Exception {
    Path portfolio = dir.resolve("portfolio");
    features = dir.resolve("features.arrow");
    CliRun.portfolioWithFeatures(portfolio, features, 500, 21, "parquet");
    plain = portfolio.resolve("labels.parquet");
    // the wall-clock time in Shanghai: the date as written, at a time of day from the supplier's hash
    String local = "CAST(as_of_date AS TIMESTAMP) + to_seconds(hash(supplier_id) % 86400)";
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement()) {
      st.execute("SET TimeZone = 'Asia/Shanghai'");
      String zoned = "SELECT * REPLACE (timezone('Asia/Shanghai', " + local + ") AS as_of_date) FROM read_parquet('"
          + plain + "')";
      st.execute("COPY (" + zoned + ") TO '" + dir.resolve("labels-instants.parquet") + "' (FORMAT parquet)");
      st.execute("COPY (" + zoned + ") TO '" + dir.resolve("labels-instants.csv") + "' (FORMAT csv, HEADER)");
      st.execute("COPY (SELECT * REPLACE (strftime(" + local + ", '%Y-%m-%dT%H:%M:%S.%g') || '+08:00' AS as_of_date)"
          + " FROM read_parquet('" + plain + "')) TO '" + dir.resolve("labels-spark.csv") + "' (FORMAT csv, HEADER)");
    }
    instants.addAll(List.of(dir.resolve("labels-instants.parquet"), dir.resolve("labels-instants.csv"),
        dir.resolve("labels-spark.csv")));
    assertThat(Files.readAllLines(dir.resolve("labels-instants.csv")).get(1))
        .matches("[^,]+,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\+08,.*");
    assertThat(Files.readAllLines(dir.resolve("labels-spark.csv")).get(1))
        .matches("[^,]+,\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+08:00,.*");
  }

  private static CliRun train(Path labels, String out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", features.toString(), "--labels", labels.toString(),
        "--target", "defaulted", "--seed", "5", "--out", dir.resolve(out).resolve("model.json").toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static CliRun bins(Path labels, String out, String... more) {
    List<String> args = new ArrayList<>(List.of("bins", "--data", features.toString(), "--labels", labels.toString(),
        "--target", "defaulted", "--out", dir.resolve(out).toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /**
   * The one line a refusal prints (after train's and bins' line saying what they read), checked to
   * name the file, the column and the option.
   */
  private static void assertRefused(CliRun run, Path labels, Path notWritten) {
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    List<String> lines = run.err().strip().lines().toList();
    assertThat(lines.subList(0, lines.size() - 1)).allMatch(l -> l.matches("(train|bins): reading .*"));
    assertThat(lines.get(lines.size() - 1)).startsWith("chainscore ").contains(labels.toString())
        .contains("as_of_date").contains("--time-zone");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(notWritten).doesNotExist();
  }

  @Test
  void train_andBins_onLabelsOfInstants_inTheirZone_writeTheBytesOfPlainDates() throws Exception {
    CliRun base = train(plain, "plain");
    assertThat(base.code()).as(base.err()).isZero();
    assertThat(base.err()).contains("0 without a label");
    String bundle = Files.readString(dir.resolve("plain/model.json"));
    assertThat(bundle).contains("\"features\"");
    CliRun baseBins = bins(plain, "plain-bins.json");
    assertThat(baseBins.code()).as(baseBins.err()).isZero();
    String binsFile = Files.readString(dir.resolve("plain-bins.json"));

    for (Path labels : instants) {
      String name = labels.getFileName().toString();
      CliRun zoned = train(labels, "zoned-" + name, "--time-zone", "Asia/Shanghai");
      assertThat(zoned.code()).as(zoned.err()).isZero();
      assertThat(Files.readString(dir.resolve("zoned-" + name).resolve("model.json"))).as(name).isEqualTo(bundle);
      CliRun zonedBins = bins(labels, "zoned-" + name + "-bins.json", "--time-zone", "Asia/Shanghai");
      assertThat(zonedBins.code()).as(zonedBins.err()).isZero();
      assertThat(Files.readString(dir.resolve("zoned-" + name + "-bins.json"))).as(name).isEqualTo(binsFile);

      // in UTC a third of the labels (before 08:00 in Shanghai) fall on June 29: those rows are unlabelled
      CliRun utc = train(labels, "utc-" + name, "--time-zone", "UTC");
      assertThat(utc.code()).as(utc.err()).isZero();
      assertThat(utc.err()).containsPattern("train: 500 feature rows: 3\\d\\d labelled, 1\\d\\d without a label");
      assertThat(Files.readString(dir.resolve("utc-" + name).resolve("model.json"))).isNotEqualTo(bundle);

      assertRefused(train(labels, "none-" + name), labels, dir.resolve("none-" + name).resolve("model.json"));
      assertRefused(bins(labels, "none-" + name + "-bins.json"), labels, dir.resolve("none-" + name + "-bins.json"));
    }
    // a CSV names the row too
    CliRun csv = train(dir.resolve("labels-spark.csv"), "none-row");
    assertThat(csv.err()).containsPattern("labels-spark.csv, row 1, column as_of_date: '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"
        + "\\.000\\+08:00' is a date-time with a time zone");
    CliRun parquet = train(dir.resolve("labels-instants.parquet"), "none-parquet");
    assertThat(parquet.err()).contains("column as_of_date: is read from Parquet as Arrow type Timestamp(MICROSECOND, UTC)");
  }

  @Test
  void validate_andDocument_onLabelsOfInstants_inTheirZone_giveTheFiguresOfPlainDates() throws Exception {
    Path model = dir.resolve("validate-model.json");
    CliRun t = CliRun.of("train", "--data", features.toString(), "--labels", plain.toString(), "--target", "defaulted",
        "--out", model.toString());
    assertThat(t.code()).as(t.err()).isZero();
    CliRun base = CliRun.of("validate", "--model", model.toString(), "--data", features.toString(), "--labels",
        plain.toString(), "--target", "defaulted", "--out", dir.resolve("v-plain").toString());
    assertThat(base.code()).as(base.err()).isZero();
    String metrics = Files.readString(dir.resolve("v-plain/metrics.json"));
    assertThat(metrics).contains("\"auc\"");
    CliRun doc = CliRun.of("document", "--model", model.toString(), "--data", features.toString(), "--labels",
        plain.toString(), "--out", dir.resolve("doc-plain.html").toString());
    assertThat(doc.code()).as(doc.err()).isZero();
    String html = Files.readString(dir.resolve("doc-plain.html"));
    assertThat(html).contains(plain.toString());

    for (Path labels : instants) {
      String name = labels.getFileName().toString();
      CliRun v = CliRun.of("validate", "--model", model.toString(), "--data", features.toString(), "--labels",
          labels.toString(), "--target", "defaulted", "--time-zone", "Asia/Shanghai", "--out",
          dir.resolve("v-" + name).toString());
      assertThat(v.code()).as(v.err()).isZero();
      assertThat(Files.readString(dir.resolve("v-" + name).resolve("metrics.json"))).as(name).isEqualTo(metrics);
      CliRun d = CliRun.of("document", "--model", model.toString(), "--data", features.toString(), "--labels",
          labels.toString(), "--time-zone", "Asia/Shanghai", "--out", dir.resolve("doc-" + name + ".html").toString());
      assertThat(d.code()).as(d.err()).isZero();
      // the document names the labels file it joined; all else is the same
      assertThat(Files.readString(dir.resolve("doc-" + name + ".html")).replace(labels.toString(), plain.toString()))
          .as(name).isEqualTo(html);

      CliRun utc = CliRun.of("validate", "--model", model.toString(), "--data", features.toString(), "--labels",
          labels.toString(), "--target", "defaulted", "--time-zone", "UTC", "--out", dir.resolve("v-utc-" + name)
              .toString());
      assertThat(utc.code()).as(utc.err()).isZero();
      assertThat(Files.readString(dir.resolve("v-utc-" + name).resolve("metrics.json"))).isNotEqualTo(metrics);

      assertRefused(CliRun.of("validate", "--model", model.toString(), "--data", features.toString(), "--labels",
          labels.toString(), "--target", "defaulted", "--out", dir.resolve("v-none-" + name).toString()), labels,
          dir.resolve("v-none-" + name).resolve("metrics.json"));
      assertRefused(CliRun.of("document", "--model", model.toString(), "--data", features.toString(), "--labels",
          labels.toString(), "--out", dir.resolve("doc-none-" + name + ".html").toString()), labels,
          dir.resolve("doc-none-" + name + ".html"));
    }
  }

  /** An unknown zone: exit 2, naming the option and the value, as features, monitor and ecl do; nothing written. */
  @Test
  void anUnknownZone_isRefusedNamingTheOption() {
    Path labels = instants.get(0);
    String[][] runs = {
        {"train", "--data", features.toString(), "--labels", labels.toString(), "--target", "defaulted", "--out",
            dir.resolve("mars/model.json").toString()},
        {"bins", "--data", features.toString(), "--labels", labels.toString(), "--target", "defaulted", "--out",
            dir.resolve("mars/bins.json").toString()},
        {"validate", "--data", features.toString(), "--labels", labels.toString(), "--target", "defaulted", "--out",
            dir.resolve("mars/validation").toString()},
        {"document", "--data", features.toString(), "--labels", labels.toString(), "--out",
            dir.resolve("mars/doc.html").toString()}};
    for (String[] run : runs) {
      List<String> args = new ArrayList<>(List.of(run));
      args.addAll(List.of("--time-zone", "Mars/Base"));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.code()).as(run[0] + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().lines().findFirst().orElseThrow()).as(run[0])
          .contains("Invalid value for option '--time-zone'").contains("Mars/Base");
      assertThat(r.err()).as(run[0]).doesNotContain("\tat ");
    }
    assertThat(dir.resolve("mars")).doesNotExist();
  }
}
