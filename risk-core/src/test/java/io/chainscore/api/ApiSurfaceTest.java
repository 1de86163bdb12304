package io.chainscore.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ApiSurface} lists exactly the visible members, so a change to any of them shows. */
class ApiSurfaceTest {
  /** A small fixture with members of every visibility. */
  public static final class Sample {
    public static final int LIMIT = 3;
    int hiddenField;

    public Sample(String name) {}

    Sample() {}

    public List<String> names(int count) {
      return List.of();
    }

    protected void notVisibleInAFinalClass() {}

    void packagePrivate() {}

    /** A nested public record: its accessor and constructor are API. */
    public record Value(double amount) {}
  }

  @Test
  void lines_listVisibleMembersSortedAndNothingElse() {
    assertThat(ApiSurface.lines(List.of(Sample.class, Sample.Value.class))).containsExactly(
        "public final class io.chainscore.api.ApiSurfaceTest$Sample",
        "  public io.chainscore.api.ApiSurfaceTest$Sample(java.lang.String)",
        "  public java.util.List<java.lang.String> io.chainscore.api.ApiSurfaceTest$Sample.names(int)",
        "  public static final int io.chainscore.api.ApiSurfaceTest$Sample.LIMIT",
        "public final record io.chainscore.api.ApiSurfaceTest$Sample$Value",
        "  public double io.chainscore.api.ApiSurfaceTest$Sample$Value.amount()",
        "  public final boolean io.chainscore.api.ApiSurfaceTest$Sample$Value.equals(java.lang.Object)",
        "  public final int io.chainscore.api.ApiSurfaceTest$Sample$Value.hashCode()",
        "  public final java.lang.String io.chainscore.api.ApiSurfaceTest$Sample$Value.toString()",
        "  public io.chainscore.api.ApiSurfaceTest$Sample$Value(double)");
  }
}
