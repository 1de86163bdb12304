package io.chainscore.portfolio;

import io.chainscore.scoring.spi.ResultJson;
import io.chainscore.tables.CsvReader;
import io.chainscore.tables.InputFormatException;
import io.chainscore.trade.Sector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * File formats of the portfolio command: the exposures and scores CSV inputs, the anchor-PD CSV,
 * the scenario JSON, and the JSON output ({@code portfolio.html} is the reports module's). Columns
 * are documented in {@code docs/portfolio-risk.md}; CSV files need a header row, columns in any
 * order, and are read by the shared {@link CsvReader} (RFC 4180 quoting, strict numbers: {@code
 * 0x1p3} or a number padded with spaces is refused).
 *
 * <p>Errors are {@link InputFormatException}s naming the file, the 1-based data row (the header
 * is row 0) and the column.
 *
 * <p>Thread safety: stateless; all methods are thread safe.
 */
public final class PortfolioFiles {
  private PortfolioFiles() {}

  /** Reads an exposures CSV file. */
  public static List<Exposure> readExposures(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readExposures(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read exposures " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads exposures CSV text; {@code source} names it in errors.
   *
   * <p>Columns: supplier_id, anchor_id, sector, drawn, anchor_sales_share (required);
   * asset_class (corporate), undrawn (0), ccf (required when undrawn &gt; 0), lgd (blank =
   * supervisory), collateral (unsecured), maturity_years (blank = 2.5), annual_sales_eur_m
   * (blank = unknown), product (term_loan; receivables_finance, payables_finance,
   * purchase_order_finance), expected_dilution (blank = none; purchased receivables only),
   * trade_maturity_exemption (true/false, blank = false).
   */
  public static List<Exposure> readExposures(InputStream in, String source) {
    Csv csv = new Csv(in, source);
    csv.require("supplier_id", "anchor_id", "sector", "drawn", "anchor_sales_share");
    List<Exposure> out = new ArrayList<>();
    while (csv.next()) {
      double undrawn = csv.number("undrawn", 0.0);
      double ccf = csv.number("ccf", Double.NaN);
      if (Double.isNaN(ccf)) {
        if (undrawn > 0) {
          throw csv.error("ccf", "is required when undrawn > 0");
        }
        ccf = 0.0;
      }
      String supplier = csv.text("supplier_id", null);
      String anchor = csv.text("anchor_id", null);
      Sector sector = csv.sector();
      AssetClass assetClass = csv.assetClass();
      double drawn = csv.number("drawn", Double.NaN);
      double lgd = csv.number("lgd", Double.NaN);
      Collateral collateral = csv.collateral();
      double maturity = csv.number("maturity_years", Double.NaN);
      double sales = csv.number("annual_sales_eur_m", Double.NaN);
      double share = csv.number("anchor_sales_share", Double.NaN);
      Product product = csv.product();
      double dilution = csv.number("expected_dilution", Double.NaN);
      boolean exemption = csv.bool("trade_maturity_exemption", false);
      try {
        out.add(Exposure.builder().supplierId(supplier).anchorId(anchor).sector(sector).assetClass(assetClass)
            .drawn(drawn).undrawn(undrawn, ccf).lgd(lgd).collateral(collateral).maturityYears(maturity)
            .annualSalesEurMillions(sales).anchorSalesShare(share).product(product).expectedDilution(dilution)
            .tradeMaturityExemption(exemption).build());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(csv.where() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** As {@link #readExposures(InputStream, String)}, from text already decoded. */
  public static List<Exposure> readExposures(Reader reader, String source) {
    return readExposures(bytesOf(reader, source), source);
  }

  /** Reads a scores CSV file: supplier_id, pd (required), grade (optional). */
  public static List<SupplierScore> readScores(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readScores(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scores " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads scores CSV text; {@code source} names it in errors. */
  public static List<SupplierScore> readScores(InputStream in, String source) {
    Csv csv = new Csv(in, source);
    csv.require("supplier_id", "pd");
    List<SupplierScore> out = new ArrayList<>();
    while (csv.next()) {
      String supplier = csv.text("supplier_id", null);
      double pd = csv.number("pd", Double.NaN);
      String grade = csv.text("grade", "");
      try {
        out.add(new SupplierScore(supplier, pd, grade));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(csv.where() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** As {@link #readScores(InputStream, String)}, from text already decoded. */
  public static List<SupplierScore> readScores(Reader reader, String source) {
    return readScores(bytesOf(reader, source), source);
  }

  /** The UTF-8 bytes of {@code reader}'s text, for the byte-oriented {@link CsvReader}. */
  private static InputStream bytesOf(Reader reader, String source) {
    try {
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
        text.append(buffer, 0, n);
      }
      return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** Reads anchor PDs from a CSV file with columns anchor_id, pd. */
  public static Map<String, Double> readAnchorPds(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Csv csv = new Csv(in, file.toString());
      csv.require("anchor_id", "pd");
      Map<String, Double> out = new LinkedHashMap<>();
      while (csv.next()) {
        double pd = csv.number("pd", Double.NaN);
        if (!(pd >= 0 && pd <= 1)) {
          throw csv.error("pd", "must be in [0, 1], got " + pd);
        }
        if (out.put(csv.text("anchor_id", null), pd) != null) {
          throw csv.error("anchor_id", "is listed twice");
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read anchor PDs " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a stress scenario JSON file. */
  public static StressScenario readScenario(Path file) {
    try {
      return StressScenario.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The report as indented JSON ({@link ResultJson}: snake_case names in record order). */
  public static String toJson(PortfolioReport report) {
    return ResultJson.toJson(report);
  }

  /** Writes the report as JSON to {@code file}. */
  public static void writeJson(PortfolioReport report, Path file) {
    write(file, toJson(report));
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The shared {@link CsvReader} with this format's conventions: columns found by lower-cased
   * name, an absent optional column read as empty, text stripped of surrounding white space.
   */
  private static final class Csv {
    private final CsvReader reader;
    private final String source;
    private final Map<String, Integer> columns = new HashMap<>();

    Csv(InputStream in, String source) {
      this.source = source;
      try {
        this.reader = CsvReader.of(in, source);
      } catch (IOException e) {
        throw new UncheckedIOException(source + ": " + e.getMessage(), e);
      }
      List<String> header = reader.header();
      for (int i = 0; i < header.size(); i++) {
        String name = header.get(i).toLowerCase(Locale.ROOT);
        if (columns.put(name, i) != null) {
          throw new InputFormatException(source, 0, name, "appears twice in the header");
        }
      }
    }

    void require(String... names) {
      for (String n : names) {
        if (!columns.containsKey(n)) {
          throw new InputFormatException(source, 0, n, "missing from the header; header has "
              + columns.keySet().stream().sorted().toList());
        }
      }
    }

    boolean next() {
      try {
        if (!reader.next()) {
          return false;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(source + ": " + e.getMessage(), e);
      }
      InputFormatException problem = reader.recordProblem();
      if (problem != null) {
        throw problem;
      }
      return true;
    }

    String where() {
      return source + ", row " + reader.row();
    }

    InputFormatException error(String column, String problem) {
      return new InputFormatException(source, reader.row(), column, problem);
    }

    private int field(String column) {
      Integer i = columns.get(column);
      return i == null ? -1 : i;
    }

    String text(String column, String missing) {
      int f = field(column);
      String v = f < 0 ? "" : reader.text(f).strip();
      if (v.isEmpty()) {
        if (missing == null) {
          throw error(column, "is required");
        }
        return missing;
      }
      return v;
    }

    double number(String column, double missing) {
      int f = field(column);
      return f < 0 ? missing : reader.number(f, missing);
    }

    Sector sector() {
      try {
        return Sector.fromCode(text("sector", null));
      } catch (IllegalArgumentException e) {
        throw error("sector", e.getMessage());
      }
    }

    AssetClass assetClass() {
      String v = text("asset_class", "corporate").toUpperCase(Locale.ROOT).replace('-', '_');
      try {
        return AssetClass.valueOf(v);
      } catch (IllegalArgumentException e) {
        throw error("asset_class", "expected corporate, other_retail, residential_mortgage or qrre, got '"
            + text("asset_class", "") + "'");
      }
    }

    Product product() {
      try {
        return Product.parse(text("product", "term_loan"));
      } catch (IllegalArgumentException e) {
        throw error("product", e.getMessage());
      }
    }

    boolean bool(String column, boolean missing) {
      int f = field(column);
      return f < 0 || reader.isEmpty(f) ? missing : reader.bool(f);
    }

    Collateral collateral() {
      String v = text("collateral", "unsecured").toUpperCase(Locale.ROOT);
      try {
        return Collateral.valueOf(v);
      } catch (IllegalArgumentException e) {
        throw error("collateral", "expected unsecured or receivables, got '" + text("collateral", "") + "'");
      }
    }
  }
}
