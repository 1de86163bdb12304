package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.TradeTables;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV files as spreadsheets in the decimal-comma locales save them (fields separated by ';',
 * decimal commas, DD.MM.YYYY or D.M.YYYY dates, R's read.csv2 convention), given to the commands without any
 * option: they give the outputs of the same tables in comma CSV byte for byte.
 */
class SemicolonCsvTest {
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d*\\.\\d+([eE][+-]?\\d+)?");

  @TempDir Path dir;

  /**
   * The generator's portfolio in CSV and the same tables rewritten in the semicolon dialect give
   * the same feature table, byte for byte; a number with a decimal point in the semicolon invoices
   * quarantines its row, naming it, in a quarantine file written in comma CSV.
   */
  @Test
  void features_semicolonPortfolio_givesTheCommaFeatures() throws IOException {
    Path comma = Files.createDirectories(dir.resolve("comma"));
    PortfolioSimulator sim = new PortfolioSimulator(SimulationConfig.builder().suppliers(120).seed(5).build());
    try (TradeTables.Sink sink = TradeTables.writer(comma, TableWriter.Format.CSV, false)) {
      sim.simulate(sink);
      sink.commit();
    }
    Path semicolon = Files.createDirectories(dir.resolve("semicolon"));
    int converted = 0;
    try (Stream<Path> files = Files.list(comma)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
        Files.writeString(semicolon.resolve(f.getFileName()), toSemicolons(Files.readString(f)));
        converted++;
      }
    }
    assertThat(converted).isGreaterThanOrEqualTo(5);
    String invoices = Files.readString(semicolon.resolve("invoices.csv"));
    assertThat(invoices).startsWith("invoice_id;supplier_id;").containsPattern(";\\d+,\\d+;")
        .containsPattern(";\\d{2}\\.\\d{2}\\.\\d{4};").containsPattern(";\\d\\.\\d\\.\\d{4};")
        .doesNotContain(",\n");

    CliRun fromComma = CliRun.of("features", "--transactions", comma.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("comma.csv").toString());
    CliRun fromSemicolon = CliRun.of("features", "--transactions", semicolon.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("semicolon.csv").toString());
    assertThat(fromComma.code()).as(fromComma.err()).isZero();
    assertThat(fromSemicolon.code()).as(fromSemicolon.err()).isZero();
    byte[] expected = Files.readAllBytes(dir.resolve("comma.csv"));
    assertThat(new String(expected, StandardCharsets.UTF_8).lines().count()).isEqualTo(121);
    assertThat(Files.readAllBytes(dir.resolve("semicolon.csv"))).isEqualTo(expected);

    // one amount written with a decimal point: that invoice is quarantined, the file says why
    List<String> lines = new ArrayList<>(invoices.lines().toList());
    int row = -1;
    String amount = null;
    int amountColumn = List.of(lines.get(0).split(";")).indexOf("amount");
    for (int r = 1; r < lines.size() && row < 0; r++) {
      String[] fields = lines.get(r).split(";", -1);
      if (fields[amountColumn].contains(",")) {
        row = r;
        amount = fields[amountColumn].replace(',', '.');
        fields[amountColumn] = amount;
        lines.set(r, String.join(";", fields));
      }
    }
    assertThat(row).isPositive();
    Files.writeString(semicolon.resolve("invoices.csv"), String.join("\n", lines) + "\n");
    CliRun bad = CliRun.of("features", "--transactions", semicolon.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("bad.csv").toString());
    assertThat(bad.code()).as(bad.err()).isEqualTo(3);
    String invoiceId = lines.get(row).split(";", -1)[0];
    assertThat(Files.readAllLines(dir.resolve("bad.quarantine.csv"))).containsExactly(
        "table,file,row,record_id,field,reason",
        // a row refused while being read is named by its file, its row there and its id (read
        // before the amount), as a row refused by a rule is
        "invoice," + semicolon.resolve("invoices.csv") + "," + row + "," + invoiceId + ",amount,\"'" + amount
            + "' has a decimal point; expected a decimal comma, as the file is separated by semicolons, and no"
            + " thousands separators (such as -1234,56)\"");
  }

  /**
   * German credit (with a decimal column added) as a semicolon file trains the comma file's bundle,
   * byte for byte: same file name and time stamp, the only provenance a bundle takes from its data.
   */
  @Test
  void train_semicolonGermanCredit_givesTheCommaBundle() throws IOException {
    List<String> lines = Files.readAllLines(TestRuns.german());
    StringBuilder text = new StringBuilder(lines.get(0)).append(",amount_per_month\n");
    List<String> header = List.of(lines.get(0).split(","));
    int amount = header.indexOf("credit_amount");
    int duration = header.indexOf("duration_in_month");
    assertThat(amount).isNotNegative();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = parse(line + "\n").get(0);
      double perMonth = Double.parseDouble(fields.get(amount)) / Double.parseDouble(fields.get(duration));
      text.append(line).append(',').append(perMonth).append('\n');
    }
    Path comma = Files.createDirectories(dir.resolve("comma")).resolve("german.csv");
    Path semicolon = Files.createDirectories(dir.resolve("semicolon")).resolve("german.csv");
    Files.writeString(comma, text);
    Files.writeString(semicolon, toSemicolons(text.toString()));
    assertThat(Files.readString(semicolon)).contains(";yes, registered under the customers name;")
        .containsPattern(";\\d+,\\d+\n");
    FileTime time = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(comma, time);
    Files.setLastModifiedTime(semicolon, time);
    byte[][] bundles = new byte[2][];
    Path[] data = {comma, semicolon};
    for (int i = 0; i < 2; i++) {
      Path out = dir.resolve("bundle-" + i + ".json");
      CliRun train = CliRun.of("train", "--data", data[i].toString(), "--target", "creditability", "--event-label",
          "bad", "--seed", "3", "--model-id", "german", "--out", out.toString());
      assertThat(train.code()).as(train.err()).isZero();
      bundles[i] = Files.readAllBytes(out);
    }
    assertThat(new String(bundles[0], StandardCharsets.UTF_8)).contains("amount_per_month");
    assertThat(bundles[1]).isEqualTo(bundles[0]);
  }

  /**
   * {@code csv} (RFC 4180, commas) rewritten as a spreadsheet in a decimal-comma locale saves it:
   * fields separated by ';' (quoted only when they hold ';', a quote or a line break), ISO dates
   * as DD.MM.YYYY in odd records and as D.M.YYYY (no leading zeros, as a short custom format
   * writes them) in even ones, decimals with a decimal comma.
   */
  static String toSemicolons(String csv) {
    StringBuilder out = new StringBuilder();
    int number = 0;
    for (List<String> record : parse(csv)) {
      boolean unpadded = number++ % 2 == 1;
      for (int f = 0; f < record.size(); f++) {
        String v = record.get(f);
        var date = ISO_DATE.matcher(v);
        if (date.matches()) {
          v = unpadded
              ? Integer.parseInt(date.group(3)) + "." + Integer.parseInt(date.group(2)) + "." + date.group(1)
              : date.group(3) + "." + date.group(2) + "." + date.group(1);
        } else if (DECIMAL.matcher(v).matches()) {
          v = v.replace('.', ',');
        }
        if (v.indexOf(';') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
          v = '"' + v.replace("\"", "\"\"") + '"';
        }
        out.append(f == 0 ? "" : ";").append(v);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The records of RFC 4180 text (every record ended by a line break). */
  private static List<List<String>> parse(String csv) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else if (c != '\r') {
        field.append(c);
      }
    }
    assertThat(record).isEmpty();
    assertThat(field.toString().toLowerCase(Locale.ROOT)).isEmpty();
    return records;
  }
}
