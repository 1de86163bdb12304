package io.chainscore.portfolio;

import io.chainscore.scoring.spi.ResultJson;
import io.chainscore.trade.Sector;
import java.io.BufferedReader;
import java.io.IOException;
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
 * the scenario JSON, and the JSON output ({@code portfolio.html} is the reports module's). Columns are documented in
 * {@code docs/portfolio-risk.md}; CSV files need a header row, columns in any order, comma
 * separated, fields optionally double-quoted.
 *
 * <p>Errors name the file, the row (1-based, header = row 1) and the column.
 *
 * <p>Thread safety: stateless; all methods are thread safe.
 */
public final class PortfolioFiles {
  private PortfolioFiles() {}

  /** Reads an exposures CSV file. */
  public static List<Exposure> readExposures(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readExposures(r, file.toString());
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
   * (blank = unknown).
   */
  public static List<Exposure> readExposures(Reader reader, String source) {
    Csv csv = new Csv(reader, source);
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
      try {
        out.add(Exposure.builder().supplierId(supplier).anchorId(anchor).sector(sector).assetClass(assetClass)
            .drawn(drawn).undrawn(undrawn, ccf).lgd(lgd).collateral(collateral).maturityYears(maturity)
            .annualSalesEurMillions(sales).anchorSalesShare(share).build());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(csv.where() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Reads a scores CSV file: supplier_id, pd (required), grade (optional). */
  public static List<SupplierScore> readScores(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readScores(r, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scores " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads scores CSV text; {@code source} names it in errors. */
  public static List<SupplierScore> readScores(Reader reader, String source) {
    Csv csv = new Csv(reader, source);
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

  /** Reads anchor PDs from a CSV file with columns anchor_id, pd. */
  public static Map<String, Double> readAnchorPds(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Csv csv = new Csv(r, file.toString());
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

  /** A minimal RFC 4180 reader over a header row and data rows. */
  private static final class Csv {
    private final BufferedReader reader;
    private final String source;
    private final Map<String, Integer> columns = new HashMap<>();
    private List<String> row;
    private int rowNumber = 1;

    Csv(Reader reader, String source) {
      this.reader = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
      this.source = source;
      List<String> header = readRow();
      if (header == null) {
        throw new IllegalArgumentException(source + ": empty file, expected a header row");
      }
      for (int i = 0; i < header.size(); i++) {
        String name = header.get(i).trim().toLowerCase(Locale.ROOT);
        if (i == 0 && name.startsWith("\uFEFF")) {
          name = name.substring(1);
        }
        if (columns.put(name, i) != null) {
          throw new IllegalArgumentException(source + ": duplicate column " + name);
        }
      }
    }

    void require(String... names) {
      for (String n : names) {
        if (!columns.containsKey(n)) {
          throw new IllegalArgumentException(source + ": missing column " + n + "; header has "
              + columns.keySet().stream().sorted().toList());
        }
      }
    }

    boolean next() {
      do {
        row = readRow();
        rowNumber++;
      } while (row != null && row.size() == 1 && row.get(0).isBlank());
      return row != null;
    }

    String where() {
      return source + " row " + rowNumber;
    }

    IllegalArgumentException error(String column, String problem) {
      return new IllegalArgumentException(where() + " column " + column + ": " + problem);
    }

    private String raw(String column) {
      Integer i = columns.get(column);
      if (i == null || i >= row.size()) {
        return "";
      }
      return row.get(i).trim();
    }

    String text(String column, String missing) {
      String v = raw(column);
      if (v.isEmpty()) {
        if (missing == null) {
          throw error(column, "is required");
        }
        return missing;
      }
      return v;
    }

    double number(String column, double missing) {
      String v = raw(column);
      if (v.isEmpty()) {
        return missing;
      }
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw error(column, "expected a number, got '" + v + "'");
      }
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
            + raw("asset_class") + "'");
      }
    }

    Collateral collateral() {
      String v = text("collateral", "unsecured").toUpperCase(Locale.ROOT);
      try {
        return Collateral.valueOf(v);
      } catch (IllegalArgumentException e) {
        throw error("collateral", "expected unsecured or receivables, got '" + raw("collateral") + "'");
      }
    }

    private List<String> readRow() {
      try {
        String line = reader.readLine();
        if (line == null) {
          return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
          if (i == line.length()) {
            if (!quoted) {
              break;
            }
            String more = reader.readLine();
            if (more == null) {
              throw new IllegalArgumentException(source + " row " + (rowNumber + 1) + ": unterminated quote");
            }
            field.append('\n');
            line = more;
            i = 0;
            continue;
          }
          char c = line.charAt(i++);
          if (quoted) {
            if (c == '"') {
              if (i < line.length() && line.charAt(i) == '"') {
                field.append('"');
                i++;
              } else {
                quoted = false;
              }
            } else {
              field.append(c);
            }
          } else if (c == '"') {
            quoted = true;
          } else if (c == ',') {
            fields.add(field.toString());
            field.setLength(0);
          } else {
            field.append(c);
          }
        }
        fields.add(field.toString());
        return fields;
      } catch (IOException e) {
        throw new UncheckedIOException(source + ": " + e.getMessage(), e);
      }
    }
  }
}
