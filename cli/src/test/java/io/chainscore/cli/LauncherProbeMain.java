package io.chainscore.cli;

import java.io.IOException;

/**
 * The program {@link LauncherTest} runs through the {@code chainscore} launcher: prints "probe"
 * and its arguments, then its {@code GLIBC_TUNABLES} and whether the JVM was given {@code
 * -XX:+UseTransparentHugePages} (the last such flag) when an argument is "tunables", what stdin
 * holds when the first argument is "stdin", and exits with the status given after "exit", if any.
 */
public final class LauncherProbeMain {
  private LauncherProbeMain() {}

  public static void main(String[] args) throws IOException {
    System.out.println("probe " + String.join(" ", args));
    if (java.util.Arrays.asList(args).contains("tunables")) {
      System.out.println("GLIBC_TUNABLES=" + System.getenv("GLIBC_TUNABLES"));
      System.out.println("UseTransparentHugePages=" + java.lang.management.ManagementFactory.getRuntimeMXBean()
          .getInputArguments().stream().filter(a -> a.endsWith("UseTransparentHugePages")).reduce((a, b) -> b)
          .map(a -> a.startsWith("-XX:+")).orElse(false));
    }
    if (args.length > 0 && args[0].equals("stdin")) {
      System.out.print(new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("exit")) {
        System.exit(Integer.parseInt(args[i + 1]));
      }
    }
  }
}
