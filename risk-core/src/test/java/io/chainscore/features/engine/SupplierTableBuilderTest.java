package io.chainscore.features.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.trade.Sector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupplierTableBuilderTest {
  @Test
  void build_manySuppliers_equalsTheTableBuiltFromColumns() {
    // 3000 suppliers: the builder grows its arrays twice past their first 1024 slots.
    SplittableRandom random = new SplittableRandom(3);
    int n = 3000;
    int[] anchor = new int[n];
    int[] sector = new int[n];
    int[] region = new int[n];
    int[] registered = new int[n];
    double[] turnover = new double[n];
    SupplierTable.Builder builder = SupplierTable.builder();
    Sector[] sectors = Sector.values();
    for (int i = 0; i < n; i++) {
      anchor[i] = random.nextInt(4);
      sector[i] = random.nextInt(sectors.length);
      region[i] = random.nextInt(-1, 10);
      registered[i] = 10_000 + random.nextInt(9000);
      turnover[i] = random.nextInt(1_000_000) / 4.0;
      builder.add(anchor[i], sectors[sector[i]], region[i], registered[i], turnover[i]);
    }
    assertThat(builder.size()).isEqualTo(n);
    SupplierTable built = builder.build(4);
    SupplierTable expected = new SupplierTable(anchor, sector, region, registered, turnover, 4);
    assertThat(built.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(built.anchor(i)).isEqualTo(expected.anchor(i));
      assertThat(built.sector(i)).isEqualTo(expected.sector(i));
      assertThat(built.region(i)).isEqualTo(expected.region(i));
      assertThat(built.registrationDay(i)).isEqualTo(expected.registrationDay(i));
      assertThat(built.turnover(i)).isEqualTo(expected.turnover(i));
    }
  }

  @Test
  void build_validatesAsTheConstructorDoes() {
    SupplierTable.Builder builder = SupplierTable.builder();
    builder.add(0, Sector.GLASS, -1, 19_000, 0);
    builder.add(5, Sector.GLASS, -1, 19_000, 0);
    assertThatThrownBy(() -> builder.build(2)).hasMessage("supplier table row 1: anchor 5 is not a buyer index in [0, 2)");
  }
}
