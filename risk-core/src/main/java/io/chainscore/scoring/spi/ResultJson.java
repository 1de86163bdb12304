package io.chainscore.scoring.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The one JSON writer of every result ChainScore's tools write ({@code metrics.json},
 * {@code summary.json}, {@code portfolio.json}, run manifests, {@code --json} output): the same
 * value gives the same bytes in every JVM.
 *
 * <p>Conventions: property names are snake_case ({@code valueAtRisk} is written
 * {@code value_at_risk}; an explicit {@code @JsonProperty} name wins); a record's properties come
 * in its component order; map entries come sorted by key whatever the map's class (so a
 * {@code Map.of} or {@code HashMap}, whose iteration order changes from JVM to JVM, cannot leak into
 * an output); {@link Instant} and {@link LocalDate} are ISO-8601 strings; output is indented with a
 * final newline. NaN and infinities are written as the strings {@code "NaN"}, {@code "Infinity"}.
 *
 * <p>Thread safety: stateless; the shared mapper is configured once and never changed.
 */
public final class ResultJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
      .addModule(new SimpleModule("chainscore-results")
          .addSerializer(Instant.class, new ToStringSerializer(Instant.class))
          .addSerializer(LocalDate.class, new ToStringSerializer(LocalDate.class)))
      .build();

  private ResultJson() {}

  /** The value as indented JSON text, ending in a newline. */
  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes the value to {@code file} atomically: into a hidden temporary file beside it, then
   * renamed over it, so a reader never sees half a document.
   */
  public static void write(Object value, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, toJson(value).getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The property name this writer gives a Java name ({@code meanPdChange} gives
   * {@code mean_pd_change}), for code and documents that read the JSON back.
   */
  public static String propertyName(String javaName) {
    return ((PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE).translate(javaName);
  }
}
