package io.chainscore.ifrs9;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The SICR rule is "at least" on both thresholds (ifrs9-ecl.md: SICR if PD_now / PD_orig >= r AND
 * PD_now - PD_orig >= a): a rise of exactly the thresholds is stage 2, whatever binary floating
 * point makes of the decimals.
 */
class StagingTest {
  private static Staging.Stage stage(Staging staging, double now, double origination) {
    return staging.assess(now, origination, 0, false).stage();
  }

  /**
   * Defaults r = 2, a = 0.5 pp. 0.25% -> 0.75%: ratio 3 >= 2 and rise 0.0075 - 0.0025 = 0.005
   * exactly (in doubles 0.004999999999999999, which staged it 1). 0.5% -> 1.0%: ratio exactly 2 and
   * rise exactly 0.005. Just below: 0.25% -> 0.749% (rise 0.00499), 0.25% -> 0.7499999999999%
   * (rise 0.0049999999999, 13 decimals of a PD still below), 0.5% -> 0.999% (ratio 1.998).
   */
  @Test
  void aRiseOfExactlyTheThresholds_isStageTwo_andJustBelow_stageOne() {
    Staging defaults = Staging.defaults();
    assertThat(stage(defaults, 0.0075, 0.0025)).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(stage(defaults, 0.01, 0.005)).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(stage(defaults, 0.00749, 0.0025)).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(stage(defaults, 0.007499999999, 0.0025)).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(stage(defaults, 0.00999, 0.005)).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(stage(defaults, 0.0095, 0.005)).isEqualTo(Staging.Stage.STAGE_1);
  }

  /**
   * r = 3, a = 0: 0.02% -> 0.06% is a ratio of exactly 3 (in doubles 0.0006 / 0.0002 is
   * 2.9999999999999996); 0.02% -> 0.0599% is 2.995, below.
   */
  @Test
  void aRatioOfExactlyTheRelativeThreshold_isStageTwo() {
    Staging tripled = new Staging(3, 0, 30);
    assertThat(stage(tripled, 0.0006, 0.0002)).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(stage(tripled, 0.000599, 0.0002)).isEqualTo(Staging.Stage.STAGE_1);
    // an origination PD of 0: any PD now above 0 is a relative increase
    assertThat(stage(tripled, 0.0001, 0)).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(stage(tripled, 0, 0)).isEqualTo(Staging.Stage.STAGE_1);
  }

  /**
   * The closed ends of the settings and of the PDs are valid: r = 1 (any rise), a = 0, a backstop of
   * 0 days (any arrears), PDs of 0 and 1; outside them the constructor refuses.
   */
  @Test
  void thresholdsAndPds_closedEndsValid_outsideRefused() {
    Staging loosest = new Staging(1, 0, 0);
    assertThat(loosest.assess(0.02, 0.02, 0, false).stage()).isEqualTo(Staging.Stage.STAGE_2); // ratio 1, rise 0
    assertThat(loosest.assess(0.01, 0.02, 1, false).stage()).isEqualTo(Staging.Stage.STAGE_2); // 1 day > 0
    assertThat(Staging.defaults().assess(1.0, 0.0, 0, false).stage()).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(Staging.defaults().assess(0.0, 1.0, 0, false).stage()).isEqualTo(Staging.Stage.STAGE_1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Staging(0.99, 0.005, 30))
        .hasMessageContaining("relative PD increase");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Staging(2, 1.0, 30))
        .hasMessageContaining("absolute PD increase");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Staging(2, -0.001, 30))
        .hasMessageContaining("absolute PD increase");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Staging(2, 0.005, -1))
        .hasMessageContaining("days-past-due backstop");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Staging.defaults().assess(1.01, 0.02, 0, false))
        .hasMessageContaining("PD now");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Staging.defaults().assess(0.02, 1.01, 0, false))
        .hasMessageContaining("origination PD");
  }
}
