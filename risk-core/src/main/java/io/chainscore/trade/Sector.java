package io.chainscore.trade;

import java.util.Locale;

/**
 * Industry sector of a supplier or an anchor; the {@link #code()} is the stable external name
 * used in files and model bundles.
 *
 * <p>Thread safety: an enum; immutable.
 */
public enum Sector {
  GLASS("glass"),
  ELECTRONIC_COMPONENTS("electronic_components"),
  TEXTILES("textiles"),
  FOOD_PROCESSING("food_processing"),
  PACKAGING("packaging"),
  LOGISTICS("logistics"),
  METAL_PARTS("metal_parts"),
  PLASTICS("plastics"),
  CHEMICALS("chemicals"),
  CONSUMER_ELECTRONICS("consumer_electronics"),
  AUTOMOTIVE("automotive"),
  APPAREL("apparel"),
  FOOD_AND_BEVERAGE("food_and_beverage"),
  RETAIL("retail"),
  OTHER("other");

  private static final Sector[] VALUES = values();

  private final String code;

  Sector(String code) {
    this.code = code;
  }

  /** The lower-case external name, for example {@code "electronic_components"}. */
  public String code() {
    return code;
  }

  /**
   * Parses an external name, ignoring case and accepting spaces or hyphens for underscores.
   *
   * @throws IllegalArgumentException naming the accepted codes when {@code text} is none of them
   */
  public static Sector fromCode(String text) {
    if (text != null) {
      String normalised = text.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
      for (Sector s : VALUES) {
        if (s.code.equals(normalised)) {
          return s;
        }
      }
    }
    StringBuilder known = new StringBuilder();
    for (Sector s : VALUES) {
      known.append(known.length() == 0 ? "" : ", ").append(s.code);
    }
    throw new IllegalArgumentException(
        "unknown sector " + (text == null ? "null" : Checks.quoted(text)) + "; expected one of " + known);
  }
}
