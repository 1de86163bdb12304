package io.chainscore.batch.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.engine.ChunkProcessor;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One chunk through {@link FeatureTableScoring}: refused rows quarantined with their reasons, the rest scored. */
class FeatureTableScoringTest {
  private static final double NaN = Double.NaN;

  private static ModelBundle bundle() throws IOException, ModelFormatException {
    try (InputStream in = FeatureTableScoringTest.class.getResourceAsStream("/bundles/scorecard.json")) {
      return ModelBundle.read(in);
    }
  }

  @Test
  void process_severalRefusedRowsInOneChunk_quarantinesEachAndScoresTheRest() throws Exception {
    ModelBundle bundle = bundle();
    FeatureTableScoring scoring = new FeatureTableScoring(bundle, LocalDate.of(2025, 6, 30));
    // days_beyond_terms_avg, dilution_rate_12m, months_with_anchor, sector, on_time_delivery_rate
    Object[][] rows = {
      {7.0, 0.03, 24.0, "RETAIL", 0.9},
      {7.0, 1.5, 24.0, "RETAIL", 0.9},
      {7.0, 0.03, NaN, "RETAIL", 0.9},
      {7.0, 0.03, 24.0, "MINING", 0.9},
      {-3.0, NaN, 24.0, null, 0.9},
      {7.0, 2.0, NaN, "RETAIL", 0.9},
      {400.0, 0.01, 12.0, "LOGISTICS", 0.8},
    };
    ColumnBatch in = new ColumnBatch(scoring.inputSchema(), rows.length);
    for (int r = 0; r < rows.length; r++) {
      in.strings(0)[r] = "S" + r;
      for (int j = 0; j < 5; j++) {
        if (j == 3) {
          in.strings(j + 1)[r] = (String) rows[r][j];
        } else {
          in.doubles(j + 1)[r] = (Double) rows[r][j];
        }
      }
      in.commitRow(r + 1);
    }
    ColumnBatch outBatch = new ColumnBatch(FeatureTableScoring.OUTPUT, rows.length);
    List<Integer> appended = new ArrayList<>();
    List<String> quarantined = new ArrayList<>();

    scoring.process(in, new ChunkProcessor.OutputRows() {
      @Override
      public ColumnBatch batch() {
        return outBatch;
      }

      @Override
      public void append(int inputIndex) {
        appended.add(inputIndex);
        outBatch.commitRow(inputIndex);
      }
    }, (row, column, reason) -> quarantined.add(row + "|" + column + "|" + reason));

    // the unknown category is found while reading the row, the policies' refusals while scoring
    assertThat(quarantined).containsExactly(
        "3|sector|unknown category 'MINING'; expected one of [MANUFACTURING, LOGISTICS, RETAIL, AGRICULTURE]",
        "1|dilution_rate_12m|value 1.5 outside the valid range [0.0, 1.0]",
        "2|months_with_anchor|missing value (NaN) refused by the feature's missing-value policy",
        "5|dilution_rate_12m|value 2.0 outside the valid range [0.0, 1.0]");
    assertThat(appended).containsExactly(0, 4, 6);
    Scorer scorer = bundle.scorer();
    double[][] expectedRows = {{7, 0.03, 24, 2, 0.9}, {-3, NaN, 24, NaN, 0.9}, {400, 0.01, 12, 1, 0.8}};
    for (int slot = 0; slot < 3; slot++) {
      ScoreResult expected = scorer.score(expectedRows[slot]);
      assertThat(outBatch.strings(0)[slot]).isEqualTo("S" + appended.get(slot));
      assertThat(outBatch.doubles(2)[slot]).isEqualTo(expected.points());
      assertThat(outBatch.doubles(3)[slot]).isEqualTo(expected.pd());
      assertThat(outBatch.strings(4)[slot]).isEqualTo(expected.grade());
      for (int k = 0; k < 4; k++) {
        String code = k < expected.reasonCodes().size() ? expected.reasonCodes().get(k) : null;
        assertThat(outBatch.strings(5 + k)[slot]).isEqualTo(code);
      }
    }
    assertThat(outBatch.doubles(2)[0]).isEqualTo(553.0); // ScorecardScorerTest.score_handWorkedRow
  }
}
