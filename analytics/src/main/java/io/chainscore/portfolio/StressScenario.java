package io.chainscore.portfolio;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.trade.Sector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A stress scenario as data: anchor order-volume shocks and sector delay shocks applied to
 * supplier features, and a move of the macro factor applied to conditional PDs. The JSON form is
 * documented in {@code docs/portfolio-risk.md}.
 *
 * <p>Thread safety: immutable.
 *
 * @param name short identifier, non-blank
 * @param description free text, may be empty
 * @param anchorVolumeShocks order-volume falls per anchor
 * @param sectorDelayShocks delay rises per sector
 * @param macroFactorShift the value z the macro factor moves to, in standard deviations (z = -3.09
 *     is a 1-in-1000 year; 0 is no move); a PD rises only for z below G(PD)(1 - sqrt(1 - rho)) /
 *     sqrt(rho), about -0.4 at PD 1%, since conditioning removes the factor's spread
 */
public record StressScenario(
    String name,
    String description,
    @JsonProperty("anchor_volume_shocks") List<AnchorVolumeShock> anchorVolumeShocks,
    @JsonProperty("sector_delay_shocks") List<SectorDelayShock> sectorDelayShocks,
    @JsonProperty("macro_factor_shift") double macroFactorShift) {

  /**
   * Strict as the bundles' reader: a key given twice (Jackson kept the last, so {@code
   * "macro_factor_shift": -1.5} followed by {@code 0} read 0) and anything after the object (a
   * second object was ignored) are refused, since a scenario weakened without a word must not pass.
   */
  private static final ObjectMapper JSON = io.chainscore.scoring.spi.JsonSyntax.strictMapper();

  /** Validates the scenario; messages name the field. */
  public StressScenario {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("stress scenario: name is required");
    }
    description = description == null ? "" : description;
    anchorVolumeShocks = anchorVolumeShocks == null ? List.of() : List.copyOf(anchorVolumeShocks);
    sectorDelayShocks = sectorDelayShocks == null ? List.of() : List.copyOf(sectorDelayShocks);
    if (!Double.isFinite(macroFactorShift) || Math.abs(macroFactorShift) > 8) {
      throw new IllegalArgumentException("stress scenario " + name
          + ": macro_factor_shift must be finite and within [-8, 8], got " + macroFactorShift);
    }
  }

  /** Whether the scenario changes supplier features (and so needs rescoring). */
  public boolean hasFeatureShocks() {
    return !anchorVolumeShocks.isEmpty() || !sectorDelayShocks.isEmpty();
  }

  /**
   * Order volume of an anchor's programme falls by {@code volumeDropPercent}.
   *
   * @param anchorId the anchor
   * @param volumeDropPercent fall in percent, in [0, 100]
   */
  public record AnchorVolumeShock(
      @JsonProperty("anchor_id") String anchorId,
      @JsonProperty("volume_drop_pct") double volumeDropPercent) {
    /** Validates the fields. */
    public AnchorVolumeShock {
      if (anchorId == null || anchorId.isBlank()) {
        throw new IllegalArgumentException("anchor volume shock: anchor_id is required");
      }
      if (!(volumeDropPercent >= 0 && volumeDropPercent <= 100)) {
        throw new IllegalArgumentException("anchor volume shock " + anchorId
            + ": volume_drop_pct must be in [0, 100], got " + volumeDropPercent);
      }
    }
  }

  /**
   * Delays of a sector's suppliers rise: the 12-month average days paid beyond terms rises by
   * {@code extraDaysBeyondTerms} and the 12-month on-time delivery rate falls by
   * {@code onTimeDeliveryDrop} (absolute, rate in [0, 1]).
   *
   * @param sector the sector
   * @param extraDaysBeyondTerms rise in days, &gt;= 0
   * @param onTimeDeliveryDrop fall of the on-time rate, in [0, 1]
   */
  public record SectorDelayShock(
      @JsonIgnore Sector sector,
      @JsonProperty("extra_days_beyond_terms") double extraDaysBeyondTerms,
      @JsonProperty("on_time_delivery_drop") double onTimeDeliveryDrop) {
    /** The sector's external code, the form written to JSON. */
    @JsonProperty("sector")
    public String sectorCode() {
      return sector.code();
    }

    /** Validates the fields. */
    public SectorDelayShock {
      if (sector == null) {
        throw new IllegalArgumentException("sector delay shock: sector is required");
      }
      if (!(extraDaysBeyondTerms >= 0) || Double.isInfinite(extraDaysBeyondTerms)) {
        throw new IllegalArgumentException("sector delay shock " + sector.code()
            + ": extra_days_beyond_terms must be a finite number >= 0, got " + extraDaysBeyondTerms);
      }
      if (!(onTimeDeliveryDrop >= 0 && onTimeDeliveryDrop <= 1)) {
        throw new IllegalArgumentException("sector delay shock " + sector.code()
            + ": on_time_delivery_drop must be in [0, 1], got " + onTimeDeliveryDrop);
      }
    }
  }

  /**
   * Parses a scenario from JSON; unknown fields are rejected so typos do not silently weaken a
   * stress test.
   *
   * @throws IllegalArgumentException naming the field or the JSON error
   */
  public static StressScenario fromJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // the one wording of a JSON syntax error (JsonSyntax): until 2026-12-08 the parser's own
      // message, with its source description and option names ("(start marker at [Source:
      // REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ...])" for a file cut short)
      throw new IllegalArgumentException("stress scenario: invalid JSON: "
          + io.chainscore.scoring.spi.JsonSyntax.problem(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("stress scenario: expected a JSON object");
    }
    checkFields(root, "stress scenario",
        Set.of("name", "description", "anchor_volume_shocks", "sector_delay_shocks", "macro_factor_shift"));
    String name = text(root, "name", "stress scenario", true);
    String where = "stress scenario " + name;
    List<AnchorVolumeShock> anchors = new ArrayList<>();
    for (JsonNode n : array(root, "anchor_volume_shocks", where)) {
      String w = where + ": anchor_volume_shocks[" + anchors.size() + "]";
      checkFields(n, w, Set.of("anchor_id", "volume_drop_pct"));
      anchors.add(new AnchorVolumeShock(text(n, "anchor_id", w, true), number(n, "volume_drop_pct", w, 0)));
    }
    List<SectorDelayShock> sectors = new ArrayList<>();
    for (JsonNode n : array(root, "sector_delay_shocks", where)) {
      String w = where + ": sector_delay_shocks[" + sectors.size() + "]";
      checkFields(n, w, Set.of("sector", "extra_days_beyond_terms", "on_time_delivery_drop"));
      Sector sector;
      try {
        sector = Sector.fromCode(text(n, "sector", w, true));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(w + ": " + e.getMessage(), e);
      }
      sectors.add(new SectorDelayShock(sector, number(n, "extra_days_beyond_terms", w, 0),
          number(n, "on_time_delivery_drop", w, 0)));
    }
    return new StressScenario(name, text(root, "description", where, false), anchors, sectors,
        number(root, "macro_factor_shift", where, 0));
  }

  /** The scenario as JSON in the form {@link #fromJson} reads. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stress scenario " + name + ": cannot write JSON", e);
    }
  }

  private static void checkFields(JsonNode node, String where, Set<String> allowed) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException(where + ": unknown field '" + f + "'; expected "
            + allowed.stream().sorted().toList());
      }
    }
  }

  private static String text(JsonNode node, String field, String where, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + ": " + field + " is required");
      }
      return "";
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": " + field + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static double number(JsonNode node, String field, String where, double missing) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return missing;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(where + ": " + field + " must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static Iterable<JsonNode> array(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(where + ": " + field + " must be an array");
    }
    return v;
  }
}
