package io.chainscore.features.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for a refused row's record id, which every reader (and Spark's) reports through. */
class BadRecordTest {
  @Test
  void theIdIsReportedWhenTheFaultIsInAnotherColumnAndTheIdIsNotEmpty() {
    assertThat(BadRecord.readId("amount", "invoice_id", "INV-7")).isEqualTo("INV-7");
    assertThat(BadRecord.idRead("amount", "invoice_id")).isTrue();
  }

  @Test
  void theIdIsNotReportedWhenItIsAtFaultEmptyOrTheWholeRecordIs() {
    // the id column itself at fault: its value is what was refused
    assertThat(BadRecord.readId("invoice_id", "invoice_id", "INV 7\u0001")).isNull();
    // the record as a whole (e.g. too few fields): no column, the id may not have been reached
    assertThat(BadRecord.idRead(null, "invoice_id")).isFalse();
    assertThat(BadRecord.readId(null, "invoice_id", "INV-7")).isNull();
    assertThat(BadRecord.readId("amount", "invoice_id", "")).isNull();
    assertThat(BadRecord.readId("amount", "invoice_id", null)).isNull();
    assertThat(BadRecord.idOrUnknown(null)).isEqualTo(BadRecord.UNKNOWN_ID).isEqualTo("?");
    assertThat(BadRecord.idOrUnknown("INV-7")).isEqualTo("INV-7");
  }
}
