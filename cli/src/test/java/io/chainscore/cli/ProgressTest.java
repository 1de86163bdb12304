package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void line_terminal_drawsBarWithRateAndEta() {
    Progress p = new Progress(new PrintWriter(new StringWriter()), "score", 1000, true);
    assertThat(p.line(450, 2.0))
        // 45% of 30 cells rounds to 14: thirteen "=" and the ">" head.
        .isEqualTo("\rscore [=============>                ]  45% 450/1,000 225/s ETA 2s");
    assertThat(p.line(1000, 4.0)).startsWith("\rscore [==============================] 100% 1,000/1,000 250/s done");
  }

  @Test
  void line_notTerminal_plainLine() {
    Progress p = new Progress(new PrintWriter(new StringWriter()), "generate", 2_000_000, false);
    assertThat(p.line(500_000, 0.5)).isEqualTo("generate: 25% 500,000/2,000,000 1.0M/s ETA 2s" + System.lineSeparator());
  }

  @Test
  void update_notTerminal_printsFinalLineOnce() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out), "x", 10, false);
    for (int i = 1; i <= 10; i++) {
      p.update(i);
    }
    p.update(10);
    assertThat(out.toString().lines().filter(l -> l.contains("100%")).count()).isEqualTo(1);
  }
}
