package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The out-of-memory line suggests more heap than the run had, never the same. */
class OutOfMemoryMessageTest {
  @Test
  void suggestsTwiceTheHeapInWholeGigabytes() {
    // what ParallelGC reports as the maximum for -Xmx1g, -Xmx2g and -Xmx4g on this kind of machine
    assertThat(ChainScoreCli.outOfMemory(912L << 20))
        .isEqualTo("chainscore: out of memory (912 MB heap); give more with CHAINSCORE_JAVA_OPTS=-Xmx2g"
            + " (the heap grows with the number of suppliers)");
    assertThat(ChainScoreCli.outOfMemory(1822L << 20)).contains("(1822 MB heap)").contains("-Xmx4g ");
    assertThat(ChainScoreCli.outOfMemory(3641L << 20)).contains("-Xmx8g ");
    assertThat(ChainScoreCli.outOfMemory(6L << 30)).contains("(6144 MB heap)").contains("-Xmx12g ");
    assertThat(ChainScoreCli.outOfMemory(100L << 20)).contains("-Xmx2g ");
  }
}
