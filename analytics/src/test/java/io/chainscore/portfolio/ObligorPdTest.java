package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.trade.Sector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one rule for an exposure's PD: the anchor's when the anchor owes it, else the supplier's score. */
class ObligorPdTest {
  private static final Map<String, SupplierScore> SCORES = Map.of(
      "S1", new SupplierScore("S1", 0.02, "4"), "S2", new SupplierScore("S2", 0.03, ""));
  private static final Map<String, Double> ANCHORS = Map.of("A1", 0.004);

  private static Exposure exposure(String supplier, String anchor, Product product) {
    return Exposure.builder().supplierId(supplier).anchorId(anchor).sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000).collateral(Collateral.RECEIVABLES).maturityYears(1)
        .anchorSalesShare(0.5).product(product).build();
  }

  @Test
  void anchorOwes_takesTheAnchorsPd_notTheSuppliersScore() {
    ObligorPd o = ObligorPd.of(0, exposure("S1", "A1", Product.PAYABLES_FINANCE), SCORES, ANCHORS);
    assertThat(o).isEqualTo(new ObligorPd("A1", true, 0.004, ""));
  }

  @Test
  void supplierOwes_takesItsScore_andGrade_whateverTheAnchorsPd() {
    for (Product p : new Product[] {Product.TERM_LOAN, Product.RECEIVABLES_FINANCE, Product.PURCHASE_ORDER_FINANCE}) {
      assertThat(ObligorPd.of(0, exposure("S1", "A1", p), SCORES, ANCHORS))
          .as(p.code()).isEqualTo(new ObligorPd("S1", false, 0.02, "4"));
    }
    // a score without a grade stays without one: the caller's grade function decides
    assertThat(ObligorPd.of(0, exposure("S2", "A9", Product.TERM_LOAN), SCORES, Map.of()).grade()).isEmpty();
  }

  @Test
  void anchorOwes_withoutTheAnchorsPd_namesTheIndexAndAnchorColumn_evenWhenTheSupplierIsScored() {
    assertThatThrownBy(() -> ObligorPd.of(7, exposure("S1", "A2", Product.PAYABLES_FINANCE), SCORES, ANCHORS))
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          assertThat(e.index()).isEqualTo(7);
          assertThat(e.column()).isEqualTo("anchor_id");
          assertThat(e.anchorPdMissing()).isTrue();
        })
        .hasMessage("supplier S1's payables_finance is owed by its anchor A2, which has no PD");
  }

  @Test
  void supplierOwes_withoutAScore_namesTheIndexAndSupplierColumn_evenWhenTheAnchorHasAPd() {
    assertThatThrownBy(() -> ObligorPd.of(3, exposure("S9", "A1", Product.RECEIVABLES_FINANCE), SCORES, ANCHORS))
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          assertThat(e.index()).isEqualTo(3);
          assertThat(e.column()).isEqualTo("supplier_id");
          assertThat(e.anchorPdMissing()).isFalse();
        })
        .hasMessage("supplier S9 has no score");
  }

  @Test
  void missingPdException_takesOnlyTheTwoColumns() {
    assertThatThrownBy(() -> new MissingPdException(0, "pd", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anchor_id or supplier_id");
  }
}
