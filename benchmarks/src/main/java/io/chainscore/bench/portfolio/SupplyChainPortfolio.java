package io.chainscore.bench.portfolio;

import io.chainscore.portfolio.AssetClass;
import io.chainscore.portfolio.Collateral;
import io.chainscore.portfolio.Exposure;
import io.chainscore.trade.Sector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic supply-chain book for benchmarks: suppliers spread over 200 anchors (Zipf-like
 * sizes) and all sectors, log-uniform PDs between 0.2% and 8%, EAD 20k to 2m, anchor sales shares
 * uniform in [0, 1], half receivables-secured.
 */
final class SupplyChainPortfolio {
  final List<Exposure> exposures;
  final double[] pds;

  SupplyChainPortfolio(int suppliers, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Sector[] sectors = Sector.values();
    exposures = new ArrayList<>(suppliers);
    pds = new double[suppliers];
    for (int i = 0; i < suppliers; i++) {
      // Anchor index ~ Zipf: a few anchors carry most suppliers.
      int anchor = (int) Math.min(199, Math.floor(Math.exp(random.nextDouble() * Math.log(200))) - 1);
      // the builder calls run in field order, so the random draws are those of the field order
      exposures.add(Exposure.builder().supplierId("S" + i).anchorId("A" + anchor)
          .sector(sectors[random.nextInt(sectors.length)]).assetClass(AssetClass.CORPORATE)
          .drawn(Math.exp(Math.log(20_000) + random.nextDouble() * Math.log(100)))
          .undrawn(random.nextDouble() * 50_000, 0.4)
          .collateral(random.nextBoolean() ? Collateral.RECEIVABLES : Collateral.UNSECURED).maturityYears(1.0)
          .annualSalesEurMillions(1 + random.nextDouble() * 60).anchorSalesShare(random.nextDouble()).build());
      pds[i] = Math.exp(Math.log(0.002) + random.nextDouble() * Math.log(40));
    }
  }
}
