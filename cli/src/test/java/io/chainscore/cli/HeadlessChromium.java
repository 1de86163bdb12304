package io.chainscore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A real browser for the suite's checks of the HTML the tool writes: Debian's headless Chromium,
 * driven over the Chrome DevTools Protocol (the JDK's WebSocket client and Jackson, no new
 * dependency). It loads a page as a person would open it (a {@code file:} URL at a 1280-pixel
 * wide window), collects every console message, uncaught exception and browser log entry of
 * level error, measures each chart ({@code svg} element) and takes a screenshot of it.
 *
 * <p>Chromium is found on {@code CHROMIUM} or as {@code chromium}, {@code chromium-browser} or
 * {@code google-chrome} on the path; {@code .ci/run} installs Debian's {@code chromium} when it is
 * missing. Without one, {@link #start} fails with a line saying how to install it: the check is
 * never skipped.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  /** One chart of a page: its position and size in CSS pixels and how many marks it draws. */
  record Chart(String label, double x, double y, double width, double height, int marks) {}

  /** What a page showed: its problems, its charts and its full height. */
  /**
   * What a reader of a page meets: script errors, the charts, the page's size, and the words of
   * table cells (up to 20 characters, a hyphen ending a word) that the layout split across lines, as a
   * squeezed column does ("mod / el kind"); breaking after a hyphen is ordinary typesetting.
   */
  record Page(List<String> errors, List<Chart> charts, double scrollWidth, double scrollHeight,
      List<String> brokenWords) {}

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  private HeadlessChromium(Process process, Path profile, WebSocket.Builder builder, URI page)
      throws Exception {
    this.process = process;
    this.profile = profile;
    this.socket = builder.buildAsync(page, new Listener()).get(30, TimeUnit.SECONDS);
    call("Runtime.enable", null);
    call("Log.enable", null);
    call("Page.enable", null);
    ObjectNode metrics = JSON.createObjectNode();
    metrics.put("width", 1280).put("height", 900).put("deviceScaleFactor", 1).put("mobile", false);
    call("Emulation.setDeviceMetricsOverride", metrics);
  }

  /** The browser executable, or a failure that says how to install one. */
  static String executable() {
    String configured = System.getenv("CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    throw new IllegalStateException("no Chromium for the browser checks: install Debian's chromium"
        + " (apt-get install chromium; .ci/run does) or set CHROMIUM to a Chrome executable");
  }

  /** Starts a headless browser with a fresh profile and opens a blank page to drive. */
  static HeadlessChromium start() throws Exception {
    Path profile = Files.createTempDirectory("chainscore-chromium");
    Process process = new ProcessBuilder(executable(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> browserUrl = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = stderr.readLine()) != null; ) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            browserUrl.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        browserUrl.completeExceptionally(e);
      }
      browserUrl.completeExceptionally(new IOException("chromium exited before it listened"));
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    URI browser = URI.create(browserUrl.get(60, TimeUnit.SECONDS));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
    String pageUrl = null;
    for (int attempt = 0; attempt < 100 && pageUrl == null; attempt++) {
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          pageUrl = t.get("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (pageUrl == null) {
        Thread.sleep(100);
      }
    }
    if (pageUrl == null) {
      process.destroyForcibly();
      throw new IOException("chromium opened no page to drive");
    }
    return new HeadlessChromium(process, profile, http.newWebSocketBuilder(), URI.create(pageUrl));
  }

  /**
   * The printed line of an A4 page with the model document's 12 mm margins ({@code @page}): 186 mm,
   * in CSS pixels (96 to the inch).
   */
  static final int A4_LINE = 703;

  /**
   * Opens {@code file} as it is printed on A4: the print style sheet at the page's line width
   * ({@link #A4_LINE}), what Chromium's print-to-PDF lays out; then back to the 1280-pixel screen.
   */
  Page openPrinted(Path file) throws Exception {
    media("print", A4_LINE);
    try {
      return open(file);
    } finally {
      media("", 1280);
    }
  }

  /** Opens {@code file} on a screen {@code width} pixels wide; then back to the 1280-pixel screen. */
  Page openNarrow(Path file, int width) throws Exception {
    media("", width);
    try {
      return open(file);
    } finally {
      media("", 1280);
    }
  }

  private void media(String media, int width) throws Exception {
    call("Emulation.setEmulatedMedia", JSON.createObjectNode().put("media", media));
    ObjectNode metrics = JSON.createObjectNode();
    metrics.put("width", width).put("height", 900).put("deviceScaleFactor", 1).put("mobile", false);
    call("Emulation.setDeviceMetricsOverride", metrics);
  }

  /** Opens {@code file} and reports what a reader of it would meet. */
  Page open(Path file) throws Exception {
    errors.clear();
    loaded = new CompletableFuture<>();
    ObjectNode params = JSON.createObjectNode().put("url", file.toAbsolutePath().toUri().toString());
    JsonNode navigated = call("Page.navigate", params);
    if (navigated.has("errorText")) {
      throw new IOException("chromium could not open " + file + ": " + navigated.get("errorText").asText());
    }
    loaded.get(60, TimeUnit.SECONDS);
    String measure = "JSON.stringify({charts: [...document.querySelectorAll('svg')].map(s => {"
        + " const r = s.getBoundingClientRect();"
        + " return {label: s.getAttribute('aria-label') || '', x: r.x + window.scrollX, y: r.y + window.scrollY,"
        + " width: r.width, height: r.height,"
        + " marks: s.querySelectorAll('path,polyline,polygon,rect,circle,line').length}; }),"
        + " scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight,"
        // a word on more than one line has rects on more than one line (distinct tops)
        + " brokenWords: (() => { const out = []; const range = document.createRange();"
        + " for (const cell of document.querySelectorAll('th,td')) {"
        + "  const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT); let node;"
        // a date is one word (2025-06-30 broken at a hyphen is as hard to read as one broken inside)
        + "  while ((node = walk.nextNode())) { const re = /\\d{4}-\\d{2}-\\d{2}|[^\\s-]+/g; let m;"
        + "   while ((m = re.exec(node.data))) { if (m[0].length > 20) continue;"
        + "    range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);"
        + "    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));"
        + "    if (tops.size > 1) out.push(m[0]); } } } return out; })()})";
    JsonNode value = JSON.readTree(evaluate(measure).asText());
    List<Chart> charts = new ArrayList<>();
    for (JsonNode c : value.get("charts")) {
      charts.add(new Chart(c.get("label").asText(), c.get("x").asDouble(), c.get("y").asDouble(),
          c.get("width").asDouble(), c.get("height").asDouble(), c.get("marks").asInt()));
    }
    // Console messages arrive as events; let the last ones of the load come in.
    Thread.sleep(200);
    List<String> broken = new ArrayList<>();
    value.get("brokenWords").forEach(w -> broken.add(w.asText()));
    return new Page(List.copyOf(errors), charts, value.get("scrollWidth").asDouble(),
        value.get("scrollHeight").asDouble(), List.copyOf(broken));
  }

  /** A screenshot of the page area of {@code chart}, as the browser painted it. */
  BufferedImage screenshot(Chart chart) throws Exception {
    ObjectNode clip = JSON.createObjectNode().put("x", chart.x()).put("y", chart.y())
        .put("width", chart.width()).put("height", chart.height()).put("scale", 1);
    ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.set("clip", clip);
    JsonNode shot = call("Page.captureScreenshot", params);
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(shot.get("data").asText())));
  }

  /** The share of an image's pixels that differ from its most common colour (the background). */
  static double inkShare(BufferedImage image) {
    Map<Integer, Integer> counts = new java.util.HashMap<>();
    int w = image.getWidth();
    int h = image.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        counts.merge(image.getRGB(x, y), 1, Integer::sum);
      }
    }
    int background = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return w * h == 0 ? 0 : 1 - background / (double) (w * h);
  }

  private JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IOException("evaluation failed: " + result.get("exceptionDetails"));
    }
    return result.get("result").get("value");
  }

  private JsonNode call(String method, JsonNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    JsonNode r = reply.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IOException(method + ": " + r.get("error"));
    }
    return r.get("result");
  }

  private void event(JsonNode message) {
    String method = message.path("method").asText();
    JsonNode p = message.path("params");
    switch (method) {
      case "Page.loadEventFired" -> loaded.complete(null);
      case "Runtime.exceptionThrown" -> errors.add("uncaught exception: "
          + p.path("exceptionDetails").path("exception").path("description").asText(
              p.path("exceptionDetails").path("text").asText()));
      case "Runtime.consoleAPICalled" -> errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
      case "Log.entryAdded" -> {
        JsonNode entry = p.path("entry");
        if ("error".equals(entry.path("level").asText()) || "warning".equals(entry.path("level").asText())) {
          errors.add("log " + entry.path("level").asText() + ": " + entry.path("text").asText()
              + " " + entry.path("url").asText());
        }
      }
      default -> { }
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          } else {
            event(message);
          }
        } catch (IOException e) {
          errors.add("unreadable DevTools message: " + e.getMessage());
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The browser is stopped below either way.
    }
    // The browser's helper processes (renderer, network service) write to the profile too: stop
    // them with it, or deleting the profile races with their last writes (seen: a file vanishing
    // while the profile was walked, after the browser took 10 s to exit).
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    for (ProcessHandle helper : helpers) {
      helper.destroyForcibly();
    }
    for (ProcessHandle helper : helpers) {
      try {
        helper.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // still exiting; the deletion below retries
      }
    }
    deleteProfile();
  }

  /** Deletes the temporary profile; a file that vanishes while it is walked means walking again. */
  private void deleteProfile() throws InterruptedException {
    for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | java.io.UncheckedIOException e) {
        Thread.sleep(200);
      }
    }
    if (Files.exists(profile)) {
      System.err.println("HeadlessChromium: could not delete the temporary profile " + profile);
    }
  }
}
