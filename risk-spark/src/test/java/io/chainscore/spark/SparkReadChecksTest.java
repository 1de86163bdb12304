package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reader checks Spark applies to each table ({@code SparkFeatures.READ_CHECKS}) are derived
 * from the shared table layouts; this pins the derivation to the single-machine reader's rules,
 * written out by hand: every required column in layout order (null refused), dates range-checked,
 * nullable dates only range-checked. No SparkSession needed.
 */
class SparkReadChecksTest {
  @Test
  void readChecks_equalTheSingleMachineReadersColumns() {
    assertThat(SparkFeatures.READ_CHECKS.keySet())
        .containsExactlyInAnyOrder("anchor", "supplier", "invoice", "loan", "instalment");
    assertThat(SparkFeatures.READ_CHECKS.get("anchor"))
        .containsExactly("anchor_id", "name", "sector", "annual_revenue");
    assertThat(SparkFeatures.READ_CHECKS.get("supplier")).containsExactly("supplier_id", "anchor_id", "sector",
        "region", "registration_date:date", "declared_turnover");
    assertThat(SparkFeatures.READ_CHECKS.get("invoice")).containsExactly("invoice_id", "supplier_id", "buyer_id",
        "issue_date:date", "due_date:date", "amount", "delivered_on_time", "returned_amount", "disputed",
        "?paid_date:date", "paid_amount");
    assertThat(SparkFeatures.READ_CHECKS.get("loan")).containsExactly("loan_id", "supplier_id",
        "drawdown_date:date", "amount");
    assertThat(SparkFeatures.READ_CHECKS.get("instalment")).containsExactly("loan_id", "supplier_id",
        "instalment_number", "due_date:date", "amount_due", "?repaid_date:date", "amount_repaid");
  }
}
