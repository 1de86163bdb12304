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
        .hasMessage("exposure: supplierId is required");
    assertThatThrownBy(() -> Exposure.builder().supplierId("s3").anchorId("a1").sector(Sector.GLASS)
        .collateral(Collateral.UNSECURED).drawn(1).anchorSalesShare(0.2).build())
        .hasMessage("exposure s3: asset_class is required");
  }
}
