package io.chainscore.cli;

import io.chainscore.batch.engine.OutputLock;
import java.nio.file.Path;

/** Child process of the lock tests: takes the lock of an output, says so, and holds it until killed. */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    OutputLock lock = OutputLock.acquire(Path.of(args[0]), "chainscore score (lock holder of a test)");
    System.out.println("locked " + lock.path());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
