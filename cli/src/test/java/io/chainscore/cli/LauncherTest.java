package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code chainscore} launcher's class data sharing, run as users run it (bash, the script at
 * the repository's root) on a small jar of {@link LauncherProbeMain} given as {@code
 * CHAINSCORE_JAR}: the first run of a command writes its archive and prints nothing but the
 * program's output, passes stdin and the exit status on; later runs load the program's classes
 * from the archive (the JVM's class-loading log says so); a rebuilt jar gets a new archive and the
 * old one goes; a first run that fails (exit 2) and {@code CHAINSCORE_CDS=0} write none.
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("chainscore");

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private Run launch(Path jar, String stdin, Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("CHAINSCORE_JAR", jar.toString());
    pb.environment().remove("CHAINSCORE_JAVA_OPTS");
    pb.environment().remove("CHAINSCORE_CDS");
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Path probeJar() throws IOException {
    Path jar = dir.resolve("probe.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbeMain.class.getName());
    String entry = LauncherProbeMain.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        InputStream in = LauncherProbeMain.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
    }
    return jar;
  }

  private List<String> archives() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("probe.cds-")).sorted().toList();
    }
  }

  @Test
  void firstRunWritesTheCommandsArchive_laterRunsLoadFromIt_aRebuiltJarReplacesIt() throws Exception {
    Path jar = probeJar();
    Run first = launch(jar, "line one\nline two\n", Map.of(), "stdin", "exit", "3");
    assertThat(first.status()).isEqualTo(3);
    assertThat(first.out()).isEqualTo("probe stdin exit 3\nline one\nline two\n");
    assertThat(first.err()).isEmpty();
    List<String> archives = archives();
    assertThat(archives).hasSize(1);
    assertThat(archives.get(0)).startsWith("probe.cds-stdin-").endsWith(".jsa");

    Run again = launch(jar, "", Map.of("CHAINSCORE_JAVA_OPTS", "-Xlog:class+load=info:stderr"), "stdin");
    assertThat(again.status()).isZero();
    assertThat(again.out()).isEqualTo("probe stdin\n");
    assertThat(again.err()).contains(LauncherProbeMain.class.getName() + " source: shared objects file");

    // another command gets an archive of its own
    assertThat(launch(jar, "", Map.of(), "score", "x").out()).isEqualTo("probe score x\n");
    assertThat(archives()).hasSize(2).anyMatch(n -> n.startsWith("probe.cds-score-"));

    // a rebuilt jar (another time stamp): a new archive for the command, the old one removed
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertThat(launch(jar, "", Map.of(), "stdin").out()).isEqualTo("probe stdin\n");
    List<String> rebuilt = archives();
    assertThat(rebuilt).hasSize(2).doesNotContain(archives.get(0)).anyMatch(n -> n.startsWith("probe.cds-stdin-"));
  }

  @Test
  void aFirstRunThatFails_leavesNoArchive() throws Exception {
    Path jar = probeJar();
    Run run = launch(jar, "", Map.of(), "no-such-command", "exit", "2");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEqualTo("probe no-such-command exit 2\n");
    assertThat(archives()).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  /**
   * No command asks for transparent huge pages, for the Java heap or for glibc's malloc (they cost
   * the 200k-supplier features run 10% on the benchmark machine since the duplicate check writes a
   * log in sequence): the user's GLIBC_TUNABLES and JVM options pass through unchanged.
   */
  @Test
  void noCommandAsksForHugePages_theUsersSettingsPassThrough() throws Exception {
    Path jar = probeJar();
    Map<String, String> env = new java.util.HashMap<>(Map.of("CHAINSCORE_CDS", "0"));
    env.put("GLIBC_TUNABLES", "");
    for (String command : List.of("score", "features", "explain")) {
      assertThat(launch(jar, "", env, command, "tunables").out())
          .contains("GLIBC_TUNABLES=\n").contains("UseTransparentHugePages=false\n");
    }
    env.put("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    env.put("CHAINSCORE_JAVA_OPTS", "-XX:+UseTransparentHugePages");
    assertThat(launch(jar, "", env, "features", "tunables").out())
        .contains("GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1\n")
        .contains("UseTransparentHugePages=true\n");
  }

  @Test
  void cdsOff_writesNoArchive() throws Exception {
    Path jar = probeJar();
    Run run = launch(jar, "", Map.of("CHAINSCORE_CDS", "0"), "score", "exit", "2");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEqualTo("probe score exit 2\n");
    assertThat(archives()).isEmpty();
  }
}
