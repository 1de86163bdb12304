package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reader checks Spark applies to each table ({@code SparkFeatures.READ_CHECKS}) are derived
 * from the shared table layouts; this pins the derivation to the single-machine reader's rules,
 * written out by hand: every required column in layout order (null refused), dates range-checked,
 * text checked for NUL, nullable dates only range-checked. No SparkSession needed.
 */
class SparkReadChecksTest {
  @Test
  void readChecks_equalTheSingleMachineReadersColumns() {
    assertThat(SparkFeatures.READ_CHECKS.keySet())
        .containsExactlyInAnyOrder("anchor", "supplier", "invoice", "loan", "instalment", "credit_note", "dispute",
            "delivery");
    assertThat(SparkFeatures.READ_CHECKS.get("anchor"))
        .containsExactly("anchor_id:text", "name:text", "sector:text", "annual_revenue");
    assertThat(SparkFeatures.READ_CHECKS.get("supplier")).containsExactly("supplier_id:text", "anchor_id:text",
        "sector:text", "region:text", "registration_date:date", "declared_turnover");
    assertThat(SparkFeatures.READ_CHECKS.get("invoice")).containsExactly("invoice_id:text", "supplier_id:text",
        "buyer_id:text", "issue_date:date", "due_date:date", "amount", "delivered_on_time", "returned_amount",
        "disputed", "?paid_date:date", "paid_amount");
    assertThat(SparkFeatures.READ_CHECKS.get("loan")).containsExactly("loan_id:text", "supplier_id:text",
        "drawdown_date:date", "amount");
    assertThat(SparkFeatures.READ_CHECKS.get("instalment")).containsExactly("loan_id:text", "supplier_id:text",
        "instalment_number", "due_date:date", "amount_due", "?repaid_date:date", "amount_repaid");
    assertThat(SparkFeatures.READ_CHECKS.get("credit_note")).containsExactly("credit_note_id:text",
        "invoice_id:text", "supplier_id:text", "booking_date:date", "amount", "reason:text");
    assertThat(SparkFeatures.READ_CHECKS.get("dispute")).containsExactly("invoice_id:text", "supplier_id:text",
        "opened_date:date", "?resolved_date:date");
    assertThat(SparkFeatures.READ_CHECKS.get("delivery")).containsExactly("invoice_id:text", "supplier_id:text",
        "promised_date:date", "actual_date:date");
  }
}
