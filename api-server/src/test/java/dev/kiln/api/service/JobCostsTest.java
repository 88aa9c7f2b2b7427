package dev.kiln.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.api.JobCostView;
import dev.kiln.db.spend.MachineSeconds;
import dev.kiln.model.PriceTable;
import dev.kiln.model.Pricing;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobCostsTest {
  private static final PriceTable PRICES =
      new PriceTable(
          new Pricing(0.5), Map.of("g4dn.xlarge", new PriceTable.InstancePrice(0.526, 0.2104)));

  @Test
  void showsTheSplitBySpotAndOnDemandAndWhatOnDemandWouldHaveCost() {
    UUID job = UUID.randomUUID();
    JobCostView view =
        JobCosts.view(
            job,
            List.of(
                new MachineSeconds("g4dn.xlarge", "on-demand", 1800),
                new MachineSeconds("g4dn.xlarge", "spot", 3600),
                new MachineSeconds(null, null, 720)),
            PRICES);
    assertThat(view.jobId()).isEqualTo(job);
    assertThat(view.agentSeconds()).isEqualTo(6120);
    assertThat(view.spotUsd()).isEqualTo(0.2104);
    assertThat(view.onDemandUsd()).isEqualTo(0.263);
    assertThat(view.flatUsd()).isEqualTo(0.1);
    assertThat(view.usd()).isEqualTo(0.5734);
    assertThat(view.onDemandEquivalentUsd()).isEqualTo(0.889);
    assertThat(view.savedUsd()).isEqualTo(0.3156);
    assertThat(view.machines())
        .extracting(JobCostView.MachineUse::purchaseOption)
        .containsExactly("on-demand", "spot", "unknown");
    assertThat(view.machines())
        .extracting(JobCostView.MachineUse::priceSource)
        .containsExactly("configured", "configured", "flat");
  }

  @Test
  void aSpotShardAtTheFetchedSpotPriceSaysSo() {
    JobCostView view =
        JobCosts.view(
            UUID.randomUUID(),
            List.of(
                new MachineSeconds("g4dn.xlarge", "spot", 3600, 0.18, "spot-price-history", 0.5)),
            PRICES);
    assertThat(view.spotUsd()).isEqualTo(0.18);
    assertThat(view.onDemandEquivalentUsd()).isEqualTo(0.5);
    assertThat(view.machines().get(0).hourlyUsd()).isEqualTo(0.18);
    assertThat(view.machines().get(0).priceSource()).isEqualTo("spot-price-history");
  }

  @Test
  void aJobWithNoFinishedShardCostsNothing() {
    JobCostView view = JobCosts.view(UUID.randomUUID(), List.of(), PRICES);
    assertThat(view.usd()).isZero();
    assertThat(view.machines()).isEmpty();
  }
}
