package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed inputs to {@code score} and {@code features}, each with its expected exit
 * code and the message (on stderr, or in the quarantine file) that names what is wrong; no case
 * may show a stack trace or leave a partial output.
 */
class MalformedInputCorpusTest {
  private static final String HEADER =
      "supplier_id,days_beyond_terms_avg,dilution_rate_12m,months_with_anchor,sector,on_time_delivery_rate\n";
  private static final String GOOD = "S1,3,0.02,24,RETAIL,0.9\n";

  @TempDir Path dir;

  /** name, command (score/features), input builder key, expected exit code, expected text. */
  static Stream<Arguments> corpus() {
    List<Arguments> cases = new ArrayList<>();
    // Feature tables for score (bundle: the example scorecard).
    cases.add(Arguments.of("empty file", "score", "", 2, "is empty; expected a header row"));
    cases.add(Arguments.of("header only", "score", HEADER, 2, "in.csv: no data rows; expected one row per supplier"));
    cases.add(Arguments.of("missing column", "score", "supplier_id,days_beyond_terms_avg,dilution_rate_12m,months_with_anchor,sector\n" + GOOD, 2, "column on_time_delivery_rate: missing from the header"));
    cases.add(Arguments.of("duplicate column", "score", HEADER.replace("\n", ",sector\n") + GOOD.replace("\n", ",RETAIL\n"), 2, "column sector: appears twice"));
    cases.add(Arguments.of("short row", "score", HEADER + GOOD + "S2,3,0.02,24,RETAIL\n", 3, "2,,,\"has 5 fields, expected 6 as in the header\""));
    cases.add(Arguments.of("not a number", "score", HEADER + "S2,abc,0.02,24,RETAIL,0.9\n", 3, "'abc' is not a number"));
    cases.add(Arguments.of("missing required value", "score", HEADER + "S2,3,0.02,,RETAIL,0.9\n", 3, "months_with_anchor"));
    cases.add(Arguments.of("NaN text in a reject feature", "score", HEADER + "S2,3,0.02,NaN,RETAIL,0.9\n", 3, "months_with_anchor"));
    cases.add(Arguments.of("infinity", "score", HEADER + "S2,3,Infinity,24,RETAIL,0.9\n", 3, "dilution_rate_12m"));
    cases.add(Arguments.of("negative ratio", "score", HEADER + "S2,3,-0.5,24,RETAIL,0.9\n", 3, "dilution_rate_12m"));
    cases.add(Arguments.of("huge number", "score", HEADER + "S2,3,1e308,24,RETAIL,0.9\n", 3, "dilution_rate_12m"));
    cases.add(Arguments.of("unknown category", "score", HEADER + "S2,3,0.02,24,MINING,0.9\n", 3, "unknown category 'MINING'"));
    cases.add(Arguments.of("non-UTF-8 id", "score", "latin1:" + HEADER + "S\u00e9,3,0.02,24,RETAIL,0.9\n", 3, "is not valid UTF-8"));
    cases.add(Arguments.of("unterminated quote", "score", HEADER + GOOD + "\"S2,3,0.02,24,RETAIL,0.9\n", 3, "unterminated quoted field"));
    cases.add(Arguments.of("empty id", "score", HEADER + ",3,0.02,24,RETAIL,0.9\n", 3, "supplier_id,is empty; a value is required"));
    cases.add(Arguments.of("truncated Arrow", "score", "arrow-truncated", 2, "is not a readable Arrow IPC file"));
    cases.add(Arguments.of("wrong Arrow column type", "score", "arrow-wrong-type", 2, "has Arrow type Bool"));
    cases.add(Arguments.of("Arrow stream without its end", "score", "arrow-stream-cut", 2,
        "ends without the Arrow stream's end-of-stream marker after 1000 rows"));
    cases.add(Arguments.of("numbers as Arrow text", "score", "arrow-text", 0, "Scored 1,000 suppliers"));
    cases.add(Arguments.of("not Parquet", "score", "parquet-fake", 2, "is not a Parquet file"));
    cases.add(Arguments.of("unknown extension", "score", "xlsx", 2, "unknown file type"));
    cases.add(Arguments.of("missing file", "score", "missing", 2, "no such file"));
    cases.add(Arguments.of("too many bad rows", "score", "max-bad-rows:" + HEADER + "S2,x,0,1,RETAIL,1\nS3,x,0,1,RETAIL,1\nS4,x,0,1,RETAIL,1\n", 2, "stopped after 3 bad rows (--max-bad-rows 2)"));
    cases.add(Arguments.of("truncated model file", "score", "bad-model:" + HEADER + GOOD, 2, "model file:"));
    // Portfolio directories for features.
    String anchors = "anchor_id,name,sector,annual_revenue\nA01,Phone maker,consumer_electronics,1e10\n";
    String suppliers = "supplier_id,anchor_id,sector,region,registration_date,declared_turnover\nS1,A01,glass,CN-GD,2015-01-01,1000000\n";
    String invoiceHeader = "invoice_id,supplier_id,buyer_id,issue_date,due_date,amount,delivered_on_time,returned_amount,disputed,paid_date,paid_amount\n";
    String goodInvoice = "I1,S1,A01,2025-01-10,2025-03-10,100,true,0,false,2025-03-12,100\n";
    cases.add(Arguments.of("negative amount", "features", portfolio(anchors, suppliers, invoiceHeader + goodInvoice + "I2,S1,A01,2025-01-10,2025-03-10,-5,true,0,false,,0\n"), 3, "/portfolio/invoices.csv,2,I2,amount"));
    cases.add(Arguments.of("due before issue", "features", portfolio(anchors, suppliers, invoiceHeader + goodInvoice + "I2,S1,A01,2025-01-10,2025-01-01,5,true,0,false,,0\n"), 3, "/portfolio/invoices.csv,2,I2,due_date,"));
    cases.add(Arguments.of("date out of range", "features", portfolio(anchors, suppliers, invoiceHeader + goodInvoice + "I2,S1,A01,1850-01-10,2025-01-01,5,true,0,false,,0\n"), 3, "/portfolio/invoices.csv,2,I2,issue_date,'1850-01-10' is not a date"));
    cases.add(Arguments.of("duplicate invoice id", "features", portfolio(anchors, suppliers, invoiceHeader + goodInvoice + goodInvoice), 3, "/portfolio/invoices.csv,2,I1,invoice_id,is a duplicate"));
    cases.add(Arguments.of("unknown supplier", "features", portfolio(anchors, suppliers, invoiceHeader + goodInvoice + "I2,S9,A01,2025-01-10,2025-03-10,5,true,0,false,,0\n"), 3, "'S9' is not a known supplier"));
    cases.add(Arguments.of("duplicate supplier", "features", portfolio(anchors, suppliers + "S1,A01,glass,CN-GD,2015-01-01,1000000\n", invoiceHeader + goodInvoice), 3, "/portfolio/suppliers.csv,2,S1,supplier_id,is a duplicate"));
    cases.add(Arguments.of("missing table", "features", portfolio(anchors, null, invoiceHeader + goodInvoice), 2, "portfolio/suppliers.{csv,arrow,arrows,parquet}"));
    return cases.stream();
  }

