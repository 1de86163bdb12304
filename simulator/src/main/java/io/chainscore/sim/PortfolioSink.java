package io.chainscore.sim;

import io.chainscore.trade.Anchor;
import java.io.IOException;
import java.util.List;

/**
 * Receives a simulated portfolio as it is generated: the anchors first, then one supplier
 * history at a time in supplier order, so a portfolio of any size streams in bounded memory.
 */
public interface PortfolioSink {
  /** Called once, before any supplier. */
  void anchors(List<Anchor> anchors) throws IOException;

  /** Called once per supplier, in supplier order. */
  void supplier(SupplierHistory history) throws IOException;
}
