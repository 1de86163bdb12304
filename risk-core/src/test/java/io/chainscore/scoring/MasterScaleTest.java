package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MasterScaleTest {
  /** The EU Pillar 3 CR6 PD bands in percent: 0.00-<0.15, 0.15-<0.25, ..., 10.00-<100, 100 (default). */
  private static final double[] CR6_UPPERS_PERCENT = {0.15, 0.25, 0.50, 0.75, 2.50, 10.00, 100};

  private static MasterScale cr6() {
    double[] uppers = new double[7];
    double[] reps = new double[7];
    double lower = 0;
    for (int i = 0; i < 7; i++) {
      uppers[i] = CR6_UPPERS_PERCENT[i] / 100;
      reps[i] = lower == 0 ? uppers[i] / 2 : Math.sqrt(lower * uppers[i]);
      lower = uppers[i];
    }
    return MasterScale.of(List.of("0.00-<0.15", "0.15-<0.25", "0.25-<0.50", "0.50-<0.75", "0.75-<2.50",
        "2.50-<10.00", "10.00-<100", "100 (default)"), uppers, reps);
  }

  /**
   * Scales of 1 to 20 bands (the three-step search up to eight, the counting loop up to 16, the
   * binary search beyond): every path equals "the first band with pd < upper, the last for PD 1"
   * at, just below and just above every upper bound, at 0, 1 and random PDs; -1 for NaN and PDs
   * outside [0, 1].
   */
  @Test
  void gradeIndexOf_everyBandCount_equalsLinearScan() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    for (int bands = 1; bands <= 20; bands++) {
      double[] uppers = new double[bands];
      double[] reps = new double[bands];
      List<String> names = new java.util.ArrayList<>();
      double lower = 0;
      for (int i = 0; i < bands; i++) {
        uppers[i] = i == bands - 1 ? 1.0 : lower + (1.0 - lower) * random.nextDouble(0.05, 0.5);
        reps[i] = lower;
        names.add("g" + i);
        lower = uppers[i];
      }
      names.add("default");
      MasterScale scale = MasterScale.of(names, uppers, reps);
      List<Double> probes = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.0, Double.MIN_VALUE));
      for (double u : uppers) {
        probes.add(u);
        probes.add(Math.nextDown(u));
        probes.add(Math.nextUp(u));
      }
      for (int k = 0; k < 200; k++) {
        probes.add(random.nextDouble());
      }
      for (double pd : probes) {
        int expected = -1;
        if (pd >= 0 && pd <= 1) {
          expected = bands - 1;
          for (int i = 0; i < bands; i++) {
            if (pd < uppers[i]) {
              expected = i;
              break;
            }
          }
        }
        assertThat(scale.gradeIndexOf(pd)).as("%d bands, pd %s", bands, pd).isEqualTo(expected);
      }
      for (double bad : new double[] {Double.NaN, -Double.MIN_VALUE, Math.nextUp(1.0), Double.POSITIVE_INFINITY}) {
        assertThat(scale.gradeIndexOf(bad)).as("%d bands, pd %s", bands, bad).isEqualTo(-1);
      }
    }
  }

  @Test
  void gradeIndexOf_reproducesCr6Bands() {
    MasterScale scale = cr6();
    assertThat(scale.grades()).hasSize(8);
    assertThat(scale.gradeIndexOf(0.0)).isEqualTo(0);
    assertThat(scale.gradeIndexOf(Math.nextDown(0.0015))).isEqualTo(0);
    assertThat(scale.gradeIndexOf(0.0015)).isEqualTo(1);
    assertThat(scale.gradeIndexOf(0.0025)).isEqualTo(2);
    assertThat(scale.gradeIndexOf(0.004)).isEqualTo(2);
    assertThat(scale.gradeIndexOf(0.005)).isEqualTo(3);
    assertThat(scale.gradeIndexOf(0.0075)).isEqualTo(4);
    assertThat(scale.gradeIndexOf(0.02)).isEqualTo(4);
    assertThat(scale.gradeIndexOf(0.025)).isEqualTo(5);
    assertThat(scale.gradeIndexOf(Math.nextDown(0.10))).isEqualTo(5);
    assertThat(scale.gradeIndexOf(0.10)).isEqualTo(6);
    assertThat(scale.gradeIndexOf(1.0)).isEqualTo(6); // the last band includes PD 1
    assertThat(scale.gradeIndexOf(Double.NaN)).isEqualTo(-1);
    assertThat(scale.gradeIndexOf(-0.01)).isEqualTo(-1);
    assertThat(scale.gradeIndexOf(1.01)).isEqualTo(-1);
    assertThat(scale.grade(4).name()).isEqualTo("0.75-<2.50");
    assertThat(scale.grade(4).pdLower()).isEqualTo(0.0075);
    assertThat(scale.grade(4).pdUpper()).isEqualTo(0.025);
    assertThat(scale.grade(scale.defaultGradeIndex()).isDefault()).isTrue();
    assertThat(scale.grade(7).representativePd()).isEqualTo(1.0);
  }

  @Test
  void of_refusesBandsThatDoNotPartitionTheUnitInterval() {
    assertThatThrownBy(() -> MasterScale.of(List.of("A", "B", "D"), new double[] {0.1, 0.9}, new double[] {0.05, 0.5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end at PD 1");
    assertThatThrownBy(() -> MasterScale.of(List.of("A", "B", "D"), new double[] {0.1, 1}, new double[] {0.2, 0.5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("representative PD 0.2");
    assertThatThrownBy(() -> MasterScale.of(List.of("A", "B", "C", "D"), new double[] {0.5, 0.5, 1}, new double[] {0.2, 0.5, 0.7}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increase strictly");
    // a bound above 1 is named at its own grade, not as the next band's emptiness
    assertThatThrownBy(() -> MasterScale.of(List.of("A", "B", "C", "D"), new double[] {0.1, 1.5, 1},
        new double[] {0.05, 0.5, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("master scale: grade B upper bound 1.5 is above PD 1; the bounds lie in (0, 1], the last equal to 1");
  }

  @Test
  void exampleBundleScaleMatchesCr6Bands() {
    MasterScale fromBundle = TestBundles.load("scorecard.json").masterScale();
    MasterScale cr6 = cr6();
    for (int i = 0; i < 8; i++) {
      assertThat(fromBundle.grade(i).pdLower()).isEqualTo(cr6.grade(i).pdLower());
      assertThat(fromBundle.grade(i).pdUpper()).isEqualTo(cr6.grade(i).pdUpper());
    }
  }
}