  private static String portfolio(String anchors, String suppliers, String invoices) {
    return "portfolio:" + anchors + "\u0001" + (suppliers == null ? "" : suppliers) + "\u0001" + invoices;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void malformedInput_hasItsExpectedOutcome(String name, String command, String input, int expectedCode,
      String expectedText) throws Exception {
    List<String> args = new ArrayList<>();
    Path out = dir.resolve("out/result.csv");
    if (command.equals("score")) {
      Path model = dir.resolve("model.json");
      try (InputStream in = getClass().getResourceAsStream("/bundles/scorecard.json")) {
        Files.write(model, in.readAllBytes());
      }
      Path file = scoreInput(input, model);
      // hand-made tables without as_of_date: stamped --as-of when asked (refused otherwise, AsOfDateTest)
      args.addAll(List.of("score", "--model", model.toString(), "--features", file.toString(), "--as-of", "2025-06-30",
          "--restamp-as-of", "--out", out.toString(), "--quiet"));
      if (input.startsWith("max-bad-rows:")) {
        args.addAll(List.of("--max-bad-rows", "2"));
      }
    } else {
      Path portfolio = dir.resolve("portfolio");
      Files.createDirectories(portfolio);
      String[] parts = input.substring("portfolio:".length()).split("\u0001", -1);
      Files.writeString(portfolio.resolve("anchors.csv"), parts[0]);
      if (!parts[1].isEmpty()) {
        Files.writeString(portfolio.resolve("suppliers.csv"), parts[1]);
      }
      Files.writeString(portfolio.resolve("invoices.csv"), parts[2]);
      Files.writeString(portfolio.resolve("loans.csv"), "loan_id,supplier_id,drawdown_date,amount\n");
      Files.writeString(portfolio.resolve("instalments.csv"),
          "loan_id,supplier_id,instalment_number,due_date,amount_due,repaid_date,amount_repaid\n");
      args.addAll(List.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out", out.toString()));
    }
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = ChainScoreCli.execute(args.toArray(new String[0]), new PrintWriter(stdout, true), new PrintWriter(stderr, true));
    String quarantine = Files.exists(dir.resolve("out/result.quarantine.csv"))
        ? Files.readString(dir.resolve("out/result.quarantine.csv")) : "";
    String everything = stdout + "\n" + stderr + "\n" + quarantine;
    assertThat(code).as(name + ": " + everything).isEqualTo(expectedCode);
    assertThat(everything).as(name).contains(expectedText);
    assertThat(stderr.toString()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    if (code == 2) {
      assertThat(out).as("no output after a refused run").doesNotExist();
    }
    try (var files = Files.list(Files.createDirectories(dir.resolve("out")))) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no partial files").noneMatch(f -> f.endsWith(".partial"));
    }
  }

  private Path scoreInput(String input, Path model) throws Exception {
    if (input.startsWith("arrow-")) {
      // days_beyond_terms_avg written as flags where the model wants a number (as text "3": read as a CSV's field)
      boolean text = input.equals("arrow-text") || input.equals("arrow-stream-cut");
      io.chainscore.tables.TableSchema schema = new io.chainscore.tables.TableSchema("in", List.of(
          io.chainscore.tables.TableSchema.required("supplier_id", io.chainscore.tables.ColumnType.STRING),
          io.chainscore.tables.TableSchema.required("days_beyond_terms_avg", text
              ? io.chainscore.tables.ColumnType.STRING : io.chainscore.tables.ColumnType.BOOLEAN),
          io.chainscore.tables.TableSchema.required("dilution_rate_12m", io.chainscore.tables.ColumnType.DOUBLE),
          io.chainscore.tables.TableSchema.required("months_with_anchor", io.chainscore.tables.ColumnType.DOUBLE),
          io.chainscore.tables.TableSchema.required("sector", io.chainscore.tables.ColumnType.STRING),
          io.chainscore.tables.TableSchema.required("on_time_delivery_rate", io.chainscore.tables.ColumnType.DOUBLE)));
      try (io.chainscore.batch.io.TableWriter w = io.chainscore.batch.io.Tables.open(dir, schema,
          io.chainscore.batch.io.TableWriter.Format.ARROW, true)) {
        for (int i = 0; i < 1000; i++) {
          w.setString(0, "S" + i);
          if (text) {
            w.setString(1, "3");
          } else {
            w.setBoolean(1, true);
          }
          w.setDouble(2, 0.02);
          w.setDouble(3, 24);
          w.setString(4, "RETAIL");
          w.setDouble(5, 0.9);
          w.endRow();
        }
        w.commit();
      }
      Path arrow = dir.resolve("in.arrow");
      if (input.equals("arrow-truncated")) {
        byte[] bytes = Files.readAllBytes(arrow);
        return Files.write(dir.resolve("cut.arrow"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
      }
      if (input.equals("arrow-stream-cut")) {
        // the same rows as an IPC stream whose writer never wrote its end-of-stream marker (8 bytes)
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        try (org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator();
            org.apache.arrow.vector.ipc.ArrowFileReader reader = new org.apache.arrow.vector.ipc.ArrowFileReader(
                Files.newByteChannel(arrow), allocator);
            org.apache.arrow.vector.ipc.ArrowStreamWriter writer = new org.apache.arrow.vector.ipc.ArrowStreamWriter(
                reader.getVectorSchemaRoot(), null, stream)) {
          writer.start();
          while (reader.loadNextBatch()) {
            writer.writeBatch();
          }
          writer.end();
        }
        byte[] bytes = stream.toByteArray();
        return Files.write(dir.resolve("cut.arrows"), java.util.Arrays.copyOf(bytes, bytes.length - 8));
      }
      return arrow;
    }
    if (input.equals("parquet-fake")) {
      return Files.writeString(dir.resolve("fake.parquet"), "not parquet at all");
    }
    if (input.equals("xlsx")) {
      return Files.writeString(dir.resolve("table.xlsx"), "PK");
    }
    if (input.equals("missing")) {
      return dir.resolve("nope.csv");
    }
    if (input.startsWith("bad-model:")) {
      Files.writeString(model, "{\"format\": \"chainscore-model-bundle\", \"format_vers");
      return Files.writeString(dir.resolve("in.csv"), input.substring("bad-model:".length()));
    }
    if (input.startsWith("max-bad-rows:")) {
      return Files.writeString(dir.resolve("in.csv"), input.substring("max-bad-rows:".length()));
    }
    if (input.startsWith("latin1:")) {
      return Files.write(dir.resolve("in.csv"), input.substring("latin1:".length()).getBytes(StandardCharsets.ISO_8859_1));
    }
    return Files.writeString(dir.resolve("in.csv"), input);
  }
}
