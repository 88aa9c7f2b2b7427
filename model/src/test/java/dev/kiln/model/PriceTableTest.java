package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private static final PriceTable PRICES =
      new PriceTable(
          new Pricing(1.0), Map.of("g4dn.xlarge", new PriceTable.InstancePrice(0.526, 0.2)));
  private static final Machine SPOT = new Machine("g4dn.xlarge", PurchaseOption.SPOT);
  private static final Machine ON_DEMAND = new Machine("g4dn.xlarge", PurchaseOption.ON_DEMAND);

  @Test
  void pricesAMachineByItsTypeAndPurchaseOptionAndAnythingElseFlat() {
    assertThat(PRICES.hourlyUsd(SPOT)).isEqualTo(0.2);
    assertThat(PRICES.hourlyUsd(ON_DEMAND)).isEqualTo(0.526);
    assertThat(PRICES.hourlyUsd(Machine.LOCAL)).isEqualTo(1.0);
    assertThat(PRICES.hourlyUsd(new Machine("p5.48xlarge", PurchaseOption.SPOT))).isEqualTo(1.0);
    assertThat(PRICES.hourlyUsd(null)).isEqualTo(1.0);
    assertThat(PRICES.onDemandHourlyUsd(SPOT)).isEqualTo(0.526);
  }

  @Test
  void aJobsCostSplitsBySpotAndOnDemandAndSaysWhatOnDemandWouldHaveCost() {
    JobCost cost =
        JobCost.ZERO
            .plus(PRICES, SPOT, 3600)
            .plus(PRICES, ON_DEMAND, 1800)
            .plus(PRICES, Machine.LOCAL, 360)
            .plus(PRICES, null, 360);
    assertThat(cost.spotUsd()).isCloseTo(0.2, within(1e-9));
    assertThat(cost.onDemandUsd()).isCloseTo(0.263, within(1e-9));
    assertThat(cost.otherUsd()).isCloseTo(0.2, within(1e-9));
    assertThat(cost.totalUsd()).isCloseTo(0.663, within(1e-9));
    assertThat(cost.onDemandEquivalentUsd()).isCloseTo(0.526 * 1.5 + 0.2, within(1e-9));
  }

  @Test
  void saysWhetherAMachineWasPricedByConfigurationOrFlat() {
    assertThat(PRICES.price(SPOT)).isEqualTo(new MachinePrice(0.2, 0.526, PriceSource.CONFIGURED));
    assertThat(PRICES.price(Machine.LOCAL).source()).isEqualTo(PriceSource.FLAT);
    assertThat(PRICES.price(new Machine("p5.48xlarge", PurchaseOption.SPOT)).source())
        .isEqualTo(PriceSource.FLAT);
    assertThat(PRICES.price(null).source()).isEqualTo(PriceSource.FLAT);
  }

  @Test
  void aShardAtAFetchedPriceCountsAsSpotAtThatPrice() {
    JobCost cost =
        JobCost.ZERO.plus(
            new Machine("g4dn.xlarge", PurchaseOption.SPOT, "us-east-1a"),
            new MachinePrice(0.18, 0.5, PriceSource.SPOT_PRICE_HISTORY),
            3600);
    assertThat(cost.spotUsd()).isCloseTo(0.18, within(1e-9));
    assertThat(cost.otherUsd()).isZero();
    assertThat(cost.onDemandEquivalentUsd()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void priceSourcesReadTheirOwnWireNames() {
    for (PriceSource source : PriceSource.values()) {
      assertThat(PriceSource.parse(source.wireName())).isEqualTo(source);
    }
    assertThat(PriceSource.PRICING_API.wireName()).isEqualTo("pricing-api");
  }

  @Test
  void aBlankZoneIsNoZone() {
    assertThat(new Machine("g4dn.xlarge", PurchaseOption.SPOT, " ").availabilityZone()).isNull();
  }

  @Test
  void instanceMetadataLifeCyclesAreReadAsPurchaseOptions() {
    assertThat(PurchaseOption.parse("spot")).isEqualTo(PurchaseOption.SPOT);
    assertThat(PurchaseOption.parse("on-demand")).isEqualTo(PurchaseOption.ON_DEMAND);
    assertThat(PurchaseOption.parse("scheduled")).isEqualTo(PurchaseOption.ON_DEMAND);
    assertThat(PurchaseOption.parse("local")).isEqualTo(PurchaseOption.LOCAL);
    assertThat(PurchaseOption.ON_DEMAND.wireName()).isEqualTo("on-demand");
  }
}
