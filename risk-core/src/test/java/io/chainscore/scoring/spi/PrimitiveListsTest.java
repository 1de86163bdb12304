package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrimitiveListsTest {

  @Test
  void intList_growsPastItsCapacity_matchesBoxedList() {
    Random random = new Random(14);
    IntList list = new IntList(1);
    List<Integer> reference = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      int v = random.nextInt();
      list.add(v);
      reference.add(v);
    }
    assertThat(list.size()).isEqualTo(10_000);
    int[] expected = reference.stream().mapToInt(Integer::intValue).toArray();
    assertThat(list.toArray()).containsExactly(expected);
    for (int i = 0; i < expected.length; i += 97) {
      assertThat(list.get(i)).isEqualTo(expected[i]);
    }
  }

  @Test
  void doubleList_growsPastItsCapacity_matchesBoxedListBitForBit() {
    Random random = new Random(15);
    DoubleList list = new DoubleList(0);
    List<Double> reference = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      double v = i % 100 == 0 ? Double.NaN : i % 101 == 0 ? -0.0 : random.nextGaussian();
      list.add(v);
      reference.add(v);
    }
    double[] actual = list.toArray();
    assertThat(actual).hasSize(reference.size());
    for (int i = 0; i < actual.length; i++) {
      assertThat(Double.doubleToRawLongBits(actual[i])).isEqualTo(Double.doubleToRawLongBits(reference.get(i)));
      assertThat(Double.doubleToRawLongBits(list.get(i))).isEqualTo(Double.doubleToRawLongBits(reference.get(i)));
    }
  }

  @Test
  void get_pastSize_throwsEvenWithinCapacity() {
    IntList ints = new IntList(16);
    ints.add(7);
    DoubleList doubles = new DoubleList(16);
    doubles.add(7.5);
    assertThatThrownBy(() -> ints.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> doubles.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ints.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void toArray_isACopy_andEmptyListsGiveEmptyArrays() {
    IntList list = new IntList();
    assertThat(list.toArray()).isEmpty();
    assertThat(new DoubleList().toArray()).isEmpty();
    list.add(3);
    int[] copy = list.toArray();
    copy[0] = 4;
    assertThat(list.get(0)).isEqualTo(3);
  }

  @Test
  void constructor_negativeCapacity_isRejected() {
    assertThatThrownBy(() -> new IntList(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DoubleList(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
