package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.trade.Sector;
import org.junit.jupiter.api.Test;

class ExposureTest {

  @Test
  void builder_everyFieldNamed_equalsTheCanonicalConstructor() {
    Exposure built = Exposure.builder().supplierId("s1").anchorId("a1").sector(Sector.TEXTILES)
        .assetClass(AssetClass.OTHER_RETAIL).drawn(800_000).undrawn(400_000, 0.5).lgd(0.3)
        .collateral(Collateral.RECEIVABLES).maturityYears(1.5).annualSalesEurMillions(12).anchorSalesShare(0.6)
        .build();
    assertThat(built).isEqualTo(new Exposure("s1", "a1", Sector.TEXTILES, AssetClass.OTHER_RETAIL, 800_000,
        400_000, 0.5, 0.3, Collateral.RECEIVABLES, 1.5, 12, 0.6, Product.TERM_LOAN, Double.NaN, false));
    assertThat(built.ead()).isEqualTo(800_000 + 0.5 * 400_000);
  }

  @Test
  void builder_optionalFieldsLeftOut_takeTheDocumentedDefaults() {
    Exposure built = Exposure.builder().supplierId("s2").anchorId("a1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000).collateral(Collateral.UNSECURED).anchorSalesShare(0.2)
        .build();
    assertThat(built.undrawn()).isZero();
    assertThat(built.ccf()).isZero();
    assertThat(built.lgd()).isNaN();
    assertThat(built.maturityYears()).isNaN();
    assertThat(built.annualSalesEurMillions()).isNaN();
    assertThat(built.ead()).isEqualTo(1_000);
    // NaN LGD: the regime's foundation value for unsecured senior claims (Basel III CRE32.9: 40%)
    assertThat(built.lgd(IrbRegime.BASEL_III)).isEqualTo(0.40);
  }

  @Test
  void builder_missingOrInvalidField_isNamedWithTheSupplier() {
    assertThatThrownBy(() -> Exposure.builder().supplierId("s3").anchorId("a1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).collateral(Collateral.UNSECURED).anchorSalesShare(0.2).build())
        .hasMessage("exposure s3: drawn is required");
    assertThatThrownBy(() -> Exposure.builder().supplierId("s3").anchorId("a1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).collateral(Collateral.UNSECURED).drawn(1).build())
        .hasMessage("exposure s3: anchorSalesShare is required");
    assertThatThrownBy(() -> Exposure.builder().supplierId("s3").anchorId("a1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).collateral(Collateral.UNSECURED).drawn(1).undrawn(5, Double.NaN)
        .anchorSalesShare(0.2).build())
        .hasMessage("exposure s3: ccf is required when undrawn > 0");
    assertThatThrownBy(() -> Exposure.builder().anchorId("a1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .collateral(Collateral.UNSECURED).drawn(1).anchorSalesShare(0.2).build())
        .hasMessage("exposure ?: supplier_id is required");
    assertThatThrownBy(() -> Exposure.builder().supplierId("s3").anchorId("a1").sector(Sector.GLASS)
        .collateral(Collateral.UNSECURED).drawn(1).anchorSalesShare(0.2).build())
        .hasMessage("exposure s3: asset_class is required");
  }

  private static Exposure.Builder base() {
    return Exposure.builder().supplierId("s4").anchorId("a1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .collateral(Collateral.UNSECURED).drawn(1_000).anchorSalesShare(0.2);
  }

  /** Every documented closed end of a range is accepted: 0 and 1 for shares, 100 years, 0 dilution anywhere. */
  @Test
  void builder_valuesOnTheClosedEndsOfTheirRanges_areAccepted() {
    assertThat(base().drawn(0).build().ead()).isZero();
    assertThat(base().undrawn(500, 0.0).build().ead()).isEqualTo(1_000);
    assertThat(base().undrawn(500, 1.0).build().ead()).isEqualTo(1_500);
    assertThat(base().lgd(0.0).build().lgd()).isZero();
    assertThat(base().lgd(1.0).build().lgd()).isEqualTo(1.0);
    assertThat(base().maturityYears(Exposure.MAX_MATURITY_YEARS).build().maturityYears()).isEqualTo(100);
    assertThat(base().annualSalesEurMillions(0).build().annualSalesEurMillions()).isZero();
    assertThat(base().anchorSalesShare(0).build().anchorSalesShare()).isZero();
    assertThat(base().anchorSalesShare(1).build().anchorSalesShare()).isEqualTo(1.0);
    assertThat(base().product(Product.TERM_LOAN).expectedDilution(0).build().expectedDilution()).isZero();
    assertThat(base().product(Product.RECEIVABLES_FINANCE).expectedDilution(0).build().expectedDilution()).isZero();
  }

  @Test
  void builder_valuesJustOutsideTheirRanges_areRefused() {
    assertThatThrownBy(() -> base().maturityYears(0).build()).hasMessageContaining("maturity_years");
    assertThatThrownBy(() -> base().maturityYears(100.001).build()).hasMessageContaining("maturity_years");
    assertThatThrownBy(() -> base().undrawn(500, 1.001).build()).hasMessageContaining("ccf");
    assertThatThrownBy(() -> base().lgd(1.001).build()).hasMessageContaining("lgd");
    assertThatThrownBy(() -> base().anchorSalesShare(1.001).build()).hasMessageContaining("anchor_sales_share");
    assertThatThrownBy(() -> base().product(Product.RECEIVABLES_FINANCE).expectedDilution(1.0).build())
        .hasMessageContaining("expected_dilution");
    assertThatThrownBy(() -> base().product(Product.TERM_LOAN).expectedDilution(0.01).build())
        .hasMessageContaining("applies to purchased receivables");
  }
}
