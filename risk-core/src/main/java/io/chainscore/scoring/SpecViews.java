package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.spi.Bin;
import io.chainscore.scoring.spi.Characteristic;
import io.chainscore.scoring.spi.LogisticView;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.TreeEnsembleCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the format-neutral model the loader read ({@link ModelSpec}, or the compiled tree
 * ensemble) into the read-only {@link ModelView} of {@code io.chainscore.scoring.spi}, once, at
 * load; reports read bins and terms from it rather than from re-parsed JSON.
 */
final class SpecViews {
  private SpecViews() {}

  static ModelView scorecard(ModelSpec.Scorecard spec) {
    List<Characteristic> list = new ArrayList<>(spec.characteristics().size());
    for (ModelSpec.Characteristic c : spec.characteristics()) {
      list.add(characteristic(c));
    }
    return new ScorecardView(spec.basePoints(), list);
  }

  static ModelView logistic(ModelSpec.Logistic spec) {
    List<LogisticView.Term> terms = new ArrayList<>(spec.terms().size());
    for (ModelSpec.Term t : spec.terms()) {
      terms.add(new LogisticView.Term(t.feature(), t.coefficient(), t.reference(), t.reasonCode(),
          t.woe() == null ? null : characteristic(t.woe())));
    }
    return new LogisticView(spec.intercept(), terms);
  }

  static ModelView trees(CompiledModel compiled) {
    return new TreeEnsembleView(TreeEnsembleCodec.ensemble(compiled));
  }

  private static Characteristic characteristic(ModelSpec.Characteristic c) {
    List<Bin> bins = new ArrayList<>(c.bins().size());
    for (ModelSpec.Bin b : c.bins()) {
      if (b instanceof ModelSpec.RangeBin r) {
        bins.add(new Bin.Range(r.lower(), r.upper(), r.value()));
      } else if (b instanceof ModelSpec.CategoryBin k) {
        bins.add(new Bin.Categories(k.categories(), k.value()));
      } else if (b instanceof ModelSpec.SpecialBin s) {
        List<Double> values = new ArrayList<>(s.values().length);
        for (double v : s.values()) {
          values.add(v);
        }
        bins.add(new Bin.Special(values, s.value()));
      } else {
        bins.add(new Bin.Missing(b.value()));
      }
    }
    return new Characteristic(c.name(), c.feature(), c.reasonCode(), bins);
  }
}
